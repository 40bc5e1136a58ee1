import type { Principal } from '../app-env.ts';
import type { Queryable } from '../db/client.ts';
import { badRequest } from '../errors.ts';
import { type CaseAction, type CaseState, isCaseState, REQUEST_OF_ACTION } from '../vocabulary/case-states.ts';
import type { PendingRequest } from './contracts.ts';
import { stageDueAt } from './deadlines.ts';
import type { ClockStage } from './default-time-limits.ts';
import { clockOf } from './light.ts';
import { type CaseChanges, type CaseRow, casesRepository } from './repository.ts';
import { caseStepsRepository } from './steps-repository.ts';
import { type CaseFacts, targetState } from './workflow.ts';
import {
  addLimit,
  addWorkingMinutes,
  isLimitUnit,
  type Limit,
  type LimitUnit,
  minutesOfLimit,
  subtractWorkingMinutes,
  workingMinutesBetween,
} from './working-time.ts';

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
  amount?: number | undefined;
  /** request_extension: hours or days on the case's own clock (natural or working). */
  unit?: 'hours' | 'days' | undefined;
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

export interface Plan {
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

/** What planning one action reads: the case, the actor, the command and the plan it builds. */
interface Planning {
  tx: Queryable;
  row: CaseRow;
  facts: CaseFacts;
  principal: Principal;
  input: ActionInput;
  now: Date;
  repository: ReturnType<typeof casesRepository>;
  /** The plan of a move to `toState` writing `changes`, with the step's details. */
  plan: (toState: CaseState, changes: CaseChanges, details?: Record<string, unknown>) => Plan;
}

type Planner = (planning: Planning) => Plan | Promise<Plan>;

/** The four requests (extension, send-back, park, cancel): waiting for a commander's answer. */
const requestPlanner: Planner = ({ facts, principal, input, now, plan }) => {
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
};

/** Each action's change, in workflow order. Escalation is the clock's, not a person's: escalateOverdue plans it. */
const PLANNERS: { readonly [A in Exclude<CaseAction, 'escalate'>]: Planner } = {
  file: ({ now, plan }) => plan('filed', { filedAt: now }),
  reject: ({ input, plan }) => {
    requireNote(input);
    return plan('rejected', stoppedClock);
  },
  dispatch: async ({ tx, row, input, now, repository, plan }) => {
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
    const inactive = await repository.inactiveProviders(wanted);
    if (inactive.length > 0) {
      throw badRequest(
        'provider_inactive',
        { zh: `该服务主体已停用：${inactive.join('、')}`, en: `No longer offered for dispatch: ${inactive.join(', ')}` },
        { inactive },
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
  },
  acknowledge: async ({ tx, row, now, plan }) => {
    const clock = await startClock(tx, row, 'handle', now);
    return plan('acknowledged', clock, {
      dueAt: clock.dueAt?.toISOString(),
      limit: { amount: clock.limitAmount, unit: clock.limitUnit, clock: clock.limitClock },
    });
  },
  handle: async ({ tx, row, facts, input, plan }) => {
    requireNote(input);
    return plan(facts.state, {}, { photoIds: await validPhotoIds(tx, row, input.photoIds) });
  },
  feedback: async ({ tx, row, input, now, plan }) => {
    requireNote(input);
    const photoIds = await validPhotoIds(tx, row, input.photoIds);
    const handledOnTime = !row.dueAt || now.getTime() <= new Date(row.dueAt).getTime();
    const clock = await startClock(tx, row, 'check', now);
    return plan('handled', clock, { photoIds, handledOnTime, dueAt: clock.dueAt?.toISOString() });
  },
  on_spot: async ({ tx, row, input, now, plan }) => {
    requireNote(input);
    const photoIds = await validPhotoIds(tx, row, input.photoIds);
    const clock = await startClock(tx, row, 'check', now);
    return plan(
      'handled',
      { assignedTownshipCode: row.townshipCode, ...clock },
      { photoIds, handledOnTime: true, dueAt: clock.dueAt?.toISOString() },
    );
  },
  check: async ({ tx, row, input, now, plan }) => {
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
  },
  // The resident's score comes from the reporter or a recorded return call (回访), each with who
  // gave it: api/cases/evaluations. A bare score through the workflow is refused.
  evaluate: () => {
    throw badRequest('evaluate_by_return_call', {
      zh: '请登记回访（被回访人姓名、电话和满意度）后评价，或由上报人在移动端评价',
      en: 'Record a return call (who was called, the number and the score), or let the reporter rate it on the field page',
    });
  },
  supervise: ({ facts, input, plan }) => {
    requireNote(input);
    return plan(facts.state, { supervised: true });
  },
  request_extension: requestPlanner,
  request_send_back: requestPlanner,
  request_park: requestPlanner,
  request_cancel: requestPlanner,
  approve: async ({ tx, row, facts, now, plan }) => {
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
  },
  deny: ({ facts, plan }) => plan(facts.state, { pendingRequest: null }, { request: facts.pendingRequest }),
  resume: async ({ tx, row, facts, now, plan }) => {
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
  },
};

/** What an allowed action changes; throws 400 for missing or wrong fields, before anything is written. */
export function planOf(
  tx: Queryable,
  row: CaseRow,
  facts: CaseFacts,
  principal: Principal,
  input: ActionInput,
  now: Date,
): Promise<Plan> | Plan {
  if (input.action === 'escalate') throw new Error('escalation is planned by escalateOverdue');
  const note = input.note?.trim() ?? '';
  const plan = (toState: CaseState, changes: CaseChanges, details: Record<string, unknown> = {}): Plan => ({
    changes: { ...changes, ...(toState !== row.state ? { state: toState } : {}) },
    toState,
    details,
    note,
  });
  return PLANNERS[input.action]({ tx, row, facts, principal, input, now, repository: casesRepository(tx), plan });
}
