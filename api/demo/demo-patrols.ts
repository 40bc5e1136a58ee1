import type { Database } from '../db/client.ts';
import { yieldToRequests } from '../db/yield-to-requests.ts';
import { ensureGeohazardDemo } from '../geohazards/demo.ts';
import { deriveDemoCellDays, ensureDemoPatrolHistory, PATROL_HISTORY_DAYS } from './patrol-history-service.ts';

/** Where the embedded demo's past patrols stand: being written, written (or nothing to write), or failed. */
export const DEMO_PATROLS_STATES = ['writing', 'written', 'failed'] as const;
export type DemoPatrolsState = (typeof DEMO_PATROLS_STATES)[number];

/**
 * The embedded demo's past patrols: 30 days of the grid workers' patrols, the geohazard register
 * with 30 days of its monitors' rounds, then the cells walked per day derived from both. Written
 * once the server is ready (it took a minute of a first start on the full county), a day or a
 * few hundred rounds a transaction, so requests meanwhile wait for one such step at most. Each
 * part is written only into an empty table (see its function), so a restart never doubles it.
 * Returns the line to log, or null when there was nothing to write.
 */
export async function writeDemoPatrols(
  db: Database,
  options: { seed: number; coverageDistanceM: number; now?: Date },
): Promise<string | null> {
  const started = performance.now();
  const now = options.now ?? new Date();
  await yieldToRequests();
  const history = await ensureDemoPatrolHistory(db, { seed: options.seed, now });
  await yieldToRequests();
  const watch = await ensureGeohazardDemo(db, { seed: options.seed, now });
  if (history.patrols === 0 && watch.rounds === 0) return null;
  const cellDays = await deriveDemoCellDays(
    db,
    new Date(now.getTime() - PATROL_HISTORY_DAYS * 86_400_000),
    now,
    options.coverageDistanceM,
  );
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  return (
    `demo patrols: ${history.patrols} patrols, ${history.fixes} fixes over the last ${PATROL_HISTORY_DAYS} days ` +
    `(${history.behindGrids} grids behind); geohazard watch: ${watch.points} points, ${watch.rounds} rounds ` +
    `(${watch.fixes} fixes); ${cellDays} cell-days walked; written in ${seconds} s after ready`
  );
}
