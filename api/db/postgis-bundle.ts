import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Extension } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';

const TAR_BLOCK = 512;

/**
 * Files of the PostGIS bundle this application never loads: the raster, topology and tiger
 * extensions, upgrade paths from older PostGIS versions, and the legacy contrib scripts.
 * PGlite unpacks the whole bundle into memory on every start, so leaving them out halves the
 * start time (about 10 s to 5 s here).
 */
function isUnused(path: string): boolean {
  return (
    /postgis_(raster|topology|tiger_geocoder)/.test(path) ||
    // Upgrade scripts (postgis--FROM--TO.sql) and the unpackaged ones; postgis--3.6.2.sql, the install script, stays.
    /^share\/postgresql\/extension\/postgis--(.+--.+|unpackaged.*)\.sql$/.test(path) ||
    path.startsWith('share/postgresql/contrib/')
  );
}

function entryName(header: Buffer): string {
  const field = (offset: number, length: number) =>
    header
      .subarray(offset, offset + length)
      .toString('utf8')
      .replace(/\0.*$/s, '');
  const name = field(0, 100);
  const prefix = field(345, 155);
  return (prefix ? `${prefix}/${name}` : name).replace(/^\.\//, '');
}

/** Copies a tar archive keeping only the entries `keep` accepts (GNU long-name records travel with their entry). */
function filterTar(archive: Buffer, keep: (path: string) => boolean): Buffer {
  const kept: Buffer[] = [];
  let offset = 0;
  let longName: { name: string; blocks: Buffer } | null = null;
  while (offset + TAR_BLOCK <= archive.length) {
    const header = archive.subarray(offset, offset + TAR_BLOCK);
    if (header.every((byte) => byte === 0)) break;
    const size = Number.parseInt(header.subarray(124, 136).toString('utf8').replace(/\0.*$/s, '').trim() || '0', 8);
    const length = TAR_BLOCK + Math.ceil(size / TAR_BLOCK) * TAR_BLOCK;
    const record = archive.subarray(offset, offset + length);
    offset += length;
    const type = String.fromCharCode(header[156] ?? 0);
    if (type === 'L') {
      longName = {
        name: record
          .subarray(TAR_BLOCK, TAR_BLOCK + size)
          .toString('utf8')
          .replace(/\0.*$/s, ''),
        blocks: record,
      };
      continue;
    }
    const name = longName?.name ?? entryName(header);
    if (keep(name.replace(/^\.\//, ''))) {
      if (longName) kept.push(longName.blocks);
      kept.push(record);
    }
    longName = null;
  }
  kept.push(Buffer.alloc(TAR_BLOCK * 2));
  return Buffer.concat(kept);
}

function originalBundlePath(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@electric-sql/pglite-postgis')), 'postgis.tar.gz');
}

/** The slim bundle, built once next to the installed package's own and reused by every later start. */
function slimBundlePath(cacheDir: string): string {
  const original = originalBundlePath();
  const target = join(cacheDir, 'postgis-slim.tar.gz');
  if (existsSync(target)) return target;
  mkdirSync(cacheDir, { recursive: true });
  const slim = gzipSync(
    filterTar(gunzipSync(readFileSync(original)), (path) => !isUnused(path)),
    { level: 6 },
  );
  const partial = `${target}.${process.pid}.partial`;
  writeFileSync(partial, slim);
  renameSync(partial, target);
  return target;
}

/** The PostGIS extension for PGlite, loading the slim bundle instead of the full one. */
export function slimPostgis(cacheDir: string): Extension {
  const bundleUrl = pathToFileURL(slimBundlePath(cacheDir));
  return {
    name: 'postgis',
    setup: async (pg, emscriptenOpts, clientOnly) => {
      const original = await postgis.setup(pg, emscriptenOpts);
      return clientOnly ? original : { ...original, bundlePath: bundleUrl };
    },
  };
}
