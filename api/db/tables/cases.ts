import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { bytea, geometry } from '../geometry.ts';

/**
 * A report from the field and the case it becomes: one row per report, its place (the point and
 * the cell, grid, village and township it falls in), its state in the case workflow
 * (api/cases/workflow.ts) and the clock of the current step. Cut to scope by its cell code.
 */
export const reports = pgTable(
  'reports',
  {
    id: text('id').primaryKey(),
    /** 案卷号, e.g. TJ20261129-0042: what people say on the phone. */
    caseNumber: text('case_number').notNull().unique(),
    /** The id the reporting phone generated: a retry of the same submission finds this row. */
    clientId: text('client_id').notNull(),
    reporterId: text('reporter_id'),
    reporterName: text('reporter_name').notNull(),
    reporterRole: text('reporter_role').notNull(),
    source: text('source').notNull().default('field'), // field | duty | drill | demo
    /** See api/vocabulary/report-types.ts: landslide, rockfall, ground_crack, flood, fire, ... */
    type: text('type').notNull(),
    urgency: text('urgency').notNull(), // normal | urgent
    description: text('description').notNull(),
    /** WGS84, as submitted after conversion from GCJ-02 / BD-09. */
    location: geometry('location', { type: 'Point', srid: 4326 }).notNull(),
    /** Horizontal accuracy the phone reported, in metres; null when the point was tapped or typed. */
    accuracyM: doublePrecision('accuracy_m'),
    /** The datum the client sent (wgs84 | gcj02 | bd09), kept for the record. */
    inputDatum: text('input_datum').notNull().default('wgs84'),
    cellCode: text('cell_code').notNull(),
    gridCode: text('grid_code').notNull(),
    villageCode: text('village_code').notNull(),
    townshipCode: text('township_code').notNull(),
    /** The workflow state: reported, filed, dispatched, acknowledged, handled, checked, closed, evaluated, rejected, cancelled, merged. */
    state: text('state').notNull(),
    /** Who must act now: the level that owns the case (cell, grid, village, township, county). Escalation moves it up. */
    responsibleLevel: text('responsible_level').notNull().default('cell'),
    /** Dispatched to a township (its code) or a department (D01..), or both for co-handling. */
    assignedTownshipCode: text('assigned_township_code'),
    assignedDepartmentCode: text('assigned_department_code'),
    /** Further departments co-handling (协同), codes. */
    coDepartmentCodes: jsonb('co_department_codes').$type<string[]>().notNull().default([]),
    /** An extension, send-back, park or cancel waiting for approval: { kind, reason, requestedBy, requestedAt, ... }. */
    pendingRequest: jsonb('pending_request'),
    parked: boolean('parked').notNull().default(false),
    supervised: boolean('supervised').notNull().default(false),
    /** The step whose clock runs (file, acknowledge, handle, check) and when it is due. */
    clockStage: text('clock_stage'),
    clockStartedAt: timestamp('clock_started_at', { withTimezone: true }),
    dueAt: timestamp('due_at', { withTimezone: true }),
    /** The running limit granted so far, in `limit_unit` (minutes, hours, days), including approved extensions. */
    limitAmount: integer('limit_amount'),
    limitUnit: text('limit_unit'),
    /** The clock `due_at` was counted on and the light is measured on: natural (every hour) or working (office time). */
    limitClock: text('limit_clock'),
    escalationCount: smallint('escalation_count').notNull().default(0),
    /** Someone took the report (opened it and acted): urgent ones stop flashing. */
    takenAt: timestamp('taken_at', { withTimezone: true }),
    takenBy: text('taken_by'),
    mergedInto: text('merged_into'),
    /** Resident satisfaction from the return visit: 1 (very unsatisfied) to 5 (very satisfied). */
    satisfaction: smallint('satisfaction'),
    /** The area to control around the report (WGS84); a default circle per type until an officer edits it. */
    controlZone: geometry('control_zone', { type: 'Polygon', srid: 4326 }),
    reportedAt: timestamp('reported_at', { withTimezone: true }).notNull().defaultNow(),
    filedAt: timestamp('filed_at', { withTimezone: true }),
    dispatchedAt: timestamp('dispatched_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    /** True when closed within its limit (for 按期结案率). */
    closedOnTime: boolean('closed_on_time'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** Bumped on every change: a client sends it back to refuse acting on a stale view. */
    version: integer('version').notNull().default(1),
  },
  (table) => [
    index('reports_location_idx').using('gist', table.location),
    index('reports_cell_pattern_idx').using('btree', sql`${table.cellCode} text_pattern_ops`),
    index('reports_state_idx').on(table.state),
    index('reports_reported_at_idx').on(table.reportedAt),
    index('reports_due_idx').on(table.dueAt),
    uniqueIndex('reports_client_idx').on(table.reporterId, table.clientId),
    check('reports_limit_unit_check', sql`${table.limitUnit} IN ('minutes', 'hours', 'days')`),
    check('reports_limit_clock_check', sql`${table.limitClock} IN ('natural', 'working')`),
  ],
);

/** Photos of a report or of a workflow step, stored in the database with their checked content type. */
export const reportPhotos = pgTable(
  'report_photos',
  {
    id: text('id').primaryKey(),
    reportId: text('report_id')
      .notNull()
      .references(() => reports.id),
    /** The timeline step the photo belongs to; null for the report's own photos. */
    stepId: bigint('step_id', { mode: 'number' }),
    /** Sniffed from the bytes: image/jpeg, image/png or image/webp. */
    contentType: text('content_type').notNull(),
    byteSize: integer('byte_size').notNull(),
    sha256: text('sha256').notNull(),
    bytes: bytea('bytes').notNull(),
    cellCode: text('cell_code').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('report_photos_report_idx').on(table.reportId)],
);

/** The case timeline: every step, who, when, what, with a note. Append-only (migrations/0004). */
export const caseSteps = pgTable(
  'case_steps',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    reportId: text('report_id')
      .notNull()
      .references(() => reports.id),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorId: text('actor_id'),
    actorName: text('actor_name').notNull(),
    actorRole: text('actor_role').notNull(),
    /** report, file, reject, dispatch, acknowledge, handle, feedback, check, close, evaluate, escalate, ... */
    action: text('action').notNull(),
    fromState: text('from_state'),
    toState: text('to_state').notNull(),
    note: text('note').notNull().default(''),
    details: jsonb('details'),
    /** The id the client generated for this action, so a retried tap is applied once. */
    clientId: text('client_id'),
    cellCode: text('cell_code').notNull(),
  },
  (table) => [
    index('case_steps_report_idx').on(table.reportId, table.at),
    uniqueIndex('case_steps_client_idx').on(table.reportId, table.clientId),
  ],
);

/**
 * Time limits per report type and urgency, and per stage of the case. Admins edit them.
 * `amount` `unit` (minutes, hours, days) counted on `clock`: natural (every hour, nights,
 * weekends and holidays included; a day is 24 hours) or working (office hours on working days;
 * a day is 7 office hours). Urgent reports and geohazards run on natural time by default.
 */
export const timeLimits = pgTable(
  'time_limits',
  {
    type: text('type').notNull(),
    urgency: text('urgency').notNull(),
    /** file (verify and dispatch), acknowledge, handle, check */
    stage: text('stage').notNull(),
    amount: integer('amount').notNull(),
    unit: text('unit').notNull(),
    clock: text('clock').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: text('updated_by'),
  },
  (table) => [
    primaryKey({ columns: [table.type, table.urgency, table.stage] }),
    check('time_limits_unit_check', sql`${table.unit} IN ('minutes', 'hours', 'days')`),
    check('time_limits_clock_check', sql`${table.clock} IN ('natural', 'working')`),
  ],
);

/** One alert to one responsible person about one report's control zone, and its acknowledgment. */
export const reportAlerts = pgTable(
  'report_alerts',
  {
    id: text('id').primaryKey(),
    reportId: text('report_id')
      .notNull()
      .references(() => reports.id),
    personId: text('person_id').notNull(),
    personName: text('person_name').notNull(),
    /** grid_worker | cell_informant */
    personRole: text('person_role').notNull(),
    /** The cell or grid the person answers for: the account scoped there acknowledges. */
    areaCode: text('area_code').notNull(),
    alertedAt: timestamp('alerted_at', { withTimezone: true }).notNull().defaultNow(),
    alertedBy: text('alerted_by'),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    acknowledgedBy: text('acknowledged_by'),
  },
  (table) => [
    uniqueIndex('report_alerts_person_idx').on(table.reportId, table.personId),
    index('report_alerts_area_idx').using('btree', sql`${table.areaCode} text_pattern_ops`),
  ],
);
