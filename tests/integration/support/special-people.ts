import { sql } from 'drizzle-orm';
import type { Database } from '../../../api/db/client.ts';

let counter = 0;

/**
 * An entry of the registers of a test's own, written as the owner: severe mental illness at risk
 * level 2 (monthly), registered on 2026-01-01, in the first household (by code) of `cellPrefix`
 * (a cell, grid or village code). Returns its id, household and the household's point.
 */
export async function insertTestPerson(
  db: Database,
  cellPrefix: string,
  options: { idPrefix?: string; name?: string; active?: boolean } = {},
) {
  counter += 1;
  const id = `${options.idPrefix ?? 'T-SP'}-${process.pid}-${counter}`;
  const [household] = await db.rows<{ code: string; cellCode: string; lng: number; lat: number }>(sql`
    SELECT code, cell_code AS "cellCode", ST_X(geom) AS lng, ST_Y(geom) AS lat FROM households
    WHERE cell_code ^@ ${cellPrefix} ORDER BY code LIMIT 1`);
  if (!household) throw new Error(`no household under ${cellPrefix}`);
  await db.rows(sql`
    INSERT INTO special_people (id, category, name, household_code, area_code, risk_level, registered_on, active, next_due_on)
    VALUES (${id}, 'severe_mental_illness', ${options.name ?? '测试走访对象'}, ${household.code}, ${household.cellCode}, 2,
      '2026-01-01', ${options.active ?? true}, '2026-01-31')`);
  return { id, householdCode: household.code, cellCode: household.cellCode, position: [household.lng, household.lat] as const };
}
