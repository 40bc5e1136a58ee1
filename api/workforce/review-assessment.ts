import type { Queryable } from '../db/client.ts';
import { assessWorkers } from '../review/service.ts';
import type { WorkerScore } from './commendations.ts';

/**
 * The review's assessment of the grid workers of `scopeCode` over the Asia/Shanghai year `year`
 * (api/review: the same formulas as the areas, from their grid's cases, patrols and visits and the
 * residents' surveys of them); a worker the review gives no score is left out.
 */
export async function reviewWorkerAssessment(scoped: Queryable, scopeCode: string, year: number): Promise<WorkerScore[]> {
  const start = new Date(`${year}-01-01T00:00:00+08:00`);
  const end = new Date(`${year + 1}-01-01T00:00:00+08:00`);
  const workers = await assessWorkers(scoped, scopeCode, { areaCode: scopeCode, start, end, now: new Date() });
  return workers.flatMap((worker) =>
    worker.score === null ? [] : [{ personId: worker.personId, gridCode: worker.gridCode, score: worker.score }],
  );
}
