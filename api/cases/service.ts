import type { Principal } from '../app-env.ts';
import { authRepository } from '../auth/repository.ts';
import type { RequestOrigin } from '../auth/service.ts';
import type { Database, Queryable, Transaction } from '../db/client.ts';
import { enterScope, leaveScope } from '../db/scoped.ts';
import { sqlFailureOf } from '../db/sql-state.ts';
import { AppError, badRequest, notFound } from '../errors.ts';
import { appendLiveEvent } from '../live/events.ts';
import { type CaseAction, type CaseState, isCaseState, REQUEST_OF_ACTION } from '../vocabulary/case-states.ts';
import type { CaseStep, StepKind } from '../vocabulary/case-timeline.ts';
import { stageDueAt } from './deadlines.ts';
import type { ClockStage } from './default-time-limits.ts';
import { clockOf, type Light, lightOf } from './light.ts';
import { type CaseChanges, type CaseFilter, type CaseRow, type CaseSort, casesRepository } from './repository.ts';
import { liveCaseOf, photoIdsIn, readerStepView, stepView } from './step-view.ts';
import { caseStepsRepository, type StepRow } from './steps-repository.ts';
import { type Actor, authorize, type CaseFacts, nextActions, type PendingRequest, targetState } from './workflow.ts';
import {
  addLimit,
  addWorkingMinutes,
  type ClockKind,
  isLimitUnit,
  type Limit,
  type LimitUnit,
  minutesOfLimit,
  subtractWorkingMinutes,
  workingMinutesBetween,
} from './working-time.ts';

/** A case as lists show it: where, what, its state, its clock and its light. */
export interface CaseSummary {
  id: string;
  caseNumber: string;
  type: string;
  urgency: string;
  state: string;
  description: string;
  source: string;
  reporterName: string;
  /** [lng, lat], WGS84. */
  position: [number, number];
  cellCode: string;
  gridCode: string;
  villageCode: string;
  townshipCode: string;
  townshipName: string | null;
  villageName: string | null;
  responsibleLevel: string;
  assignedTownshipCode: string | null;
  assignedDepartmentCode: string | null;
  assignedDepartmentName: string | null;
  coDepartmentCodes: string[];
  supervised: boolean;
  parked: boolean;
  escalationCount: number;
  clockStage: string | null;
  clockStartedAt: string | null;
  dueAt: string | null;
  limitAmount: number | null;
  limitUnit: string | null;
  /**
   * The clock of the limit: `natural` (every hour counts, 自然时间) or `working` (office time on
   * working days, 工作时间); null when the case never had a limit.
   */
  limitClock: ClockKind | null;
  light: Light;
  /** Share of the running limit used (0..1, more when late); null without a clock. */
  usedShare: number | null;
  /** The kind of request waiting for approval, if any. */
  pendingRequestKind: string | null;
  reportedAt: string;
  filedAt: string | null;
  dispatchedAt: string | null;
  closedAt: string | null;
  closedOnTime: boolean | null;
  satisfaction: number | null;
  takenAt: string | null;
  updatedAt: string;
  /** Send it back with an action: a changed case answers 409 stale_case. */
  version: number;
}

/** A timeline step as it leaves the server: declared once, with its cut, in api/vocabulary/case-timeline.ts. */
type CaseStepView = CaseStep;

export interface CaseDetail extends CaseSummary {
  reporterRole: string;
  accuracyM: number | null;
  inputDatum: string;
  areas: {
    township: { code: string; name: string | null };
    village: { code: string; name: string | null };
    grid: { code: string; name: string | null };
    cell: { code: string; name: string | null };
  };
  urban: boolean;
  coDepartments: { code: string; name: string | null }[];
  /** GeoJSON Polygon (WGS84) or null. */
  controlZone: unknown;
  mergedInto: string | null;
  pendingRequest: PendingRequest | null;
  reworkCount: number;
  photos: { id: string; stepId: number | null; contentType: string; byteSize: number; createdAt: string }[];
  steps: CaseStepView[];
  /** The actions the viewer may take now. */
  nextActions: CaseAction[];
}

export interface ActionInput {
  action: CaseAction;
  clientId: string;
  version: number;
  note?: string | undefined;
  townshipCode?: string | undefined;
  departmentCode?: string | undefined;
  coDepartmentCodes?: string[] | undefined;
  photoIds?: string[] | undefined;
  passed?: boolean | undefined;
  satisfaction?: number | undefined;
  amount?: number | undefined;
  /** request_extension: hours or days on the case's own clock (natural or working). */
  unit?: 'hours' | 'days' | undefined;
}

