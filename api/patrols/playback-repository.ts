import { type SQL, sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.ts';
import { isoTime } from '../db/iso-time.ts';
import { EARLY_FIX_SLACK_MS } from './repository.ts';

/** What a day's playback reads: an area (a code prefix), the day's bounds, optionally some workers only. */
export interface PlaybackWindow {
  areaCode: string;
  /** The day's first instant (00:00 Asia/Shanghai) and the next day's. */
  from: Date;
  to: Date;
  /** Account ids, or null for every worker in the area. */
  workerIds: readonly string[] | null;
}

/**
 * One patrol's valid fixes of the day as one bytea: 12 bytes a fix, three big-endian int4s
 * (lng and lat in millionths of a degree, milliseconds since `from`), in no set order.
 */
export interface PlaybackPatrolRow {
  patrolId: string;
  workerId: string;
  workerName: string;
  workerRole: string;
  areaCode: string;
  fixes: Uint8Array;
}

export interface PlaybackGapRow {
  patrolId: string;
  startedAt: string;
  endedAt: string;
  cause: string;
}

/**
 * The valid fixes of the window: its area by the (area_code, fixed_at) index, its day's partitions,
 * no flagged fix. Some workers only: their patrols that reach into the day, as an array, so that
 * the planner probes the (patrol_id, fixed_at) index for those few instead of scanning the day
 * (a semi-join on the worker's patrols of every day made one worker's day a scan of 2.8 million
 * rows, 2 s; this way 35 ms).
 */
function validFixesOf(window: PlaybackWindow): SQL {
  const from = sql`${window.from.toISOString()}::timestamptz`;
  const to = sql`${window.to.toISOString()}::timestamptz`;
  const workers =
    window.workerIds === null
      ? sql``
      : sql`AND patrol_id = ANY(ARRAY(
          SELECT id FROM patrols WHERE worker_id IN (${sql.join(
            window.workerIds.map((id) => sql`${id}`),
            sql`, `,
          )})
            AND started_at < ${to} + ${EARLY_FIX_SLACK_MS} * interval '1 millisecond'
            AND greatest(started_at, ended_at, last_fix_at) >= ${from}))`;
  return sql`area_code LIKE ${`${window.areaCode}%`}
    AND fixed_at >= ${from} AND fixed_at < ${to}
    AND NOT poor_accuracy AND NOT jump ${workers}`;
}

/**
 * The raw SQL that reads a day's playback rows, one row a valid fix, as a client would without
 * the server: the floor the bench measures the playback route against (tests/bench/patrol-playback.ts).
 */
export function playbackRowsQuery(window: PlaybackWindow): SQL {
  return sql`SELECT patrol_id, fixed_at, ST_X(location) AS lng, ST_Y(location) AS lat
    FROM patrol_positions WHERE ${validFixesOf(window)}`;
}

/**
 * The playback read: the same rows, packed per patrol in the database (12 bytes a fix, see
 * PlaybackPatrolRow) so that a county day crosses to Node as a few hundred values instead of
 * millions of rows, joined to the patrol for the worker's name. The fixes are packed unordered
 * and sorted per patrol in Node: an ORDER BY inside the aggregate made PostgreSQL walk the day
 * in patrol order by the (patrol_id, fixed_at) index, one heap page per fix (22 s for a county
 * day of 3.2 million fixes, against 11 s for a scan of the day and a hash aggregate). The day's
 * rows are read first, as a materialized step, for the same reason: grouped straight from the
 * table, the planner may read the day in patrol order by the primary key just as well (on the
 * 50-million-fix bench, whose days were loaded sorted, it chose to, and a county day ran for over
 * 20 minutes; read first, 5.5 s). Each patrol is then looked up by its key: under row-level
 * security the planner misjudged the grouped rows and joined the patrols table by a nested loop
 * (67 million comparisons, 16 s for a day of 2,900 patrols).
 */
export function playbackQuery(window: PlaybackWindow): SQL {
  const from = window.from.getTime() / 1000;
  return sql`
    WITH day AS MATERIALIZED (
      SELECT patrol_id,
        int4send(round(ST_X(location) * 1e6)::int) || int4send(round(ST_Y(location) * 1e6)::int)
          || int4send(floor((extract(epoch FROM fixed_at) - ${from}::float8) * 1000)::int) AS fix
      FROM patrol_positions WHERE ${validFixesOf(window)})
    SELECT f.patrol_id AS "patrolId", p.worker_id AS "workerId", p.worker_name AS "workerName",
      p.worker_role AS "workerRole", p.area_code AS "areaCode", f.fixes
    FROM (SELECT patrol_id, string_agg(fix, ''::bytea) AS fixes FROM day GROUP BY patrol_id) f
    CROSS JOIN LATERAL (SELECT worker_id, worker_name, worker_role, area_code FROM patrols WHERE id = f.patrol_id LIMIT 1) p
    ORDER BY p.worker_name, p.worker_id, f.patrol_id`;
}

/** Fixes of `patrol` (an alias of patrols) that playback draws, before `before`: the newest one's time, as `at`. */
function lastDrawnFix(patrol: SQL, before: SQL): SQL {
  return sql`(SELECT max(fixed_at) AS at FROM patrol_positions
    WHERE patrol_id = ${patrol}.id AND NOT poor_accuracy AND NOT jump AND fixed_at < ${before})`;
}

/** A day's playback of an area, read through whichever handle is given (a scoped one cuts it to the reader). */
export function playbackRepository(db: Queryable) {
  return {
    /**
     * The time of the newest fix playback would draw (valid, before `before`) in the area, of
     * the workers if named, as far as the handle's scope shows; null when there is none. A
     * patrol's fixes lie before its reach (the latest of its start, end and newest fix, kept by
     * the batch path), so the patrols are taken newest reach first (the newest 64, all only when
     * none of those has one) and the fixes looked up by the (patrol_id, fixed_at) index: the first
     * patrol with a drawn fix gives a time, and only the patrols reaching past it can hold a later
     * one. A few index probes, not a scan of the fixes: 0.1 s for the full county's demo month
     * (probing every patrol in one go, as the planner chose without the 64, took 2.6 s).
     */
    async latestDrawnFixAt(scope: Pick<PlaybackWindow, 'areaCode' | 'workerIds'>, before: Date): Promise<string | null> {
      const until = sql`${before.toISOString()}::timestamptz`;
      const workers =
        scope.workerIds === null
          ? sql``
          : sql`AND worker_id IN (${sql.join(
              scope.workerIds.map((id) => sql`${id}`),
              sql`, `,
            )})`;
      const [row] = await db.rows<{ at: string | null }>(sql`
        WITH reach AS MATERIALIZED (
          SELECT id, greatest(started_at, ended_at, last_fix_at) AS reach FROM patrols
          WHERE area_code LIKE ${`${scope.areaCode}%`}
            AND started_at < ${until} + ${EARLY_FIX_SLACK_MS} * interval '1 millisecond' ${workers}),
        newest AS MATERIALIZED (SELECT id, reach FROM reach ORDER BY reach DESC LIMIT 64),
        first AS MATERIALIZED (
          SELECT coalesce(
            (SELECT last.at FROM newest p CROSS JOIN LATERAL ${lastDrawnFix(sql`p`, until)} last
             WHERE last.at IS NOT NULL ORDER BY p.reach DESC LIMIT 1),
            (SELECT last.at FROM reach p CROSS JOIN LATERAL ${lastDrawnFix(sql`p`, until)} last
             WHERE last.at IS NOT NULL ORDER BY p.reach DESC LIMIT 1)) AS at),
        later AS MATERIALIZED (SELECT p.id FROM reach p, first WHERE p.reach >= first.at)
        SELECT ${isoTime(sql`max(last.at)`)} AS at
        FROM later p CROSS JOIN LATERAL ${lastDrawnFix(sql`p`, until)} last`);
      return row?.at ?? null;
    },

    patrols(window: PlaybackWindow): Promise<PlaybackPatrolRow[]> {
      return db.rows<PlaybackPatrolRow>(playbackQuery(window));
    },

    /** The gaps of the given patrols that overlap the day. */
    gaps(window: PlaybackWindow, patrolIds: readonly string[]): Promise<PlaybackGapRow[]> {
      if (patrolIds.length === 0) return Promise.resolve([]);
      return db.rows<PlaybackGapRow>(sql`
        SELECT patrol_id AS "patrolId", ${isoTime(sql`started_at`)} AS "startedAt", ${isoTime(sql`ended_at`)} AS "endedAt", cause
        FROM patrol_gaps
        WHERE area_code LIKE ${`${window.areaCode}%`} AND patrol_id IN (${sql.join(
          patrolIds.map((id) => sql`${id}`),
          sql`, `,
        )})
          AND started_at < ${window.to.toISOString()}::timestamptz AND ended_at >= ${window.from.toISOString()}::timestamptz
        ORDER BY patrol_id, started_at`);
    },
  };
}
