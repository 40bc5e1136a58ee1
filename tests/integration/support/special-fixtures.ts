import { sql } from 'drizzle-orm';
import type { Database } from '../../../api/db/client.ts';
import { type HexSize, hexagonOf } from '../../../geo/hexagons.ts';
import type { LngLat } from '../../../geo/types.ts';

/** A cell with its label point's hexagons (geo/hexagons.ts). */
export interface FixtureCell {
  code: string;
  point: LngLat;
  hex: Record<HexSize, string>;
}

/** The cells under `prefix`, in code order, with their hexagons of each size. */
export async function cellsUnder(db: Database, prefix: string): Promise<FixtureCell[]> {
  const rows = await db.rows<{ code: string; lng: number; lat: number }>(sql`
    SELECT code, ST_X(label_point) AS lng, ST_Y(label_point) AS lat FROM areas
    WHERE level = 'cell' AND code ^@ ${prefix} ORDER BY code`);
  return rows.map(({ code, lng, lat }) => {
    const point: LngLat = [lng, lat];
    return {
      code,
      point,
      hex: { small: hexagonOf(point, 'small'), medium: hexagonOf(point, 'medium'), large: hexagonOf(point, 'large') },
    };
  });
}

let sequence = 0;

/**
 * Inserts `count` register entries of `category` in `cell` (households of the cell), each due on
 * `nextDueOn`, and returns their ids. `tag` prefixes the ids, so that a file finds its own.
 */
export async function insertPeople(
  db: Database,
  tag: string,
  cell: string,
  count: number,
  fields: { category?: string; nextDueOn?: string; riskLevel?: number | null } = {},
): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index++) {
    sequence++;
    const id = `${tag}-${sequence}`;
    const category = fields.category ?? 'severe_mental_illness';
    await db.rows(sql`
      INSERT INTO special_people (id, category, name, household_code, area_code, risk_level, registered_on, next_due_on)
      SELECT ${id}, ${category}, ${`测试对象${sequence}`}, coalesce(
          (SELECT code FROM households WHERE cell_code = ${cell} ORDER BY code OFFSET ${index} LIMIT 1),
          (SELECT code FROM households WHERE cell_code = ${cell} ORDER BY code LIMIT 1)),
        ${cell}, ${category === 'severe_mental_illness' ? (fields.riskLevel ?? 1) : null}, '2000-06-01', ${fields.nextDueOn ?? null}`);
    ids.push(id);
  }
  return ids;
}

/** One visit to each of `people` (in `cell`) at `at`, at the cell's point, of `category`. */
export async function insertVisits(
  db: Database,
  people: readonly string[],
  cell: FixtureCell,
  at: string,
  category = 'severe_mental_illness',
): Promise<void> {
  for (const personId of people) {
    sequence++;
    await db.rows(sql`
      INSERT INTO special_visits (id, client_id, person_id, category, area_code, visitor_id, visitor_name, visited_at, mode, outcome, location)
      VALUES (${`V-${personId}-${sequence}`}, ${`c-${sequence}`}, ${personId}, ${category}, ${cell.code}, 'fixture-visitor', '测试网格员',
        ${at}::timestamptz, 'home', 'seen_stable', ST_SetSRID(ST_MakePoint(${cell.point[0]}, ${cell.point[1]}), 4326))`);
  }
}
