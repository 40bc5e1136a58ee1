import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { yieldToRequestsInBackground } from '../db/yield-to-requests.ts';
import { specialPopulationsRepository } from '../special-populations/repository.ts';
import { planSpecialRegister, REGISTER_HISTORY_DAYS } from './special-register.ts';
import { specialRegisterRepository } from './special-register-repository.ts';

/** Entries per transaction: about a thousand visits, a few tens of milliseconds on the embedded database. */
const ENTRIES_PER_BATCH = 100;

/** Where the embedded demo's register stands: being written, written (or nothing to write), or failed. */
export const DEMO_REGISTER_STATES = ['writing', 'written', 'failed'] as const;
export type DemoRegisterState = (typeof DEMO_REGISTER_STATES)[number];

/**
 * The embedded demo's register of special populations with a year of past visits (api/demo/special-register.ts),
 * each entry's due day computed by the registers' own arithmetic. Written once the server is ready,
 * a hundred entries a transaction with a turn for waiting requests between them. Written once: the
 * first start that finds the registers empty plans at its instant (kept in dataset_meta); a start
 * after one that stopped half way plans at the same instant and writes only the entries not yet
 * stored; a data set with entries of its own gets none. Returns the line to log, or null.
 */
export async function writeDemoRegister(
  db: Database,
  options: { seed: number; now?: Date; signal?: AbortSignal; entriesPerBatch?: number },
): Promise<string | null> {
  const started = performance.now();
  const repository = specialRegisterRepository(db);
  await yieldToRequestsInBackground();
  let progress = await repository.progress();
  if (progress?.writtenAt) return null;
  const stored = await repository.entryIds();
  if (!progress) {
    if (stored.size > 0) return null;
    progress = { plannedAt: (options.now ?? new Date()).toISOString() };
    await repository.recordProgress(progress);
  }
  const [households, visitors] = await Promise.all([repository.households(), repository.visitors()]);
  await yieldToRequestsInBackground();
  const plan = planSpecialRegister(households, visitors, { seed: options.seed, now: new Date(progress.plannedAt) });
  const waiting = plan.entries.filter((entry) => !stored.has(entry.id));
  let visits = 0;
  const batchSize = options.entriesPerBatch ?? ENTRIES_PER_BATCH;
  for (let start = 0; start < waiting.length; start += batchSize) {
    await yieldToRequestsInBackground();
    if (options.signal?.aborted) return null;
    const batch = waiting.slice(start, start + batchSize);
    visits += await db.transaction(async (tx) => {
      const written = await specialRegisterRepository(tx).insertEntries(batch);
      await specialPopulationsRepository(tx).recomputeFollowUps(batch.map((entry) => entry.id));
      return written;
    });
  }
  for (const table of ['special_people', 'special_person_states', 'special_visits']) {
    await yieldToRequestsInBackground();
    await db.rows(sql.raw(`ANALYZE ${table}`));
  }
  await repository.recordProgress({ ...progress, writtenAt: new Date().toISOString() });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  return (
    `demo register: ${waiting.length} entries of special populations, ${visits} visits over the last ${REGISTER_HISTORY_DAYS} days ` +
    `(${plan.behindGrids.length} grids behind), written in ${seconds} s`
  );
}
