import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.ts';
import { requires } from '../auth/middleware.ts';
import { originOf } from '../auth/routes.ts';
import { languageOf } from '../errors.ts';
import { errorResponses, idParam, isoDateParam, queryInt, validationHook } from '../openapi.ts';
import { CASE_ACTIONS, isCaseState, REQUEST_KINDS } from '../vocabulary/case-states.ts';
import { isReportType, URGENCIES } from '../vocabulary/report-types.ts';
import { casesCsv, casesXlsx, shanghaiText } from './export.ts';
import { LIGHTS } from './light.ts';
import type { CaseListQuery, CasesService } from './service.ts';
import type { TimeLimitsService } from './time-limits-service.ts';
import { CLOCK_KINDS, LIMIT_UNITS } from './working-time.ts';

const PositionSchema = z.tuple([z.number(), z.number()]).openapi({ description: '[lng, lat], WGS84' });
const LightSchema = z.enum(LIGHTS as ['green', 'yellow', 'red', 'none']);
const LimitUnitSchema = z.enum(LIMIT_UNITS as ['minutes', 'hours', 'days']);
const ClockKindSchema = z.enum(CLOCK_KINDS as ['natural', 'working']).openapi({
  description:
    'natural: every hour counts, nights, weekends and holidays included (自然时间); working: office time on working days only, 08:30-12:00 and 14:00-17:30 Asia/Shanghai, a working day being 7 office hours (工作时间)',
});

export const CaseSummarySchema = z
  .object({
    id: z.string(),
    caseNumber: z.string(),
    type: z.string(),
    urgency: z.string(),
    state: z.string(),
    description: z.string(),
    source: z.string(),
    reporterName: z.string(),
    position: PositionSchema,
    cellCode: z.string(),
    gridCode: z.string(),
    villageCode: z.string(),
    townshipCode: z.string(),
    townshipName: z.string().nullable(),
    villageName: z.string().nullable(),
    responsibleLevel: z.string().openapi({ description: 'cell | grid | village | township | county; escalation moves it up' }),
    assignedTownshipCode: z.string().nullable(),
    assignedDepartmentCode: z.string().nullable(),
    assignedDepartmentName: z.string().nullable(),
    coDepartmentCodes: z.array(z.string()),
    supervised: z.boolean(),
    parked: z.boolean(),
    escalationCount: z.number().int(),
    clockStage: z
      .string()
      .nullable()
      .openapi({ description: 'file | acknowledge | handle | check; null once the clock stopped' }),
    clockStartedAt: z.string().nullable(),
    dueAt: z.string().nullable(),
    limitAmount: z.number().nullable(),
    limitUnit: z
      .string()
      .nullable()
      .openapi({ description: 'minutes | hours | days, counted on limitClock; includes approved extensions' }),
    limitClock: ClockKindSchema.nullable().openapi({
      description: 'The clock of the current limit: natural (自然时间) or working (工作时间); null when the case never had one',
    }),
    light: LightSchema,
    usedShare: z.number().nullable().openapi({ description: 'Share of the running limit used: 0..1, above 1 when late' }),
    pendingRequestKind: z.string().nullable(),
    reportedAt: z.string(),
    filedAt: z.string().nullable(),
    dispatchedAt: z.string().nullable(),
    closedAt: z.string().nullable(),
    closedOnTime: z.boolean().nullable(),
    satisfaction: z.number().int().nullable(),
    takenAt: z.string().nullable(),
    updatedAt: z.string(),
    version: z.number().int().openapi({ description: 'Send it back with an action (optimistic concurrency)' }),
  })
  .openapi('CaseSummary');

const StepSchema = z
  .object({
    id: z.number().int(),
    at: z.string(),
    actorName: z.string(),
    actorRole: z.string(),
    action: z.string(),
    fromState: z.string().nullable(),
    toState: z.string(),
    note: z.string(),
    details: z.record(z.string(), z.unknown()).nullable(),
    photoIds: z.array(z.string()),
  })
  .openapi('CaseStep');

const PendingRequestSchema = z.object({
  kind: z.enum(REQUEST_KINDS),
  reason: z.string(),
  requestedBy: z.object({ accountId: z.string(), name: z.string(), role: z.string() }),
  requestedAt: z.string(),
  amount: z.number().int().optional(),
  unit: z.enum(['hours', 'days']).optional().openapi({ description: 'On the case’s own clock (limitClock)' }),
});

