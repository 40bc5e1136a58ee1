import { sql } from 'drizzle-orm';
import { pinyin } from 'pinyin-pro';
import { generateCounty, loadReferenceCounty } from '../../geo/index.ts';
import type { GeneratedCounty } from '../../geo/types.ts';
import type { Database } from '../db/client.ts';
import type { datasetMeta } from '../db/schema.ts';
import { COUNTY_DEPARTMENTS } from '../departments/county-departments.ts';
import { rebuildTileData, tileDataCurrent } from '../tiles/repository.ts';
import { seedRepository } from './repository.ts';

export interface DatasetInfo {
  seed: number;
  preset: 'full' | 'small';
  seededAt: string;
}

/** The loaded data set's facts, or null when the database holds no county yet. */
async function loadedDataset(db: Database): Promise<DatasetInfo | null> {
  const rows = await db.rows<Pick<typeof datasetMeta.$inferSelect, 'key' | 'value'>>(
    sql`SELECT key, value FROM dataset_meta WHERE key IN ('seed', 'preset', 'seeded_at')`,
  );
  const meta = Object.fromEntries(rows.map((row) => [row.key, row.value]));
  if (!meta.seed || !meta.preset || !meta.seeded_at) return null;
  return { seed: Number(meta.seed), preset: meta.preset as DatasetInfo['preset'], seededAt: meta.seeded_at };
}

function pinyinOf(name: string): { full: string; initials: string } {
  return {
    full: pinyin(name, { toneType: 'none', type: 'array' }).join('').toLowerCase(),
    initials: pinyin(name, { pattern: 'first', toneType: 'none', type: 'array' }).join('').toLowerCase(),
  };
}

/** Writes a generated county into the database, replacing whatever was there, in one transaction. */
async function writeCounty(db: Database, county: GeneratedCounty, preset: DatasetInfo['preset']): Promise<void> {
  await db.transaction(async (tx) => {
    const repository = seedRepository(tx);
    await repository.clear();
    await repository.insertDepartments(COUNTY_DEPARTMENTS);
    await repository.insertAreas(
      county.areas.map((area) => {
        const names = pinyinOf(area.name);
        return {
          code: area.code,
          level: area.level,
          kind: area.kind,
          name: area.name,
          parent_code: area.parentCode,
          urban: area.urban,
          population: area.population,
          households: area.households,
          pinyin: names.full,
          pinyin_initials: names.initials,
          geometry: JSON.stringify(area.geometry),
          label_lng: area.labelPoint[0] ?? 0,
          label_lat: area.labelPoint[1] ?? 0,
        };
      }),
    );
    await repository.insertHouseholds(
      county.households.map((household) => ({
        code: household.code,
        cell_code: household.cellCode,
        residents: household.residents,
        address: household.address,
        lng: household.position.coordinates[0] ?? 0,
        lat: household.position.coordinates[1] ?? 0,
      })),
    );
    await repository.insertPeople(
      county.people.map((person) => ({
        id: person.id,
        name: person.name,
        role: person.role,
        area_code: person.areaCode,
        phone: person.phone,
        department_code: person.departmentCode,
      })),
    );
    await rebuildTileData(tx);
    await repository.setMeta({ seed: String(county.seed), preset, seeded_at: new Date().toISOString() });
  });
}

/**
 * Seeds the reference county on first start; a database that already holds a data set is
 * left as it is (so imported real boundaries are never overwritten by a restart).
 */
export async function seedIfEmpty(
  db: Database,
  options: { seed: number; preset: DatasetInfo['preset']; onProgress?: (step: string) => void },
): Promise<{ seeded: boolean; dataset: DatasetInfo }> {
  const existing = await loadedDataset(db);
  if (existing) {
    await ensureTileData(db, options.onProgress);
    return { seeded: false, dataset: existing };
  }
  options.onProgress?.('generating');
  const county = generateCounty(loadReferenceCounty(), {
    seed: options.seed,
    preset: options.preset,
    departments: COUNTY_DEPARTMENTS,
  });
  options.onProgress?.('writing');
  await writeCounty(db, county, options.preset);
  await vacuumAnalyzeCounty(db);
  const dataset = await loadedDataset(db);
  if (!dataset) throw new Error('seed finished without writing dataset_meta');
  return { seeded: true, dataset };
}

/** The advisory lock that serialises preparing the tile-ready data ('gcct'). */
const TILE_DATA_LOCK = 0x67636374;

/**
 * Prepares the tile-ready data again when it was prepared under an older format (a data set
 * seeded or imported before an upgrade); a current one costs a single read.
 */
export async function ensureTileData(db: Database, onProgress?: (step: string) => void): Promise<void> {
  if (await tileDataCurrent(db)) return;
  onProgress?.('tiles');
  const rebuilt = await db.transaction(async (tx) => {
    // Servers starting together on the same old data set: one prepares it, the others wait for
    // it and then find it current.
    await tx.rows(sql`SELECT pg_advisory_xact_lock(${TILE_DATA_LOCK}::bigint)`);
    if (await tileDataCurrent(tx)) return false;
    await rebuildTileData(tx);
    return true;
  });
  if (rebuilt) await vacuumAnalyzeCounty(db);
}

/**
 * Vacuums and analyses the tables a bulk write just filled, as PostgreSQL advises after a bulk
 * load. The embedded database has no autovacuum, so without this its planner would guess its
 * way through every tile forever; on PostgreSQL it spares the first minutes of serving from
 * competing with autovacuum doing the same.
 */
async function vacuumAnalyzeCounty(db: Database): Promise<void> {
  await db.rows(sql`VACUUM (ANALYZE) areas, area_tile_geometries, households, household_clusters, people`);
}
