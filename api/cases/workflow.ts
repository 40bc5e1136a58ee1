import { levelOfCode } from '../../geo/area-codes.ts';
import { type Action, can } from '../auth/permissions.ts';
import { AppError } from '../errors.ts';
import {
  CASE_ACTIONS,
  CASE_STATE_LABELS,
  CASE_STATES,
  CASE_STEP_LABELS,
  type CaseAction,
  type CaseState,
  OPEN_STATES,
  REQUEST_OF_ACTION,
  type RequestKind,
  WORK_ACTIONS,
} from '../vocabulary/case-states.ts';
import type { Role } from '../vocabulary/roles.ts';
import type { PendingRequest } from './contracts.ts';

/** The facts of a case the rules read. */
export interface CaseFacts {
  state: CaseState;
  townshipCode: string;
  responsibleLevel: string;
  assignedTownshipCode: string | null;
  assignedDepartmentCode: string | null;
  coDepartmentCodes: readonly string[];
  pendingRequest: PendingRequest | null;
}

/** Who acts: the signed-in account. */
export interface Actor {
  accountId: string;
  role: string;
  scopeCode: string;
  departmentCode: string | null;
}

/** Duty officers and county and township commanders run cases: file, dispatch, check, approve. */
const COMMANDERS: readonly Role[] = ['county_commander', 'duty_officer', 'township_commander'];
/** Grid chiefs and workers: handle what their township is given, and handle small things on the spot. */
const FIELD: readonly Role[] = ['grid_chief', 'grid_worker'];
/**
 * Those a case is dispatched to: the township (its commander and its grid people) and the
 * departments' cadres. The county's duty officers and commanders direct and approve; they do
 * not acknowledge or handle on a handler's behalf.
 */
const HANDLERS: readonly Role[] = ['township_commander', ...FIELD, 'department_cadre'];

/**
 * Beyond the role, how the actor must relate to the case:
 * - `lead`: a department cadre only on cases whose lead department is theirs; the township's
 *   commander and grid people only on cases given to the township (row-level security keeps
 *   them to their own area);
 * - `handler`: as `lead`, but co-handling departments (协同) may act too;
 * - `approver`: a commander of the case's level or above (a case escalated to the county is
 *   approved at the county), and never for their own request;
 * - `none`: the role and the scope (row-level security) are enough.
 */
type Relation = 'none' | 'lead' | 'handler' | 'approver';

interface ActionRule {
  /** The permission (api/auth/permissions.ts) the action belongs to: the coarse gate. */
  permission: Action | 'system';
  /** The roles that may take it: the fine gate. */
  roles: readonly Role[];
  /** States it may be taken in. */
  from: readonly CaseState[];
  relation: Relation;
}

/**
 * The case workflow (DESIGN.md, "Hazard and case handling"): which action moves a case from
 * which state to which, and who may take it. Pure: the service reads the case, asks here, and
 * writes what this decides.
 */
const RULES: Record<CaseAction, ActionRule> = {
  file: { permission: 'cases.command', roles: COMMANDERS, from: ['reported'], relation: 'none' },
  reject: { permission: 'cases.command', roles: COMMANDERS, from: ['reported', 'filed'], relation: 'none' },
  dispatch: { permission: 'cases.command', roles: COMMANDERS, from: ['filed'], relation: 'none' },
  acknowledge: { permission: 'cases.handle', roles: HANDLERS, from: ['dispatched'], relation: 'lead' },
  handle: { permission: 'cases.handle', roles: HANDLERS, from: ['acknowledged'], relation: 'handler' },
  feedback: { permission: 'cases.handle', roles: HANDLERS, from: ['acknowledged'], relation: 'lead' },
  check: { permission: 'cases.command', roles: COMMANDERS, from: ['handled'], relation: 'none' },
  evaluate: { permission: 'cases.command', roles: COMMANDERS, from: ['closed'], relation: 'none' },
  on_spot: { permission: 'cases.handle', roles: FIELD, from: ['reported'], relation: 'none' },
  supervise: {
    permission: 'cases.command',
    roles: COMMANDERS,
    from: ['reported', 'filed', 'dispatched', 'acknowledged', 'handled', 'parked'],
    relation: 'none',
  },
  escalate: {
    permission: 'system',
    roles: [],
    from: ['reported', 'filed', 'dispatched', 'acknowledged', 'handled'],
    relation: 'none',
  },
  request_extension: { permission: 'cases.handle', roles: HANDLERS, from: ['acknowledged'], relation: 'lead' },
  request_send_back: { permission: 'cases.handle', roles: HANDLERS, from: ['dispatched', 'acknowledged'], relation: 'lead' },
  request_park: { permission: 'cases.handle', roles: HANDLERS, from: ['dispatched', 'acknowledged'], relation: 'lead' },
  request_cancel: { permission: 'cases.handle', roles: HANDLERS, from: ['dispatched', 'acknowledged'], relation: 'lead' },
  approve: { permission: 'cases.command', roles: COMMANDERS, from: [...OPEN_STATES], relation: 'approver' },
  deny: { permission: 'cases.command', roles: COMMANDERS, from: [...OPEN_STATES], relation: 'approver' },
  resume: { permission: 'cases.command', roles: COMMANDERS, from: ['parked'], relation: 'approver' },
};

