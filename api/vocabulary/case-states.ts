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
