import { sql } from 'drizzle-orm';
import type { Transaction } from '../db/client.ts';

/** Rows per statement: each batch travels as one JSON parameter, so this bounds message size, not parameter count. */
const BATCH_ROWS = 10_000;

/** `items` in slices of `size`, each written by one statement (the demo's cases are bigger rows: it takes smaller slices). */
export function batches<T>(items: readonly T[], size = BATCH_ROWS): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

export interface AreaSeedRow {
  code: string;
  level: string;
  kind: string;
  name: string;
  parent_code: string | null;
  urban: boolean;
  population: number;
  households: number;
  pinyin: string;
  pinyin_initials: string;
  geometry: string;
  label_lng: number;
  label_lat: number;
}

export interface HouseholdSeedRow {
  code: string;
  cell_code: string;
  residents: number;
  address: string;
  lng: number;
  lat: number;
}

export interface PersonSeedRow {
  id: string;
  name: string;
  role: string;
  area_code: string;
  phone: string;
  department_code: string | null;
}

/** Bulk writes of a generated or imported county, inside one transaction. */
export function seedRepository(tx: Transaction) {
  return {
    async clear(): Promise<void> {
      await tx.rows(sql`TRUNCATE areas, area_tile_geometries, households, household_clusters, people, departments`);
    },

    async insertDepartments(rows: readonly { code: string; name: string; reportTypes: readonly string[] }[]): Promise<void> {
      await tx.rows(sql`
        INSERT INTO departments (code, name, report_types)
        SELECT r.code, r.name, ARRAY(SELECT json_array_elements_text(r.report_types))
        FROM json_to_recordset(${JSON.stringify(
          rows.map((row) => ({ code: row.code, name: row.name, report_types: row.reportTypes })),
        )}::json) AS r(code text, name text, report_types json)`);
    },

    async insertAreas(rows: AreaSeedRow[]): Promise<void> {
      for (const batch of batches(rows)) {
        await tx.rows(sql`
          INSERT INTO areas (code, level, kind, name, parent_code, urban, population, households, pinyin, pinyin_initials,
                             synthetic, area_m2, geom, label_point)
          SELECT r.code, r.level, r.kind, r.name, r.parent_code, r.urban, r.population, r.households, r.pinyin, r.pinyin_initials,
                 true, ST_Area(g.geom::geography), g.geom, ST_SetSRID(ST_MakePoint(r.label_lng, r.label_lat), 4326)
          FROM json_to_recordset(${JSON.stringify(batch)}::json) AS r(
                 code text, level text, kind text, name text, parent_code text, urban boolean, population int, households int,
                 pinyin text, pinyin_initials text, geometry text, label_lng float8, label_lat float8)
          CROSS JOIN LATERAL (SELECT ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(r.geometry), 4326)) AS geom) g`);
      }
    },

    async insertHouseholds(rows: HouseholdSeedRow[]): Promise<void> {
      for (const batch of batches(rows)) {
        await tx.rows(sql`
          INSERT INTO households (code, cell_code, residents, address, synthetic, geom, geom_3857)
          SELECT r.code, r.cell_code, r.residents, r.address, true, p.geom, ST_Transform(p.geom, 3857)
          FROM json_to_recordset(${JSON.stringify(batch)}::json) AS r(code text, cell_code text, residents int, address text, lng float8, lat float8)
          CROSS JOIN LATERAL (SELECT ST_SetSRID(ST_MakePoint(r.lng, r.lat), 4326) AS geom) p`);
      }
    },

    async insertPeople(rows: PersonSeedRow[]): Promise<void> {
      for (const batch of batches(rows)) {
        await tx.rows(sql`
          INSERT INTO people (id, name, role, area_code, phone, department_code, synthetic)
          SELECT r.id, r.name, r.role, r.area_code, r.phone, r.department_code, true
          FROM json_to_recordset(${JSON.stringify(batch)}::json) AS r(id text, name text, role text, area_code text, phone text, department_code text)`);
      }
    },

    async setMeta(entries: Record<string, string>): Promise<void> {
      await tx.rows(sql`
        INSERT INTO dataset_meta (key, value, updated_at)
        SELECT key, value, now() FROM json_each_text(${JSON.stringify(entries)}::json)
        ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`);
    },
  };
}
