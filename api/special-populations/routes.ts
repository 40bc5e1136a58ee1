import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.ts';
import type { AuditContext } from '../audit/service.ts';
import { requires } from '../auth/middleware.ts';
import { languageOf } from '../errors.ts';
import { errorResponses, idParam, queryInt, validationHook, XLSX_TYPE } from '../openapi.ts';
import {
  RISK_LEVEL_MAX,
  RISK_LEVEL_MIN,
  SPECIAL_CATEGORY_CODES,
  SUPERVISION_GRADE_CODES,
} from '../vocabulary/special-populations.ts';
import {
  AreaSchema,
  DaySchema,
  DetailSchema,
  EditSchema,
  EntrySchema,
  FilterSchema,
  RegisterSchema,
  RuleVersionSchema,
  text,
} from './contracts.ts';
import { registerCsv, registerXlsx } from './export.ts';
import type { SpecialPopulationsService } from './service.ts';

const json = <Schema extends z.ZodType>(schema: Schema, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});
const body = <Schema extends z.ZodType>(schema: Schema) => ({
  body: { content: { 'application/json': { schema } }, required: true },
});
const tags = ['special-populations'];

const listEntries = createRoute({
  method: 'get',
  path: '/api/special/entries',
  tags,
  summary: 'A page of an area’s register entries in your reach, by due day, with personal fields (audited)',
  middleware: [requires('special.view')] as const,
  request: { query: FilterSchema.extend({ page: queryInt(1).default(1), pageSize: queryInt(1, 200).default(50) }) },
  responses: {
    200: json(
      z.object({
        today: z.string(),
        total: z.number().int(),
        page: z.number().int(),
        pageSize: z.number().int(),
        entries: z.array(EntrySchema),
      }),
      'The entries',
    ),
    ...errorResponses(400, 401, 403),
  },
});

const exportRoute = (format: 'csv' | 'xlsx') =>
  createRoute({
    method: 'get',
    path: `/api/special/entries/export.${format}`,
    tags,
    summary: `The filtered register as ${format.toUpperCase()}, headed by who exported it and when (audited)`,
    middleware: [requires('special.view')] as const,
    request: { query: FilterSchema },
    responses: {
      200: {
        content: { [format === 'csv' ? 'text/csv' : XLSX_TYPE]: { schema: z.string() } },
        description: format === 'csv' ? 'CSV, UTF-8 with BOM' : 'XLSX',
      },
      ...errorResponses(400, 401, 403),
    },
  });
const exportCsv = exportRoute('csv');
const exportXlsx = exportRoute('xlsx');

const dueList = createRoute({
  method: 'get',
  path: '/api/special/due',
  tags,
  summary: 'The people overdue and due within 7 days in a grid, village or township, with counts per grid (audited)',
  middleware: [requires('special.view')] as const,
  request: { query: z.object({ area: AreaSchema, category: z.enum(SPECIAL_CATEGORY_CODES).optional() }) },
  responses: {
    200: json(
      z.object({
        today: z.string(),
        area: z.string(),
        overdue: z.array(EntrySchema),
        dueSoon: z.array(EntrySchema),
        grids: z.array(
          z.object({
            gridCode: z.string(),
            gridName: z.string().nullable(),
            overdue: z.number().int(),
            dueSoon: z.number().int(),
          }),
        ),
      }),
      'The due list',
    ),
    ...errorResponses(400, 401, 403),
  },
});

const getEntry = createRoute({
  method: 'get',
  path: '/api/special/entries/{id}',
  tags,
  summary: 'One entry with its state history and newest visits (audited)',
  middleware: [requires('special.view')] as const,
  request: { params: idParam },
  responses: { 200: json(DetailSchema, 'The entry'), ...errorResponses(401, 403, 404) },
});

const registerEntry = createRoute({
  method: 'post',
  path: '/api/special/entries',
  tags,
  summary: 'Register an entry in a household of your scope (idempotent by clientId)',
  middleware: [requires('special.manage')] as const,
  request: body(RegisterSchema),
  responses: {
    200: json(DetailSchema.extend({ created: z.literal(false) }), 'Already registered by an earlier try'),
    201: json(DetailSchema.extend({ created: z.literal(true) }), 'Registered'),
    ...errorResponses(400, 401, 403, 404),
  },
});

const editEntry = createRoute({
  method: 'patch',
  path: '/api/special/entries/{id}',
  tags,
  summary:
    'Replace the editable fields of an entry read at `version` (send them all, as the form does: one left out is cleared); a stale version is refused with 409',
  middleware: [requires('special.manage')] as const,
  request: { params: idParam, ...body(EditSchema.extend({ version: z.number().int().min(1) })) },
  responses: { 200: json(DetailSchema, 'Edited'), ...errorResponses(400, 401, 403, 404, 409) },
});

const changeState = createRoute({
  method: 'post',
  path: '/api/special/entries/{id}/state',
  tags,
  summary: 'Change the risk level or supervision grade from now, with a reason (due day recomputed)',
  middleware: [requires('special.manage')] as const,
  request: {
    params: idParam,
    ...body(
      z.object({
        version: z.number().int().min(1),
        riskLevel: z.number().int().min(RISK_LEVEL_MIN).max(RISK_LEVEL_MAX).optional(),
        supervisionGrade: z.enum(SUPERVISION_GRADE_CODES).optional(),
        reason: text(200),
      }),
    ),
  },
  responses: { 200: json(DetailSchema, 'Changed'), ...errorResponses(400, 401, 403, 404, 409) },
});

