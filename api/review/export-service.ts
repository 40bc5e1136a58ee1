import { type AuditContext, recordRead } from '../audit/service.ts';
import type { Database, Queryable } from '../db/client.ts';
import type { Language } from '../errors.ts';
import { AREA_LEVEL_LABELS } from '../vocabulary/area-levels.ts';
import { KPI_DEFINITIONS, type KpiKey } from '../vocabulary/review.ts';
import { reviewCasesXlsx } from './cases-export.ts';
import type { CaseOutcome } from './contracts.ts';
import { type ReviewTable, reviewXlsx } from './export.ts';
import { reviewRepository } from './repository.ts';
import type { PeriodQuery, ReviewService } from './service.ts';

/** The most cases one export of a figure's cases holds (a county's year is about 7,300). */
const CASES_EXPORT_LIMIT = 20_000;

export type ReviewTableName = 'areas' | 'trend' | 'urban-rural' | 'workers' | 'departments';

const TITLES: Record<ReviewTableName, { zh: string; en: string }> = {
  areas: { zh: '区域考评', en: 'Area review' },
  trend: { zh: '考评月度趋势', en: 'Review by month' },
  'urban-rural': { zh: '城乡对比', en: 'Urban and rural' },
  workers: { zh: '网格员考评', en: 'Grid workers’ review' },
  departments: { zh: '部门与服务主体考评', en: 'Departments and providers' },
};

const NAME = { zh: '名称', en: 'Name' };
const CODE = { zh: '代码', en: 'Code' };

/**
 * The review's tables as XLSX: the same figures the JSON routes answer, stamped with who exported
 * them and when, and each export written to the audit log (action review.export) as every export is.
 */
export function reviewExports(owner: Database, review: ReviewService, now: () => Date = () => new Date()) {
  async function finish(
    context: AuditContext,
    name: ReviewTableName,
    targetId: string,
    table: Omit<ReviewTable, 'title' | 'exportedBy' | 'exportedAt'>,
    language: Language,
  ) {
    const exportedAt = now().toISOString();
    const workbook = await reviewXlsx(
      { ...table, title: TITLES[name], exportedBy: context.principal.displayName, exportedAt },
      language,
    );
    await recordRead(owner, context, {
      action: 'review.export',
      targetType: `review_${name}`,
      targetId,
      scopeCode: context.principal.scopeCode,
      details: { rows: table.rows.length, from: table.period.from, to: table.period.to, format: 'xlsx' },
    });
    return workbook;
  }

  return {
    async areas(
      scoped: Queryable,
      context: AuditContext,
      code: string,
      query: PeriodQuery & { levels?: 'children' | 'all' },
      language: Language,
    ) {
      const result = await review.area(scoped, context.principal, code, query);
      const rows = [result.area, ...result.children].map((area) => ({
        names: [area.code, area.name, AREA_LEVEL_LABELS[area.level][language]],
        ...area,
      }));
      return finish(
        context,
        'areas',
        code,
        { nameHeaders: [CODE, NAME, { zh: '层级', en: 'Level' }], rows, period: result.period },
        language,
      );
    },

    /** The cases behind one KPI's figure of an area (one side of the line), every page of them. */
    async cases(
      scoped: Queryable,
      context: AuditContext,
      code: string,
      query: PeriodQuery & { kpi: KpiKey; month?: string; outcome: CaseOutcome },
      language: Language,
    ) {
      const result = await review.cases(scoped, context.principal, code, { ...query, page: 1, pageSize: CASES_EXPORT_LIMIT });
      const [area] = await reviewRepository(scoped).areas([code]);
      const exportedAt = now().toISOString();
      const workbook = await reviewCasesXlsx(
        {
          areaCode: code,
          areaName: area?.name ?? code,
          kpi: KPI_DEFINITIONS[query.kpi],
          outcome: query.outcome,
          period: result.period,
          month: query.month ?? null,
          items: result.items,
          exportedBy: context.principal.displayName,
          exportedAt,
        },
        language,
      );
      await recordRead(owner, context, {
        action: 'review.export',
        targetType: 'review_cases',
        targetId: code,
        scopeCode: context.principal.scopeCode,
        details: {
          kpi: query.kpi,
          outcome: query.outcome,
          rows: result.items.length,
          total: result.total,
          from: result.period.from,
          to: result.period.to,
          format: 'xlsx',
        },
      });
      return workbook;
    },

    async trend(scoped: Queryable, context: AuditContext, code: string, query: PeriodQuery, language: Language) {
      const result = await review.trend(scoped, context.principal, code, query);
      const rows = result.months.map((month) => ({ names: [month.month], ...month }));
      return finish(
        context,
        'trend',
        code,
        { nameHeaders: [{ zh: '月份', en: 'Month' }], rows, period: result.period },
        language,
      );
    },

    async urbanRural(scoped: Queryable, context: AuditContext, query: PeriodQuery, language: Language) {
      const result = await review.urbanRural(scoped, context.principal, query);
      const rows = [
        { names: ['', result.urban.label[language]], ...result.urban },
        { names: ['', result.rural.label[language]], ...result.rural },
        ...result.townships.map((township) => ({ names: [township.code, township.name], ...township })),
      ];
      return finish(
        context,
        'urban-rural',
        context.principal.scopeCode,
        { nameHeaders: [CODE, NAME], rows, period: result.period },
        language,
      );
    },

    async workers(scoped: Queryable, context: AuditContext, query: PeriodQuery & { area?: string }, language: Language) {
      const result = await review.workers(scoped, context.principal, query);
      const rows = result.workers.map((worker) => ({ names: [worker.name, worker.gridCode, worker.gridName], ...worker }));
      return finish(
        context,
        'workers',
        result.areaCode,
        {
          nameHeaders: [
            { zh: '网格员', en: 'Grid worker' },
            { zh: '网格代码', en: 'Grid code' },
            { zh: '网格', en: 'Grid' },
          ],
          rows,
          period: result.period,
        },
        language,
      );
    },

    async departments(scoped: Queryable, context: AuditContext, query: PeriodQuery & { area?: string }, language: Language) {
      const result = await review.departments(scoped, context.principal, query);
      const rows = result.departments.map((department) => ({
        names: [
          department.code,
          department.name,
          department.kind === 'provider'
            ? language === 'zh'
              ? '服务主体'
              : 'Provider'
            : language === 'zh'
              ? '部门'
              : 'Department',
        ],
        ...department,
      }));
      return finish(
        context,
        'departments',
        result.areaCode,
        { nameHeaders: [CODE, NAME, { zh: '类别', en: 'Kind' }], rows, period: result.period },
        language,
      );
    },
  };
}

export type ReviewExports = ReturnType<typeof reviewExports>;
