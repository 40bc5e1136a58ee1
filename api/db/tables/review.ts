import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  check,
  date,
  index,
  integer,
  pgTable,
  real,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { geometry } from '../geometry.ts';
import { reports } from './cases.ts';

// Review and assessment (考评, issue 18, migrations/0018): the three-party evaluation of each case,
// the service providers that take cases beside the departments, and the people side of the grid
// workers (training, social-work certificate and exam, residents' surveys, commendations). The
// KPIs themselves are computed from these and from the cases, patrols and visits; nothing here
// stores a figure that could drift from its sources. Every table is cut to scope by its
// `area_code` (a cell, or the worker's grid); writes run as the owner after the service checked
// the caller, as everywhere. `person_id` names a row of `people` and a provider's `code` a row of
// `departments`, without a foreign key: the county's seed replaces both tables wholesale
// (api/seed/repository.ts).

/**
 * One party's evaluation of one case (三方评价): the resident's satisfaction, given by the reporter
 * on the field page or taken on a recorded return call (回访) that names who was called; the
 * department's view of the case; the grid worker's rating of the department that handled it.
 */
export const caseEvaluations = pgTable(
  'case_evaluations',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    reportId: text('report_id')
      .notNull()
      .references(() => reports.id),
    /** 'resident' | 'department' | 'grid_worker' */
    party: text('party').notNull(),
    /**
     * What is rated: '' for the resident's score of the case; the department (or service
     * provider) code giving its view, or rated by the grid worker.
     */
    subjectCode: text('subject_code').notNull().default(''),
    /** 1 (very unsatisfied) to 5 (very satisfied). */
    score: smallint('score').notNull(),
    /** 'field' (the reporter on the field page) | 'return_call' (回访 by phone) | 'department' | 'grid_worker' */
    source: text('source').notNull(),
    /** A return call: the person called and the number dialled, as the caller recorded them. */
    calledName: text('called_name'),
    calledPhone: text('called_phone'),
    note: text('note').notNull().default(''),
    evaluatorId: text('evaluator_id'),
    evaluatorName: text('evaluator_name').notNull(),
    evaluatorRole: text('evaluator_role').notNull(),
    /** The id the phone or the browser generated: a retried submission finds this row. */
    clientId: text('client_id').notNull(),
    /** The case's cell. */
    areaCode: text('area_code').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('case_evaluations_party_idx').on(table.reportId, table.party, table.subjectCode),
    uniqueIndex('case_evaluations_client_idx').on(table.evaluatorId, table.clientId),
    index('case_evaluations_area_pattern_idx').using('btree', sql`${table.areaCode} text_pattern_ops`),
    check('case_evaluations_party_check', sql`${table.party} IN ('resident', 'department', 'grid_worker')`),
    check('case_evaluations_source_check', sql`${table.source} IN ('field', 'return_call', 'department', 'grid_worker')`),
    check('case_evaluations_score_check', sql`${table.score} BETWEEN 1 AND 5`),
    check(
      'case_evaluations_return_call_check',
      sql`${table.source} <> 'return_call' OR (${table.calledName} IS NOT NULL AND ${table.calledPhone} IS NOT NULL)`,
    ),
  ],
);

/**
 * A service provider (company, clinic, NGO, volunteer or arts team, 多元主体). It is also a row of
 * `departments` (kind 'provider') under the same code, so that a case is dispatched to it, and its
 * cadres acknowledge and handle it, exactly as a department's.
 */
export const serviceProviders = pgTable(
  'service_providers',
  {
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    /** 'company' | 'clinic' | 'ngo' | 'volunteer' | 'arts' */
    category: text('category').notNull(),
    /** What it offers, in words: 家政, 上门护理, 心理疏导, 法律援助, ... */
    services: text('services').array().notNull().default(sql`'{}'::text[]`),
    /** The area codes it serves (townships, villages or grids). */
    serviceAreaCodes: text('service_area_codes').array().notNull().default(sql`'{}'::text[]`),
    /** Where it is (WGS84) and the cell it lies in. */
    location: geometry('location', { type: 'Point', srid: 4326 }).notNull(),
    areaCode: text('area_code').notNull(),
    contactName: text('contact_name').notNull(),
    contactPhone: text('contact_phone').notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('service_providers_location_idx').using('gist', table.location),
    check('service_providers_category_check', sql`${table.category} IN ('company', 'clinic', 'ngo', 'volunteer', 'arts')`),
  ],
);

