import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import type { CaseState } from '../vocabulary/case-states.ts';
import { type CaseAction, WORK_ACTIONS } from '../vocabulary/case-states.ts';
import type { PendingRequest } from './contracts.ts';
import {
  type Actor,
  authorize,
  type CaseFacts,
  levelAbove,
  nextActions,
  refusalOf,
  statesOpenTo,
  targetState,
} from './workflow.ts';

const SHAXI = '511921108';
const base: CaseFacts = {
  state: 'reported',
  townshipCode: SHAXI,
  responsibleLevel: 'cell',
  assignedTownshipCode: null,
  assignedDepartmentCode: null,
  coDepartmentCodes: [],
  pendingRequest: null,
};
const facts = (changes: Partial<CaseFacts>): CaseFacts => ({ ...base, ...changes });

const actor = (role: string, scopeCode: string, departmentCode: string | null = null, accountId = `acc-${role}`): Actor => ({
  accountId,
  role,
  scopeCode,
  departmentCode,
});
const duty = actor('duty_officer', '511921');
const county = actor('county_commander', '511921');
const shaxi = actor('township_commander', SHAXI);
const worker = actor('grid_worker', '511921108209001');
const informant = actor('cell_informant', '511921108209001001');
const cadreD05 = actor('department_cadre', '511921108209001', 'D05');
const cadreD07 = actor('department_cadre', '511921108209001', 'D07');
const admin = actor('admin', '511921');

const request = (kind: PendingRequest['kind'], by: Actor = cadreD05): PendingRequest => ({
  kind,
  reason: '原因',
  requestedBy: { accountId: by.accountId, name: 'x', role: by.role },
  requestedAt: '2026-09-16T02:00:00.000Z',
  ...(kind === 'extension' ? { amount: 2, unit: 'days' as const } : {}),
});

describe('legal transitions', () => {
  it.each<[CaseAction, Partial<CaseFacts>, Actor, CaseState, { passed?: boolean; resumeTo?: CaseState }?]>([
    ['file', { state: 'reported' }, duty, 'filed'],
    ['reject', { state: 'reported' }, shaxi, 'rejected'],
    ['reject', { state: 'filed' }, duty, 'rejected'],
    ['dispatch', { state: 'filed' }, county, 'dispatched'],
    ['acknowledge', { state: 'dispatched', assignedDepartmentCode: 'D05' }, cadreD05, 'acknowledged'],
    ['acknowledge', { state: 'dispatched', assignedTownshipCode: SHAXI }, worker, 'acknowledged'],
    ['acknowledge', { state: 'dispatched', assignedTownshipCode: SHAXI }, shaxi, 'acknowledged'],
    ['handle', { state: 'acknowledged', assignedDepartmentCode: 'D07', coDepartmentCodes: ['D05'] }, cadreD05, 'acknowledged'],
    ['feedback', { state: 'acknowledged', assignedDepartmentCode: 'D05' }, cadreD05, 'handled'],
    ['check', { state: 'handled' }, duty, 'closed', { passed: true }],
    ['check', { state: 'handled' }, duty, 'acknowledged', { passed: false }],
    ['evaluate', { state: 'closed' }, duty, 'evaluated'],
    ['on_spot', { state: 'reported' }, worker, 'handled'],
    ['supervise', { state: 'acknowledged' }, county, 'acknowledged'],
    ['request_extension', { state: 'acknowledged', assignedDepartmentCode: 'D05' }, cadreD05, 'acknowledged'],
    ['request_send_back', { state: 'dispatched', assignedDepartmentCode: 'D05' }, cadreD05, 'dispatched'],
    ['request_park', { state: 'acknowledged', assignedDepartmentCode: 'D05' }, cadreD05, 'acknowledged'],
    ['request_cancel', { state: 'acknowledged', assignedDepartmentCode: 'D05' }, cadreD05, 'acknowledged'],
    ['approve', { state: 'acknowledged', pendingRequest: request('extension') }, shaxi, 'acknowledged'],
    ['approve', { state: 'acknowledged', pendingRequest: request('send_back') }, shaxi, 'filed'],
    ['approve', { state: 'dispatched', pendingRequest: request('park') }, duty, 'parked'],
    ['approve', { state: 'acknowledged', pendingRequest: request('cancel') }, county, 'cancelled'],
    ['deny', { state: 'acknowledged', pendingRequest: request('cancel') }, county, 'acknowledged'],
    ['resume', { state: 'parked' }, duty, 'dispatched', { resumeTo: 'dispatched' }],
  ])('%s from %o by %o → %s', (action, changes, who, expected, options) => {
    const current = facts(changes);
    expect(refusalOf(action, current, who)).toBeNull();
    expect(targetState(action, current, options)).toBe(expected);
  });
});

