import type { Database, Transaction } from '../db/client.ts';
import { yieldToRequestsInBackground } from '../db/yield-to-requests.ts';
import { patrolCellsRepository } from '../patrols/cells-repository.ts';
import { planPatrolHistory } from './patrol-history.ts';
import { walkersRepository } from './walkers-repository.ts';

/** Days of past patrols the embedded demo holds. */
export const PATROL_HISTORY_DAYS = 30;
/**
 * Grids of a working day per transaction: about 30 patrols, written and their cells derived in
 * well under a tenth of a second. The embedded database runs each statement on the server's one
 * thread: a county day a transaction held every request for a second or two (and its cells derived
 * at once, two to six seconds); 8 grids a transaction made the full county's history take twice as
 * long as 24 (117 s against 68 s) for pages answered about 0.15 s sooner.
 */
const GRIDS_PER_BATCH = 24;

/**
 * Derives the cells walked (patrol_cells) by patrols just written in bulk, each from its start, in
 * the transaction that wrote them, all of them in one derivation (as the settler derives a batch's
 * patrols), so that a step of the demo's writing stays short.
 */
async function deriveWrittenCells(
  tx: Transaction,
  written: readonly { id: string; startedAt: Date; endedAt: Date }[],
  coverageDistanceM: number,
): Promise<void> {
  if (written.length === 0) return;
  const to = new Date(Math.max(...written.map((patrol) => patrol.endedAt.getTime())) + 1);
  await patrolCellsRepository(tx).deriveAgain(
    written.map((patrol) => ({ id: patrol.id, changedAt: patrol.startedAt })),
    to,
    coverageDistanceM,
  );
}

/**
 * Writes the embedded demo's 30 days of past patrols of every grid worker, as planned at `now`
 * (the same instant after a restart, so that the same patrols with the same ids come out): the day
 * partitions first, then a few grids of a working day at a time, each batch one transaction with
 * its fixes, gaps and cells walked, with a turn for waiting requests between batches. Patrols whose
 * ids are in `written` (already stored by a run that stopped half way) are left out, so a restart
 * finishes the history without doubling any of it. Stops between batches once `signal` is aborted.
 * Returns what this call wrote.
 */
export async function ensureDemoPatrolHistory(
  db: Database,
  options: { seed: number; now: Date; written: ReadonlySet<string>; coverageDistanceM: number; signal?: AbortSignal },
): Promise<{ patrols: number; fixes: number; behindGrids: number }> {
  const grounds = await walkersRepository(db).grounds('');
  const plan = planPatrolHistory(grounds, {
    seed: options.seed,
    now: options.now,
    days: PATROL_HISTORY_DAYS,
    batchGrids: GRIDS_PER_BATCH,
  });
  const repository = walkersRepository(db);
  for (const day of plan.utcDays) {
    await yieldToRequestsInBackground();
    await repository.ensureDayPartitions([day]);
  }
  const written = { patrols: 0, fixes: 0, behindGrids: plan.behindGrids.length };
  for (const planned of plan.days) {
    await yieldToRequestsInBackground();
    if (options.signal?.aborted) break;
    const batch = planned.filter((patrol) => !options.written.has(patrol.id));
    if (batch.length === 0) continue;
    written.fixes += await db.transaction(async (tx) => {
      const fixes = await walkersRepository(tx).insertHistory(batch);
      await deriveWrittenCells(tx, batch, options.coverageDistanceM);
      return fixes;
    });
    written.patrols += batch.length;
  }
  return written;
}
