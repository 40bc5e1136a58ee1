import type { Principal } from '../app-env.ts';
import { authRepository } from '../auth/repository.ts';
import type { RequestOrigin } from '../auth/service.ts';
import type { Database, Queryable, Transaction } from '../db/client.ts';
import { enterScope, leaveScope } from '../db/scoped.ts';
import { sqlFailureOf } from '../db/sql-state.ts';
import { AppError, notFound } from '../errors.ts';
import { appendLiveEvent } from '../live/events.ts';
import { isCaseState } from '../vocabulary/case-states.ts';
import type { StepKind } from '../vocabulary/case-timeline.ts';
import { type ActionInput, planOf } from './action-plans.ts';
import type { ActionResult, CaseDetail, CaseSummary } from './contracts.ts';
import { clockOf, type Light, lightOf } from './light.ts';
import { type CaseChanges, type CaseFilter, type CaseRow, type CaseSort, casesRepository } from './repository.ts';
import { liveCaseOf, photoIdsIn, readerStepView, stepView } from './step-view.ts';
import { caseStepsRepository, type StepRow } from './steps-repository.ts';
import { type Actor, authorize, type CaseFacts, nextActions } from './workflow.ts';

export interface CaseListQuery extends Omit<CaseFilter, 'ids' | 'hasClock'> {
  light?: Light | undefined;
  sort: CaseSort;
  order: 'asc' | 'desc';
}

/** The most rows one export holds; a narrower filter gets the rest. */
const EXPORT_LIMIT = 50_000;

const caseNotFound = (id: string) =>
  notFound(
    'case_not_found',
    { zh: '找不到该案件，或不在您的管辖范围内', en: 'No such case, or it is outside your scope' },
    { id },
  );

const staleCase = (current: number, sent: number) =>
  new AppError(
    409,
    'stale_case',
    {
      zh: '案件已被他人更新，请刷新后重试',
      en: 'Someone changed the case in the meantime; reload it and try again',
    },
    { currentVersion: current, sentVersion: sent },
  );

/** The principal as the workflow sees it; a cadre's department is read fresh (see departmentOf). */
export async function actorOf(q: Queryable, principal: Principal): Promise<Actor> {
  const departmentCode =
    principal.role === 'department_cadre' ? await casesRepository(q).departmentOf(principal.accountId) : null;
  return { accountId: principal.accountId, role: principal.role, scopeCode: principal.scopeCode, departmentCode };
}

export function factsOf(row: CaseRow): CaseFacts {
  if (!isCaseState(row.state)) throw new Error(`case ${row.id} is in an unknown state: ${row.state}`);
  return {
    state: row.state,
    townshipCode: row.townshipCode,
    responsibleLevel: row.responsibleLevel,
    assignedTownshipCode: row.assignedTownshipCode,
    assignedDepartmentCode: row.assignedDepartmentCode,
    coDepartmentCodes: row.coDepartmentCodes ?? [],
    pendingRequest: row.pendingRequest,
  };
}

export function summaryOf(row: CaseRow, now: Date): CaseSummary {
  const { light, usedShare } = lightOf(row, now);
  return {
    id: row.id,
    caseNumber: row.caseNumber,
    type: row.type,
    urgency: row.urgency,
    state: row.state,
    description: row.description,
    source: row.source,
    reporterName: row.reporterName,
    position: [Number(row.lng), Number(row.lat)],
    cellCode: row.cellCode,
    gridCode: row.gridCode,
    villageCode: row.villageCode,
    townshipCode: row.townshipCode,
    townshipName: row.townshipName,
    villageName: row.villageName,
    responsibleLevel: row.responsibleLevel,
    assignedTownshipCode: row.assignedTownshipCode,
    assignedDepartmentCode: row.assignedDepartmentCode,
    assignedDepartmentName: row.assignedDepartmentName,
    coDepartmentCodes: row.coDepartmentCodes ?? [],
    supervised: row.supervised,
    parked: row.parked,
    escalationCount: Number(row.escalationCount),
    clockStage: row.clockStage,
    clockStartedAt: row.clockStartedAt,
    dueAt: row.dueAt,
    limitAmount: row.limitAmount,
    limitUnit: row.limitUnit,
    limitClock: row.limitAmount === null && row.limitUnit === null ? null : clockOf(row),
    light,
    usedShare,
    pendingRequestKind: row.pendingRequest?.kind ?? null,
    reportedAt: row.reportedAt,
    filedAt: row.filedAt,
    dispatchedAt: row.dispatchedAt,
    closedAt: row.closedAt,
    closedOnTime: row.closedOnTime,
    satisfaction: row.satisfaction,
    takenAt: row.takenAt,
    updatedAt: row.updatedAt,
    version: Number(row.version),
  };
}

