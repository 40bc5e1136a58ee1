import { type SQL, sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.ts';

/** The longest window coverage is counted over (days, today included). */
const COVERAGE_WINDOW_DAYS = 30;

/** One area's cells and how many of them were walked in the last 1, 7 and 30 county days. */
export interface CoverageRow {
  code: string;
  name: string;
  cells: number;
  /** Walked today. */
  day1: number;
  /** Walked today or in the 6 days before. */
  day7: number;
  /** Walked today or in the 29 days before. */
  day30: number;
}

/**
 * Coverage of the children of `areaCode` (the areas whose code is 3 digits longer) as of the county
 * day `asOf` (`YYYY-MM-DD`): per child, its name, its cells and those walked in the last 1, 7 and 30 days,
 * from the cell-days of patrol_cells (migrations/0011), and a row of the area itself with their
 * sums (first: its code is the shortest); none for an area the handle's scope does not show. Rows
 * come only for children with cells the scope shows (row-level security on areas and patrol_cells
 * cuts the rest). One statement, so the route is one round trip. The raw SQL of
 * the route, exported for the bench's baseline (tests/bench/patrol-coverage.ts).
 *
 * Each cell's last walked day is one backward probe of the (cell_code, day, area_code) index:
 * grouping all the window's cell-days instead read every one of them (58,000 for a township's 30
 * days on the 50-million-position bench, 85-95 ms as the owner; the probes of its 1,233 cells
 * take 20-25 ms), and under row-level security each of those rows was tested against the policy.
 */
export function childCoverageSql(areaCode: string, asOf: string): SQL {
  const childLength = areaCode.length + 3;
  return sql`
    WITH per_child AS (
      SELECT left(c.code, ${childLength}::int) AS code, count(*)::int AS cells,
        count(*) FILTER (WHERE w.last_day = ${asOf}::date)::int AS day1,
        count(*) FILTER (WHERE w.last_day > ${asOf}::date - 7)::int AS day7,
        count(w.last_day)::int AS day30
      FROM areas c LEFT JOIN LATERAL (
        SELECT day AS last_day FROM patrol_cells
        WHERE cell_code = c.code AND day > ${asOf}::date - ${COVERAGE_WINDOW_DAYS}::int AND day <= ${asOf}::date
        ORDER BY day DESC LIMIT 1) w ON true
      WHERE c.level = 'cell' AND c.code ^@ ${areaCode}
      GROUP BY 1)
    SELECT p.code, coalesce(n.name, p.code) AS name, p.cells, p.day1, p.day7, p.day30
    FROM per_child p LEFT JOIN areas n ON n.code = p.code
    UNION ALL
    SELECT a.code, a.name, coalesce(sum(p.cells), 0)::int, coalesce(sum(p.day1), 0)::int,
      coalesce(sum(p.day7), 0)::int, coalesce(sum(p.day30), 0)::int
    FROM areas a LEFT JOIN per_child p ON true
    WHERE a.code = ${areaCode}
    GROUP BY a.code, a.name
    ORDER BY 1`;
}

/** Coverage reads; through the reader's scoped handle. */
export function coverageRepository(db: Queryable) {
  return {
    childCoverage: (areaCode: string, asOf: string) => db.rows<CoverageRow>(childCoverageSql(areaCode, asOf)),

    /**
     * Days since each cell under `areaCode` was last walked, as of the county day `asOf`, for the
     * cells walked in the window (the others: never, or longer ago than the window).
     */
    daysSinceWalked: (areaCode: string, asOf: string) =>
      db.rows<{ cellCode: string; days: number }>(sql`
        SELECT cell_code AS "cellCode", (${asOf}::date - max(day))::int AS days FROM patrol_cells
        WHERE cell_code ^@ ${areaCode} AND day > ${asOf}::date - ${COVERAGE_WINDOW_DAYS}::int AND day <= ${asOf}::date
        GROUP BY cell_code ORDER BY cell_code`),
  };
}
