import { isWithinScope, levelOfCode } from '../../geo/area-codes.ts';
import { AREA_LEVELS, type AreaLevel, CODE_LENGTH } from '../../geo/types.ts';
import type { Principal } from '../app-env.ts';
import { type AuditContext, recordRead } from '../audit/service.ts';
import type { Database, Queryable } from '../db/client.ts';
import { badRequest, notFound } from '../errors.ts';
import { CASE_KPI_KEYS, type KpiKey, OVERALL_FORMULA } from '../vocabulary/review.ts';
import { reviewCasesRepository } from './cases-repository.ts';
import type { AreaReview, CaseOutcome, DepartmentReview, WorkerReview } from './contracts.ts';
import { addFigures, assessed, byKey, DEPARTMENT_KPI_KEYS, NO_CASES, NO_FIELD } from './kpis.ts';
import { periodOf, periodView, type ReviewPeriod } from './period.ts';
import { type CaseSums, type FieldSums, type ReviewWindow, reviewRepository } from './repository.ts';

const GRID_LENGTH = CODE_LENGTH.grid;

/** The KPIs a grid worker is assessed on: their grid's cases and field work, and residents' surveys of them. */
const WORKER_KPI_KEYS: readonly KpiKey[] = [
  'on_time_closure',
  'closure',
  'rework',
  'ack_minutes',
  'close_minutes',
  'on_spot',
  'resident_satisfaction',
  'patrol_coverage',
  'visit_on_time',
  'worker_survey',
];

/** The urban core and the rest, as the comparison names them. */
const GROUP_LABELS = {
  urban: { zh: '城区（壁州街道、诺江镇）', en: 'Urban core (Bizhou street, Nuojiang town)' },
  rural: { zh: '农村乡镇', en: 'Rural townships' },
} as const;

export interface ReviewOptions {
  now?: () => Date;
}

/**
 * The area asked for, checked against the caller's scope: a county, township, village or grid code
 * (400 otherwise) lying within the scope (404 otherwise, as for anything the caller may not see).
 */
function reviewedArea(principal: Principal, code: string): { code: string; level: AreaLevel } {
  const level = levelOfCode(code);
  if (!level || level === 'cell')
    throw badRequest(
      'invalid_area_code',
      {
        zh: `区划代码“${code}”不适用：应为县、乡镇、村（社区）或网格的代码（6、9、12 或 15 位数字）`,
        en: `"${code}" does not fit: give a county, township, village or grid code (6, 9, 12 or 15 digits)`,
      },
      { code },
    );
  if (!isWithinScope(code, principal.scopeCode))
    throw notFound(
      'area_not_found',
      { zh: `找不到区划 ${code}，或不在您的管辖范围内`, en: `No area ${code} in your scope` },
      { code },
    );
  return { code, level };
}

const windowOf = (areaCode: string, period: ReviewPeriod, now: Date): ReviewWindow => ({
  areaCode,
  start: period.start,
  end: period.end,
  now,
});

type AreaRow = { code: string; name: string; level: string; parentCode: string | null; urban: boolean };

function areaReviewOf(area: AreaRow, cases: Omit<CaseSums, 'key'>, field: Omit<FieldSums, 'key'>): AreaReview {
  return {
    code: area.code,
    name: area.name,
    level: area.level as AreaLevel,
    parentCode: area.parentCode,
    urban: area.urban,
    ...assessed(cases, field),
  };
}

/**
 * The grid workers of `areaCode` assessed over the window, with the same formulas as the areas:
 * their grid's cases, their grid's patrol coverage and visits, and residents' surveys of them.
 * Exported for the commendations (review-people), which are drawn from these scores. Reads through
 * `db` as it is given (a scoped handle cuts it to the reader's scope).
 */
export async function assessWorkers(db: Queryable, areaCode: string, window: ReviewWindow): Promise<WorkerReview[]> {
  const repository = reviewRepository(db);
  const grouping = { by: 'prefix', lengths: [GRID_LENGTH] } as const;
  const [workers, cases, field, surveys] = await Promise.all([
    repository.gridWorkers(areaCode),
    repository.caseSums(window, grouping),
    repository.fieldSums(window, grouping),
    repository.surveysByWorker(window),
  ]);
  const casesByGrid = byKey(cases);
  const fieldByGrid = byKey(field);
  const surveyByWorker = new Map(surveys.map((row) => [row.personId, row]));
  return workers.map((worker) => {
    const gridField = fieldByGrid.get(worker.gridCode) ?? NO_FIELD;
    const survey = surveyByWorker.get(worker.personId);
    const own = { ...gridField, surveySum: survey?.surveySum ?? 0, surveyCount: survey?.surveyCount ?? 0 };
    return {
      ...worker,
      ...assessed(casesByGrid.get(worker.gridCode) ?? NO_CASES, own, WORKER_KPI_KEYS),
    };
  });
}

