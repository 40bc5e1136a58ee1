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
import { bytea, geometry } from './geometry.ts';

/**
 * Every administrative unit, county to cell, in one table keyed by its statistical code.
 * Codes nest (6, 9, 12, 15, 18 digits), so `code LIKE scope || '%'` is the subtree.
 */
export const areas = pgTable(
  'areas',
  {
    code: text('code').primaryKey(),
    /** county | township | village | grid | cell */
    level: text('level').notNull(),
    /** county | street | town | xiang | village | community | grid | cell */
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    parentCode: text('parent_code'),
    urban: boolean('urban').notNull().default(false),
    population: integer('population').notNull().default(0),
    households: integer('households').notNull().default(0),
    /** Full pinyin without tones, lower case, no spaces (wangpingcun), for search. */
    pinyin: text('pinyin').notNull().default(''),
    /** Pinyin initials (wpc), for search. */
    pinyinInitials: text('pinyin_initials').notNull().default(''),
    /** True for generated boundaries; false once a county imports its real ones. */
    synthetic: boolean('synthetic').notNull().default(true),
    areaM2: doublePrecision('area_m2').notNull().default(0),
    geom: geometry('geom', { type: 'MultiPolygon', srid: 4326 }).notNull(),
    labelPoint: geometry('label_point', { type: 'Point', srid: 4326 }).notNull(),
  },
  (table) => [
    index('areas_geom_idx').using('gist', table.geom),
    index('areas_parent_idx').on(table.parentCode),
    index('areas_level_idx').on(table.level),
    index('areas_code_pattern_idx').using('btree', sql`${table.code} text_pattern_ops`),
  ],
);

/**
 * Area outlines prepared for vector tiles: in Web Mercator, simplified once per zoom band, with
 * the properties a tile carries copied beside them, so a tile query only clips and encodes (no
 * join). Rebuilt from `areas` by the seed or an import.
 */
export const areaTileGeometries = pgTable(
  'area_tile_geometries',
  {
    code: text('code').notNull(),
    level: text('level').notNull(),
    /** Lowest zoom this simplification serves; see ZOOM_BANDS in api/tiles/layers.ts. */
    band: smallint('band').notNull(),
    name: text('name').notNull().default(''),
    kind: text('kind').notNull().default(''),
    population: integer('population').notNull().default(0),
    households: integer('households').notNull().default(0),
    urban: boolean('urban').notNull().default(false),
    geom: geometry('geom', { type: 'MultiPolygon', srid: 3857 }).notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.level, table.band, table.code] }),
    index('area_tile_geometries_geom_idx').using('gist', table.geom),
  ],
);

export const households = pgTable(
  'households',
  {
    code: text('code').primaryKey(),
    cellCode: text('cell_code').notNull(),
    residents: smallint('residents').notNull(),
    address: text('address').notNull(),
    synthetic: boolean('synthetic').notNull().default(true),
    geom: geometry('geom', { type: 'Point', srid: 4326 }).notNull(),
    /** The same point in Web Mercator, for tiles. */
    geom3857: geometry('geom_3857', { type: 'Point', srid: 3857 }).notNull(),
  },
  (table) => [
    index('households_geom_idx').using('gist', table.geom),
    index('households_geom_3857_idx').using('gist', table.geom3857),
    index('households_cell_idx').on(table.cellCode),
  ],
);

/**
 * Households merged for the zooms below the street-level one (HOUSEHOLD_DETAIL_ZOOM): per zoom,
 * the households of one cell that fall in the same square of HOUSEHOLD_MERGE_UNITS tile units
 * become one point at their mean position. Clusters never cross a cell, so scope cuts them as
 * it cuts households. Rebuilt with the tile geometries by the seed or an import.
 */
export const householdClusters = pgTable(
  'household_clusters',
  {
    zoom: smallint('zoom').notNull(),
    cellCode: text('cell_code').notNull(),
    /** The lowest household code in the cluster: a stable id for the point. */
    code: text('code').notNull(),
    households: integer('households').notNull(),
    residents: integer('residents').notNull(),
    geom3857: geometry('geom_3857', { type: 'Point', srid: 3857 }).notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.zoom, table.code] }),
    index('household_clusters_geom_3857_idx').using('gist', table.geom3857),
  ],
);