describe('refusals', () => {
  it.each<[CaseAction, Partial<CaseFacts>, Actor, string]>([
    ['dispatch', { state: 'reported' }, duty, 'illegal_transition'],
    ['reject', { state: 'dispatched' }, duty, 'illegal_transition'],
    ['request_cancel', { state: 'filed' }, shaxi, 'illegal_transition'],
    ['file', { state: 'closed' }, duty, 'illegal_transition'],
    ['acknowledge', { state: 'filed', assignedDepartmentCode: 'D05' }, cadreD05, 'illegal_transition'],
    ['feedback', { state: 'dispatched', assignedDepartmentCode: 'D05' }, cadreD05, 'illegal_transition'],
    ['check', { state: 'acknowledged' }, duty, 'illegal_transition'],
    ['evaluate', { state: 'handled' }, duty, 'illegal_transition'],
    ['on_spot', { state: 'filed' }, worker, 'illegal_transition'],
    ['supervise', { state: 'closed' }, county, 'illegal_transition'],
    ['resume', { state: 'acknowledged' }, duty, 'illegal_transition'],
    ['dispatch', { state: 'filed' }, informant, 'forbidden'],
    ['dispatch', { state: 'filed' }, worker, 'forbidden'],
    ['dispatch', { state: 'filed' }, admin, 'forbidden'],
    ['on_spot', { state: 'reported' }, duty, 'forbidden'],
    ['escalate', { state: 'acknowledged' }, county, 'system_only'],
    ['acknowledge', { state: 'dispatched', assignedDepartmentCode: 'D05' }, cadreD07, 'not_your_case'],
    ['acknowledge', { state: 'dispatched', assignedDepartmentCode: 'D05' }, worker, 'not_your_case'],
    ['acknowledge', { state: 'dispatched', assignedDepartmentCode: 'D05' }, shaxi, 'not_your_case'],
    ['acknowledge', { state: 'dispatched', assignedDepartmentCode: 'D05' }, duty, 'forbidden'],
    ['feedback', { state: 'acknowledged', assignedTownshipCode: SHAXI }, county, 'forbidden'],
    ['feedback', { state: 'acknowledged', assignedDepartmentCode: 'D07', coDepartmentCodes: ['D05'] }, cadreD05, 'not_your_case'],
    [
      'request_extension',
      { state: 'acknowledged', assignedDepartmentCode: 'D05', pendingRequest: request('park') },
      cadreD05,
      'request_pending',
    ],
    ['approve', { state: 'acknowledged' }, duty, 'no_pending_request'],
    ['approve', { state: 'acknowledged', pendingRequest: request('extension', shaxi) }, shaxi, 'own_request'],
    [
      'approve',
      { state: 'acknowledged', responsibleLevel: 'county', pendingRequest: request('extension') },
      shaxi,
      'not_your_case',
    ],
    ['approve', { state: 'handled', pendingRequest: request('send_back') }, duty, 'illegal_transition'],
  ])('%s on %o by %o: %s', (action, changes, who, code) => {
    expect(refusalOf(action, facts(changes), who)?.code).toBe(code);
  });

  it('throws 409 naming the state and the action, in both languages', () => {
    let error: unknown;
    try {
      authorize('dispatch', facts({ state: 'reported' }), duty);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AppError);
    const appError = error as AppError;
    expect(appError.status).toBe(409);
    expect(appError.localized.zh).toContain('已上报');
    expect(appError.localized.zh).toContain('派遣');
    expect(appError.localized.en).toContain('reported');
    expect(appError.localized.en).toContain('dispatch');
  });

  it('throws 403 for a role that may not take the action', () => {
    expect(() => authorize('file', facts({}), informant)).toThrowError(
      expect.objectContaining({ status: 403, code: 'forbidden' }),
    );
  });
});

