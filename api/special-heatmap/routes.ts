import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { HEX_SIZES_M, type HexSize } from '../../geo/hexagons.ts';
import type { AppEnv } from '../app-env.ts';
import type { AuditContext } from '../audit/service.ts';
import { requires } from '../auth/middleware.ts';
import { errorResponses, isoTimeText, pathId, validationHook } from '../openapi.ts';
import { RISK_COLOUR_CODES, SPECIAL_CATEGORY_CODES } from '../vocabulary/special-populations.ts';
import { type AccessGrantsService, MAX_GRANT_HOURS, MIN_REASON_LENGTH } from './access-service.ts';
import type { SpecialHeatmapService } from './service.ts';
import type { SpecialSummaryService } from './summary.ts';

const Month = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a month as YYYY-MM')
  .openapi({ example: '2026-11' });
const AreaCode = z.string().openapi({ description: 'An area code in your scope; your scope when omitted', example: '511921108' });
const Measure = z.enum(['visits', 'overdue']).openapi({
  description: 'visits: visits made in the period; overdue: entries whose due day fell in the period and before today',
});
const HEX_SIZE_CODES = Object.keys(HEX_SIZES_M) as [HexSize, ...HexSize[]];

const periodQuery = z.object({
  measure: Measure,
  from: Month.openapi({ description: 'First month (Asia/Shanghai), included' }),
  to: Month.openapi({ description: 'Last month, included' }),
  area: AreaCode.optional(),
});

const heatmapQuery = periodQuery.extend({
  unit: z.enum(['hex', 'cell']).default('hex'),
  size: z.enum(HEX_SIZE_CODES).default('medium').openapi({
    description: 'Hexagon size (1, 3, 9 km); readers without personal access always get the 3 km grid',
  }),
  categories: z
    .string()
    .optional()
    .transform((text) => (text ? text.split(',') : undefined))
    .pipe(z.array(z.enum(SPECIAL_CATEGORY_CODES)).optional())
    .openapi({ type: 'string', description: 'Comma-separated categories; all when omitted' }),
});

const UnitFigureSchema = z.object({
  unit: z.string().openapi({ description: 'Cell code, or hexagon `q:r` of the fixed grid (geo/hexagons.ts)' }),
  value: z.number().int().nullable(),
  suppressed: z.boolean().openapi({ description: 'Fewer than 5 people (or withdrawn so that none can be worked out)' }),
});

const HeatmapSchema = z
  .object({
    measure: Measure,
    unit: z.enum(['hex', 'cell']),
    size: z.enum(HEX_SIZE_CODES).nullable(),
    areaCode: z.string(),
    months: z.array(z.string()),
    categories: z.array(z.string()).nullable(),
    exact: z.boolean().openapi({ description: 'True for personal access (audited): no figure suppressed' }),
    minPeople: z.number().int(),
    units: z.array(UnitFigureSchema),
    publishedSum: z.number().int().openapi({ description: 'Sum of the published units only (not a true total)' }),
    suppressedUnits: z.number().int(),
  })
  .openapi('SpecialHeatmap');

const GrantSchema = z
  .object({
    id: z.string(),
    accountName: z.string(),
    accountScope: z.string(),
    areaCode: z.string(),
    reason: z.string(),
    grantedAt: isoTimeText(),
    expiresAt: isoTimeText(),
    revokedAt: isoTimeText().nullable(),
  })
  .openapi('SpecialAccessGrant');

const GrantRequestSchema = z.object({
  clientId: z.string().min(8).max(64).openapi({ description: 'Client id: a retry returns the same grant' }),
  areaCode: z.string().regex(/^\d{9}(\d{3}){0,3}$/, 'expected a township, village, grid or cell code'),
  reason: z
    .string()
    .max(500)
    .openapi({ description: `Why, at least ${MIN_REASON_LENGTH} characters` }),
  hours: z.number().min(0.25).max(MAX_GRANT_HOURS).default(1),
});

