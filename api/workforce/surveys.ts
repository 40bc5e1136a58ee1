import type { Principal } from '../app-env.ts';
import { type AuditContext, recordRead } from '../audit/service.ts';
import type { Database, Queryable } from '../db/client.ts';
import { enterScope, leaveScope } from '../db/scoped.ts';
import { AppError, badRequest, notFound } from '../errors.ts';
import { type SurveyRow, workforceRepository } from './repository.ts';
import { shanghaiYear } from './service.ts';

/** A survey stamped further ahead than this (ms) is refused: the phone's clock is wrong. */
const FUTURE_SLACK_MS = 10 * 60_000;
/** How far back (days) a survey may be sent: a phone offline for weeks still sends. */
const MAX_SURVEY_AGE_DAYS = 30;
/** A page of households to survey: by code after `after`, those whose code or address holds `q`. */
export interface HouseholdPage {
  q: string | null;
  after: string | null;
  limit: number;
}

export interface SurveyInput {
  clientId: string;
  householdCode: string;
  score: number;
  comment: string;
  surveyedAt: Date;
}

const sameSurvey = (row: SurveyRow, input: SurveyInput) =>
  row.householdCode === input.householdCode && row.score === input.score && row.comment === input.comment;

const clientIdConflict = (clientId: string) =>
  new AppError(
    409,
    'survey_client_id_conflict',
    { zh: '该调查编号已用于另一条内容不同的调查，未重复登记', en: 'This client id was used for a different survey' },
    { clientId },
  );

const surveyView = (row: SurveyRow) => ({
  id: row.id,
  clientId: row.clientId,
  personId: row.personId,
  workerName: row.workerName,
  householdCode: row.householdCode,
  areaCode: row.areaCode,
  score: row.score,
  comment: row.comment,
  collectedByName: row.collectedByName,
  surveyedAt: row.surveyedAt,
});

/**
 * Residents' satisfaction surveys of their grid worker (满意度调查): an informant records one for a
 * household of their cell, a grid chief or township commander one taken by phone for a household of
 * their scope. The worker rated is the grid worker of the household's grid. Idempotent by the
 * phone's client id: a retry gets the stored survey back, one with other content is refused (409).
 */
export function workerSurveysService(owner: Database, options: { now?: () => Date } = {}) {
  const now = options.now ?? (() => new Date());

  function checkTime(surveyedAt: Date) {
    const at = now().getTime();
    if (surveyedAt.getTime() > at + FUTURE_SLACK_MS) {
      throw badRequest('survey_in_future', {
        zh: '调查时间晚于当前时间：请检查手机的日期和时间',
        en: 'The survey is stamped in the future: check the phone’s date and time',
      });
    }
    if (surveyedAt.getTime() < at - MAX_SURVEY_AGE_DAYS * 86_400_000) {
      throw badRequest('survey_too_old', {
        zh: `调查时间早于${MAX_SURVEY_AGE_DAYS}天前，无法补录`,
        en: `The survey is more than ${MAX_SURVEY_AGE_DAYS} days old`,
      });
    }
  }

  return {
    async record(principal: Principal, input: SurveyInput) {
      return owner.transaction(async (tx) => {
        const repository = workforceRepository(tx);
        const existing = await repository.surveyByClient(principal.accountId, input.clientId);
        if (existing) {
          if (!sameSurvey(existing, input)) throw clientIdConflict(input.clientId);
          return { created: false, survey: surveyView(existing) };
        }
        checkTime(input.surveyedAt);
        await enterScope(tx, principal);
        const household = await repository.household(input.householdCode);
        await leaveScope(tx);
        if (!household) {
          throw notFound(
            'household_not_found',
            { zh: '找不到该户，或不在您的管辖范围', en: 'No such household in your scope' },
            { householdCode: input.householdCode },
          );
        }
        const gridCode = household.cellCode.slice(0, 15);
        const worker = (await repository.gridWorkers([gridCode])).get(gridCode);
        if (!worker) {
          throw new AppError(
            409,
            'grid_without_worker',
            { zh: '该户所在网格暂无网格员，无法调查', en: 'The household’s grid has no grid worker' },
            { gridCode },
          );
        }
        const inserted = await repository.insertSurvey({
          personId: worker.personId,
          areaCode: household.cellCode,
          householdCode: household.code,
          score: input.score,
          comment: input.comment,
          collectedBy: principal.accountId,
          collectedByName: principal.displayName,
          clientId: input.clientId,
          surveyedAt: input.surveyedAt,
        });
        // A retry that raced this one stored it first: answer as a retry does.
        const row = await repository.surveyByClient(principal.accountId, input.clientId);
        if (!row) throw new Error(`survey ${input.clientId} of ${principal.accountId} neither stored nor found`);
        if (!inserted && !sameSurvey(row, input)) throw clientIdConflict(input.clientId);
        return { created: inserted, survey: surveyView(row) };
      });
    },

    /**
     * A page of the households the caller may survey (their scope, by code, keyset after `after`; a
     * search by code or address), each with its grid's worker and whether the caller surveyed it this
     * year; `total` counts every household of the search, `next` is the `after` of the next page (null
     * on the last). Audited: addresses are personal data.
     */
    async households(scoped: Queryable, context: AuditContext, page: HouseholdPage) {
      const since = new Date(`${shanghaiYear(now())}-01-01T00:00:00+08:00`);
      const repository = workforceRepository(scoped);
      const fetched = await repository.surveyHouseholds(context.principal.accountId, since, { ...page, limit: page.limit + 1 });
      const total = await repository.countSurveyHouseholds(page.q);
      const rows = fetched.slice(0, page.limit);
      const workers = await workforceRepository(owner).gridWorkers([...new Set(rows.map((row) => row.cellCode.slice(0, 15)))]);
      await recordRead(owner, context, {
        action: 'workforce.survey_households_read',
        targetType: 'household',
        targetId: 'survey',
        scopeCode: context.principal.scopeCode,
        details: { households: rows.length, q: page.q, after: page.after },
      });
      return {
        households: rows.map((row) => {
          const worker = workers.get(row.cellCode.slice(0, 15));
          return { ...row, workerId: worker?.personId ?? null, workerName: worker?.name ?? null };
        }),
        total,
        limit: page.limit,
        next: fetched.length > page.limit ? (rows.at(-1)?.code ?? null) : null,
      };
    },
  };
}

export type WorkerSurveysService = ReturnType<typeof workerSurveysService>;
