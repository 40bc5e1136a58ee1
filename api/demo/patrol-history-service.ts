import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { yieldToRequests } from '../db/yield-to-requests.ts';
import { countyDay, patrolCellsRepository } from '../patrols/cells-repository.ts';
import { planPatrolHistory } from './patrol-history.ts';
import { walkersRepository } from './walkers-repository.ts';

/** Days of past patrols the embedded demo holds. */
export const PATROL_HISTORY_DAYS = 30;
const DAY_MS = 86_400_000;

/**
 * Gives the embedded demo 30 days of past patrols of every grid worker, once (only while the
 * patrols table holds none but the live demo walkers', so nothing real is ever mixed in): the day
 * partitions first, then the patrols a working day at a time, a transaction each, so that the
 * requests of a server already serving wait for one day's rows at most. A process stopped half way
 * leaves the days written so far, and a later start adds none. Returns what it wrote.
 */
export async function ensureDemoPatrolHistory(
  db: Database,
  options: { seed: number; now?: Date },
): Promise<{ patrols: number; fixes: number; behindGrids: number }> {
  const none = { patrols: 0, fixes: 0, behindGrids: 0 };
  if ((await walkersRepository(db).patrolCount()) > 0) return none;
  const grounds = await walkersRepository(db).grounds('');
  const now = options.now ?? new Date();
  const plan = planPatrolHistory(grounds, { seed: options.seed, now, days: PATROL_HISTORY_DAYS });
  await walkersRepository(db).ensureDayPartitions(plan.utcDays);
  const written = { patrols: 0, fixes: 0, behindGrids: plan.behindGrids.length };
  for (const day of plan.days) {
    await yieldToRequests();
    written.fixes += await db.transaction((tx) => walkersRepository(tx).insertHistory(day));
    written.patrols += day.length;
  }
  // The planner's statistics for the tables just filled (the embedded database has no autovacuum).
  if (written.patrols > 0) await db.rows(sql`ANALYZE patrols, patrol_positions, patrol_gaps`);
  return written;
}

/**
 * What is derived from patrols, derived again from the demo's freshly written ones (the grid
 * workers' history and the geohazard monitors' rounds, both written in bulk, not through the
 * batch path): the cells walked per county day (patrol_cells), which the coverage map and shares
 * read, from `from` to today. Returns the cell-days written.
 */
export async function deriveDemoCellDays(db: Database, from: Date, now: Date, coverageDistanceM: number): Promise<number> {
  let cellDays = 0;
  // A county day a transaction, as the history is written.
  for (
    let day = countyDay(from);
    day <= countyDay(now);
    day = countyDay(new Date(Date.parse(`${day}T12:00:00+08:00`) + DAY_MS))
  ) {
    const current = day;
    await yieldToRequests();
    cellDays += await db.transaction((tx) => patrolCellsRepository(tx).rebuildDays(current, current, coverageDistanceM));
  }
  await db.rows(sql`ANALYZE patrol_cells`);
  return cellDays;
}
