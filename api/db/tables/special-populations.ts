import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  check,
  date,
  doublePrecision,
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

// The special-population registers and their visits (issue 17, migrations/0016). The most sensitive
// rows the system holds: row-level security cuts every table by the cell (`area_code`), the service
// cuts personal fields by role, and every read of a person is in the audit log.

/** The categories, in the order DESIGN.md names them; see api/vocabulary/special-populations.ts. */
const CATEGORY_CHECK = sql.raw(
  `'severe_mental_illness', 'drug_rehabilitation', 'released_prisoner', 'community_correction', 'rental_house'`,
);

/**
 * One entry of a register (重点人群): a person of a category, or a rental house (以房管人), linked to
 * the household they live in (a rental house: the household of the house) and so to its cell.
 * The category's own fields are columns, null where the category has no use for them. The state a
 * rule reads (risk level, supervision grade) also has a dated history in `special_person_states`,
 * so that a due date can be computed across a change.
 */
export const specialPeople = pgTable(
  'special_people',
  {
    /** The register's code, e.g. `ZD-000123`. */
    id: text('id').primaryKey(),
    category: text('category').notNull(),
    /** The person's name; for a rental house, the house's name or address line. Personal. */
    name: text('name').notNull(),
    /** 身份证号, personal; null for a rental house. */
    idNumber: text('id_number'),
    /** 'male' | 'female'; null for a rental house. */
    gender: text('gender'),
    birthDate: date('birth_date', { mode: 'string' }),
    phone: text('phone'),
    householdCode: text('household_code').notNull(),
    /** The household's cell: row-level security and every aggregate cut by it. */
    areaCode: text('area_code').notNull(),
    /** Severe mental illness: the risk assessment, 0-5 (3-5 weekly, 0-2 monthly by default). */
    riskLevel: smallint('risk_level'),
    /** Community correction: 'strict' (严管) | 'normal' (普管) | 'lenient' (宽管). */
    supervisionGrade: text('supervision_grade'),
    /** Released prisoners: the day they came back (a home visit within 7 days of it). */
    releaseDate: date('release_date', { mode: 'string' }),
    /** Community drug rehabilitation: the programme's first day (its years set the interval). */
    programmeStart: date('programme_start', { mode: 'string' }),
    /** Rental houses: the landlord, and the tenants as [{ name, idNumber, phone, since }]. */
    landlordName: text('landlord_name'),
    landlordPhone: text('landlord_phone'),
    tenants: jsonb('tenants'),
    /** Guardian or contact for people in the registers (监护人). */
    guardianName: text('guardian_name'),
    guardianPhone: text('guardian_phone'),
    notes: text('notes'),
    /** The day the entry joined the register: the base of the first due date where no other day applies. */
    registeredOn: date('registered_on', { mode: 'string' }).notNull(),
    /** An entry that left the register (moved away, term ended, died) stays, inactive, with why. */
    active: boolean('active').notNull().default(true),
    closedOn: date('closed_on', { mode: 'string' }),
    closedReason: text('closed_reason'),
    /** The newest visit's time, kept with every visit (any order of arrival). */
    lastVisitAt: timestamp('last_visit_at', { withTimezone: true }),
    /**
     * The day the next follow-up is due (Asia/Shanghai), derived from the rules, the state history
     * and the last visit, and kept with every change of those; overdue = `next_due_on` < today.
     */
    nextDueOn: date('next_due_on', { mode: 'string' }),
    /** Optimistic concurrency for edits: a stale form is refused, never silently overwrites. */
    version: integer('version').notNull().default(1),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    synthetic: boolean('synthetic').notNull().default(true),
  },
  (table) => [
    areaScopeIndex('special_people', table.areaCode),
    index('special_people_household_idx').on(table.householdCode),
    index('special_people_due_idx').on(table.nextDueOn).where(sql`${table.active}`),
    check('special_people_category_check', sql`${table.category} IN (${CATEGORY_CHECK})`),
    check('special_people_risk_check', sql`${table.riskLevel} IS NULL OR ${table.riskLevel} BETWEEN 0 AND 5`),
    check(
      'special_people_grade_check',
      sql`${table.supervisionGrade} IS NULL OR ${table.supervisionGrade} IN ('strict', 'normal', 'lenient')`,
    ),
    check('special_people_gender_check', sql`${table.gender} IS NULL OR ${table.gender} IN ('male', 'female')`),
  ],
);

/**
 * The dated history of what a rule reads of an entry: its risk level or supervision grade from a
 * moment on, with who set it and why. The entry's columns hold the newest; due dates across a change
 * read this.
 */