export const departments = pgTable('departments', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  reportTypes: text('report_types').array().notNull().default(sql`'{}'::text[]`), // its lines (条线), migrations/0009
});

/** The people responsible for areas: township commanders, grid chiefs, grid workers, informants, cadres. */
export const people = pgTable(
  'people',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    /** township_commander | grid_chief | grid_worker | cell_informant | department_cadre */
    role: text('role').notNull(),
    areaCode: text('area_code').notNull(),
    phone: text('phone').notNull(),
    departmentCode: text('department_code'),
    synthetic: boolean('synthetic').notNull().default(true),
  },
  (table) => [index('people_area_idx').on(table.areaCode)],
);

/** Facts about the loaded data set: which generator seed, when it was seeded. */
export const datasetMeta = pgTable('dataset_meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A person who can sign in: one role, one area scope (a code prefix: that area and everything under it). */
export const accounts = pgTable(
  'accounts',
  {
    id: text('id').primaryKey(),
    /** Lower case; what the person types to sign in. */
    username: text('username').notNull().unique(),
    displayName: text('display_name').notNull(),
    /** See api/auth/permissions.ts for the roles and what each may do. */
    role: text('role').notNull(),
    scopeCode: text('scope_code').notNull(),
    /** For department cadres: the department (D01..) whose dispatched cases they act on. */
    departmentCode: text('department_code'),
    /** argon2id, PHC string. */
    passwordHash: text('password_hash').notNull(),
    /** Demo accounts exist only in the embedded demo; the login page lists them. */
    demo: boolean('demo').notNull().default(false),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('accounts_scope_idx').using('btree', sql`${table.scopeCode} text_pattern_ops`)],
);

/** A signed-in browser. The cookie holds a random token; only its SHA-256 is stored. */
export const sessions = pgTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id),
    /** Sent back by the client in X-CSRF-Token on every state-changing request. */
    csrfToken: text('csrf_token').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (table) => [index('sessions_account_idx').on(table.accountId)],
);

/**
 * Who did what, when, from where: sign-ins (and failed ones), account changes, and every read
 * or export of personal data. Append-only for the application: a trigger refuses UPDATE,
 * DELETE and TRUNCATE (migrations/0003).
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorId: text('actor_id'),
    actorUsername: text('actor_username'),
    actorRole: text('actor_role'),
    /** e.g. auth.login, auth.login_failed, account.create, people.read, households.read, audit.export */
    action: text('action').notNull(),
    /** ok | denied | failed */
    outcome: text('outcome').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    /** The area the entry concerns; admins and commanders see the entries inside their scope. */
    scopeCode: text('scope_code').notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
    details: jsonb('details'),
  },
  (table) => [
    index('audit_log_at_idx').on(table.at),
    index('audit_log_action_at_idx').on(table.action, table.at),
    index('audit_log_scope_idx').using('btree', sql`${table.scopeCode} text_pattern_ops`),
  ],
);

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

/**
 * The live event log: append-only. Each row is one thing that happened (a report, a state
 * change, an escalation, an alert); its id is the SSE event id, so a client that reconnects
 * with Last-Event-ID gets every row after it. `scope_code` is the cell the event concerns:
 * a browser receives it only when its account's scope is a prefix of it.
 */
export const liveEvents = pgTable(
  'live_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    /** report.created, case.changed, case.escalated, alert.sent, alert.acknowledged, session.revoked, ... */
    type: text('type').notNull(),
    scopeCode: text('scope_code').notNull(),
    payload: jsonb('payload').notNull(),
    departmentCodes: text('department_codes').array(), // the departments that saw its case (0009); null: no case
  },
  (table) => [index('live_events_scope_idx').using('btree', sql`${table.scopeCode} text_pattern_ops`)],
);
