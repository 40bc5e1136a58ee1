import type { Principal } from '../app-env.ts';
import type { Database, Queryable } from '../db/client.ts';
import { enterScope, leaveScope } from '../db/scoped.ts';
import { AppError } from '../errors.ts';
import { EXCELLENT_GRID_WORKER } from '../vocabulary/workforce.ts';
import { workforceRepository } from './repository.ts';

/** A grid worker's assessment score (0-100) for a year, as the review computes it. */
export interface WorkerScore {
  personId: string;
  gridCode: string;
  score: number;
}

/**
 * Scores every grid worker of the area `scopeCode` that the handle sees for the year `year`
 * (Asia/Shanghai), from the review's formulas; a worker without a score is left out.
 */
export type WorkerAssessment = (scoped: Queryable, scopeCode: string, year: number) => Promise<WorkerScore[]>;

/** Who may commend: the commanders of the county and of a township, each among the workers of their scope. */
const COMMENDING_ROLES = new Set(['county_commander', 'township_commander']);

/**
 * Annual commendations (年度表彰) drawn from the review's scores: a commander proposes and records
 * the best `top` grid workers of their scope for a year, title 优秀网格员, with the score and rank
 * they had. Recording again is idempotent per year, person and title: a worker already commended
 * keeps the score and rank of their first commendation.
 */
export function commendationsService(owner: Database, assess: WorkerAssessment) {
  return {
    async commend(principal: Principal, year: number, top: number) {
      if (!COMMENDING_ROLES.has(principal.role)) {
        throw new AppError(403, 'commendation_not_commander', {
          zh: '只有县、乡镇指挥长可以评选优秀网格员',
          en: 'Only the county and township commanders commend grid workers',
        });
      }
      return owner.transaction(async (tx) => {
        await enterScope(tx, principal);
        const scores = await assess(tx, principal.scopeCode, year);
        await leaveScope(tx);
        const ranked = [...scores].sort((a, b) => b.score - a.score || a.personId.localeCompare(b.personId)).slice(0, top);
        const recorded = await workforceRepository(tx).insertCommendations(
          ranked.map((worker, index) => ({
            year,
            personId: worker.personId,
            title: EXCELLENT_GRID_WORKER,
            score: Math.round(worker.score * 10) / 10,
            rank: index + 1,
            areaCode: worker.gridCode,
            awardedBy: principal.accountId,
            awardedByName: principal.displayName,
          })),
        );
        await enterScope(tx, principal);
        const commendations = await workforceRepository(tx).commendations(year);
        await leaveScope(tx);
        return { year, proposed: ranked.length, recorded, commendations };
      });
    },

    /** The commendations of `year` (every year when null) in the reader's scope. */
    async list(scoped: Queryable, year: number | null) {
      return { commendations: await workforceRepository(scoped).commendations(year) };
    },
  };
}

export type CommendationsService = ReturnType<typeof commendationsService>;
