import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.ts';
import { requires } from '../auth/middleware.ts';
import { originOf } from '../auth/routes.ts';
import { languageOf } from '../errors.ts';
import { errorResponses, idParam, isoDateParam, queryInt, validationHook, XLSX_TYPE, xlsxResponse } from '../openapi.ts';
import { isCaseState } from '../vocabulary/case-states.ts';
import { isReportType, URGENCIES } from '../vocabulary/report-types.ts';
import {
  ActionBodySchema,
  ActionResultSchema,
  CaseDetailSchema,
  CaseSummarySchema,
  LightSchema,
  TimeLimitInputSchema,
  TimeLimitsSchema,
} from './contracts.ts';
import { casesCsv, casesXlsx, shanghaiText } from './export.ts';
import type { CaseListQuery, CasesService } from './service.ts';
import type { TimeLimitsService } from './time-limits-service.ts';

const AREA_CODE = /^\d{6}(\d{3}){0,4}$/;

const FilterSchema = z.object({
  state: z
    .string()
    .max(200)
    .optional()
    .refine((value) => value === undefined || value.split(',').every((state) => isCaseState(state)), {
      message: 'comma-separated workflow states',
    })
    .openapi({ description: 'One or more states, comma-separated: reported,filed,…' }),
  type: z
    .string()
    .max(32)
    .optional()
    .refine((value) => value === undefined || isReportType(value), { message: 'a report type' }),
  area: z.string().regex(AREA_CODE).optional().openapi({ description: 'An area code: cases in that area and below' }),
  urgency: z.enum(URGENCIES).optional(),
  light: LightSchema.optional(),
  from: isoDateParam.optional().openapi({ description: 'Reported at or after (ISO 8601)' }),
  to: isoDateParam.optional().openapi({ description: 'Reported before (ISO 8601)' }),
  text: z.string().max(64).optional().openapi({ description: 'Part of the case number or of the description' }),
  sort: z.enum(['reportedAt', 'dueAt', 'state', 'urgency']).default('reportedAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
});

function listQuery(query: z.infer<typeof FilterSchema>): CaseListQuery {
  const { state, ...rest } = query;
  return { ...rest, states: state ? state.split(',') : undefined };
}

const listCases = createRoute({
  method: 'get',
  path: '/api/cases',
  tags: ['cases'],
  summary: 'Cases inside your scope, filtered, sorted and paged',
  middleware: [requires('cases.view')] as const,
  request: {
    query: FilterSchema.extend({
      page: queryInt(1).default(1),
      pageSize: queryInt(1, 200).default(50),
    }),
  },
  responses: {
    200: {
      content: {
        'application/json': {
          schema: z.object({
            items: z.array(CaseSummarySchema),
            total: z.number().int(),
            page: z.number().int(),
            pageSize: z.number().int(),
          }),
        },
      },
      description: 'One page of cases and how many match',
    },
    ...errorResponses(400, 401, 403),
  },
});

const exportCsv = createRoute({
  method: 'get',
  path: '/api/cases/export.csv',
  tags: ['cases'],
  summary: 'The filtered cases as CSV (UTF-8 with BOM; recorded in the audit log)',
  middleware: [requires('cases.export')] as const,
  request: { query: FilterSchema },
  responses: {
    200: { content: { 'text/csv': { schema: z.string() } }, description: 'CSV, UTF-8 with BOM' },
    ...errorResponses(400, 401, 403),
  },
});

const exportXlsx = createRoute({
  method: 'get',
  path: '/api/cases/export.xlsx',
  tags: ['cases'],
  summary: 'The filtered cases as an Excel workbook (recorded in the audit log)',
  middleware: [requires('cases.export')] as const,
  request: { query: FilterSchema },
  responses: {
    200: xlsxResponse(),
    ...errorResponses(400, 401, 403),
  },
});

const getCase = createRoute({
  method: 'get',
  path: '/api/cases/{id}',
  tags: ['cases'],
  summary: 'One case: place, areas, control zone, timeline with photos, pending request, light and the actions you may take',
  middleware: [requires('cases.view')] as const,
  request: { params: idParam },
  responses: {
    200: { content: { 'application/json': { schema: z.object({ case: CaseDetailSchema }) } }, description: 'The case' },
    ...errorResponses(400, 401, 403, 404),
  },
});

const actOnCase = createRoute({
  method: 'post',
  path: '/api/cases/{id}/actions',
  tags: ['cases'],
  summary:
    'Take a workflow action: 403 when your role or relation to the case does not allow it, 409 when the state does not (illegal_transition) or the case changed (stale_case)',
  // Every role that takes any action has cases.handle (commanders too); which action a role may
  // take, and on which case, is the workflow's rule (workflow.ts).
  middleware: [requires('cases.handle')] as const,
  request: {
    params: idParam,
    body: { content: { 'application/json': { schema: ActionBodySchema } }, required: true },
  },
  responses: {
    200: {
      content: {
        'application/json': {
          schema: ActionResultSchema,
        },
      },
      description: 'The case after the action, and the timeline step it wrote',
    },
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

const getTimeLimits = createRoute({
  method: 'get',
  path: '/api/time-limits',
  tags: ['cases'],
  summary: 'The time limits per type, urgency and stage, each with its clock (natural or working time)',
  middleware: [requires('cases.view')] as const,
  responses: {
    200: { content: { 'application/json': { schema: TimeLimitsSchema } }, description: 'Time limits' },
    ...errorResponses(401, 403),
  },
});

const putTimeLimits = createRoute({
  method: 'put',
  path: '/api/time-limits',
  tags: ['cases'],
  summary: 'Set time limits (all rows given, or none; recorded in the audit log); running clocks keep their deadline',
  middleware: [requires('time-limits.manage')] as const,
  request: {
    body: {
      content: {
        'application/json': {
          schema: z.object({
            limits: z.array(TimeLimitInputSchema).min(1).max(200),
          }),
        },
      },
      required: true,
    },
  },
  responses: {
    200: { content: { 'application/json': { schema: TimeLimitsSchema } }, description: 'All time limits after the change' },
    ...errorResponses(400, 401, 403),
  },
});

/** Today in Shanghai, for export file names. */
const today = () => shanghaiText(new Date().toISOString()).slice(0, 10);

export function casesRoutes(service: CasesService, timeLimits: TimeLimitsService) {
  return (
    new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
      .openapi(listCases, async (c) => {
        const { page, pageSize, ...filter } = c.req.valid('query');
        return c.json(await service.list(c.get('db'), listQuery(filter), page, pageSize), 200);
      })
      // The exports come before /api/cases/{id}, which would otherwise take "export.csv" for an id.
      .openapi(exportCsv, async (c) => {
        const language = languageOf(c.req.header('Accept-Language'));
        const items = await service.exportRows(c.get('db'), listQuery(c.req.valid('query')), {
          principal: c.get('principal')!,
          origin: originOf(c),
          format: 'csv',
        });
        c.header('Content-Disposition', `attachment; filename="cases-${today()}.csv"`);
        return c.body(casesCsv(items, language), 200, { 'Content-Type': 'text/csv; charset=utf-8' });
      })
      .openapi(exportXlsx, async (c) => {
        const language = languageOf(c.req.header('Accept-Language'));
        const items = await service.exportRows(c.get('db'), listQuery(c.req.valid('query')), {
          principal: c.get('principal')!,
          origin: originOf(c),
          format: 'xlsx',
        });
        const workbook = await casesXlsx(items, language);
        c.header('Content-Disposition', `attachment; filename="cases-${today()}.xlsx"`);
        return c.body(new Uint8Array(workbook), 200, { 'Content-Type': XLSX_TYPE });
      })
      .openapi(getCase, async (c) =>
        c.json({ case: await service.detail(c.get('db'), c.get('principal')!, c.req.valid('param').id) }, 200),
      )
      .openapi(actOnCase, async (c) =>
        c.json(await service.act(c.get('db'), c.get('principal')!, c.req.valid('param').id, c.req.valid('json')), 200),
      )
      .openapi(getTimeLimits, async (c) => c.json(await timeLimits.list(c.get('db')), 200))
      .openapi(putTimeLimits, async (c) =>
        c.json(await timeLimits.update(c.get('principal')!, originOf(c), c.req.valid('json').limits), 200),
      )
  );
}
