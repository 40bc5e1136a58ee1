import { describe, expect, it } from 'vitest';
import { withUnsent } from './inbox-task.ts';
import type { TaskAction, TaskOutboxItem } from './task-outbox.ts';
import type { InboxItem } from './tasks-api.ts';

const AT = '2026-12-04T02:00:00.000Z';

function target(kind: 'notice' | 'collection', extra: Partial<InboxItem> = {}): InboxItem {
  return {
    targetId: 7,
    targetKind: 'cell',
    areaCode: '511921108209001001',
    areaName: '1单元',
    state: 'delivered',
    deliveredAt: AT,
    readAt: null,
    acknowledgedAt: null,
    doneAt: null,
    task: {
      id: 't1',
      lineName: '防汛抗旱',
      kind,
      title: '通知',
      body: '',
      fields: null,
      perHousehold: false,
      deadline: AT,
      status: 'open',
      drill: false,
      ownerName: '县总指挥',
      dispatchedAt: AT,
    },
    responses: [],
    ...extra,
  };
}

function waiting(action: Omit<TaskAction, 'targetId' | 'taskId'>): TaskOutboxItem {
  return {
    clientId: crypto.randomUUID(),
    account: 'wangping-cell',
    createdAt: 1,
    state: 'waiting',
    attempts: 0,
    nextAttemptAt: 0,
    error: null,
    result: null,
    title: '通知',
    action: { targetId: 7, taskId: 't1', ...action } as TaskAction,
  };
}

describe('a task as the phone shows it before the server has heard', () => {
  it('is the server’s state while nothing waits', () => {
    expect(withUnsent(target('notice'), []).shownState).toBe('delivered');
  });

  it('is read once opened, and a notice acknowledged offline is done', () => {
    expect(withUnsent(target('notice'), [waiting({ kind: 'read' })]).shownState).toBe('read');
    expect(withUnsent(target('notice'), [waiting({ kind: 'read' }), waiting({ kind: 'acknowledge' })]).shownState).toBe('done');
    expect(withUnsent(target('collection'), [waiting({ kind: 'acknowledge' })]).shownState).toBe('acknowledged');
  });

  it('is done per household only when every household has an answer, here or on the server, or when completed', () => {
    const households = [
      { code: 'H1', address: '1组3号' },
      { code: 'H2', address: '1组5号' },
    ];
    const perHousehold = target('collection', {
      households,
      responses: [{ householdCode: 'H1', answers: {}, updatedAt: AT }],
    });
    perHousehold.task.perHousehold = true;
    const answer = (householdCode: string) =>
      waiting({ kind: 'answer', householdCode, answers: {}, location: null, photos: [] } as Omit<
        TaskAction,
        'targetId' | 'taskId'
      >);
    expect(withUnsent(perHousehold, [answer('H1')]).shownState).toBe('delivered');
    expect(withUnsent(perHousehold, [answer('H2')]).shownState).toBe('done');
    expect(withUnsent(perHousehold, [waiting({ kind: 'complete' })]).shownState).toBe('done');
  });
});
