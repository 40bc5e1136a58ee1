import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.ts';
import type { AuditContext } from '../audit/service.ts';
import { requires } from '../auth/middleware.ts';
import { languageOf } from '../errors.ts';
import { exportRoute, sendExport } from '../export-route.ts';
import { errorResponses, pathId, queryInt, validationHook } from '../openapi.ts';
import {
  AreaCodeSchema,
  AreaReviewResponseSchema,
  CaseOutcomeSchema,
  DepartmentsResponseSchema,
  KpiKeySchema,
  MonthSchema,
  PeriodQuerySchema,
  ReviewCasesResponseSchema,
  TrendResponseSchema,
  UrbanRuralResponseSchema,
  WorkersResponseSchema,
} from './contracts.ts';
import type { ReviewExports } from './export-service.ts';
import type { ReviewService } from './service.ts';

const codeParam = z.object({ code: pathId('code') });
const AreaQuerySchema = PeriodQuerySchema.extend({
  levels: z
    .enum(['children', 'all'])
    .default('children')
    .openapi({ description: 'children: the area’s children; all: every area below it down to the grids' }),
});
const WorkersQuerySchema = PeriodQuerySchema.extend({
  area: AreaCodeSchema.optional().openapi({ description: 'The area whose grid workers (default: your scope)' }),
});
const DepartmentsQuerySchema = PeriodQuerySchema.extend({
  area: AreaCodeSchema.optional().openapi({
    description: 'The area whose cases the departments are assessed on (default: your scope)',
  }),
});
const CasesQuerySchema = PeriodQuerySchema.extend({
  kpi: KpiKeySchema,
  month: MonthSchema.optional().openapi({ description: 'One month instead of the period' }),
  outcome: CaseOutcomeSchema.default('denominator'),
  page: queryInt(1).default(1),
  pageSize: queryInt(1, 200).default(50),
});

