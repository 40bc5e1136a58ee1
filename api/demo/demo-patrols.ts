import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { yieldToRequestsInBackground } from '../db/yield-to-requests.ts';
import { ensureGeohazardDemo } from '../geohazards/demo.ts';
import { patrolsRepository } from '../patrols/repository.ts';
import { ensureDemoPatrolHistory, PATROL_HISTORY_DAYS } from './patrol-history-service.ts';
import { walkersRepository } from './walkers-repository.ts';

/** Where the embedded demo's past patrols stand: being written, written (or nothing to write), or failed. */
export const DEMO_PATROLS_STATES = ['writing', 'written', 'failed'] as const;
export type DemoPatrolsState = (typeof DEMO_PATROLS_STATES)[number];

/**
 * The embedded demo's past patrols: 30 days of the grid workers' patrols, then the geohazard
 * register with 30 days of its monitors' rounds, each patrol with the cells it walked. Written once
 * the server is ready (a minute or two of a first start on the full county) in small steps, a few
 * grids' or rounds' worth a transaction with a turn for waiting requests between them, so that
 * pages keep answering meanwhile.
 *
 * Written once: the first start that finds no patrol but the live demo walkers' records in
 * dataset_meta the instant it plans at (a data set with patrols of its own gets none, so nothing
 * real is mixed in); a start after one that stopped half way plans at that same instant and writes
 * only the patrols not yet stored, and once all are written the record says so and later starts
 * write nothing. Stops between steps once `signal` is aborted (the server shutting down).
 * Returns the line to log, or null when there was nothing to write.
 */
export async function writeDemoPatrols(
  db: Database,
  options: { seed: number; coverageDistanceM: number; now?: Date; signal?: AbortSignal },
): Promise<string | null> {
  const started = performance.now();
  const repository = walkersRepository(db);
  await yieldToRequestsInBackground();
  let progress = await repository.demoPatrolsProgress();
  if (progress?.writtenAt) return null;
  if (!progress) {
    if ((await repository.patrolCount()) > 0) return null;
    progress = { plannedAt: (options.now ?? new Date()).toISOString() };
    await repository.recordDemoPatrolsProgress(progress);
  }
  const plan = {
    seed: options.seed,
    now: new Date(progress.plannedAt),
    written: await repository.bulkWrittenPatrolIds(),
    coverageDistanceM: options.coverageDistanceM,
    signal: options.signal,
  };
  const resumed = plan.written.size > 0;
  const history = await ensureDemoPatrolHistory(db, plan);
  const watch = await ensureGeohazardDemo(db, plan);
  if (options.signal?.aborted) return null;
  // The planner's statistics for the tables just filled (the embedded database has no autovacuum), a
  // table at a time and the positions a day partition at a time: all of them at once took 5 s.
  // (ANALYZE ONLY: PostgreSQL 17 on, as the embedded database is; PostgreSQL 15 analyses the partitions again.)
  const partitions = await patrolsRepository(db).partitions();
  const parent = db.engine === 'pglite' ? 'ONLY patrol_positions' : 'patrol_positions';
  for (const table of ['patrols', 'patrol_gaps', 'patrol_cells', ...partitions, parent]) {
    await yieldToRequestsInBackground();
    await db.rows(sql.raw(`ANALYZE ${table}`));
  }
  await repository.recordDemoPatrolsProgress({ ...progress, writtenAt: new Date().toISOString() });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  return (
    `demo patrols: ${history.patrols} patrols, ${history.fixes} fixes over the last ${PATROL_HISTORY_DAYS} days ` +
    `(${history.behindGrids} grids behind); geohazard watch: ${watch.points} points, ${watch.rounds} rounds ` +
    `(${watch.fixes} fixes), each with its cells walked; ${resumed ? 'finished (a start before had written part)' : 'written'} ` +
    `in ${seconds} s after ready`
  );
}
