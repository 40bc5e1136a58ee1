import type { Database } from '../db/client.ts';
import { planDemoHistory } from './history.ts';
import { demoRepository } from './repository.ts';

/** About 3,000 cases over five months for the full county; the small test county gets proportionally fewer. */
const CASES_PER_HOUSEHOLD = 3_000 / 250_000;
const HISTORY_DAYS = 150;

/**
 * Gives the embedded demo a past: a few thousand cases over the last five months, written in one
 * transaction, once (only while the reports table is empty, so nothing real is ever mixed in).
 * Returns how many cases it wrote.
 */
export async function ensureDemoHistory(db: Database, options: { seed: number; now?: Date }): Promise<number> {
  if ((await demoRepository(db).reportCount()) > 0) return 0;
  // Every household of the loaded county (the empty prefix), one in twenty.
  const places = await demoRepository(db).places('', 20);
  const households = places.length * 20;
  const cases = planDemoHistory(places, {
    seed: options.seed,
    now: options.now ?? new Date(),
    days: HISTORY_DAYS,
    count: Math.max(50, Math.round(households * CASES_PER_HOUSEHOLD)),
  });
  await db.transaction(async (tx) => {
    const repository = demoRepository(tx);
    if ((await repository.reportCount()) > 0) return;
    await repository.insertCases(cases);
  });
  return cases.length;
}
