import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { geometry } from '../geometry.ts';
import { areaScopeIndex, photoColumns } from './columns.ts';

// Task lines and broadcasts (条线任务, the N of 1+4+N; issue 19, migrations/0019). A task is a
// notice to acknowledge or a collection form, sent on one line to every cell (its informant) and
// every grid (its worker) of an area at once. Each target row follows its own way from dispatch
// to done (delivered, read, acknowledged, done), and is reminded or escalated while it stays
// silent; the live map and the reach curves are read from those rows and nothing else. Tasks,
// targets, answers, reminders and photos are cut to scope by area; writes run as the owner after
// the service checked the caller, as everywhere. `person_id` names a row of `people` without a
// foreign key: the county's seed replaces that table wholesale (api/seed/repository.ts).

/**
 * A task line (条线): epidemic prevention, flood and drought, production safety, ... Lines are
 * data: the county's administrators add them and name the departments that own them. A
 * department's cadres dispatch tasks on the lines their department owns.
 */
export const taskLines = pgTable('task_lines', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  /** The departments (`departments.code`) that own the line. */
  departmentCodes: text('department_codes').array().notNull().default(sql`'{}'::text[]`),
  active: boolean('active').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * One task, to every cell and grid of `area_code` (any level). `fields` is the collection
 * form: an ordered list of typed fields (text, number, choice, date, photo, location, and a
 * repeating list of such fields, e.g. vehicles), checked on the server against each answer;
 * null for a notice. `per_household` asks for one answer per household of the cell.
 */
export const tasks = pgTable(
  'tasks',
  {
    id: text('id').primaryKey(),
    lineCode: text('line_code')
      .notNull()
      .references(() => taskLines.code),
    /** 'notice' (to acknowledge) | 'collection' (a form to fill) */
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull().default(''),
    fields: jsonb('fields'),
    perHousehold: boolean('per_household').notNull().default(false),
    areaCode: text('area_code').notNull(),
    deadline: timestamp('deadline', { withTimezone: true }).notNull(),
    /** Minutes a target may stay silent before it is escalated to its grid worker, then as long again to its grid chief. */
    escalateAfterMinutes: integer('escalate_after_minutes').notNull().default(60),
    /** 'open' | 'closed' (past its deadline or closed by its owner) | 'cancelled' */
    status: text('status').notNull().default('open'),
    /** A practice task of the drill mode, answered by simulated informants. */
    drill: boolean('drill').notNull().default(false),
    ownerId: text('owner_id'),
    ownerName: text('owner_name').notNull(),
    /** The dispatching cadre's department; null when a commander dispatched it. */
    departmentCode: text('department_code'),
    /** The id the browser generated: a retried dispatch finds this task. */
    clientId: text('client_id').notNull(),
    /** Cells and grids targeted, counted once at dispatch. */
    targetCount: integer('target_count').notNull().default(0),
    dispatchedAt: timestamp('dispatched_at', { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (table) => [
    uniqueIndex('tasks_client_idx').on(table.ownerId, table.clientId),
    areaScopeIndex('tasks', table.areaCode),
    index('tasks_dispatched_idx').on(table.dispatchedAt),
    check('tasks_kind_check', sql`${table.kind} IN ('notice', 'collection')`),
    check('tasks_status_check', sql`${table.status} IN ('open', 'closed', 'cancelled')`),
    check('tasks_form_check', sql`(${table.kind} = 'notice') = (${table.fields} IS NULL)`),
    check('tasks_escalate_check', sql`${table.escalateAfterMinutes} BETWEEN 5 AND 10080`),
  ],
);

/**
 * One cell (its informant) or one grid (its worker) a task was sent to, and how far it got:
 * delivered (its phone fetched it), read (opened), acknowledged, done (a notice acknowledged, or
 * the form's answers sent). Timestamps only move forward and are never cleared.
 */
export const taskTargets = pgTable(
  'task_targets',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    taskId: text('task_id')
      .notNull()
      .references(() => tasks.id),
    /** 'cell' (its informant) | 'grid' (its grid worker) */
    targetKind: text('target_kind').notNull(),
    /** The cell or the grid. */
    areaCode: text('area_code').notNull(),
    /** The informant or grid worker responsible at dispatch (`people.id`); null if the post was empty. */
    personId: text('person_id'),
    /** Copied from the task: department cadres see their own department's targets only. */
    departmentCode: text('department_code'),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    readAt: timestamp('read_at', { withTimezone: true }),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    doneAt: timestamp('done_at', { withTimezone: true }),
    reminders: integer('reminders').notNull().default(0),
    lastRemindedAt: timestamp('last_reminded_at', { withTimezone: true }),
    /** 0 not escalated, 1 to its grid worker, 2 to its grid chief. */
    escalationLevel: smallint('escalation_level').notNull().default(0),
    escalatedAt: timestamp('escalated_at', { withTimezone: true }),
  },
  (table) => [
    uniqueIndex('task_targets_area_idx').on(table.taskId, table.targetKind, table.areaCode),
    areaScopeIndex('task_targets', table.areaCode),
    check('task_targets_kind_check', sql`${table.targetKind} IN ('cell', 'grid')`),
    check('task_targets_escalation_check', sql`${table.escalationLevel} BETWEEN 0 AND 2`),
  ],
);

/**
 * One answer to a collection task: per target, or per household when the task asks for one
 * answer each. `answers` maps field keys to values checked against the form's field types.
 * Idempotent by `(responder_id, client_id)`; a later answer for the same household replaces
 * the earlier one (updated_at moves).
 */
export const taskResponses = pgTable(
  'task_responses',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    taskId: text('task_id')
      .notNull()
      .references(() => tasks.id),
    targetId: integer('target_id').notNull(),
    /** The household answered for; '' when the task asks one answer per target. */
    householdCode: text('household_code').notNull().default(''),
    answers: jsonb('answers').notNull(),
    /** The first location field's value, or where the phone was: shown on the results map. */
    location: geometry('location', { type: 'Point', srid: 4326 }),
    responderId: text('responder_id'),
    responderName: text('responder_name').notNull(),
    clientId: text('client_id').notNull(),
    /** The target's cell or grid. */
    areaCode: text('area_code').notNull(),
    departmentCode: text('department_code'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('task_responses_household_idx').on(table.taskId, table.targetId, table.householdCode),
    uniqueIndex('task_responses_client_idx').on(table.responderId, table.clientId),
    areaScopeIndex('task_responses', table.areaCode),
  ],
);

/** A reminder sent to a silent target, or its escalation to the grid worker or grid chief. */
export const taskReminders = pgTable(
  'task_reminders',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    taskId: text('task_id')
      .notNull()
      .references(() => tasks.id),
    targetId: integer('target_id').notNull(),
    /** 'remind' (by hand, from the command center) | 'escalate_worker' | 'escalate_chief' (by the sweep) */
    kind: text('kind').notNull(),
    /** Who is told: the target's own person, its grid worker or its grid chief (`people.id`). */
    recipientId: text('recipient_id'),
    sentBy: text('sent_by'),
    sentByName: text('sent_by_name').notNull(),
    areaCode: text('area_code').notNull(),
    departmentCode: text('department_code'),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('task_reminders_task_idx').on(table.taskId, table.targetId),
    areaScopeIndex('task_reminders', table.areaCode),
    check('task_reminders_kind_check', sql`${table.kind} IN ('remind', 'escalate_worker', 'escalate_chief')`),
  ],
);

/** A photo taken for a photo field of a form; its id is the field's value. */
export const taskPhotos = pgTable(
  'task_photos',
  {
    id: text('id').primaryKey(),
    taskId: text('task_id')
      .notNull()
      .references(() => tasks.id),
    ...photoColumns(),
    areaCode: text('area_code').notNull(),
    departmentCode: text('department_code'),
    uploadedBy: text('uploaded_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('task_photos_sha_idx').on(table.taskId, table.areaCode, table.sha256),
    areaScopeIndex('task_photos', table.areaCode),
  ],
);