export const specialPersonStates = pgTable(
  'special_person_states',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    personId: text('person_id')
      .notNull()
      .references(() => specialPeople.id),
    areaCode: text('area_code').notNull(),
    effectiveFrom: timestamp('effective_from', { withTimezone: true }).notNull(),
    riskLevel: smallint('risk_level'),
    supervisionGrade: text('supervision_grade'),
    reason: text('reason'),
    setById: text('set_by_id'),
    setByName: text('set_by_name').notNull(),
    setAt: timestamp('set_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('special_person_states_person_idx').on(table.personId, table.effectiveFrom),
    areaScopeIndex('special_person_states', table.areaCode),
  ],
);

/**
 * The follow-up rule of a category, versioned: each row applies from its `effective_from` day
 * (Asia/Shanghai) until the next row's of the same category. `rule` holds the category's intervals
 * (see api/vocabulary/special-populations.ts for its shape per category); a change is a new row.
 */
export const followUpRules = pgTable(
  'follow_up_rules',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    category: text('category').notNull(),
    effectiveFrom: date('effective_from', { mode: 'string' }).notNull(),
    rule: jsonb('rule').notNull(),
    setById: text('set_by_id'),
    setByName: text('set_by_name').notNull(),
    setAt: timestamp('set_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('follow_up_rules_category_day_idx').on(table.category, table.effectiveFrom),
    check('follow_up_rules_category_check', sql`${table.category} IN (${CATEGORY_CHECK})`),
  ],
);

/**
 * One follow-up visit (走访), logged from the field page and sent once: a retry with the same
 * `client_id` finds this row. `area_code` and `category` are the entry's at the time of the visit,
 * kept so that aggregates cut by cell and category without a join. `distance_m` is from the GPS
 * fix to the household's point, on the spheroid; null without a fix.
 */
export const specialVisits = pgTable(
  'special_visits',
  {
    id: text('id').primaryKey(),
    clientId: text('client_id').notNull(),
    personId: text('person_id')
      .notNull()
      .references(() => specialPeople.id),
    category: text('category').notNull(),
    areaCode: text('area_code').notNull(),
    visitorId: text('visitor_id').notNull(),
    visitorName: text('visitor_name').notNull(),
    visitedAt: timestamp('visited_at', { withTimezone: true }).notNull(),
    /** 'home' (入户) | 'phone' (电话) | 'video' (视频) | 'elsewhere' (其他地点). */
    mode: text('mode').notNull(),
    /** 'seen_stable' | 'seen_concern' | 'not_home' | 'refused' | 'moved' (see the vocabulary). */
    outcome: text('outcome').notNull(),
    notes: text('notes'),
    location: geometry('location', { type: 'Point', srid: 4326 }),
    accuracyM: doublePrecision('accuracy_m'),
    distanceM: doublePrecision('distance_m'),
    /** The patrol running when the visit was made, if any. */
    patrolId: text('patrol_id'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    synthetic: boolean('synthetic').notNull().default(false),
  },
  (table) => [
    uniqueIndex('special_visits_client_idx').on(table.visitorId, table.clientId),
    index('special_visits_person_idx').on(table.personId, table.visitedAt),
    areaScopeIndex('special_visits', table.areaCode),
    index('special_visits_visited_idx').on(table.visitedAt),
    check('special_visits_category_check', sql`${table.category} IN (${CATEGORY_CHECK})`),
    check('special_visits_mode_check', sql`${table.mode} IN ('home', 'phone', 'video', 'elsewhere')`),
  ],
);

/** A visit's photo, stored with its sniffed content type, as report photos are. */
export const specialVisitPhotos = pgTable(
  'special_visit_photos',
  {
    id: text('id').primaryKey(),
    visitId: text('visit_id')
      .notNull()
      .references(() => specialVisits.id),
    areaCode: text('area_code').notNull(),
    ...photoColumns(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('special_visit_photos_visit_idx').on(table.visitId)],
);

/**
 * Break the glass: time-limited access to personal fields beyond an account's usual access, for an
 * emergency, with the reason its holder stated. `area_code` is what it opens (a cell, grid, village
 * or township code). Its holder's superiors see it in the audit page.
 */
export const specialAccessGrants = pgTable(
  'special_access_grants',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id').notNull(),
    accountName: text('account_name').notNull(),
    /** The holder's usual scope, so that the grant shows to the superiors of that scope. */
    accountScope: text('account_scope').notNull(),
    areaCode: text('area_code').notNull(),
    reason: text('reason').notNull(),
    grantedAt: timestamp('granted_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (table) => [
    index('special_access_grants_account_idx').on(table.accountId, table.expiresAt),
    index('special_access_grants_scope_pattern_idx').using('btree', sql`${table.accountScope} text_pattern_ops`),
    check('special_access_grants_window_check', sql`${table.expiresAt} > ${table.grantedAt}`),
  ],
);
