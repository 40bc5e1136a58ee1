import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { InferRequestType, InferResponseType } from 'hono/client';
import { client, ok } from '../api-client.ts';
import { loadFailedTitle } from '../query-client.ts';

type ReviewArea = (typeof client.api.review.areas)[':code'];

export type AreaReview = InferResponseType<ReviewArea['$get'], 200>['area'];
export type Kpi = AreaReview['kpis'][number];
export type TrendResponse = InferResponseType<ReviewArea['trend']['$get'], 200>;
export type UrbanRuralResponse = InferResponseType<(typeof client.api.review)['urban-rural']['$get'], 200>;
export type CasesQuery = InferRequestType<ReviewArea['cases']['$get']>['query'];

/** The period every review read takes: whole months, from and to inclusive. */
export interface PeriodQuery {
  from: string;
  to: string;
}

const reviewKeys = {
  area: (code: string, period: PeriodQuery) => ['review', 'area', code, period] as const,
  trend: (code: string, period: PeriodQuery) => ['review', 'trend', code, period] as const,
  urbanRural: (period: PeriodQuery) => ['review', 'urban-rural', period] as const,
  cases: (code: string, query: CasesQuery) => ['review', 'cases', code, query] as const,
  workers: (area: string, period: PeriodQuery) => ['review', 'workers', area, period] as const,
  departments: (area: string, period: PeriodQuery) => ['review', 'departments', area, period] as const,
};

/**
 * The review's reads. Figures of past months change only as cases close, so they are kept a few
 * minutes; the previous area's figures stay on screen while the next ones load (no blank page on
 * each drill-down).
 */
const STALE_MS = 5 * 60_000;

export const areaReviewQuery = (code: string, period: PeriodQuery) =>
  queryOptions({
    queryKey: reviewKeys.area(code, period),
    queryFn: () => ok(client.api.review.areas[':code'].$get({ param: { code }, query: { ...period, levels: 'children' } })),
    staleTime: STALE_MS,
    placeholderData: keepPreviousData,
    meta: { errorTitle: loadFailedTitle },
  });

export const trendQuery = (code: string, period: PeriodQuery) =>
  queryOptions({
    queryKey: reviewKeys.trend(code, period),
    queryFn: () => ok(client.api.review.areas[':code'].trend.$get({ param: { code }, query: period })),
    staleTime: STALE_MS,
    placeholderData: keepPreviousData,
    meta: { errorTitle: loadFailedTitle },
  });

export const urbanRuralQuery = (period: PeriodQuery) =>
  queryOptions({
    queryKey: reviewKeys.urbanRural(period),
    queryFn: () => ok(client.api.review['urban-rural'].$get({ query: period })),
    staleTime: STALE_MS,
    meta: { errorTitle: loadFailedTitle },
  });

export const reviewCasesQuery = (code: string, query: CasesQuery) =>
  queryOptions({
    queryKey: reviewKeys.cases(code, query),
    queryFn: () => ok(client.api.review.areas[':code'].cases.$get({ param: { code }, query })),
    staleTime: STALE_MS,
    placeholderData: keepPreviousData,
    meta: { errorTitle: loadFailedTitle },
  });

/** Grid workers' assessment: each read is an audit row (people's names), so it is read when the tab opens, not before. */
export const workersQuery = (area: string, period: PeriodQuery, enabled: boolean) =>
  queryOptions({
    queryKey: reviewKeys.workers(area, period),
    queryFn: () => ok(client.api.review.workers.$get({ query: { ...period, area } })),
    enabled,
    staleTime: STALE_MS,
    meta: { errorTitle: loadFailedTitle },
  });

/** Departments' assessment on the cases of the drilled-down area. */
export const departmentsQuery = (area: string, period: PeriodQuery, enabled: boolean) =>
  queryOptions({
    queryKey: reviewKeys.departments(area, period),
    queryFn: () => ok(client.api.review.departments.$get({ query: { ...period, area } })),
    enabled,
    staleTime: STALE_MS,
    meta: { errorTitle: loadFailedTitle },
  });

/** The XLSX of every case behind one side of a KPI's figure (a plain link, as the tables' exports). */
export function casesExportUrl(code: string, query: Pick<CasesQuery, 'from' | 'to' | 'kpi' | 'outcome' | 'month'>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (typeof value === 'string') search.set(name, value);
  return `/api/review/areas/${encodeURIComponent(code)}/cases/export.xlsx?${search}`;
}

/** The export route of each table; a plain link, so the browser downloads it with the session cookie. */
export type ExportTable = 'areas' | 'trend' | 'urban-rural' | 'workers' | 'departments';

export function exportUrl(table: ExportTable, code: string, period: PeriodQuery): string {
  const query = new URLSearchParams({ from: period.from, to: period.to });
  const area = encodeURIComponent(code);
  switch (table) {
    case 'areas':
      return `/api/review/areas/${area}/export.xlsx?${query}`;
    case 'trend':
      return `/api/review/areas/${area}/trend/export.xlsx?${query}`;
    case 'urban-rural':
      return `/api/review/urban-rural/export.xlsx?${query}`;
    case 'workers':
      query.set('area', code);
      return `/api/review/workers/export.xlsx?${query}`;
    case 'departments':
      query.set('area', code);
      return `/api/review/departments/export.xlsx?${query}`;
  }
}