const closeEntry = createRoute({
  method: 'post',
  path: '/api/special/entries/{id}/close',
  tags,
  summary: 'Close an entry with a reason (closing a closed entry answers it as it is)',
  middleware: [requires('special.manage')] as const,
  request: {
    params: idParam,
    ...body(z.object({ version: z.number().int().min(1), reason: text(200), closedOn: DaySchema.optional() })),
  },
  responses: { 200: json(DetailSchema, 'Closed'), ...errorResponses(400, 401, 403, 404, 409) },
});

const readRules = createRoute({
  method: 'get',
  path: '/api/special/rules',
  tags,
  summary: 'The follow-up rules: every version of every category, newest first, the ones in force today marked',
  middleware: [requires('special.view')] as const,
  responses: {
    200: json(z.object({ today: z.string(), versions: z.array(RuleVersionSchema) }), 'The rules'),
    ...errorResponses(401, 403),
  },
});

const setRule = createRoute({
  method: 'put',
  path: '/api/special/rules/{category}',
  tags,
  summary: 'Set a category’s rule from a day on (county level); the category’s due days are recomputed in the same transaction',
  middleware: [requires('special.rules')] as const,
  request: {
    params: z.object({ category: z.enum(SPECIAL_CATEGORY_CODES).openapi({ param: { name: 'category', in: 'path' } }) }),
    ...body(z.object({ effectiveFrom: DaySchema, rule: z.record(z.string(), z.unknown()) })),
  },
  responses: {
    200: json(
      z.object({ category: z.string(), effectiveFrom: z.string(), rule: z.unknown(), recomputed: z.number().int() }),
      'Set',
    ),
    ...errorResponses(400, 401, 403),
  },
});

function auditContextOf(c: {
  get(key: 'principal'): AppEnv['Variables']['principal'];
  get(key: 'clientIp'): string;
  req: { header(name: string): string | undefined };
}): AuditContext {
  return { principal: c.get('principal')!, ip: c.get('clientIp') || null, userAgent: c.req.header('User-Agent') ?? null };
}

/** The registers of special populations: lists, details, due lists and exports (personal, audited), their keeping, the rules. */
export function specialPopulationsRoutes(service: SpecialPopulationsService) {
  return (
    new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
      .openapi(listEntries, async (c) => {
        const { page, pageSize, ...filter } = c.req.valid('query');
        return c.json(await service.list(c.get('db'), auditContextOf(c), filter, page, pageSize), 200);
      })
      // The exports come before /api/special/entries/{id}, which would otherwise take "export.csv" for an id.
      .openapi(exportCsv, async (c) => {
        const rows = await service.exportRows(c.get('db'), auditContextOf(c), c.req.valid('query'), 'csv');
        c.header(
          'Content-Disposition',
          `attachment; filename="special-register-${rows.exportedAt.toISOString().slice(0, 10)}.csv"`,
        );
        return c.body(registerCsv(rows, languageOf(c.req.header('Accept-Language'))), 200, {
          'Content-Type': 'text/csv; charset=utf-8',
        });
      })
      .openapi(exportXlsx, async (c) => {
        const rows = await service.exportRows(c.get('db'), auditContextOf(c), c.req.valid('query'), 'xlsx');
        const workbook = await registerXlsx(rows, languageOf(c.req.header('Accept-Language')));
        c.header(
          'Content-Disposition',
          `attachment; filename="special-register-${rows.exportedAt.toISOString().slice(0, 10)}.xlsx"`,
        );
        return c.body(new Uint8Array(workbook), 200, { 'Content-Type': XLSX_TYPE });
      })
      .openapi(dueList, async (c) => {
        const { area, category } = c.req.valid('query');
        return c.json(await service.dueList(c.get('db'), auditContextOf(c), area, category), 200);
      })
      .openapi(getEntry, async (c) => c.json(await service.detail(c.get('db'), auditContextOf(c), c.req.valid('param').id), 200))
      .openapi(registerEntry, async (c) => {
        const answer = await service.register(c.get('db'), auditContextOf(c), c.req.valid('json'));
        return answer.created
          ? c.json({ ...answer, created: true as const }, 201)
          : c.json({ ...answer, created: false as const }, 200);
      })
      .openapi(editEntry, async (c) => {
        const { version, ...edit } = c.req.valid('json');
        return c.json(await service.edit(c.get('db'), auditContextOf(c), c.req.valid('param').id, version, edit), 200);
      })
      .openapi(changeState, async (c) =>
        c.json(await service.changeState(c.get('db'), auditContextOf(c), c.req.valid('param').id, c.req.valid('json')), 200),
      )
      .openapi(closeEntry, async (c) =>
        c.json(await service.close(c.get('db'), auditContextOf(c), c.req.valid('param').id, c.req.valid('json')), 200),
      )
      .openapi(readRules, async (c) => c.json(await service.rules(), 200))
      .openapi(setRule, async (c) => {
        const { effectiveFrom, rule } = c.req.valid('json');
        return c.json(await service.setRule(auditContextOf(c), c.req.valid('param').category, effectiveFrom, rule), 200);
      })
  );
}
