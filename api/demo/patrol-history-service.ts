import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
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
  const plan = planPatrolHistory(grounds, { seed: options.seed, now: options.now ?? new Date(), days: PATROL_HISTORY_DAYS });
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
  if (written.patrols > 0) await afterHistorySeeded(db);
  return written;
}

/**
 * What follows a freshly written patrol history: the planner's statistics for the tables just
 * filled (the embedded database has no autovacuum), and the place where data derived from
 * patrols is rebuilt from them (cells walked per day: the coverage capability's rebuild is to be
 * called here once it lands). Exported for that call site's owner.
 *
 * @public
 */
export async function afterHistorySeeded(db: Database): Promise<void> {
  await db.rows(sql`ANALYZE patrols, patrol_positions, patrol_gaps`);
}