/**
 * The review (考评): KPIs per area, their trend, the urban-rural gap, the cases behind a figure,
 * grid workers and departments, all from the same formulas (api/vocabulary/review.ts, computed in
 * SQL by api/review/repository.ts). Reads go through the caller's scoped handle; the county's urban
 * and rural aggregates, which a township leader compares against, are the owner's read and leave
 * the server as two rows of figures only.
 */
export function reviewService(owner: Database, options: ReviewOptions = {}) {
  const now = options.now ?? (() => new Date());

  return {
    /** The area's KPIs and those of its children (levels 'children') or of every area below it down to the grids ('all'). */
    async area(scoped: Queryable, principal: Principal, code: string, query: PeriodQuery & { levels?: 'children' | 'all' }) {
      const area = reviewedArea(principal, code);
      const period = periodOf(query.from, query.to, now());
      const below = AREA_LEVELS.slice(AREA_LEVELS.indexOf(area.level) + 1, AREA_LEVELS.indexOf('cell'));
      const levels = query.levels === 'all' ? below : below.slice(0, 1);
      const lengths = [CODE_LENGTH[area.level], ...levels.map((level) => CODE_LENGTH[level])];
      const window = windowOf(code, period, now());
      const repository = reviewRepository(scoped);
      const grouping = { by: 'prefix', lengths } as const;
      const [areas, cases, field] = await Promise.all([
        repository.subtree(code, Math.max(...lengths)),
        repository.caseSums(window, grouping),
        repository.fieldSums(window, grouping),
      ]);
      const self = areas.find((row) => row.code === code);
      if (!self) throw notFound('area_not_found', { zh: `找不到区划 ${code}`, en: `No area ${code}` }, { code });
      const casesOf = byKey(cases);
      const fieldOf = byKey(field);
      const review = (row: AreaRow) => areaReviewOf(row, casesOf.get(row.code) ?? NO_CASES, fieldOf.get(row.code) ?? NO_FIELD);
      return {
        period: periodView(period),
        overallFormula: OVERALL_FORMULA,
        area: review(self),
        children: areas.filter((row) => row.code !== code && lengths.includes(row.code.length)).map(review),
      };
    },

    /** The area's KPIs month by month. */
    async trend(scoped: Queryable, principal: Principal, code: string, query: PeriodQuery) {
      reviewedArea(principal, code);
      const period = periodOf(query.from, query.to, now());
      const window = windowOf(code, period, now());
      const repository = reviewRepository(scoped);
      const [[area], cases, field] = await Promise.all([
        repository.areas([code]),
        repository.caseSums(window, { by: 'month' }),
        repository.fieldSums(window, { by: 'month' }),
      ]);
      if (!area) throw notFound('area_not_found', { zh: `找不到区划 ${code}`, en: `No area ${code}` }, { code });
      const casesOf = byKey(cases);
      const fieldOf = byKey(field);
      return {
        period: periodView(period),
        area: { code: area.code, name: area.name, level: area.level as AreaLevel },
        months: period.months.map((month) => ({
          month,
          ...assessed(casesOf.get(month) ?? NO_CASES, fieldOf.get(month) ?? NO_FIELD),
        })),
      };
    },

    /**
     * The urban core against the rural townships, county-wide (aggregates), and the townships in the
     * caller's scope one by one: a township leader sees their own township's row beside the county's
     * two aggregates, no other township's row.
     */
    async urbanRural(scoped: Queryable, principal: Principal, query: PeriodQuery) {
      const period = periodOf(query.from, query.to, now());
      const countyWide = levelOfCode(principal.scopeCode) === 'county';
      const source = reviewRepository(countyWide ? scoped : owner);
      const countyCode = principal.scopeCode.slice(0, CODE_LENGTH.county);
      const window = windowOf(countyCode, period, now());
      const grouping = { by: 'prefix', lengths: [CODE_LENGTH.township] } as const;
      const [townships, cases, field] = await Promise.all([
        source.subtree(countyCode, CODE_LENGTH.township),
        source.caseSums(window, grouping),
        source.fieldSums(window, grouping),
      ]);
      const casesOf = byKey(cases);
      const fieldOf = byKey(field);
      const groups = { urban: { cases: NO_CASES, field: NO_FIELD, n: 0 }, rural: { cases: NO_CASES, field: NO_FIELD, n: 0 } };
      const rows: AreaReview[] = [];
      for (const township of townships.filter((row) => row.level === 'township')) {
        const townshipCases = casesOf.get(township.code) ?? NO_CASES;
        const townshipField = fieldOf.get(township.code) ?? NO_FIELD;
        const group = groups[township.urban ? 'urban' : 'rural'];
        group.cases = addFigures(group.cases, townshipCases);
        group.field = addFigures(group.field, townshipField);
        group.n += 1;
        if (isWithinScope(township.code, principal.scopeCode) || countyWide)
          rows.push(areaReviewOf(township, townshipCases, townshipField));
      }
      const urban = {
        key: 'urban' as const,
        label: GROUP_LABELS.urban,
        townships: groups.urban.n,
        ...assessed(groups.urban.cases, groups.urban.field),
      };
      const rural = {
        key: 'rural' as const,
        label: GROUP_LABELS.rural,
        townships: groups.rural.n,
        ...assessed(groups.rural.cases, groups.rural.field),
      };
      const gap = urban.kpis.map((kpi, index) => {
        const ruralValue = rural.kpis[index]?.value ?? null;
        return {
          key: kpi.key,
          urban: kpi.value,
          rural: ruralValue,
          gap: kpi.value === null || ruralValue === null ? null : Math.round((kpi.value - ruralValue) * 10) / 10,
        };
      });
      return { period: periodView(period), urban, rural, townships: rows, gap };
    },

    /** The cases behind a KPI's figure of an area: its numerator, denominator, the rest, or those deferred; paged. */
    async cases(
      scoped: Queryable,
      principal: Principal,
      code: string,
      query: PeriodQuery & { kpi: KpiKey; month?: string; outcome: CaseOutcome; page: number; pageSize: number },
    ) {
      reviewedArea(principal, code);
      if (!CASE_KPI_KEYS.includes(query.kpi))
        throw badRequest(
          'kpi_without_cases',
          {
            zh: '该指标不是按案件计算的，没有对应的案件清单',
            en: 'This KPI is not counted on cases: there is no list of cases behind it',
          },
          { kpi: query.kpi },
        );
      const period = query.month ? periodOf(query.month, query.month, now()) : periodOf(query.from, query.to, now());
      const window = windowOf(code, period, now());
      const { items, total } = await reviewCasesRepository(scoped).list(
        window,
        query.kpi,
        query.outcome,
        query.pageSize,
        (query.page - 1) * query.pageSize,
      );
      return {
        kpi: query.kpi,
        outcome: query.outcome,
        period: periodView(period),
        items,
        total,
        page: query.page,
        pageSize: query.pageSize,
      };
    },

    /** Each grid worker of the area (the caller's scope by default), assessed. */
    async workers(scoped: Queryable, principal: Principal, query: PeriodQuery & { area?: string }) {
      const area = reviewedArea(principal, query.area ?? principal.scopeCode);
      const period = periodOf(query.from, query.to, now());
      const workers = await assessWorkers(scoped, area.code, windowOf(area.code, period, now()));
      return { period: periodView(period), areaCode: area.code, overallFormula: OVERALL_FORMULA, workers };
    },

    /** A read of named grid workers' scores is a read of personal data: written to the audit log. */
    auditWorkersRead(context: AuditContext, areaCode: string, workers: number) {
      return recordRead(owner, context, {
        action: 'review.workers_read',
        targetType: 'review_workers',
        targetId: areaCode,
        scopeCode: areaCode,
        details: { workers },
      });
    },

    /** Each department and service provider, assessed on the cases of the area (the caller's scope by default) dispatched to it as lead. */
    async departments(scoped: Queryable, principal: Principal, query: PeriodQuery & { area?: string }) {
      const area = reviewedArea(principal, query.area ?? principal.scopeCode);
      const period = periodOf(query.from, query.to, now());
      const repository = reviewRepository(scoped);
      const [departments, cases] = await Promise.all([
        repository.departments(),
        repository.caseSums(windowOf(area.code, period, now()), { by: 'department' }),
      ]);
      const casesOf = byKey(cases);
      const rows: DepartmentReview[] = departments.map((department) => ({
        code: department.code,
        name: department.name,
        kind: department.kind === 'provider' ? 'provider' : 'department',
        ...assessed(casesOf.get(department.code) ?? NO_CASES, NO_FIELD, DEPARTMENT_KPI_KEYS),
      }));
      return { period: periodView(period), areaCode: area.code, overallFormula: OVERALL_FORMULA, departments: rows };
    },
  };
}

export interface PeriodQuery {
  from?: string;
  to?: string;
}

export type ReviewService = ReturnType<typeof reviewService>;