export interface ActionResult {
  case: CaseDetail;
  step: CaseStepView;
  /** True when this clientId had been applied before: nothing was written this time. */
  replayed: boolean;
}

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

const noteRequired = (action: CaseAction) =>
  badRequest(
    'note_required',
    { zh: '请填写说明（处置情况或理由）', en: `The action ${action} needs a note (what was done, or why)` },
    { action },
  );

function requireNote(input: ActionInput): string {
  const note = input.note?.trim() ?? '';
  if (!note) throw noteRequired(input.action);
  return note;
}

/** Where the clock of a stage starting now would end, as columns to write. */
async function startClock(tx: Queryable, row: CaseRow, stage: ClockStage, now: Date): Promise<CaseChanges> {
  const deadline = await stageDueAt(tx, { type: row.type, urgency: row.urgency, stage, urban: row.urban }, now);
  return {
    clockStage: stage,
    clockStartedAt: now,
    dueAt: deadline.dueAt,
    limitAmount: deadline.amount,
    limitUnit: deadline.unit,
    limitClock: deadline.clock,
  };
}

const stoppedClock: CaseChanges = { clockStage: null };

/** The limit a case's columns hold, or undefined when they hold none (or an unknown unit). */
function limitOfRow(row: CaseRow): Limit | undefined {
  if (row.limitAmount === null || !row.limitUnit || !isLimitUnit(row.limitUnit)) return undefined;
  return { amount: Number(row.limitAmount), unit: row.limitUnit, clock: clockOf(row) };
}

/**
 * The running limit plus an extension, on the running limit's clock, in one unit: the same unit
 * when both share it, else the smaller one when it holds the sum in whole numbers, else minutes.
 */
function extendedLimit(current: Limit | undefined, extension: Limit): Limit {
  if (!current) return extension;
  if (current.unit === extension.unit) return { ...current, amount: current.amount + extension.amount };
  const minutes = minutesOfLimit(current) + minutesOfLimit(extension);
  const smaller: LimitUnit = current.unit === 'minutes' || extension.unit === 'minutes' ? 'minutes' : 'hours';
  const perUnit = minutesOfLimit({ amount: 1, unit: smaller, clock: current.clock });
  if (Number.isInteger(minutes / perUnit)) return { amount: minutes / perUnit, unit: smaller, clock: current.clock };
  return { amount: minutes, unit: 'minutes', clock: current.clock };
}

/**
 * The clock of a case resumed from parking: the limit left when it was parked is counted again
 * from now, on the limit's own clock, and the start moves so that the share already used is
 * kept (the light resumes where it stood).
 */
function resumedClock(row: CaseRow, parkedAt: Date, now: Date): CaseChanges {
  if (!row.clockStartedAt || !row.dueAt) return {};
  const start = new Date(row.clockStartedAt);
  const due = new Date(row.dueAt);
  if (clockOf(row) === 'natural') {
    const paused = Math.max(0, now.getTime() - parkedAt.getTime());
    return { clockStartedAt: new Date(start.getTime() + paused), dueAt: new Date(due.getTime() + paused) };
  }
  const used = workingMinutesBetween(start, parkedAt);
  const left = workingMinutesBetween(parkedAt, due);
  return { clockStartedAt: subtractWorkingMinutes(now, used), dueAt: addWorkingMinutes(now, left) };
}

/**
 * The unit of a requested extension. Requests asked before migration 0008 were in working hours
 * or days (`work_hours`, `work_days`); the migration renamed those waiting for approval, and any
 * left over read the same way.
 */
function extensionUnitOf(unit: string | undefined): 'hours' | 'days' {
  return unit === 'days' || unit === 'work_days' ? 'days' : 'hours';
}

interface Plan {
  changes: CaseChanges;
  toState: CaseState;
  details: Record<string, unknown>;
  note: string;
}

async function validPhotoIds(tx: Queryable, row: CaseRow, photoIds: readonly string[] | undefined): Promise<string[]> {
  const wanted = [...new Set(photoIds ?? [])];
  if (wanted.length === 0) return [];
  const found = new Set(await casesRepository(tx).photoIdsOf(row.id, wanted));
  const missing = wanted.filter((id) => !found.has(id));
  if (missing.length > 0) {
    throw badRequest(
      'unknown_photo',
      { zh: '照片不属于该案件或不存在', en: 'A photo is not one of this case’s photos' },
      { photoIds: missing },
    );
  }
  return wanted;
}

