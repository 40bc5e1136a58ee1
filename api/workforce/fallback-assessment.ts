import type { Queryable } from '../db/client.ts';
import type { WorkerScore } from './commendations.ts';
import { workforceRepository } from './repository.ts';

/**
 * A stand-in for the review's assessment of grid workers, used until the review's engine gives one:
 * 60 × the on-time closure rate + 40 × the closure rate of the cases of the worker's grid reported
 * in the year (DESIGN.md item 6, due = cases neither rejected, cancelled nor merged). A worker whose
 * grid had no case that year has no score and is not ranked.
 */
export async function fallbackWorkerAssessment(scoped: Queryable, scopeCode: string, year: number): Promise<WorkerScore[]> {
  const from = new Date(`${year}-01-01T00:00:00+08:00`);
  const to = new Date(`${year + 1}-01-01T00:00:00+08:00`);
  const counts = await workforceRepository(scoped).caseCounts(scopeCode, from, to);
  return counts
    .filter((count) => count.due > 0)
    .map((count) => ({
      personId: count.personId,
      gridCode: count.gridCode,
      score: (60 * count.onTime) / count.due + (40 * count.closed) / count.due,
    }));
}
