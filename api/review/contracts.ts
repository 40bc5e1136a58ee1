import { z } from '@hono/zod-openapi';
import { AREA_LEVELS } from '../../geo/types.ts';
import { isoTimeText } from '../openapi.ts';
import { CASE_STATES } from '../vocabulary/case-states.ts';
import { GRADES, KPI_KEYS } from '../vocabulary/review.ts';

const AREA_CODE = /^\d{6}(\d{3}){0,3}$/;
/** A month of this century: the review has nothing before 2000, and far years would not cross to the database as dates. */
const MONTH = /^20\d{2}-(0[1-9]|1[0-2])$/;

const LabelSchema = z.object({ zh: z.string(), en: z.string() }).openapi('Label');

/** A month, YYYY-MM (Asia/Shanghai). */
export const MonthSchema = z.string().regex(MONTH, 'expected a month as YYYY-MM, 2000-2099').openapi({ example: '2026-06' });

/** The period of a review: whole months, `from` to `to` inclusive; the last 12 months by default. */
export const PeriodQuerySchema = z.object({
  from: MonthSchema.optional().openapi({ description: 'First month, YYYY-MM (default: 11 months before `to`)' }),
  to: MonthSchema.optional().openapi({ description: 'Last month, YYYY-MM (default: this month)' }),
});

export const AreaCodeSchema = z.string().regex(AREA_CODE, 'an area code of 6, 9, 12 or 15 digits');

const GradeSchema = z.enum(GRADES).openapi('ReviewGrade');
export const KpiKeySchema = z.enum(KPI_KEYS).openapi('ReviewKpiKey');

const KpiSchema = z
  .object({
    key: KpiKeySchema,
    label: LabelSchema,
    unit: z.enum(['percent', 'minutes', 'score']),
    value: z
      .number()
      .nullable()
      .openapi({ description: '0-100 (percent, score ×20) or minutes; null when the denominator is 0' }),
    numerator: z.number(),
    denominator: z.number(),
    grade: GradeSchema.nullable().openapi({
      description: 'A ≥ 90, B ≥ 75, C ≥ 60, D ≥ 40, E below; null for ungraded KPIs or no data',
    }),
    formula: LabelSchema,
  })
  .openapi('ReviewKpi');

const PeriodSchema = z.object({ from: MonthSchema, to: MonthSchema, months: z.array(MonthSchema) }).openapi('ReviewPeriod');

const CaseCountsSchema = z
  .object({
    due: z.number().int(),
    deferred: z.number().int(),
    closed: z.number().int(),
    closedOnTime: z.number().int(),
  })
  .openapi('ReviewCaseCounts');

/** One area's review: its KPIs, the counts of cases behind them, and the overall score and grade. */
const AreaReviewSchema = z
  .object({
    code: z.string(),
    name: z.string(),
    level: z.enum(AREA_LEVELS),
    parentCode: z.string().nullable(),
    urban: z.boolean(),
    kpis: z.array(KpiSchema),
    counts: CaseCountsSchema,
    score: z.number().nullable(),
    grade: GradeSchema.nullable(),
  })
  .openapi('AreaReview');

export const AreaReviewResponseSchema = z
  .object({
    period: PeriodSchema,
    overallFormula: LabelSchema,
    area: AreaReviewSchema,
    children: z.array(AreaReviewSchema).openapi({
      description: 'The children of the area (levels=children) or every area below it down to the grids (levels=all)',
    }),
  })
  .openapi('AreaReviewResponse');

const TrendMonthSchema = z
  .object({
    month: MonthSchema,
    kpis: z.array(KpiSchema),
    counts: CaseCountsSchema,
    score: z.number().nullable(),
    grade: GradeSchema.nullable(),
  })
  .openapi('ReviewTrendMonth');

export const TrendResponseSchema = z
  .object({
    period: PeriodSchema,
    area: z.object({ code: z.string(), name: z.string(), level: z.enum(AREA_LEVELS) }),
    months: z.array(TrendMonthSchema),
  })
  .openapi('ReviewTrendResponse');