/** What an allowed action changes; throws 400 for missing or wrong fields, before anything is written. */
async function planOf(
  tx: Queryable,
  row: CaseRow,
  facts: CaseFacts,
  principal: Principal,
  input: ActionInput,
  now: Date,
): Promise<Plan> {
  const repository = casesRepository(tx);
  const note = input.note?.trim() ?? '';
  const plan = (toState: CaseState, changes: CaseChanges, details: Record<string, unknown> = {}): Plan => ({
    changes: { ...changes, ...(toState !== row.state ? { state: toState } : {}) },
    toState,
    details,
    note,
  });

  switch (input.action) {
    case 'file':
      return plan('filed', { filedAt: now });
    case 'reject':
      requireNote(input);
      return plan('rejected', stoppedClock);
    case 'dispatch': {
      const townshipCode = input.townshipCode ?? null;
      const departmentCode = input.departmentCode ?? null;
      const coDepartmentCodes = [...new Set(input.coDepartmentCodes ?? [])];
      if (!townshipCode && !departmentCode) {
        throw badRequest('dispatch_target_required', {
          zh: '请选择派遣的乡镇或部门',
          en: 'Dispatch to a township, a department, or both',
        });
      }
      if (townshipCode && townshipCode !== row.townshipCode) {
        throw badRequest(
          'township_mismatch',
          {
            zh: `案件位于 ${row.townshipName ?? row.townshipCode}，只能派遣给所在乡镇`,
            en: 'A case is dispatched to the township it lies in',
          },
          { townshipCode, caseTownshipCode: row.townshipCode },
        );
      }
      if (departmentCode && coDepartmentCodes.includes(departmentCode)) {
        throw badRequest('co_department_is_lead', {
          zh: '协同部门不能与主办部门相同',
          en: 'A co-handling department cannot also be the lead department',
        });
      }
      if (coDepartmentCodes.length > 0 && !departmentCode) {
        throw badRequest('lead_department_required', {
          zh: '指定协同部门时须先指定主办部门',
          en: 'Co-handling departments need a lead department',
        });
      }
      const wanted = [...(departmentCode ? [departmentCode] : []), ...coDepartmentCodes];
      const known = await repository.departmentNames(wanted);
      const unknown = wanted.filter((code) => !known.has(code));
      if (unknown.length > 0) {
        throw badRequest(
          'unknown_department',
          { zh: `没有这个部门：${unknown.join('、')}`, en: `No department ${unknown.join(', ')}` },
          { unknown },
        );
      }
      const clock = await startClock(tx, row, 'acknowledge', now);
      return plan(
        'dispatched',
        {
          assignedTownshipCode: townshipCode,
          assignedDepartmentCode: departmentCode,
          coDepartmentCodes,
          dispatchedAt: now,
          ...clock,
        },
        { townshipCode, departmentCode, coDepartmentCodes, dueAt: clock.dueAt?.toISOString() },
      );
    }
    case 'acknowledge': {
      const clock = await startClock(tx, row, 'handle', now);
      return plan('acknowledged', clock, {
        dueAt: clock.dueAt?.toISOString(),
        limit: { amount: clock.limitAmount, unit: clock.limitUnit, clock: clock.limitClock },
      });
    }
    case 'handle': {
      requireNote(input);
      return plan(facts.state, {}, { photoIds: await validPhotoIds(tx, row, input.photoIds) });
    }
    case 'feedback': {
      requireNote(input);
      const photoIds = await validPhotoIds(tx, row, input.photoIds);
      const handledOnTime = !row.dueAt || now.getTime() <= new Date(row.dueAt).getTime();
      const clock = await startClock(tx, row, 'check', now);
      return plan('handled', clock, { photoIds, handledOnTime, dueAt: clock.dueAt?.toISOString() });
    }
    case 'on_spot': {
      requireNote(input);
      const photoIds = await validPhotoIds(tx, row, input.photoIds);
      const clock = await startClock(tx, row, 'check', now);
      return plan(
        'handled',
        { assignedTownshipCode: row.townshipCode, ...clock },
        { photoIds, handledOnTime: true, dueAt: clock.dueAt?.toISOString() },
      );
    }
    case 'check': {
      if (typeof input.passed !== 'boolean') {
        throw badRequest('passed_required', {
          zh: '请选择核查结果：通过或不通过',
          en: 'Say whether the check passed (passed: true or false)',
        });
      }
      if (!input.passed) {
        requireNote(input);
        const clock = await startClock(tx, row, 'handle', now);
        return plan('acknowledged', clock, { passed: false, rework: true, dueAt: clock.dueAt?.toISOString() });
      }
      const steps = caseStepsRepository(tx);
      const handled = (await steps.latestStep(row.id, 'feedback')) ?? (await steps.latestStep(row.id, 'on_spot'));
      const closedOnTime = handled?.details?.handledOnTime !== false;
      return plan('closed', { ...stoppedClock, closedAt: now, closedOnTime }, { passed: true, closedOnTime });
    }
    case 'evaluate': {
      const satisfaction = input.satisfaction;
      if (satisfaction === undefined || !Number.isInteger(satisfaction) || satisfaction < 1 || satisfaction > 5) {
        throw badRequest('satisfaction_required', {
          zh: '请填写回访满意度（1 到 5）',
          en: 'The return visit’s satisfaction is needed: 1 (very unsatisfied) to 5 (very satisfied)',
        });
      }
      return plan('evaluated', { satisfaction }, { satisfaction });
    }
    case 'supervise':
      requireNote(input);
      return plan(facts.state, { supervised: true });
    case 'request_extension':
    case 'request_send_back':
    case 'request_park':
    case 'request_cancel': {
      const reason = requireNote(input);
      const kind = REQUEST_OF_ACTION[input.action]!;
      const request: PendingRequest = {
        kind,
        reason,
        requestedBy: { accountId: principal.accountId, name: principal.displayName, role: principal.role },
        requestedAt: now.toISOString(),
      };
      if (kind === 'extension') {
        if (input.amount === undefined || input.unit === undefined) {
          throw badRequest('extension_amount_required', {
            zh: '请填写延期时长和单位（小时或天，按案件当前时限的计时方式计算）',
            en: 'An extension needs an amount and a unit (hours or days, counted on the case’s own clock)',
          });
        }
        request.amount = input.amount;
        request.unit = input.unit;
      }
      return plan(facts.state, { pendingRequest: request }, { request });
    }
    case 'approve': {
      const request = facts.pendingRequest!;
      const toState = targetState('approve', facts);
      const details: Record<string, unknown> = { request };
      switch (request.kind) {
        case 'extension': {
          const extension: Limit = {
            amount: request.amount ?? 0,
            unit: extensionUnitOf(request.unit),
            clock: clockOf(row),
          };
          const previousDue = row.dueAt ? new Date(row.dueAt) : now;
          const dueAt = addLimit(previousDue, extension);
          const limit = extendedLimit(limitOfRow(row), extension);
          details.previousDueAt = row.dueAt;
          details.dueAt = dueAt.toISOString();
          details.extension = extension;
          return plan(
            toState,
            { pendingRequest: null, dueAt, limitAmount: limit.amount, limitUnit: limit.unit, limitClock: limit.clock },
            details,
          );
        }
        case 'send_back': {
          const clock = await startClock(tx, row, 'file', now);
          return plan(
            toState,
            { pendingRequest: null, assignedTownshipCode: null, assignedDepartmentCode: null, coDepartmentCodes: [], ...clock },
            { ...details, dueAt: clock.dueAt?.toISOString() },
          );
        }
        case 'park':
          return plan(toState, { pendingRequest: null, parked: true }, { ...details, previousState: row.state });
        case 'cancel':
          return plan(toState, { pendingRequest: null, ...stoppedClock }, details);
      }
      throw new Error(`unknown request kind ${String((request as PendingRequest).kind)}`);
    }
    case 'deny':
      return plan(facts.state, { pendingRequest: null }, { request: facts.pendingRequest });
    case 'resume': {
      const parking = await caseStepsRepository(tx).latestStep(row.id, 'approve', 'parked');
      const resumeTo = parking?.fromState && isCaseState(parking.fromState) ? parking.fromState : 'acknowledged';
      const clock = parking ? resumedClock(row, new Date(parking.at), now) : {};
      return plan(
        targetState('resume', facts, { resumeTo }),
        { parked: false, ...clock },
        {
          parkedAt: parking?.at ?? null,
          dueAt: clock.dueAt?.toISOString() ?? row.dueAt,
        },
      );
    }
    case 'escalate':
      throw new Error('escalation is planned by escalateOverdue');
  }
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
