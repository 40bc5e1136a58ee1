import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { countyDay, patrolCellsRepository } from '../patrols/cells-repository.ts';
import { planPatrolHistory } from './patrol-history.ts';
import { walkersRepository } from './walkers-repository.ts';

/** Days of past patrols the embedded demo holds. */
export const PATROL_HISTORY_DAYS = 30;

/**
 * Gives the embedded demo 30 days of past patrols of every grid worker, once (only while the
 * patrols table is empty, so nothing real is ever mixed in): the day partitions first, then the
 * patrols a working day at a time, all in one transaction. Returns what it wrote.
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
  const written = await db.transaction(async (tx) => {
    const repository = walkersRepository(tx);
    if ((await repository.patrolCount()) > 0) return none;
    await repository.ensureDayPartitions(plan.utcDays);
    let patrols = 0;
    let fixes = 0;
    for (const day of plan.days) {
      patrols += day.length;
      fixes += await repository.insertHistory(day);
    }
    return { patrols, fixes, behindGrids: plan.behindGrids.length };
  });
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
  const cellDays = await db.transaction((tx) =>
    patrolCellsRepository(tx).rebuildDays(countyDay(from), countyDay(now), coverageDistanceM),
  );
  await db.rows(sql`ANALYZE patrol_cells`);
  return cellDays;
}