const json = <Schema extends z.ZodType>(schema: Schema, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

const view = createRoute({
  method: 'get',
  path: '/api/review/areas/{code}',
  tags: ['review'],
  summary: 'An area’s KPIs with their formulas and grades, and each child’s (or every area below, down to the grids)',
  middleware: [requires('review.view')] as const,
  request: { params: codeParam, query: AreaQuerySchema },
  responses: { 200: json(AreaReviewResponseSchema, 'The review'), ...errorResponses(400, 401, 403, 404) },
});

const trend = createRoute({
  method: 'get',
  path: '/api/review/areas/{code}/trend',
  tags: ['review'],
  summary: 'An area’s KPIs month by month',
  middleware: [requires('review.view')] as const,
  request: { params: codeParam, query: PeriodQuerySchema },
  responses: { 200: json(TrendResponseSchema, 'The months'), ...errorResponses(400, 401, 403, 404) },
});

const cases = createRoute({
  method: 'get',
  path: '/api/review/areas/{code}/cases',
  tags: ['review'],
  summary: 'The cases behind a KPI’s figure (numerator, denominator, the rest, or those deferred), paged',
  middleware: [requires('review.view')] as const,
  request: { params: codeParam, query: CasesQuerySchema },
  responses: { 200: json(ReviewCasesResponseSchema, 'The cases'), ...errorResponses(400, 401, 403, 404) },
});

const urbanRural = createRoute({
  method: 'get',
  path: '/api/review/urban-rural',
  tags: ['review'],
  summary: 'The urban core against the rural townships (county aggregates) and the townships of your scope',
  middleware: [requires('review.view')] as const,
  request: { query: PeriodQuerySchema },
  responses: { 200: json(UrbanRuralResponseSchema, 'The comparison'), ...errorResponses(400, 401, 403) },
});

const workers = createRoute({
  method: 'get',
  path: '/api/review/workers',
  tags: ['review'],
  summary: 'Each grid worker of an area assessed with the same formulas (recorded in the audit log)',
  middleware: [requires('review.view')] as const,
  request: { query: WorkersQuerySchema },
  responses: { 200: json(WorkersResponseSchema, 'The grid workers'), ...errorResponses(400, 401, 403, 404) },
});

const departments = createRoute({
  method: 'get',
  path: '/api/review/departments',
  tags: ['review'],
  summary: 'Each department and service provider assessed on the cases of an area (default: your scope) dispatched to it',
  middleware: [requires('review.view')] as const,
  request: { query: DepartmentsQuerySchema },
  responses: { 200: json(DepartmentsResponseSchema, 'The departments'), ...errorResponses(400, 401, 403, 404) },
});

const reviewExport = <Path extends string, Request extends { params?: typeof codeParam; query: z.ZodObject }>(
  path: Path,
  summary: string,
  request: Request,
) =>
  exportRoute({
    path,
    tag: 'review',
    summary: `${summary} as XLSX (recorded in the audit log)`,
    action: 'review.export',
    format: 'xlsx',
    file: 'XLSX, stamped with who exported it and when',
    request,
  });

const viewExport = reviewExport('/api/review/areas/{code}/export.xlsx', 'The area review', {
  params: codeParam,
  query: AreaQuerySchema,
});
const casesExport = reviewExport('/api/review/areas/{code}/cases/export.xlsx', 'The cases behind a KPI’s figure', {
  params: codeParam,
  query: CasesQuerySchema.omit({ page: true, pageSize: true }),
});
const trendExport = reviewExport('/api/review/areas/{code}/trend/export.xlsx', 'The trend', {
  params: codeParam,
  query: PeriodQuerySchema,
});
const urbanRuralExport = reviewExport('/api/review/urban-rural/export.xlsx', 'The urban-rural comparison', {
  query: PeriodQuerySchema,
});
const workersExport = reviewExport('/api/review/workers/export.xlsx', 'The grid workers’ review', { query: WorkersQuerySchema });
const departmentsExport = reviewExport('/api/review/departments/export.xlsx', 'The departments’ review', {
  query: DepartmentsQuerySchema,
});

function auditContextOf(c: Context<AppEnv>): AuditContext {
  return { principal: c.get('principal')!, ip: c.get('clientIp') || null, userAgent: c.req.header('User-Agent') ?? null };
}

function sendXlsx(c: Context<AppEnv>, name: string, workbook: Buffer) {
  return sendExport(c, `review-${name}`, 'xlsx', new Uint8Array(workbook));
}

/** The review (考评, issue 18): KPIs per area, trend, urban-rural gap, cases behind a figure, grid workers, departments, and their exports. */
export function reviewRoutes(service: ReviewService, exports: ReviewExports) {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
    .openapi(viewExport, async (c) => {
      const { code } = c.req.valid('param') as { code: string };
      const query = c.req.valid('query') as z.infer<typeof AreaQuerySchema>;
      const language = languageOf(c.req.header('Accept-Language'));
      return sendXlsx(c, code, await exports.areas(c.get('db'), auditContextOf(c), code, query, language));
    })
    .openapi(casesExport, async (c) => {
      const { code } = c.req.valid('param') as { code: string };
      const query = c.req.valid('query') as Omit<z.infer<typeof CasesQuerySchema>, 'page' | 'pageSize'>;
      const language = languageOf(c.req.header('Accept-Language'));
      const workbook = await exports.cases(c.get('db'), auditContextOf(c), code, query, language);
      return sendXlsx(c, `${code}-${query.kpi}-cases`, workbook);
    })
    .openapi(trendExport, async (c) => {
      const { code } = c.req.valid('param') as { code: string };
      const query = c.req.valid('query') as z.infer<typeof PeriodQuerySchema>;
      const language = languageOf(c.req.header('Accept-Language'));
      return sendXlsx(c, `${code}-trend`, await exports.trend(c.get('db'), auditContextOf(c), code, query, language));
    })
    .openapi(urbanRuralExport, async (c) => {
      const query = c.req.valid('query') as z.infer<typeof PeriodQuerySchema>;
      const language = languageOf(c.req.header('Accept-Language'));
      return sendXlsx(c, 'urban-rural', await exports.urbanRural(c.get('db'), auditContextOf(c), query, language));
    })
    .openapi(workersExport, async (c) => {
      const query = c.req.valid('query') as z.infer<typeof WorkersQuerySchema>;
      const language = languageOf(c.req.header('Accept-Language'));
      return sendXlsx(c, 'workers', await exports.workers(c.get('db'), auditContextOf(c), query, language));
    })
    .openapi(departmentsExport, async (c) => {
      const query = c.req.valid('query') as z.infer<typeof DepartmentsQuerySchema>;
      const language = languageOf(c.req.header('Accept-Language'));
      return sendXlsx(c, 'departments', await exports.departments(c.get('db'), auditContextOf(c), query, language));
    })
    .openapi(view, async (c) =>
      c.json(await service.area(c.get('db'), c.get('principal')!, c.req.valid('param').code, c.req.valid('query')), 200),
    )
    .openapi(trend, async (c) =>
      c.json(await service.trend(c.get('db'), c.get('principal')!, c.req.valid('param').code, c.req.valid('query')), 200),
    )
    .openapi(cases, async (c) =>
      c.json(await service.cases(c.get('db'), c.get('principal')!, c.req.valid('param').code, c.req.valid('query')), 200),
    )
    .openapi(urbanRural, async (c) =>
      c.json(await service.urbanRural(c.get('db'), c.get('principal')!, c.req.valid('query')), 200),
    )
    .openapi(workers, async (c) => {
      const principal = c.get('principal')!;
      const result = await service.workers(c.get('db'), principal, c.req.valid('query'));
      await service.auditWorkersRead(auditContextOf(c), result.areaCode, result.workers.length);
      return c.json(result, 200);
    })
    .openapi(departments, async (c) =>
      c.json(await service.departments(c.get('db'), c.get('principal')!, c.req.valid('query')), 200),
    );
}
