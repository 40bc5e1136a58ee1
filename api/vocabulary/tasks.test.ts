import { describe, expect, it } from 'vitest';
import { FIELD_TYPES, type FieldType, FORM_LIMITS, FormFieldSchema, type FormProblem, type ScalarField } from './task-forms.ts';
import {
  ESCALATION_LEVELS,
  type EscalationLevel,
  REMINDER_KIND_CODES,
  REMINDER_KINDS,
  type ReminderKind,
  TARGET_KIND_CODES,
  TARGET_KINDS,
  TARGET_STATE_CODES,
  TARGET_STATES,
  TASK_AUDIT_ACTIONS,
  TASK_KIND_CODES,
  TASK_KINDS,
  TASK_LIVE_EVENT_TYPES,
  TASK_STATUS_CODES,
  TASK_STATUSES,
  type TargetCounts,
  type TargetKind,
  TaskDispatchedPayloadSchema,
  type TaskStatus,
  TaskTargetPayloadSchema,
} from './tasks.ts';

describe('the tasks vocabulary', () => {
  it('lists every code of its tables', () => {
    expect(TASK_KIND_CODES).toEqual(Object.keys(TASK_KINDS));
    expect(TASK_STATUS_CODES).toEqual(['open', 'closed', 'cancelled']);
    expect(TARGET_KIND_CODES).toEqual(['cell', 'grid']);
    expect(REMINDER_KIND_CODES).toEqual(['remind', 'escalate_worker', 'escalate_chief']);
  });

  it('labels every word in Chinese and English', () => {
    const tables = [TASK_KINDS, TASK_STATUSES, TARGET_KINDS, TARGET_STATES, REMINDER_KINDS, ESCALATION_LEVELS, FIELD_TYPES];
    for (const table of tables) for (const label of Object.values(table)) expect(label.zh && label.en).toBeTruthy();
  });

  it('orders the target states from pending to done, each with its own colour', () => {
    expect(TARGET_STATE_CODES).toEqual(['pending', 'delivered', 'read', 'acknowledged', 'done']);
    const colours = TARGET_STATE_CODES.map((state) => TARGET_STATES[state].hex);
    expect(new Set(colours).size).toBe(colours.length);
    const counts: TargetCounts = { pending: 1, delivered: 0, read: 0, acknowledged: 0, done: 0 };
    expect(Object.keys(counts)).toEqual(TARGET_STATE_CODES);
  });

  it('names its live events and audit actions under tasks', () => {
    expect(Object.values(TASK_LIVE_EVENT_TYPES).every((type) => type.startsWith('task.'))).toBe(true);
    const at = '2026-01-01T00:00:00.000Z';
    const dispatched = {
      taskId: 't1',
      targetId: 1,
      title: '通知',
      lineName: '防汛抗旱',
      kind: 'notice',
      deadline: at,
      drill: false,
    };
    expect(TaskDispatchedPayloadSchema.safeParse(dispatched).success).toBe(true);
    expect(TaskTargetPayloadSchema.safeParse({ taskId: 't1', targetId: 1, areaCode: '1', state: 'seen', at }).success).toBe(
      false,
    );
    expect(Object.values(TASK_AUDIT_ACTIONS).every((action) => action.startsWith('tasks.'))).toBe(true);
  });

  it('types a field by its type', () => {
    const level: EscalationLevel = 2;
    const kind: ReminderKind = 'remind';
    const target: TargetKind = 'cell';
    const status: TaskStatus = 'open';
    const type: FieldType = 'list';
    const plate: ScalarField = { key: 'plate', label: '车牌', type: 'text', required: true };
    const problem: FormProblem = { path: '', message: { zh: '', en: '' } };
    expect(FormFieldSchema.safeParse({ key: 'vehicles', label: '车辆', type, required: false, fields: [plate] }).success).toBe(
      true,
    );
    expect([level, kind, target, status, problem.path]).toEqual([2, 'remind', 'cell', 'open', '']);
    expect(FORM_LIMITS.listDefaultMaxItems).toBeLessThanOrEqual(FORM_LIMITS.listMaxItems);
  });
});