/** A grid worker's social-work certificate (社工证) and exam status: one row per worker. */
export const workerCredentials = pgTable(
  'worker_credentials',
  {
    personId: text('person_id').primaryKey(),
    /** 'none' | 'assistant' (助理社会工作师) | 'intermediate' (社会工作师) | 'senior' (高级社会工作师) */
    certificate: text('certificate').notNull().default('none'),
    certificateNumber: text('certificate_number'),
    certifiedOn: date('certified_on', { mode: 'string' }),
    /** The national exam: 'not_registered' | 'registered' | 'passed' | 'failed' */
    examStatus: text('exam_status').notNull().default('not_registered'),
    examYear: integer('exam_year'),
    /** The worker's grid. */
    areaCode: text('area_code').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: text('updated_by'),
  },
  (table) => [
    index('worker_credentials_area_pattern_idx').using('btree', sql`${table.areaCode} text_pattern_ops`),
    check('worker_credentials_certificate_check', sql`${table.certificate} IN ('none', 'assistant', 'intermediate', 'senior')`),
    check('worker_credentials_exam_check', sql`${table.examStatus} IN ('not_registered', 'registered', 'passed', 'failed')`),
  ],
);

/** A training a grid worker completed. */
export const workerTrainings = pgTable(
  'worker_trainings',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    personId: text('person_id').notNull(),
    course: text('course').notNull(),
    hours: real('hours').notNull(),
    completedOn: date('completed_on', { mode: 'string' }).notNull(),
    /** The worker's grid. */
    areaCode: text('area_code').notNull(),
    recordedBy: text('recorded_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('worker_trainings_person_idx').on(table.personId, table.completedOn),
    index('worker_trainings_area_pattern_idx').using('btree', sql`${table.areaCode} text_pattern_ops`),
    check('worker_trainings_hours_check', sql`${table.hours} > 0 AND ${table.hours} <= 1000`),
  ],
);

/** A resident's satisfaction with their grid worker (满意度调查), from one household of the grid. */
export const workerSurveys = pgTable(
  'worker_surveys',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    personId: text('person_id').notNull(),
    /** The respondent's cell. */
    areaCode: text('area_code').notNull(),
    householdCode: text('household_code'),
    /** 1 (very unsatisfied) to 5 (very satisfied). */
    score: smallint('score').notNull(),
    comment: text('comment').notNull().default(''),
    collectedBy: text('collected_by'),
    collectedByName: text('collected_by_name').notNull(),
    /** The id the phone generated: a retried submission finds this row. */
    clientId: text('client_id').notNull(),
    surveyedAt: timestamp('surveyed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('worker_surveys_client_idx').on(table.collectedBy, table.clientId),
    index('worker_surveys_person_idx').on(table.personId, table.surveyedAt),
    index('worker_surveys_area_pattern_idx').using('btree', sql`${table.areaCode} text_pattern_ops`),
    check('worker_surveys_score_check', sql`${table.score} BETWEEN 1 AND 5`),
  ],
);

/** An annual commendation (年度表彰) of a grid worker, drawn from the year's scores. */
export const commendations = pgTable(
  'commendations',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    year: integer('year').notNull(),
    personId: text('person_id').notNull(),
    /** e.g. 优秀网格员 */
    title: text('title').notNull(),
    /** The assessment score (0-100) and rank it was drawn from, as they stood when awarded. */
    score: real('score').notNull(),
    rank: integer('rank').notNull(),
    /** The worker's grid. */
    areaCode: text('area_code').notNull(),
    awardedBy: text('awarded_by'),
    awardedByName: text('awarded_by_name').notNull(),
    awardedAt: timestamp('awarded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('commendations_year_person_idx').on(table.year, table.personId, table.title),
    index('commendations_area_pattern_idx').using('btree', sql`${table.areaCode} text_pattern_ops`),
  ],
);