describe('the actions a viewer is offered', () => {
  it('offers the duty officer filing, rejecting and supervising a new report', () => {
    expect(nextActions(facts({}), duty)).toEqual(['file', 'reject', 'supervise']);
  });

  it('offers a grid worker handling a new report on the spot, and nothing to an informant', () => {
    expect(nextActions(facts({}), worker)).toEqual(['on_spot']);
    expect(nextActions(facts({}), informant)).toEqual([]);
  });

  it('offers the lead department the handling steps and the requests, a co-handler only progress notes', () => {
    const acknowledged = facts({ state: 'acknowledged', assignedDepartmentCode: 'D05', coDepartmentCodes: ['D07'] });
    expect(nextActions(acknowledged, cadreD05)).toEqual([
      'handle',
      'feedback',
      'request_extension',
      'request_send_back',
      'request_park',
      'request_cancel',
    ]);
    expect(nextActions(acknowledged, cadreD07)).toEqual(['handle']);
  });

  it('offers approval to a commander of the level, not to the requester', () => {
    const pending = facts({ state: 'acknowledged', assignedDepartmentCode: 'D05', pendingRequest: request('extension') });
    expect(nextActions(pending, shaxi)).toContain('approve');
    expect(nextActions(pending, shaxi)).toContain('deny');
    expect(nextActions(pending, cadreD05)).not.toContain('request_park');
    const own = facts({ state: 'acknowledged', pendingRequest: request('park', shaxi) });
    expect(nextActions(own, shaxi)).not.toContain('approve');
  });
});

describe('the escalation ladder', () => {
  it.each([
    ['cell', 'grid'],
    ['grid', 'village'],
    ['village', 'township'],
    ['township', 'county'],
    ['county', null],
  ])('%s → %s', (from, to) => {
    expect(levelAbove(from)).toBe(to);
  });
});

describe('the states an inbox reads (statesOpenTo)', () => {
  it.each([
    ['grid_worker', ['dispatched', 'acknowledged']],
    ['grid_chief', ['dispatched', 'acknowledged']],
    ['township_commander', ['dispatched', 'acknowledged']],
    ['department_cadre', ['dispatched', 'acknowledged']],
    ['duty_officer', []],
    ['county_commander', []],
    ['cell_informant', []],
    ['admin', []],
    ['no_such_role', []],
  ])('%s works on cases in %j', (role, states) => {
    expect(statesOpenTo(role, WORK_ACTIONS)).toEqual(states);
  });

  it('holds every state in which nextActions offers a role inbox work', () => {
    const roles = [worker, shaxi, cadreD05, duty, informant];
    const dispatchedTo = { assignedTownshipCode: SHAXI, assignedDepartmentCode: 'D05' };
    for (const state of ['reported', 'filed', 'dispatched', 'acknowledged', 'handled', 'closed', 'parked'] as CaseState[]) {
      for (const who of roles) {
        const work = nextActions(facts({ state, ...dispatchedTo }), who).filter((action) =>
          (WORK_ACTIONS as readonly CaseAction[]).includes(action),
        );
        if (work.length > 0) expect(statesOpenTo(who.role, WORK_ACTIONS)).toContain(state);
      }
    }
  });
});
