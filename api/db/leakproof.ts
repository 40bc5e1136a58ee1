import { sql } from 'drizzle-orm';
import type { Queryable } from './client.ts';

/**
 * Whether PostGIS's bounding-box operator is leakproof, so that scoped (row-level security)
 * queries can use spatial indexes. Migration 0003 marks it when run as a superuser.
 */
export async function spatialIndexUsableUnderScope(db: Queryable): Promise<boolean> {
  const [row] = await db.rows<{ leakproof: boolean }>(sql`
    SELECT p.proleakproof AS leakproof FROM pg_operator o JOIN pg_proc p ON p.oid = o.oprcode
    WHERE o.oprname = '&&' AND o.oprleft = 'geometry'::regtype AND o.oprright = 'geometry'::regtype`);
  return row?.leakproof ?? false;
}

export const LEAKPROOF_ADVICE =
  'PostGIS && is not marked LEAKPROOF, so scoped queries cannot use spatial indexes and tiles will be slow. ' +
  'As a superuser, run: ALTER FUNCTION geometry_overlaps(geometry, geometry) LEAKPROOF;';