/** The states an approved request may be applied in (the case may have moved since it was asked). */
const REQUEST_FROM: Record<RequestKind, readonly CaseState[]> = {
  extension: ['acknowledged'],
  send_back: ['dispatched', 'acknowledged'],
  park: ['dispatched', 'acknowledged'],
  cancel: ['dispatched', 'acknowledged'],
};

const LEVEL_ORDER = ['cell', 'grid', 'village', 'township', 'county'] as const;
export type ResponsibleLevel = (typeof LEVEL_ORDER)[number];

/** The level above (cell → grid → village → township → county); null at the county. */
export function levelAbove(level: string): ResponsibleLevel | null {
  const index = LEVEL_ORDER.indexOf(level as ResponsibleLevel);
  if (index < 0) return 'grid';
  return LEVEL_ORDER[index + 1] ?? null;
}

function rank(level: string): number {
  return LEVEL_ORDER.indexOf(level as ResponsibleLevel);
}

function relationHolds(relation: Relation, facts: CaseFacts, actor: Actor): boolean {
  const role = actor.role as Role;
  switch (relation) {
    case 'none':
      return true;
    case 'lead':
    case 'handler': {
      if (role === 'department_cadre') {
        if (!actor.departmentCode) return false;
        if (facts.assignedDepartmentCode === actor.departmentCode) return true;
        return relation === 'handler' && facts.coDepartmentCodes.includes(actor.departmentCode);
      }
      return facts.assignedTownshipCode !== null;
    }
    case 'approver': {
      if (facts.pendingRequest && facts.pendingRequest.requestedBy.accountId === actor.accountId) return false;
      const actorLevel = levelOfCode(actor.scopeCode);
      if (actorLevel === 'county') return true;
      // A township commander approves in their own township, until the case has gone up to the county.
      return (
        actorLevel === 'township' &&
        facts.townshipCode.startsWith(actor.scopeCode) &&
        rank(facts.responsibleLevel) < rank('county')
      );
    }
  }
}

export type Refusal =
  | { status: 403; code: 'forbidden' | 'system_only' | 'not_your_case' | 'own_request' }
  | { status: 409; code: 'illegal_transition' | 'request_pending' | 'no_pending_request' };

/** Why `actor` may not take `action` on the case now, or null when they may. Role first (403), then state (409), then relation (403). */
export function refusalOf(action: CaseAction, facts: CaseFacts, actor: Actor): Refusal | null {
  const rule = RULES[action];
  if (rule.permission === 'system') return { status: 403, code: 'system_only' };
  if (!can(actor.role, rule.permission) || !rule.roles.includes(actor.role as Role)) return { status: 403, code: 'forbidden' };
  if (!rule.from.includes(facts.state)) return { status: 409, code: 'illegal_transition' };
  const kind = REQUEST_OF_ACTION[action];
  if (kind && facts.pendingRequest) return { status: 409, code: 'request_pending' };
  if (action === 'approve' || action === 'deny') {
    if (!facts.pendingRequest) return { status: 409, code: 'no_pending_request' };
    if (action === 'approve' && !REQUEST_FROM[facts.pendingRequest.kind].includes(facts.state)) {
      return { status: 409, code: 'illegal_transition' };
    }
  }
  if (!relationHolds(rule.relation, facts, actor)) {
    const own = rule.relation === 'approver' && facts.pendingRequest?.requestedBy.accountId === actor.accountId;
    return { status: 403, code: own ? 'own_request' : 'not_your_case' };
  }
  return null;
}