const AreaNameSchema = z.object({ code: z.string(), name: z.string().nullable() });

const CaseDetailSchema = CaseSummarySchema.extend({
  reporterRole: z.string(),
  accuracyM: z.number().nullable(),
  inputDatum: z.string(),
  areas: z.object({ township: AreaNameSchema, village: AreaNameSchema, grid: AreaNameSchema, cell: AreaNameSchema }),
  urban: z.boolean(),
  coDepartments: z.array(AreaNameSchema),
  controlZone: z.unknown().openapi({ description: 'GeoJSON Polygon ([lng, lat] WGS84) or null' }),
  mergedInto: z.string().nullable(),
  pendingRequest: PendingRequestSchema.nullable(),
  reworkCount: z.number().int(),
  photos: z.array(
    z.object({
      id: z.string(),
      stepId: z.number().int().nullable(),
      contentType: z.string(),
      byteSize: z.number().int(),
      createdAt: z.string(),
    }),
  ),
  steps: z.array(StepSchema),
  nextActions: z.array(z.enum(CASE_ACTIONS)),
}).openapi('CaseDetail');

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
    200: {
      content: { 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: z.string() } },
      description: 'XLSX',
    },
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

const ActionBodySchema = z
  .object({
    action: z.enum(CASE_ACTIONS),
    clientId: z.string().uuid().openapi({ description: 'Generated by the client: a retry with it is applied once' }),
    version: z.number().int().min(1).openapi({ description: 'The case version the client saw' }),
    note: z.string().max(2000).optional(),
    townshipCode: z
      .string()
      .regex(/^\d{9}$/)
      .optional()
      .openapi({ description: 'dispatch: the case’s township' }),
    departmentCode: z
      .string()
      .regex(/^D\d{2,3}$/)
      .optional()
      .openapi({ description: 'dispatch: the lead department' }),
    coDepartmentCodes: z
      .array(z.string().regex(/^D\d{2,3}$/))
      .max(10)
      .optional()
      .openapi({ description: 'dispatch: co-handling departments (协同)' }),
    photoIds: z
      .array(z.string().min(1).max(64))
      .max(9)
      .optional()
      .openapi({ description: 'handle, feedback, on_spot: photos of this case' }),
    passed: z.boolean().optional().openapi({ description: 'check: false sends the case back for rework' }),
    satisfaction: z.number().int().min(1).max(5).optional().openapi({ description: 'evaluate: 1..5 from the return visit' }),
    amount: z.number().int().min(1).max(250).optional().openapi({ description: 'request_extension: how much more time' }),
    unit: z
      .enum(['hours', 'days'])
      .optional()
      .openapi({ description: 'request_extension: hours or days, on the case’s own clock (natural or working)' }),
  })
  .openapi('CaseActionBody');

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
          schema: z.object({
            case: CaseDetailSchema,
            step: StepSchema,
            replayed: z
              .boolean()
              .openapi({ description: 'True when this clientId was applied before and nothing was written now' }),
          }),
        },
      },
      description: 'The case after the action, and the timeline step it wrote',
    },
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

const TimeLimitSchema = z
  .object({
    type: z.string().openapi({ description: 'A report type, or * for every type without a row of its own' }),
    urgency: z.string().openapi({ description: 'normal | urgent; for the check stage urban | rural' }),
    stage: z.enum(['file', 'acknowledge', 'handle', 'check']),
    amount: z.number().int(),
    unit: LimitUnitSchema,
    clock: ClockKindSchema,
    updatedAt: z.string(),
    updatedBy: z.string().nullable(),
  })
  .openapi('TimeLimit');

const TimeLimitsSchema = z.object({
  limits: z.array(TimeLimitSchema),
  units: z.array(LimitUnitSchema),
  clocks: z.array(ClockKindSchema),
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
            limits: z
              .array(
                z.object({
                  type: z.string().max(32),
                  urgency: z.string().max(16),
                  stage: z.string().max(16),
                  amount: z.number().int(),
                  unit: z.string().max(16).openapi({ description: 'minutes | hours | days' }),
                  clock: z.string().max(16).openapi({ description: 'natural | working' }),
                }),
              )
              .min(1)
              .max(200),
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
        return c.body(new Uint8Array(workbook), 200, {
          'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        });
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