async function detailOf(scoped: Queryable, row: CaseRow, actor: Actor, now: Date): Promise<CaseDetail> {
  const repository = casesRepository(scoped);
  const [steps, photos, controlZone, coNames] = await Promise.all([
    caseStepsRepository(scoped).steps(row.id),
    repository.photos(row.id),
    repository.controlZone(row.id),
    repository.departmentNames(row.coDepartmentCodes ?? []),
  ]);
  const referenced = new Set(steps.flatMap((step) => photoIdsIn(step.details)));
  const firstStep = steps[0];
  const views = steps.map((step) => {
    const view = readerStepView(actor, step, photos);
    // The report's own photos (no step, not attached to a later one) belong to its first step.
    if (step === firstStep) {
      const reportPhotos = photos.filter((photo) => photo.stepId === null && !referenced.has(photo.id)).map((photo) => photo.id);
      view.photoIds = [...new Set([...reportPhotos, ...view.photoIds])];
    }
    return view;
  });
  return {
    ...summaryOf(row, now),
    reporterRole: row.reporterRole,
    accuracyM: row.accuracyM,
    inputDatum: row.inputDatum,
    areas: {
      township: { code: row.townshipCode, name: row.townshipName },
      village: { code: row.villageCode, name: row.villageName },
      grid: { code: row.gridCode, name: row.gridName },
      cell: { code: row.cellCode, name: row.cellName },
    },
    urban: row.urban,
    coDepartments: (row.coDepartmentCodes ?? []).map((code) => ({ code, name: coNames.get(code) ?? null })),
    controlZone,
    mergedInto: row.mergedInto,
    pendingRequest: row.pendingRequest,
    reworkCount: steps.filter((step) => step.action === 'check' && step.details?.passed === false).length,
    photos,
    steps: views,
    nextActions: nextActions(factsOf(row), actor),
  };
}

function isUniqueViolation(error: unknown): boolean {
  return sqlFailureOf(error)?.code === '23505';
}

/**
 * The case workflow's commands and reads. Each command runs in one transaction: the case row
 * (locked) and the timeline as the scoped role, so row-level security keeps both in scope,
 * then the live event as the owner.
 */
