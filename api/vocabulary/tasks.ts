import * as z from 'zod/mini';
import type { Label } from './label.ts';

/** What a task asks (任务类型): a notice to acknowledge, or a form to fill; the CHECK of `tasks.kind`. */
export const TASK_KINDS = {
  notice: { zh: '通知', en: 'Notice' },
  collection: { zh: '信息采集', en: 'Collection' },
} as const satisfies Record<string, Label>;
export type TaskKind = keyof typeof TASK_KINDS;
export const TASK_KIND_CODES = Object.keys(TASK_KINDS) as [TaskKind, ...TaskKind[]];

/** A task's own status; the CHECK of `tasks.status`. */
export const TASK_STATUSES = {
  open: { zh: '进行中', en: 'Open' },
  closed: { zh: '已结束', en: 'Closed' },
  cancelled: { zh: '已撤销', en: 'Cancelled' },
} as const satisfies Record<string, Label>;
export type TaskStatus = keyof typeof TASK_STATUSES;
export const TASK_STATUS_CODES = Object.keys(TASK_STATUSES) as [TaskStatus, ...TaskStatus[]];

/** Who a target is: a cell (its informant) or a grid (its grid worker); the CHECK of `task_targets.target_kind`. */
export const TARGET_KINDS = {
  cell: { zh: '单元格（信息员）', en: 'Cell (informant)' },
  grid: { zh: '网格（网格员）', en: 'Grid (grid worker)' },
} as const satisfies Record<string, Label>;
export type TargetKind = keyof typeof TARGET_KINDS;
export const TARGET_KIND_CODES = Object.keys(TARGET_KINDS) as [TargetKind, ...TargetKind[]];

/**
 * How far a target got, furthest last, with the colour the live map draws its cell in. A target's
 * state is derived from its timestamps by targetStateOf, never stored.
 */
export const TARGET_STATES = {
  pending: { zh: '未送达', en: 'Pending', hex: '#9aa0a6' },
  delivered: { zh: '已送达', en: 'Delivered', hex: '#f2a600' },
  read: { zh: '已阅读', en: 'Read', hex: '#1a73e8' },
  acknowledged: { zh: '已确认', en: 'Acknowledged', hex: '#7b1fa2' },
  done: { zh: '已完成', en: 'Done', hex: '#188038' },
} as const satisfies Record<string, Label & { hex: string }>;
export type TargetState = keyof typeof TARGET_STATES;
export const TARGET_STATE_CODES = Object.keys(TARGET_STATES) as [TargetState, ...TargetState[]];

/** A target's timestamps as any reader has them (Date, ISO text, or null when not yet). */
export interface TargetStamps {
  deliveredAt: Date | string | null;
  readAt: Date | string | null;
  acknowledgedAt: Date | string | null;
  doneAt: Date | string | null;
}

/**
 * A target's state, by precedence: done > acknowledged > read > delivered > pending. A later
 * stamp wins even when an earlier one is missing (an acknowledgement from a phone that never
 * reported the read is acknowledged).
 */
export function targetStateOf(target: TargetStamps): TargetState {
  if (target.doneAt) return 'done';
  if (target.acknowledgedAt) return 'acknowledged';
  if (target.readAt) return 'read';
  if (target.deliveredAt) return 'delivered';
  return 'pending';
}

/** Per-state counts of targets, every state present (0 when none). */
export type TargetCounts = Record<TargetState, number>;

/** How a target was chased; the CHECK of `task_reminders.kind`. */
export const REMINDER_KINDS = {
  remind: { zh: '催办', en: 'Reminder' },
  escalate_worker: { zh: '上报网格员', en: 'Escalated to the grid worker' },
  escalate_chief: { zh: '上报网格长', en: 'Escalated to the grid chief' },
} as const satisfies Record<string, Label>;
export type ReminderKind = keyof typeof REMINDER_KINDS;
export const REMINDER_KIND_CODES = Object.keys(REMINDER_KINDS) as [ReminderKind, ...ReminderKind[]];

/** `task_targets.escalation_level`: 0 not escalated, 1 to its grid worker, 2 to its grid chief. */
export const ESCALATION_LEVELS = {
  0: { zh: '未上报', en: 'Not escalated' },
  1: { zh: '已上报网格员', en: 'Escalated to the grid worker' },
  2: { zh: '已上报网格长', en: 'Escalated to the grid chief' },
} as const satisfies Record<number, Label>;
export type EscalationLevel = keyof typeof ESCALATION_LEVELS;

/**
 * The live event types of tasks (api/vocabulary/live-events.ts declares each one's payload and
 * cut): a target reached, a target's state changed, a target reminded, a target escalated.
 */
export const TASK_LIVE_EVENT_TYPES = {
  dispatched: 'task.dispatched',
  target: 'task.target',
  reminded: 'task.reminded',
  escalated: 'task.escalated',
} as const;

/**
 * The audit actions of tasks' personal reads. The inbox's households and the escalated targets'
 * names and phones are audited under the existing `households.read` and `people.read`.
 */
export const TASK_AUDIT_ACTIONS = {
  /** A photo of a form's answer opened. */
  photoRead: 'tasks.photo_read',
  /** A task's answers (per cell and household) read on the command side. */
  resultsRead: 'tasks.results_read',
  /** A task's answers exported (XLSX or CSV). */
  resultsExport: 'tasks.results_export',
} as const;

/** `task.dispatched`: one per target, scoped to its cell or grid, so its informant's or worker's phone hears of it. */
export const TaskDispatchedPayloadSchema = z.object({
  taskId: z.string(),
  targetId: z.number(),
  title: z.string(),
  lineName: z.string(),
  kind: z.enum(TASK_KIND_CODES),
  /** ISO 8601. */
  deadline: z.string(),
  drill: z.boolean(),
});

/** `task.target`: a target's state changed; scoped to its cell or grid. */
export const TaskTargetPayloadSchema = z.object({
  taskId: z.string(),
  targetId: z.number(),
  areaCode: z.string(),
  state: z.enum(TARGET_STATE_CODES),
  /** ISO 8601: when the state was reached. */
  at: z.string(),
});
