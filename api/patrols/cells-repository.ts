import { type SQL, sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.ts';

/** The coverage distance when none is configured (PATROL_COVERAGE_DISTANCE_M): metres from a track within which a cell counts as walked. */
export const DEFAULT_COVERAGE_DISTANCE_M = 50;

/**
 * Two consecutive valid fixes further apart in time than this (seconds) are not joined by a
 * stretch: over a silence (screen locked, a run of flagged fixes) a straight line is a guess at
 * the way walked, not a walk, and it could cross cells nobody entered. Each fix still counts on
 * its own. At one fix every 5 s this is 24 fixes missed.
 */
const MAX_STRETCH_SECONDS = 120;

/**
 * The county's calendar day of a fix: Asia/Shanghai (UTC+8 all year), the day its township leaders
 * mean by "today", as the duty summary counts it (api/cases/summary-service.ts).
 */
const COVERAGE_TIME_ZONE = 'Asia/Shanghai';

/** The start of a county day (`YYYY-MM-DD`): Shanghai has kept UTC+8 all year since 1991. */
export const countyMidnight = (day: string) => new Date(`${day}T00:00:00+08:00`);

/** The county day (`YYYY-MM-DD`, Asia/Shanghai) holding `instant`. */
export const countyDay = (instant: Date) => new Date(instant.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

/** Metres per degree of latitude, rounded down so that the index box below errs wide. */
const METRES_PER_DEGREE = 110_000;

/** The WGS84 ellipsoid: semi-major axis (m) and first eccentricity squared. */
const WGS84_A = 6_378_137;
const WGS84_E2 = 0.006_694_379_990_14;

/**
 * Metres per degree east (`east`) and north (`north`) on the WGS84 ellipsoid at latitude `lat`
 * (degrees): the radii of curvature of the prime vertical (times the cosine) and of the meridian.
 * Coordinates scaled by them are metres near that latitude: within the few hundred metres of a
 * minute's walk, a planar distance there is within centimetres of the geodesic one (1.1 cm at most
 * under 100 m, over 9,133 fix-to-cell pairs of the bench county), at a tenth of the cost.
 */
function metresPerDegree(lat: SQL): SQL {
  const w = sql`(1 - ${sql.raw(String(WGS84_E2))} * sin(radians(${lat}))^2)`;
  return sql`${sql.raw(String(WGS84_A))} / sqrt(${w}) * cos(radians(${lat})) * pi() / 180 AS east,
    ${sql.raw(String(WGS84_A))} * (1 - ${sql.raw(String(WGS84_E2))}) / ${w}^1.5 * pi() / 180 AS north`;
}

/**
 * The cell-days a set of valid fixes walked, as `(patrol_id, cell_code, day, area_code, first_at)`
 * rows. Each valid fix with fix time from `from` (to `to`) ends one stretch: the straight line
 * from the patrol's previous valid fix (by fix time, also one before `from`), or the fix alone
 * when there is none within MAX_STRETCH_SECONDS. The stretches of a patrol's minute (of fix time)
 * are taken together: a cell counts when its polygon lies within `distanceM` of one of them, in
 * metres on the ellipsoid at the minute's latitude (metresPerDegree); a box around the minute's
 * stretches in degrees, widened by the distance, lets the cells' GiST index pick the candidates
 * first. One test a minute instead of one a fix (at a fix every 5 s the same few cells were
 * tested twelve times over), in scaled metres instead of geodesics on geography: 500 fixes took
 * 60 ms, a minute at a time 22 ms, and in scaled metres 6 ms.
 *
 * A minute's stretches are drawn as one line: two fixes of a minute are never more than a minute
 * apart, so each joins the one before, and the line runs from the previous minute's last fix (when
 * within reach) through the minute's fixes. It is the same set of points as the stretches (a fix
 * at the same place twice is a segment of no length), at half the vertices and one geometry
 * instead of one a fix; it is scaled once a minute, not once a candidate cell. Measured on 8
 * patrols of 5,000 fixes a quarter second apart, one settling went from 186 to 86-106 ms of
 * PostgreSQL's CPU, and on 8 of 2,000 fixes 5 s apart from 104 to 54 ms, the same rows written.
 * `first_at` is the first fix time of the earliest minute that reached the cell that day; so
 * `from` must be the start of a minute, or a minute would be derived in part.
 * With `patrols`, only those patrols, each from its own `from` (`from` then bounds them all).
 */
function walkedCells(filter: { from: Date; to?: Date; patrols?: readonly { id: string; from: Date }[] }, distanceM: number): SQL {
  const reach = sql.raw(`${MAX_STRETCH_SECONDS} * interval '1 second'`);
  const from = sql`${filter.from.toISOString()}::timestamptz`;
  // The earliest fix read, a constant: `from - interval` is only stable (time zones), which leaves
  // the pruning of the partitions before it to run time, after every one of them was planned.
  const earliest = new Date(filter.from.getTime() - MAX_STRETCH_SECONDS * 1000).toISOString();
  const conditions = [sql`NOT poor_accuracy`, sql`NOT jump`, sql`fixed_at >= ${earliest}::timestamptz`];
  if (filter.to) conditions.push(sql`fixed_at < ${filter.to.toISOString()}::timestamptz`);
  const columns = sql`patrol_id, area_code, fixed_at, client_fix_id, location`;
  const patrols = filter.patrols;
  // With patrols, each is read by its own index scan from its own time (a join could read the
  // whole day's partition and then pick the patrols out).
  const fixes = patrols
    ? sql`
        SELECT x.*, p.from_at AS derive_from
        FROM unnest(${sql.param(patrols.map((patrol) => patrol.id))}::text[],
          ${sql.param(patrols.map((patrol) => patrol.from.toISOString()))}::timestamptz[]) AS p(id, from_at)
        CROSS JOIN LATERAL (
          SELECT ${columns} FROM patrol_positions
          WHERE patrol_id = p.id AND fixed_at >= p.from_at - ${reach} AND ${sql.join(conditions, sql` AND `)}
          OFFSET 0 -- kept a subquery: pulled up, it became a hash join over the whole day's partition
        ) x`
    : sql`SELECT ${columns}, ${from} AS derive_from FROM patrol_positions WHERE ${sql.join(conditions, sql` AND `)}`;
  const distance = sql`${distanceM}::float8`;
  return sql`
    SELECT m.patrol_id, c.code AS cell_code, m.day, m.area_code, min(m.first_at) AS first_at
    FROM (
      SELECT m.patrol_id, m.area_code, m.day, m.first_at, k.east, k.north, ST_Scale(w.walked, k.east, k.north) AS scaled,
        ST_Expand(w.walked,
          ${distance} / (${METRES_PER_DEGREE} * greatest(cos(radians(m.lat)), 0.01)), ${distance} / ${METRES_PER_DEGREE}) AS box
      FROM (
        SELECT patrol_id, area_code, (min(fixed_at) AT TIME ZONE ${COVERAGE_TIME_ZONE})::date AS day,
          min(fixed_at) AS first_at, avg(lat) AS lat,
          ST_MakeLine(CASE WHEN lead_in IS NULL THEN location ELSE ST_MakeLine(lead_in, location) END ORDER BY fixed_at, client_fix_id) AS line
        FROM (
          SELECT patrol_id, area_code, fixed_at, client_fix_id, location, ST_Y(location) AS lat, derive_from,
            CASE WHEN fixed_at - lag(fixed_at) OVER w <= ${reach}
                AND date_trunc('minute', lag(fixed_at) OVER w) < date_trunc('minute', fixed_at)
              THEN lag(location) OVER w END AS lead_in
          FROM (${fixes}) own
          WINDOW w AS (PARTITION BY patrol_id ORDER BY fixed_at, client_fix_id)
        ) f
        WHERE fixed_at >= derive_from
        GROUP BY patrol_id, area_code, date_trunc('minute', fixed_at)
      ) m
      -- A lone fix (no other that minute, none within reach before) is a line of one point: the point.
      CROSS JOIN LATERAL (SELECT CASE WHEN ST_NPoints(m.line) = 1 THEN ST_PointN(m.line, 1) ELSE m.line END AS walked) w
      CROSS JOIN LATERAL (SELECT ${metresPerDegree(sql`m.lat`)}) k
      OFFSET 0 -- a subquery of its own, so that each minute is scaled once, not once a candidate cell
    ) m
    JOIN areas c ON c.level = 'cell' AND c.geom && m.box
      AND ST_DWithin(ST_Scale(c.geom, m.east, m.north), m.scaled, ${distance})
    GROUP BY m.patrol_id, c.code, m.day, m.area_code`;
}

/**
 * The derived table of cells walked (patrol_cells, migrations/0011). Writes run as the owner:
 * the settler's after batches (patrolsService.settleCells), or a bulk insert's rebuild.
 */
export function patrolCellsRepository(db: Queryable) {
  return {
    /**
     * Derives the cell-days of `patrols` again, each from the minute of its `changedAt` on, after
     * fixes arrived or changed flag there (minutes are derived whole, see walkedCells), in two
     * statements however many patrols there are. Stretches ending before that minute are unchanged
     * (their fixes and flags are), so a cell-day first walked before it stays as it is; those first
     * walked from it on are worked out again, which also removes what a fix now flagged had walked.
     * `to` is past the latest possible fix time, so that the planner leaves out later partitions.
     */
    async deriveAgain(patrols: readonly { id: string; changedAt: Date }[], to: Date, distanceM: number): Promise<void> {
      if (patrols.length === 0) return;
      const minutes = patrols.map((patrol) => ({
        id: patrol.id,
        from: new Date(Math.floor(patrol.changedAt.getTime() / 60_000) * 60_000),
      }));
      await db.rows(sql`
        DELETE FROM patrol_cells c
        USING unnest(${sql.param(minutes.map((patrol) => patrol.id))}::text[],
          ${sql.param(minutes.map((patrol) => patrol.from.toISOString()))}::timestamptz[]) AS p(id, from_at)
        WHERE c.patrol_id = p.id AND c.first_at >= p.from_at`);
      const from = new Date(Math.min(...minutes.map((patrol) => patrol.from.getTime())));
      await db.rows(sql`
        INSERT INTO patrol_cells (patrol_id, cell_code, day, area_code, first_at)
        ${walkedCells({ from, to, patrols: minutes }, distanceM)}
        ON CONFLICT (patrol_id, cell_code, day) DO NOTHING`);
    },

    /**
     * Derives every patrol's cell-days of the county days from `fromDay` to `toDay` (inclusive,
     * `YYYY-MM-DD` in COVERAGE_TIME_ZONE) again from the stored positions: what a bulk insert of
     * fixes (the demo's history) calls once at the end, instead of one derivation per batch.
     * Returns the number of cell-days written.
     */
    async rebuildDays(fromDay: string, toDay: string, distanceM: number): Promise<number> {
      const start = countyMidnight(fromDay);
      const end = new Date(countyMidnight(toDay).getTime() + 86_400_000);
      await db.rows(sql`DELETE FROM patrol_cells WHERE day BETWEEN ${fromDay}::date AND ${toDay}::date`);
      const [written] = await db.rows<{ n: number }>(sql`
        WITH written AS (
          INSERT INTO patrol_cells (patrol_id, cell_code, day, area_code, first_at)
          ${walkedCells({ from: start, to: end }, distanceM)}
          RETURNING 1)
        SELECT count(*)::int AS n FROM written`);
      return written?.n ?? 0;
    },

    /** The cells a patrol walked, on any day, as far as the handle's scope shows them. */
    async cellsWalked(patrolId: string): Promise<number> {
      const [row] = await db.rows<{ cells: number }>(
        sql`SELECT count(DISTINCT cell_code)::int AS cells FROM patrol_cells WHERE patrol_id = ${patrolId}`,
      );
      return row?.cells ?? 0;
    },
  };
}