export function casesService(db: Database, options: { now?: () => Date } = {}) {
  const clock = options.now ?? (() => new Date());

  async function listRows(scoped: Queryable, query: CaseListQuery, limit: number, offset: number) {
    const repository = casesRepository(scoped);
    const { light, sort, order, ...filter } = query;
    if (!light) {
      const [rows, total] = await Promise.all([repository.list(filter, sort, order, limit, offset), repository.count(filter)]);
      return { rows, total };
    }
    if (light === 'none') {
      const narrowed = { ...filter, hasClock: false };
      const [rows, total] = await Promise.all([
        repository.list(narrowed, sort, order, limit, offset),
        repository.count(narrowed),
      ]);
      return { rows, total };
    }
    // The light depends on working time (holidays, office hours): computed here for the open
    // cases the other filters leave, then the page is read by their ids.
    const now = clock();
    const ids = (await repository.clocks(filter)).filter((row) => lightOf(row, now).light === light).map((row) => row.id);
    if (ids.length === 0) return { rows: [], total: 0 };
    const rows = await repository.list({ ...filter, ids }, sort, order, limit, offset);
    return { rows, total: ids.length };
  }

  async function detail(scoped: Queryable, principal: Principal, id: string): Promise<CaseDetail> {
    const row = await casesRepository(scoped).find(id);
    if (!row) throw caseNotFound(id);
    return detailOf(scoped, row, await actorOf(scoped, principal), clock());
  }

  return {
    detail,

    async list(scoped: Queryable, query: CaseListQuery, page: number, pageSize: number) {
      const { rows, total } = await listRows(scoped, query, pageSize, (page - 1) * pageSize);
      const now = clock();
      return { items: rows.map((row) => summaryOf(row, now)), total, page, pageSize };
    },

    /**
     * Takes a workflow action. A clientId seen before on this case answers what it answered then
     * (the step it wrote and the case as it is now) and writes nothing.
     */
    async act(scoped: Queryable, principal: Principal, id: string, input: ActionInput): Promise<ActionResult> {
      const now = clock();
      let outcome: { step: StepRow; replayed: boolean };
      try {
        outcome = await db.transaction(async (tx: Transaction) => {
          await enterScope(tx, principal);
          const repository = casesRepository(tx);
          const row = await repository.find(id, { lock: true });
          if (!row) throw caseNotFound(id);
          const earlier = await caseStepsRepository(tx).stepByClientId(id, input.clientId);
          if (earlier) return { step: earlier, replayed: true };
          if (Number(row.version) !== input.version) throw staleCase(Number(row.version), input.version);
          const facts = factsOf(row);
          authorize(input.action, facts, await actorOf(tx, principal));
          const plan = await planOf(tx, row, facts, principal, input, now);
          const changes: CaseChanges = { ...plan.changes };
          const details: Record<string, unknown> = { ...plan.details };
          // A request is about the situation it was asked in: a move elsewhere drops it.
          if (plan.toState !== row.state && row.pendingRequest && changes.pendingRequest === undefined) {
            changes.pendingRequest = null;
            details.droppedRequest = row.pendingRequest;
          }
          if (!row.takenAt) {
            changes.takenAt = now;
            changes.takenBy = principal.displayName;
          }
          if (!(await repository.update(id, Number(row.version), changes, now)))
            throw staleCase(Number(row.version), input.version);
          const step = await caseStepsRepository(tx).insertStep({
            reportId: id,
            at: now,
            actorId: principal.accountId,
            actorName: principal.displayName,
            actorRole: principal.role,
            // Every action is a step kind, whose details have a cut (api/vocabulary/case-timeline.ts).
            action: input.action satisfies StepKind,
            fromState: row.state,
            toState: plan.toState,
            note: plan.note,
            details,
            clientId: input.clientId,
            cellCode: row.cellCode,
          });
          const updated = await repository.find(id);
          if (!updated) throw new Error(`case ${id} vanished inside its own transaction`);
          await leaveScope(tx);
          await appendLiveEvent(tx, {
            type: 'case.changed',
            scopeCode: row.cellCode,
            payload: { case: liveCaseOf(updated), step: stepView(step) },
          });
          return { step, replayed: false };
        });
      } catch (error) {
        // The same clientId sent twice at once: the second insert lost the race; answer what the first wrote.
        if (!isUniqueViolation(error)) throw error;
        const earlier = await caseStepsRepository(scoped).stepByClientId(id, input.clientId);
        if (!earlier) throw error;
        outcome = { step: earlier, replayed: true };
      }
      if (outcome.replayed && outcome.step.action !== input.action) {
        throw new AppError(
          409,
          'client_id_reused',
          {
            zh: '该操作编号已用于另一项操作，请刷新后重试',
            en: 'This clientId was already used for another action; reload and try again',
          },
          { clientId: input.clientId, action: outcome.step.action },
        );
      }
      const current = await detail(scoped, principal, id);
      return { case: current, step: readerStepView(principal, outcome.step, current.photos), replayed: outcome.replayed };
    },

    /** The filtered cases for an export, and an audit entry recording it. */
    async exportRows(
      scoped: Queryable,
      query: CaseListQuery,
      context: { principal: Principal; origin: RequestOrigin; format: string },
    ) {
      const { rows } = await listRows(scoped, query, EXPORT_LIMIT, 0);
      const now = clock();
      const items = rows.map((row) => summaryOf(row, now));
      const { light, sort, order, ...filter } = query;
      await authRepository(db).insertAudit({
        actorId: context.principal.accountId,
        actorUsername: context.principal.username,
        actorRole: context.principal.role,
        outcome: 'ok',
        action: 'cases.export',
        targetType: 'cases',
        targetId: context.format,
        scopeCode: context.principal.scopeCode,
        ...context.origin,
        details: { rows: items.length, filter: { ...filter, light, sort, order } },
      });
      return items;
    },
  };
}

export type CasesService = ReturnType<typeof casesService>;