const json = <Schema extends z.ZodType>(schema: Schema, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

const heatmap = createRoute({
  method: 'get',
  path: '/api/special/heatmap',
  tags: ['special'],
  summary:
    'Visits or overdue follow-ups per fixed unit over whole months: exact with personal access (audited), else suppressed below 5 people',
  middleware: [requires('special.view')] as const,
  request: { query: heatmapQuery },
  responses: { 200: json(HeatmapSchema, 'Figures per unit'), ...errorResponses(400, 401, 403, 404) },
});

const points = createRoute({
  method: 'get',
  path: '/api/special/heatmap/points',
  tags: ['special'],
  summary: 'Visit fixes or overdue entries’ households in an area, for personal access only (audited)',
  middleware: [requires('special.view')] as const,
  request: { query: periodQuery },
  responses: {
    200: json(
      z.object({
        measure: Measure,
        areaCode: z.string(),
        points: z.array(
          z.object({
            id: z.string(),
            lng: z.number(),
            lat: z.number(),
            category: z.string(),
            cellCode: z.string(),
            at: z.string(),
            riskLevel: z.number().int().nullable(),
          }),
        ),
      }),
      'Points',
    ),
    ...errorResponses(400, 401, 403, 404),
  },
});

const overdueCells = createRoute({
  method: 'get',
  path: '/api/special/overdue-cells',
  tags: ['special'],
  summary: 'Per cell: entries overdue today and the worst risk colour among them, for personal access only (audited)',
  middleware: [requires('special.view')] as const,
  request: { query: z.object({ area: AreaCode.optional() }) },
  responses: {
    200: json(
      z.object({
        areaCode: z.string(),
        asOf: z.string(),
        cells: z.array(z.object({ cellCode: z.string(), overdue: z.number().int(), worst: z.enum(RISK_COLOUR_CODES) })),
      }),
      'Overdue per cell',
    ),
    ...errorResponses(400, 401, 403, 404),
  },
});

const figure = z.number().int().nullable().openapi({ description: 'Null: fewer than 5 people, not shown' });
const summary = createRoute({
  method: 'get',
  path: '/api/special/summary',
  tags: ['special'],
  summary:
    'Per child area: entries registered, overdue, due within 7 days, registered by category; exact with personal access (audited), else suppressed below 5',
  middleware: [requires('special.view')] as const,
  request: { query: z.object({ area: AreaCode.optional() }) },
  responses: {
    200: json(
      z.object({
        areaCode: z.string(),
        asOf: z.string(),
        exact: z.boolean(),
        minPeople: z.number().int(),
        children: z.array(
          z.object({
            code: z.string(),
            registered: figure,
            overdue: figure,
            dueSoon: figure,
            byCategory: z.record(z.string(), figure),
          }),
        ),
        shownSums: z.object({ registered: z.number().int(), overdue: z.number().int(), dueSoon: z.number().int() }),
      }),
      'Figures per child area',
    ),
    ...errorResponses(400, 401, 403, 404),
  },
});

const openGrant = createRoute({
  method: 'post',
  path: '/api/special/grants',
  tags: ['special'],
  summary: `Break the glass: personal access to an area in your scope for up to ${MAX_GRANT_HOURS} hours, with a reason (audited, shown to superiors)`,
  middleware: [requires('special.break_glass')] as const,
  request: { body: { content: { 'application/json': { schema: GrantRequestSchema } }, required: true } },
  responses: { 200: json(z.object({ grant: GrantSchema }), 'The grant'), ...errorResponses(400, 401, 403, 404) },
});

const revokeGrant = createRoute({
  method: 'post',
  path: '/api/special/grants/{id}/revoke',
  tags: ['special'],
  summary: 'End one of your grants now',
  middleware: [requires('special.break_glass')] as const,
  request: { params: z.object({ id: pathId() }) },
  responses: { 200: json(z.object({ grant: GrantSchema }), 'The grant'), ...errorResponses(400, 401, 403, 404) },
});

const myGrants = createRoute({
  method: 'get',
  path: '/api/special/grants/mine',
  tags: ['special'],
  summary: 'Your live grants',
  middleware: [requires('special.break_glass')] as const,
  responses: { 200: json(z.object({ grants: z.array(GrantSchema) }), 'Live grants'), ...errorResponses(401, 403) },
});

/** Special-population heatmaps, overdue cells, area summaries, and break-the-glass grants. */
export function specialHeatmapRoutes(
  service: SpecialHeatmapService,
  summaries: SpecialSummaryService,
  grants: AccessGrantsService,
) {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
    .openapi(heatmap, async (c) => c.json(await service.heatmap(c.get('db'), auditContextOf(c), c.req.valid('query')), 200))
    .openapi(points, async (c) => c.json(await service.points(c.get('db'), auditContextOf(c), c.req.valid('query')), 200))
    .openapi(overdueCells, async (c) =>
      c.json(await service.overdueCells(c.get('db'), auditContextOf(c), c.req.valid('query').area), 200),
    )
    .openapi(summary, async (c) =>
      c.json(await summaries.summary(c.get('db'), auditContextOf(c), c.req.valid('query').area), 200),
    )
    .openapi(myGrants, async (c) => c.json({ grants: await grants.mine(c.get('principal')!) }, 200))
    .openapi(openGrant, async (c) =>
      c.json({ grant: await grants.open(c.get('db'), auditContextOf(c), c.req.valid('json')) }, 200),
    )
    .openapi(revokeGrant, async (c) => c.json({ grant: await grants.revoke(auditContextOf(c), c.req.valid('param').id) }, 200));
}

function auditContextOf(c: {
  get(key: 'principal'): AppEnv['Variables']['principal'];
  get(key: 'clientIp'): string;
  req: { header(name: string): string | undefined };
}): AuditContext {
  return { principal: c.get('principal')!, ip: c.get('clientIp') || null, userAgent: c.req.header('User-Agent') ?? null };
}
