import { type SQL, sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.ts';
import type { Atom } from './suppression.ts';

/** Metres: the Earth's mean radius and the hexagon grid's standard latitude, as geo/hexagons.ts. */
const EARTH_RADIUS_M = 6_371_008.8;
const STANDARD_LATITUDE = 32;

export type Measure = 'visits' | 'overdue';

/** Where and when an aggregate is counted: instants for visits, county days for due dates (half-open). */
export interface AtomQuery {
  measure: Measure;
  /** Cells: `area_code ^@ areaCode`; hexagons: every hexagon holding a cell of it. */
  areaCode: string;
  /**
   * Hexagons: count only the area's cells (exact answers: a reader with personal access in an area
   * sees no exact figure of anyone outside it), or every cell the reader reaches (suppressed
   * answers: a unit's value must not depend on the area asked for, see suppression.ts).
   */
  cutToArea: boolean;
  /** `null`: cells; else the hexagon circumradius in metres. */
  hexRadiusM: number | null;
  fromInstant: string;
  toInstant: string;
  fromDay: string;
  toDay: string;
  /** The county day today: an entry is overdue when its due day is before it. */
  today: string;
}

/**
 * Each cell's hexagon `q:r` of the fixed grid (geo/hexagons.ts computes the same in JS, and draws
 * the rings): the cell's label point projected equirectangularly about 32°N, axial coordinates,
 * cube rounding. A cell belongs to one hexagon, so a hexagon is a union of whole cells.
 */
function cellHexagons(radiusM: number): SQL {
  return sql`
    SELECT code AS cell, CASE
        WHEN abs(rq - q) > abs(rr - r) AND abs(rq - q) > abs(rs + q + r) THEN -rr - rs ELSE rq END::int::text
      || ':' || CASE
        WHEN abs(rq - q) > abs(rr - r) AND abs(rq - q) > abs(rs + q + r) THEN rr
        WHEN abs(rr - r) > abs(rs + q + r) THEN -rq - rs ELSE rr END::int::text AS unit
    FROM (SELECT code, q, r, round(q) AS rq, round(r) AS rr, round(-q - r) AS rs FROM (
      SELECT code, (sqrt(3) / 3 * x - y / 3) / ${radiusM}::float8 AS q, (2.0 / 3 * y) / ${radiusM}::float8 AS r FROM (
        SELECT code, radians(ST_X(label_point)) * ${EARTH_RADIUS_M}::float8 * cos(radians(${STANDARD_LATITUDE}::float8)) AS x,
          radians(ST_Y(label_point)) * ${EARTH_RADIUS_M}::float8 AS y
        FROM areas WHERE level = 'cell') projected) axial) rounded`;
}

/** The measure's rows (month, cell, category, person) in the period, before the units are cut. */
function measureRows(query: AtomQuery): SQL {
  if (query.measure === 'visits') {
    return sql`
      SELECT to_char(visited_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS month, area_code AS cell, category, person_id
      FROM special_visits WHERE visited_at >= ${query.fromInstant}::timestamptz AND visited_at < ${query.toInstant}::timestamptz`;
  }
  return sql`
    SELECT to_char(next_due_on, 'YYYY-MM') AS month, area_code AS cell, category, id AS person_id
    FROM special_people
    WHERE active AND next_due_on < ${query.today}::date
      AND next_due_on >= ${query.fromDay}::date AND next_due_on < ${query.toDay}::date`;
}

/**
 * The atoms of an aggregate: per month × unit × category, the value (visits, or entries overdue)
 * and the distinct people behind it, over what the handle's scope shows. One statement; the raw
 * SQL of the heatmap route, exported for the bench's baseline.
 */
export function atomsSql(query: AtomQuery): SQL {
  if (query.hexRadiusM === null) {
    return sql`
      SELECT m.month, m.cell AS unit, m.category, count(*)::int AS value, count(DISTINCT m.person_id)::int AS people
      FROM (${measureRows(query)}) m WHERE m.cell ^@ ${query.areaCode}
      GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`;
  }
  return sql`
    WITH hex AS (${cellHexagons(query.hexRadiusM)})
    , wanted AS (SELECT DISTINCT unit FROM hex WHERE cell ^@ ${query.areaCode})
    SELECT m.month, h.unit, m.category, count(*)::int AS value, count(DISTINCT m.person_id)::int AS people
    FROM (${measureRows(query)}) m JOIN hex h ON h.cell = m.cell JOIN wanted w ON w.unit = h.unit
    ${query.cutToArea ? sql`WHERE m.cell ^@ ${query.areaCode}` : sql``}
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`;
}

/** A point of a personal map: a visit's GPS fix, or an overdue entry's household. */
export interface PersonalPoint {
  id: string;
  lng: number;
  lat: number;
  category: string;
  cellCode: string;
  /** Visits: when; overdue: the day it fell due. */
  at: string;
  riskLevel: number | null;
}

/** The most points one answer holds. */
const POINT_LIMIT = 50_000;

export function specialHeatmapRepository(db: Queryable) {
  return {
    /**
     * The atoms, planned without nested loops. Row-level security hides the reader's scope from
     * the planner (an InitPlan), which then estimates a handful of visits where a county reader
     * reaches 300,000: it probed the visits' index once per cell (7,709 times) and, on a variant of
     * this statement, joined the cells by a nested loop that took 12 s instead of 0.6. Hash joins
     * are right for an aggregate over the whole area whatever the estimate; the setting is reset
     * before the connection answers anyone else (on the embedded engine it ends with the read's
     * transaction anyway).
     */
    atoms: (query: AtomQuery) =>
      db.read(async (orm) => {
        await orm.execute(sql`SET enable_nestloop = off`);
        try {
          return ((await orm.execute(atomsSql(query))) as unknown as { rows: Atom[] }).rows;
        } finally {
          await orm.execute(sql`RESET enable_nestloop`);
        }
      }),

    points(query: AtomQuery): Promise<PersonalPoint[]> {
      if (query.measure === 'visits') {
        return db.rows<PersonalPoint>(sql`
          SELECT v.id, ST_X(v.location) AS lng, ST_Y(v.location) AS lat, v.category, v.area_code AS "cellCode",
            to_char(v.visited_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS at, NULL::int AS "riskLevel"
          FROM special_visits v
          WHERE v.area_code ^@ ${query.areaCode} AND v.location IS NOT NULL
            AND v.visited_at >= ${query.fromInstant}::timestamptz AND v.visited_at < ${query.toInstant}::timestamptz
          ORDER BY v.visited_at, v.id LIMIT ${POINT_LIMIT}`);
      }
      return db.rows<PersonalPoint>(sql`
        SELECT p.id, ST_X(h.geom) AS lng, ST_Y(h.geom) AS lat, p.category, p.area_code AS "cellCode",
          p.next_due_on::text AS at, p.risk_level::int AS "riskLevel"
        FROM special_people p JOIN households h ON h.code = p.household_code
        WHERE p.area_code ^@ ${query.areaCode} AND p.active AND p.next_due_on < ${query.today}::date
          AND p.next_due_on >= ${query.fromDay}::date AND p.next_due_on < ${query.toDay}::date
        ORDER BY p.next_due_on, p.id LIMIT ${POINT_LIMIT}`);
    },

    /**
     * Per cell of the area: entries overdue today and the worst risk colour among them (3 red,
     * 2 yellow, 1 blue), by the mapping of riskColourOf (api/vocabulary/special-populations.ts).
     */
    overdueCells: (areaCode: string, today: string) =>
      db.rows<{ cellCode: string; overdue: number; worstRank: number }>(sql`
        SELECT area_code AS "cellCode", count(*)::int AS overdue, max(CASE category
            WHEN 'severe_mental_illness' THEN CASE WHEN risk_level IS NULL OR risk_level >= 3 THEN 3 WHEN risk_level >= 1 THEN 2 ELSE 1 END
            WHEN 'community_correction' THEN CASE supervision_grade WHEN 'lenient' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END
            WHEN 'rental_house' THEN 1 ELSE 2 END)::int AS "worstRank"
        FROM special_people
        WHERE area_code ^@ ${areaCode} AND active AND next_due_on < ${today}::date
        GROUP BY area_code ORDER BY area_code`),
  };
}
