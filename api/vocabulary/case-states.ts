import type { Label } from './label.ts';

/**
 * The states of a case (DESIGN.md, "Hazard and case handling"), in the workflow's order: the main
 * road from report to evaluation, then the ways out (rejected, cancelled, merged), then parked,
 * the pause a case can come back from. Every list, filter and export shows them in this order.
 */
export const CASE_STATES = [
  'reported',
  'filed',
  'dispatched',
  'acknowledged',
  'handled',
  'closed',
  'evaluated',
  'rejected',
  'cancelled',
  'merged',
  'parked',
] as const;
export type CaseState = (typeof CASE_STATES)[number];

export const CASE_STATE_LABELS: Readonly<Record<CaseState, Label>> = {
  reported: { zh: '已上报', en: 'Reported' },
  filed: { zh: '已立案', en: 'Filed' },
  dispatched: { zh: '已派遣', en: 'Dispatched' },
  acknowledged: { zh: '处置中', en: 'Acknowledged' },
  handled: { zh: '待核查', en: 'Handled' },
  closed: { zh: '已结案', en: 'Closed' },
  evaluated: { zh: '已评价', en: 'Evaluated' },
  rejected: { zh: '不予立案', en: 'Rejected' },
  cancelled: { zh: '已作废', en: 'Cancelled' },
  merged: { zh: '已合并', en: 'Merged' },
  parked: { zh: '挂账', en: 'Parked' },
};

/** States whose clock runs (or, for parked, is paused), which escalation watches and the lists' "open" filter means. */
export const OPEN_STATES: readonly CaseState[] = ['reported', 'filed', 'dispatched', 'acknowledged', 'handled', 'parked'];
/** States with no clock and nothing left to do: the traffic light is `none` and the case leaves the live map. */
export const FINISHED_STATES: readonly CaseState[] = ['closed', 'evaluated', 'rejected', 'cancelled', 'merged'];

export function isCaseState(value: string): value is CaseState {
  return (CASE_STATES as readonly string[]).includes(value);
}

export function isFinishedState(state: string): boolean {
  return (FINISHED_STATES as readonly string[]).includes(state);
}

/**
 * What can be done to a case (DESIGN.md, "Hazard and case handling"), in workflow order: the UI
 * shows the actions open to the viewer as buttons in this order. Who may take which, from which
 * state, is the workflow's rule (api/cases/workflow.ts), not a word.
 */
export const CASE_ACTIONS = [
  'file',
  'reject',
  'dispatch',
  'acknowledge',
  'handle',
  'feedback',
  'check',
  'evaluate',
  'on_spot',
  'supervise',
  'escalate',
  'request_extension',
  'request_send_back',
  'request_park',
  'request_cancel',
  'approve',
  'deny',
  'resume',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

/**
 * Steps a case's timeline records besides the actions: the report itself, merging duplicates (both
 * sides), the control zone and alerts.
 */
export const TIMELINE_STEPS = [
  'report',
  'merge',
  'merged_in',
  'control_zone',
  'alert',
  'department_view',
  'rate_department',
] as const;
type TimelineStep = (typeof TIMELINE_STEPS)[number];

/** Actions as buttons name them and timeline steps as the timeline names them. */
export const CASE_STEP_LABELS: Readonly<Record<CaseAction | TimelineStep, Label>> = {
  report: { zh: '上报', en: 'Report' },
  file: { zh: '核实立案', en: 'Verify and file' },
  reject: { zh: '不予立案', en: 'Reject' },
  dispatch: { zh: '派遣', en: 'Dispatch' },
  acknowledge: { zh: '签收', en: 'Acknowledge' },
  handle: { zh: '处置进展', en: 'Progress note' },
  feedback: { zh: '处置反馈', en: 'Feedback' },
  check: { zh: '核查结案', en: 'Check and close' },
  evaluate: { zh: '回访评价', en: 'Evaluate' },
  on_spot: { zh: '自行处置', en: 'Handled on the spot' },
  supervise: { zh: '督办', en: 'Supervise' },
  escalate: { zh: '超时升级', en: 'Escalated (overdue)' },
  request_extension: { zh: '申请延期', en: 'Request an extension' },
  request_send_back: { zh: '申请回退', en: 'Request send-back' },
  request_park: { zh: '申请挂账', en: 'Request parking' },
  request_cancel: { zh: '申请作废', en: 'Request cancelling' },
  approve: { zh: '批准申请', en: 'Approve the request' },
  deny: { zh: '驳回申请', en: 'Deny the request' },
  resume: { zh: '恢复办理', en: 'Resume' },
  merge: { zh: '并入其他案件', en: 'Merged into another case' },
  merged_in: { zh: '合并重复上报', en: 'Duplicate merged in' },
  control_zone: { zh: '调整管控区', en: 'Control zone changed' },
  alert: { zh: '发送预警', en: 'Alert sent' },
  department_view: { zh: '部门评价', en: 'Department’s view' },
  rate_department: { zh: '网格员评价部门', en: 'Grid worker rated the department' },
};

/** What a request asks for; stored in reports.pending_request until approved or denied. */
export const REQUEST_KINDS = ['extension', 'send_back', 'park', 'cancel'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

export const REQUEST_KIND_LABELS: Readonly<Record<RequestKind, Label>> = {
  extension: { zh: '延期', en: 'Extension' },
  send_back: { zh: '回退', en: 'Send-back' },
  park: { zh: '挂账', en: 'Parking' },
  cancel: { zh: '作废', en: 'Cancelling' },
};

export const REQUEST_OF_ACTION: Readonly<Partial<Record<CaseAction, RequestKind>>> = {
  request_extension: 'extension',
  request_send_back: 'send_back',
  request_park: 'park',
  request_cancel: 'cancel',
};

/**
 * The actions of a handler's inbox (待办, GET /api/cases/mine): what a case dispatched to a
 * township or a department waits for from those it was given to.
 */
export const WORK_ACTIONS = ['acknowledge', 'handle', 'feedback'] as const satisfies readonly CaseAction[];
export type WorkAction = (typeof WORK_ACTIONS)[number];

export function isWorkAction(action: CaseAction): action is WorkAction {
  return (WORK_ACTIONS as readonly CaseAction[]).includes(action);
}