/** An aggregate of several areas (the urban core, the rural townships): figures only, no rows. */
const GroupReviewSchema = z
  .object({
    key: z.enum(['urban', 'rural']),
    label: LabelSchema,
    townships: z.number().int(),
    kpis: z.array(KpiSchema),
    counts: CaseCountsSchema,
    score: z.number().nullable(),
    grade: GradeSchema.nullable(),
  })
  .openapi('ReviewGroup');

export const UrbanRuralResponseSchema = z
  .object({
    period: PeriodSchema,
    urban: GroupReviewSchema,
    rural: GroupReviewSchema,
    townships: z.array(AreaReviewSchema).openapi({ description: 'The townships in your scope, each marked urban or rural' }),
    gap: z.array(
      z.object({ key: KpiKeySchema, urban: z.number().nullable(), rural: z.number().nullable(), gap: z.number().nullable() }),
    ),
  })
  .openapi('UrbanRuralResponse');

export const CaseOutcomeSchema = z.enum(['numerator', 'denominator', 'outside', 'deferred']).openapi({
  description:
    'numerator: the cases counted above the line; denominator: below it; outside: below but not above; deferred: left out as deferred',
});

const ReviewCaseSchema = z
  .object({
    id: z.string(),
    caseNumber: z.string(),
    type: z.string(),
    state: z.enum(CASE_STATES),
    cellCode: z.string(),
    reportedAt: isoTimeText(),
    dueAt: isoTimeText().openapi({ description: 'When the case fell due (the month it counts in)' }),
    closedAt: isoTimeText().nullable(),
    closedOnTime: z.boolean(),
    deferred: z.boolean(),
    handled: z.boolean(),
    reworked: z.boolean(),
    onSpot: z.boolean(),
    assignedDepartmentCode: z.string().nullable(),
    inNumerator: z.boolean(),
  })
  .openapi('ReviewCase');

export const ReviewCasesResponseSchema = z
  .object({
    kpi: KpiKeySchema,
    outcome: CaseOutcomeSchema,
    period: PeriodSchema,
    items: z.array(ReviewCaseSchema),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  })
  .openapi('ReviewCasesResponse');

const WorkerReviewSchema = z
  .object({
    personId: z.string(),
    name: z.string(),
    gridCode: z.string(),
    gridName: z.string().nullable(),
    kpis: z.array(KpiSchema),
    counts: CaseCountsSchema,
    score: z.number().nullable(),
    grade: GradeSchema.nullable(),
  })
  .openapi('WorkerReview');

export const WorkersResponseSchema = z
  .object({
    period: PeriodSchema,
    areaCode: z.string(),
    overallFormula: LabelSchema,
    workers: z.array(WorkerReviewSchema),
  })
  .openapi('WorkersReviewResponse');

const DepartmentReviewSchema = z
  .object({
    code: z.string(),
    name: z.string(),
    kind: z.enum(['department', 'provider']),
    kpis: z.array(KpiSchema),
    counts: CaseCountsSchema,
    score: z.number().nullable(),
    grade: GradeSchema.nullable(),
  })
  .openapi('DepartmentReview');

export const DepartmentsResponseSchema = z
  .object({
    period: PeriodSchema,
    areaCode: z.string(),
    overallFormula: LabelSchema,
    departments: z.array(DepartmentReviewSchema),
  })
  .openapi('DepartmentsReviewResponse');

export type Kpi = z.infer<typeof KpiSchema>;
export type Period = z.infer<typeof PeriodSchema>;
export type AreaReview = z.infer<typeof AreaReviewSchema>;
export type WorkerReview = z.infer<typeof WorkerReviewSchema>;
export type DepartmentReview = z.infer<typeof DepartmentReviewSchema>;
export type CaseOutcome = z.infer<typeof CaseOutcomeSchema>;
