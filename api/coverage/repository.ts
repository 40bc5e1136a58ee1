import { type SQL, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';

/**
 * Overlays run with a fixed precision grid (GEOS OverlayNG), 1e-9° ≈ 0.1 mm: robust where
 * floating-point overlay throws on near-coincident edges, and far below any defect size.
 */
const OVERLAY_GRID = sql.raw('1e-9::float8');

/** Geometry that GEOS can compute with: invalid inputs are repaired for the arithmetic, and reported separately. */
const usable = (column: string) => sql.raw(`(CASE WHEN ST_IsValid(${column}) THEN ${column} ELSE ST_MakeValid(${column}) END)`);

export interface LevelCount {
  level: string;
  count: number;
}
export interface GapRow {
  parentCode: string;
  parentLevel: string;
  childCount: number;
  gapM2: number;
}
export interface OverlapRow {
  parentCode: string | null;
  codeA: string;
  codeB: string;
  overlapM2: number;
}
export interface InvalidRow {
  code: string;
  level: string;
  reason: string;
}
export interface OutsideRow {
  code: string;
  parentCode: string;
  outsideM2: number;
}
export interface OrphanRow {
  code: string;
  parentCode: string | null;
  problem: string;
}
export interface HouseholdDefectRow {
  code: string;
  cellCode: string;
  containingCells: number;
  inOwnCell: boolean;
}

/**
 * A check that did not produce its result row. PGlite's PostGIS turns a GEOS exception into
 * an empty result instead of an error, so every geometry check is written to return exactly
 * one row (an aggregate), and a missing row is reported as this error.
 */
class CheckDidNotRunError extends Error {
  constructor(check: string) {
    super(`${check}: the database returned no result (a geometry operation failed inside PostGIS)`);
    this.name = 'CheckDidNotRunError';
  }
}

/** Runs `inner` and returns the rows matching `isDefect`, through one aggregate row that must come back. */
async function aggregated<Row>(db: Pick<Database, 'rows'>, check: string, inner: SQL, isDefect: SQL): Promise<Row[]> {
  const [result] = await db.rows<{ evaluated: number; defects: Row[] | null }>(sql`
    SELECT count(*)::int AS evaluated, json_agg(t) FILTER (WHERE ${isDefect}) AS defects FROM (${inner}) t`);
  if (!result) throw new CheckDidNotRunError(check);
  return result.defects ?? [];
}

/**
 * The integrity queries behind `npm run check:coverage`. Each works on any data set
 * (generated or imported) and tolerates invalid geometries, which it reports instead.
 */
export function coverageRepository(db: Pick<Database, 'rows'>) {
  return {
    levelCounts: () =>
      db.rows<LevelCount>(sql`SELECT level, count(*)::int AS count FROM areas GROUP BY level ORDER BY min(length(code))`),

    invalidGeometries: () =>
      aggregated<InvalidRow>(
        db,
        'invalidGeometries',
        sql`SELECT code, level, CASE WHEN ST_IsEmpty(geom) THEN 'Empty geometry' ELSE ST_IsValidReason(geom) END AS reason,
                   ST_IsValid(geom) AND NOT ST_IsEmpty(geom) AS valid
            FROM areas`,
        sql`NOT t.valid`,
      ),

    /** Areas whose parent is missing, or whose code does not extend the parent's code. */
    orphans: () =>
      db.rows<OrphanRow>(sql`
        SELECT a.code, a.parent_code AS "parentCode",
               CASE WHEN p.code IS NULL THEN 'parent_missing' ELSE 'code_not_under_parent' END AS problem
        FROM areas a LEFT JOIN areas p ON p.code = a.parent_code
        WHERE a.level <> 'county' AND (p.code IS NULL OR a.code NOT LIKE p.code || '%')
        ORDER BY a.code`),

    /** Per parent of one level: the part of it no child covers, in m² (geodesic). A parent without children is all gap. */
    gaps: (parentLevel: string, toleranceM2: number) =>
      aggregated<GapRow>(
        db,
        `gaps:${parentLevel}`,
        sql`
          SELECT p.code AS "parentCode", p.level AS "parentLevel", count(c.code)::int AS "childCount",
                 COALESCE(ST_Area(ST_Difference(${usable('p.geom')}, ST_Union(${usable('c.geom')}, ${OVERLAY_GRID}), ${OVERLAY_GRID})::geography),
                          ST_Area(${usable('p.geom')}::geography)) AS "gapM2"
          FROM areas p LEFT JOIN areas c ON c.parent_code = p.code
          WHERE p.level = ${parentLevel}
          GROUP BY p.code, p.level, p.geom`,
        sql`t."gapM2" > ${toleranceM2}`,
      ),

    /** Pairs of siblings whose interiors intersect, with the shared area in m². */
    overlaps: (childLevel: string, toleranceM2: number) =>
      aggregated<OverlapRow>(
        db,
        `overlaps:${childLevel}`,
        sql`
          SELECT a.parent_code AS "parentCode", a.code AS "codeA", b.code AS "codeB",
                 ST_Area(ST_Intersection(${usable('a.geom')}, ${usable('b.geom')}, ${OVERLAY_GRID})::geography) AS "overlapM2"
          FROM areas a JOIN areas b
            ON a.level = b.level AND a.code < b.code AND a.parent_code IS NOT DISTINCT FROM b.parent_code AND a.geom && b.geom
          WHERE a.level = ${childLevel}`,
        sql`t."overlapM2" > ${toleranceM2}`,
      ),

    /** Children reaching outside their parent, with the outside part in m². */
    outsideParent: (childLevel: string, toleranceM2: number) =>
      aggregated<OutsideRow>(
        db,
        `outsideParent:${childLevel}`,
        sql`
          SELECT c.code, c.parent_code AS "parentCode",
                 ST_Area(ST_Difference(${usable('c.geom')}, ${usable('p.geom')}, ${OVERLAY_GRID})::geography) AS "outsideM2"
          FROM areas c JOIN areas p ON p.code = c.parent_code
          WHERE c.level = ${childLevel}`,
        sql`t."outsideM2" > ${toleranceM2}`,
      ),

    /** Households in no cell, in several cells, or not in the cell they are registered to. */
    householdDefects: () =>
      aggregated<HouseholdDefectRow>(
        db,
        'households',
        sql`
          SELECT h.code, h.cell_code AS "cellCode", count(c.code)::int AS "containingCells",
                 COALESCE(bool_or(c.code = h.cell_code), false) AS "inOwnCell"
          FROM households h
          LEFT JOIN areas c ON c.level = 'cell' AND c.geom && h.geom AND ST_Intersects(c.geom, h.geom)
          GROUP BY h.code, h.cell_code`,
        sql`t."containingCells" <> 1 OR NOT t."inOwnCell"`,
      ),

    async householdCount(): Promise<number> {
      const [row] = await db.rows<{ count: number }>(sql`SELECT count(*)::int AS count FROM households`);
      return row?.count ?? 0;
    },
  };
}
