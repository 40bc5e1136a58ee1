import { sql } from 'drizzle-orm';
import type { RandomStream } from '../../geo/seeded-random.ts';
import type { Database } from '../db/client.ts';
import { LIVE_APPEND_LOCK } from '../live/events.ts';

/** How often the simulated phones' stamps that fell due are written (one statement each time). */
const TICK_MS = 2_000;

/** When one simulated target reaches each stage, in ms after dispatch (null: never, a laggard). */
interface SimulatedWay {
  id: number;
  delivered: number | null;
  read: number | null;
  acknowledged: number | null;
  done: number | null;
}

/** A draw from an exponential distribution of mean `mean`, capped at `cap`. */
const exponential = (random: RandomStream, mean: number, cap: number) => Math.min(cap, -mean * Math.log(1 - random.next()));

/** Whole milliseconds, as timestamps keep them. */
const ms = (value: number) => Math.round(value);

/**
 * How a county's informants answer a notice, as the source study tells it: most phones fetch it
 * within the first minute or two, people open it a little later and acknowledge within a few
 * minutes; a few phones are off (never delivered) and a few people read it and do nothing (the
 * laggards a reminder and the escalation are for). A notice is done at its acknowledgement; a
 * collection a minute or two later, when the form is sent. `speed` divides every delay (a test runs fast).
 */
export function simulatedWays(
  targetIds: readonly number[],
  kind: 'notice' | 'collection',
  random: RandomStream,
  speed = 1,
): SimulatedWay[] {
  return targetIds.map((id) => {
    const roll = random.next();
    const delivered = ms((3_000 + exponential(random, 40_000, 240_000)) / speed);
    if (roll < 0.02) return { id, delivered: null, read: null, acknowledged: null, done: null };
    const read = delivered + ms((5_000 + exponential(random, 45_000, 180_000)) / speed);
    if (roll < 0.05) return { id, delivered, read, acknowledged: null, done: null };
    const acknowledged = read + ms((5_000 + exponential(random, 60_000, 240_000)) / speed);
    const done = kind === 'notice' ? acknowledged : acknowledged + ms((30_000 + exponential(random, 60_000, 180_000)) / speed);
    return { id, delivered, read, acknowledged, done };
  });
}

/**
 * Writes the stamps of `ways` that fall due by `now` (and were not written before) in one
 * statement, as the owner: each target's stamps only move forward, and a `task.target` event with
 * its new state goes to its cell or grid, as a real phone's would. The number of targets moved.
 */
export async function applyDueStamps(
  db: Database,
  taskId: string,
  dispatchedAt: Date,
  ways: readonly SimulatedWay[],
  now: Date,
): Promise<number> {
  const elapsed = now.getTime() - dispatchedAt.getTime();
  const stamp = (ms: number | null) =>
    ms !== null && ms <= elapsed ? new Date(dispatchedAt.getTime() + ms).toISOString() : null;
  const due = ways.filter((way) => way.delivered !== null && way.delivered <= elapsed);
  if (due.length === 0) return 0;
  const column = (pick: (way: SimulatedWay) => number | null) => sql.param(due.map((way) => stamp(pick(way))));
  const [row] = await db.transaction((tx) =>
    tx.rows<{ n: number }>(sql`
      WITH due AS (
        SELECT * FROM unnest(${sql.param(due.map((way) => way.id))}::bigint[], ${column((way) => way.delivered)}::timestamptz[],
          ${column((way) => way.read)}::timestamptz[], ${column((way) => way.acknowledged)}::timestamptz[],
          ${column((way) => way.done)}::timestamptz[]) AS d(id, delivered_at, read_at, acknowledged_at, done_at)
      ), moved AS (
        UPDATE task_targets t SET delivered_at = coalesce(t.delivered_at, d.delivered_at), read_at = coalesce(t.read_at, d.read_at),
          acknowledged_at = coalesce(t.acknowledged_at, d.acknowledged_at), done_at = coalesce(t.done_at, d.done_at)
        FROM due d
        WHERE t.id = d.id AND t.task_id = ${taskId}
          AND ((t.delivered_at IS NULL AND d.delivered_at IS NOT NULL) OR (t.read_at IS NULL AND d.read_at IS NOT NULL)
            OR (t.acknowledged_at IS NULL AND d.acknowledged_at IS NOT NULL) OR (t.done_at IS NULL AND d.done_at IS NOT NULL))
        RETURNING t.id, t.area_code, t.department_code,
          CASE WHEN t.done_at IS NOT NULL THEN 'done' WHEN t.acknowledged_at IS NOT NULL THEN 'acknowledged'
            WHEN t.read_at IS NOT NULL THEN 'read' ELSE 'delivered' END AS state,
          greatest(t.delivered_at, t.read_at, t.acknowledged_at, t.done_at) AS at
      ), events AS (
        INSERT INTO live_events (type, scope_code, payload, department_codes)
        SELECT 'task.target', m.area_code,
          jsonb_build_object('taskId', ${taskId}::text, 'targetId', m.id, 'areaCode', m.area_code, 'state', m.state,
            'at', to_char(m.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
          CASE WHEN m.department_code IS NULL THEN '{}'::text[] ELSE ARRAY[m.department_code] END
        FROM moved m, (SELECT pg_current_xact_id(), pg_advisory_xact_lock_shared(${LIVE_APPEND_LOCK}::bigint)) AS held
        ORDER BY m.id
        RETURNING id
      )
      SELECT (SELECT count(*) FROM moved)::int AS n, (SELECT count(*) FROM events)::int AS events`),
  );
  return row?.n ?? 0;
}

/**
 * Plays the simulated phones of a drill task: every TICK_MS the stamps that fell due are written,
 * until every way is played out (or `stop` is called, or the database closes). Returns `stop`.
 */
export function playSimulatedInformants(
  db: Database,
  taskId: string,
  dispatchedAt: Date,
  ways: readonly SimulatedWay[],
  onError: (error: unknown) => void = (error) => console.error('drill task informants failed:', error),
): () => void {
  const last = Math.max(0, ...ways.flatMap((way) => [way.delivered, way.read, way.acknowledged, way.done]).map((ms) => ms ?? 0));
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    const now = new Date();
    applyDueStamps(db, taskId, dispatchedAt, ways, now)
      .then(() => {
        if (now.getTime() - dispatchedAt.getTime() > last) stop();
      })
      .catch((error: unknown) => {
        stop();
        onError(error);
      })
      .finally(() => {
        running = false;
      });
  }, TICK_MS);
  timer.unref();
  const forget = db.onClose(async () => stop());
  function stop() {
    clearInterval(timer);
    forget();
  }
  return stop;
}
