import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { levelOfCode } from '../../geo/area-codes.ts';
import type { AppEnv } from '../app-env.ts';
import type { AuditContext } from '../audit/service.ts';
import { requires } from '../auth/middleware.ts';
import { languageOf } from '../errors.ts';
import { errorResponses, idParam, isoTimeText, queryInt, validationHook } from '../openapi.ts';
import {
  DUE_STATUS_CODES,
  RISK_COLOUR_CODES,
  RISK_LEVEL_MAX,
  RISK_LEVEL_MIN,
  SPECIAL_CATEGORY_CODES,
  SUPERVISION_GRADE_CODES,
} from '../vocabulary/special-populations.ts';
import { registerCsv, registerXlsx } from './export.ts';
import type { SpecialPopulationsService } from './service.ts';

/** A day (Asia/Shanghai), YYYY-MM-DD, checked to be a real date. */
const DaySchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a day as YYYY-MM-DD')
  .refine((day) => {
    const date = new Date(`${day}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(day);
  }, 'not a calendar day')
  .openapi({ format: 'date', example: '2026-07-15' });

const AreaSchema = z
  .string()
  .max(18)
  .refine((code) => levelOfCode(code) !== null, 'expected an area code')
  .openapi({ description: 'A township, village, grid or cell code' });
const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => z.string().trim().max(max).nullable().default(null);

const FilterSchema = z.object({
  area: AreaSchema,
  category: z.enum(SPECIAL_CATEGORY_CODES).optional(),
  due: z.enum(DUE_STATUS_CODES).optional(),
  risk: z.enum(RISK_COLOUR_CODES).optional(),
  closed: z
    .enum(['true', 'false'])
    .optional()
    .transform((value) => value === 'true'),
});

const EntrySchema = z
  .object({
    id: z.string(),
    category: z.enum(SPECIAL_CATEGORY_CODES),
    name: z.string(),
    idNumber: z
      .string()
      .nullable()
      .openapi({ description: 'Masked (first 6 and last 4) except in the detail for the entry’s own scope' }),
    gender: z.string().nullable(),
    birthDate: z.string().nullable(),
    phone: z.string().nullable(),
    householdCode: z.string(),
    address: z.string().nullable(),
    areaCode: z.string(),
    gridName: z.string().nullable(),
    villageName: z.string().nullable(),
    riskLevel: z.number().int().nullable(),
    supervisionGrade: z.string().nullable(),
    releaseDate: z.string().nullable(),
    programmeStart: z.string().nullable(),
    registeredOn: z.string(),
    active: z.boolean(),
    lastVisitAt: isoTimeText().nullable(),
    nextDueOn: z.string().nullable(),
    dueStatus: z.enum(DUE_STATUS_CODES),
    riskColour: z.enum(RISK_COLOUR_CODES),
    version: z.number().int(),
  })
  .openapi('SpecialEntry');

const TenantSchema = z.object({
  name: text(40),
  idNumber: z.string().max(18).nullable().default(null),
  phone: z.string().max(20).nullable().default(null),
  since: DaySchema.nullable().default(null),
});

const DetailSchema = z
  .object({
    entry: EntrySchema.extend({
      landlordName: z.string().nullable(),
      landlordPhone: z.string().nullable(),
      tenants: z.array(TenantSchema),
      guardianName: z.string().nullable(),
      guardianPhone: z.string().nullable(),
      notes: z.string().nullable(),
      closedOn: z.string().nullable(),
      closedReason: z.string().nullable(),
      updatedAt: isoTimeText(),
    }),
    states: z.array(
      z.object({
        effectiveFrom: isoTimeText(),
        riskLevel: z.number().int().nullable(),
        supervisionGrade: z.string().nullable(),
        reason: z.string().nullable(),
        setByName: z.string(),
      }),
    ),
    visits: z.array(
      z.object({
        id: z.string(),
        visitedAt: isoTimeText(),
        visitorName: z.string(),
        mode: z.string(),
        outcome: z.string(),
        notes: z.string().nullable(),
        distanceM: z.number().nullable(),
        patrolId: z.string().nullable(),
      }),
    ),
  })
  .openapi('SpecialEntryDetail');

const EditSchema = z.object({
  name: text(60),
  idNumber: optionalText(18),
  gender: z.enum(['male', 'female']).nullable().default(null),
  birthDate: DaySchema.nullable().default(null),
  phone: optionalText(20),
  householdCode: text(40),
  releaseDate: DaySchema.nullable().default(null),
  programmeStart: DaySchema.nullable().default(null),
  landlordName: optionalText(40),
  landlordPhone: optionalText(20),
  tenants: z.array(TenantSchema).max(50).nullable().default(null),
  guardianName: optionalText(40),
  guardianPhone: optionalText(20),
  notes: optionalText(500),
});

const RegisterSchema = EditSchema.extend({
  clientId: z
    .string()
    .min(8)
    .max(64)
    .openapi({ description: 'Chosen by the client: a retry with the same id answers the entry already written' }),
  category: z.enum(SPECIAL_CATEGORY_CODES),
  riskLevel: z.number().int().min(RISK_LEVEL_MIN).max(RISK_LEVEL_MAX).nullable().default(null),
  supervisionGrade: z.enum(SUPERVISION_GRADE_CODES).nullable().default(null),
  registeredOn: DaySchema.optional(),
});

const RuleVersionSchema = z
  .object({
    id: z.number().int(),
    category: z.enum(SPECIAL_CATEGORY_CODES),
    effectiveFrom: z.string(),
    rule: z.unknown(),
    setByName: z.string(),
    setAt: isoTimeText(),
    current: z.boolean(),
  })
  .openapi('FollowUpRuleVersion');

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
  middleware: [requires('special.personal')] as const,
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
    middleware: [requires('special.personal')] as const,
    request: { query: FilterSchema },
    responses: {
      200: {
        content: {
          [format === 'csv' ? 'text/csv' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']: {
            schema: z.string(),
          },
        },
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
  middleware: [requires('special.personal')] as const,
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
  middleware: [requires('special.personal')] as const,
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
  summary: 'Edit an entry read at `version`; a stale version is refused with 409',
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
        return c.body(new Uint8Array(workbook), 200, {
          'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        });
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
