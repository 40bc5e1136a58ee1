import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { planDemoHistory } from './history.ts';
import { planDemoEvaluations, planDemoWorkforce } from './people-history.ts';
import { demoPeopleRepository } from './people-repository.ts';
import { demoRepository } from './repository.ts';

/** About 7,300 cases over the year for the full county (about 20 a day); the small test county gets proportionally fewer. */
const CASES_PER_HOUSEHOLD = 7_300 / 250_000;
/** A full year, so that the review's trends and seasons (geohazards in the rainy season) show. */
const HISTORY_DAYS = 365;

/**
 * Gives the embedded demo a past: a few thousand cases over the last year with their three-party
 * evaluations, and the grid workers' certificates, trainings and residents' surveys, written in one
 * transaction, once (only while the reports table is empty, so nothing real is ever mixed in).
 * Returns how many cases it wrote.
 */
export async function ensureDemoHistory(db: Database, options: { seed: number; now?: Date }): Promise<number> {
  if ((await demoRepository(db).reportCount()) > 0) return 0;
  const now = options.now ?? new Date();
  // Every household of the loaded county (the empty prefix), one in twenty.
  const places = await demoRepository(db).places('', 20);
  const households = places.length * 20;
  const cases = planDemoHistory(places, {
    seed: options.seed,
    now,
    days: HISTORY_DAYS,
    count: Math.max(50, Math.round(households * CASES_PER_HOUSEHOLD)),
  });
  const evaluations = planDemoEvaluations(cases, { seed: options.seed, now });
  const workforce = planDemoWorkforce(await demoPeopleRepository(db).workers(), { seed: options.seed, now, days: HISTORY_DAYS });
  await db.transaction(async (tx) => {
    const repository = demoRepository(tx);
    if ((await repository.reportCount()) > 0) return;
    await repository.insertCases(cases);
    await demoPeopleRepository(tx).insertEvaluations(evaluations);
    await demoPeopleRepository(tx).insertWorkforce(workforce);
  });
  // The embedded database has no autovacuum: without statistics on a year of cases, the review's
  // statements were planned for empty tables and ran for minutes (the review bench hung so).
  for (const table of ['reports', 'case_steps', 'case_evaluations', 'worker_credentials', 'worker_trainings', 'worker_surveys']) {
    await db.rows(sql.raw(`ANALYZE ${table}`));
  }
  return cases.length;
}