function refusalError(refusal: Refusal, action: CaseAction, facts: CaseFacts): AppError {
  const state = CASE_STATE_LABELS[facts.state];
  const verb = CASE_STEP_LABELS[action];
  const details = { action, state: facts.state };
  switch (refusal.code) {
    case 'illegal_transition':
      return new AppError(
        409,
        refusal.code,
        {
          zh: `案件当前为“${state.zh}”状态，不能执行“${verb.zh}”（${action}）`,
          en: `A case in state ${facts.state} (${state.en}) cannot take the action ${action} (${verb.en})`,
        },
        details,
      );
    case 'request_pending':
      return new AppError(
        409,
        refusal.code,
        {
          zh: '该案件已有待审批的申请，请等待审批后再提出新的申请',
          en: 'The case already has a request waiting for approval; wait for the decision first',
        },
        { ...details, pending: facts.pendingRequest?.kind },
      );
    case 'no_pending_request':
      return new AppError(
        409,
        refusal.code,
        { zh: '该案件没有待审批的申请', en: 'The case has no request waiting for approval' },
        details,
      );
    case 'system_only':
      return new AppError(
        403,
        refusal.code,
        { zh: '超时升级由系统自动执行，不能手动操作', en: 'Escalation is done by the system when a case is overdue' },
        details,
      );
    case 'own_request':
      return new AppError(
        403,
        refusal.code,
        { zh: '不能审批自己提出的申请', en: 'You cannot approve or deny your own request' },
        details,
      );
    case 'not_your_case':
      return new AppError(
        403,
        refusal.code,
        {
          zh: `您不能对此案件执行“${verb.zh}”：案件未派遣给您的部门或单位，或超出您的审批层级`,
          en: `You may not ${action} this case: it is not dispatched to your department or unit, or it is above your level`,
        },
        details,
      );
    case 'forbidden':
      return new AppError(
        403,
        refusal.code,
        { zh: `您的角色不能执行“${verb.zh}”`, en: `Your role may not take the action ${action} (${verb.en})` },
        details,
      );
  }
}

/** Throws the refusal as an AppError (403 or 409 with a zh/en message naming the state and action). */
export function authorize(action: CaseAction, facts: CaseFacts, actor: Actor): void {
  const refusal = refusalOf(action, facts, actor);
  if (refusal) throw refusalError(refusal, action, facts);
}

/**
 * The state an allowed action leads to. `passed` is the check's outcome; `resumeTo` the state a
 * parked case came from.
 */
export function targetState(
  action: CaseAction,
  facts: CaseFacts,
  options: { passed?: boolean | undefined; resumeTo?: CaseState | undefined } = {},
): CaseState {
  switch (action) {
    case 'file':
      return 'filed';
    case 'reject':
      return 'rejected';
    case 'dispatch':
      return 'dispatched';
    case 'acknowledge':
      return 'acknowledged';
    case 'feedback':
    case 'on_spot':
      return 'handled';
    case 'check':
      // A failed check sends the case back for rework.
      return options.passed === false ? 'acknowledged' : 'closed';
    case 'evaluate':
      return 'evaluated';
    case 'approve':
      switch (facts.pendingRequest?.kind) {
        case 'send_back':
          return 'filed';
        case 'park':
          return 'parked';
        case 'cancel':
          return 'cancelled';
        default:
          return facts.state;
      }
    case 'resume':
      if (!options.resumeTo) throw new Error('resume needs the state the case was parked from');
      return options.resumeTo;
    default:
      return facts.state;
  }
}

/** The actions the viewer may take on the case now, in workflow order (the UI shows them as buttons). */
export function nextActions(facts: CaseFacts, actor: Actor): CaseAction[] {
  return CASE_ACTIONS.filter((action) => refusalOf(action, facts, actor) === null);
}

/**
 * The states in which `role` may take any of `actions`, by the rules' role gates alone: the states
 * worth reading when looking for such work. Whether the account may take one on a given case
 * (its relation to the case, a pending request) is still `nextActions`' answer. Empty for a role
 * that may take none of them.
 */
export function statesOpenTo(role: string, actions: readonly CaseAction[]): CaseState[] {
  const states = new Set<CaseState>();
  for (const action of actions) {
    const rule = RULES[action];
    if (rule.permission === 'system' || !can(role, rule.permission) || !rule.roles.includes(role as Role)) continue;
    for (const state of rule.from) states.add(state);
  }
  return CASE_STATES.filter((state) => states.has(state));
}

/** The states a role's inbox (待办) holds work in: where a case waits for it to acknowledge, handle or give feedback. */
export function workStatesOf(role: string): CaseState[] {
  return statesOpenTo(role, WORK_ACTIONS);
}
