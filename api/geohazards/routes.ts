import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.ts';
import type { AuditContext } from '../audit/service.ts';
import { requires } from '../auth/middleware.ts';
import { geohazardPoints, geohazardRules } from '../db/schema.ts';
import {
  createInsertSchema,
  createSelectSchema,
  errorResponses,
  idParam,
  isoTimeText,
  queryInt,
  validationHook,
} from '../openapi.ts';
import { GEOHAZARD_KIND_CODES, GEOHAZARD_STATUS_CODES } from '../vocabulary/geohazards.ts';
import type { GeohazardsService } from './service.ts';

/** A day in Asia/Shanghai, YYYY-MM-DD, checked to be a real date. */
const DaySchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a day as YYYY-MM-DD')
  .refine((day) => {
    // Checked even when the pattern failed: an invalid date must say so, not throw.
    const date = new Date(`${day}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(day);
  }, 'not a calendar day')
  .openapi({ format: 'date', example: '2026-07-15' });

const RuleSchema = createSelectSchema(geohazardRules, { setAt: isoTimeText() })
  .pick({
    effectiveFrom: true,
    seasonStartMonth: true,
    seasonEndMonth: true,
    inSeasonPerDay: true,
    offSeasonPerDay: true,
    setByName: true,
    setAt: true,
  })
  .openapi('GeohazardRule');

const RuleInputSchema = createInsertSchema(geohazardRules, {
  seasonStartMonth: (schema) => schema.int().min(1).max(12),
  seasonEndMonth: (schema) => schema.int().min(1).max(12),
  inSeasonPerDay: (schema) => schema.int().min(0).max(24),
  offSeasonPerDay: (schema) => schema.int().min(0).max(24),
})
  .pick({ seasonStartMonth: true, seasonEndMonth: true, inSeasonPerDay: true, offSeasonPerDay: true })
  .extend({
    effectiveFrom: DaySchema.openapi({ description: 'The first day (Asia/Shanghai) the rule applies; today or later' }),
  });

const PointSchema = createSelectSchema(geohazardPoints, { kind: z.enum(GEOHAZARD_KIND_CODES) })
  .omit({ location: true })
  .extend({ position: z.tuple([z.number(), z.number()]).openapi({ description: '[lng, lat], WGS84' }) })
  .openapi('GeohazardPoint');

const PointDaySchema = PointSchema.extend({
  patrols: z.number().int().openapi({ description: 'Patrols of the point on the day: visits of its monitor' }),
  required: z.number().int().openapi({ description: 'Patrols the rule asks that day' }),
  status: z.enum(GEOHAZARD_STATUS_CODES),
}).openapi('GeohazardPointDay');

const json = <Schema extends z.ZodType>(schema: Schema, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

const listPoints = createRoute({
  method: 'get',
  path: '/api/geohazards/points',
  tags: ['geohazards'],
  summary: 'Geohazard points in your scope with their patrols on a day (today by default) against the rule',
  middleware: [requires('geohazards.view')] as const,
  request: { query: z.object({ day: DaySchema.optional() }) },
  responses: {
    200: json(
      z.object({
        day: z.string(),
        inSeason: z.boolean(),
        required: z.number().int(),
        rule: RuleSchema,
        criteria: z.object({ radiusM: z.number(), minIntervalMs: z.number() }),
        points: z.array(PointDaySchema),
      }),
      'The points',
    ),
    ...errorResponses(400, 401, 403),
  },
});

const pointVisits = createRoute({
  method: 'get',
  path: '/api/geohazards/points/{id}/visits',
  tags: ['geohazards'],
  summary: 'A point’s patrols over the last days, per day against the rule, with each visit’s patrol (audited)',
  middleware: [requires('geohazards.view')] as const,
  request: { params: idParam, query: z.object({ days: queryInt(1, 31).default(7) }) },
  responses: {
    200: json(
      z.object({
        point: PointSchema,
        days: z.array(
          z.object({
            day: z.string(),
            patrols: z.number().int(),
            required: z.number().int(),
            status: z.enum(GEOHAZARD_STATUS_CODES),
          }),
        ),
        visits: z.array(z.object({ patrolId: z.string(), visitedAt: isoTimeText() })),
      }),
      'Recent patrols of the point',
    ),
    ...errorResponses(400, 401, 403, 404),
  },
});

const readRule = createRoute({
  method: 'get',
  path: '/api/geohazards/rule',
  tags: ['geohazards'],
  summary: 'The patrol rule of geohazard points in force today, and every version with who set it',
  middleware: [requires('geohazards.view')] as const,
  responses: {
    200: json(z.object({ today: z.string(), current: RuleSchema.nullable(), versions: z.array(RuleSchema) }), 'The rule'),
    ...errorResponses(401, 403),
  },
});

const setRule = createRoute({
  method: 'put',
  path: '/api/geohazards/rule',
  tags: ['geohazards'],
  summary: 'Set the patrol rule from a day on (county-level accounts); setting it again for the same day replaces it',
  middleware: [requires('geohazards.manage')] as const,
  request: { body: { content: { 'application/json': { schema: RuleInputSchema } }, required: true } },
  responses: { 200: json(z.object({ rule: RuleSchema }), 'Set'), ...errorResponses(400, 401, 403) },
});

/** The geohazard watch: points with today's patrols, a point's recent visits, the patrol rule. */
export function geohazardsRoutes(service: GeohazardsService) {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
    .openapi(listPoints, async (c) => c.json(await service.points(c.get('db'), c.req.valid('query').day), 200))
    .openapi(pointVisits, async (c) =>
      c.json(await service.visits(c.get('db'), auditContextOf(c), c.req.valid('param').id, c.req.valid('query').days), 200),
    )
    .openapi(readRule, async (c) => c.json(await service.rule(), 200))
    .openapi(setRule, async (c) => c.json({ rule: await service.setRule(c.get('principal')!, c.req.valid('json')) }, 200));
}

function auditContextOf(c: {
  get(key: 'principal'): AppEnv['Variables']['principal'];
  get(key: 'clientIp'): string;
  req: { header(name: string): string | undefined };
}): AuditContext {
  return { principal: c.get('principal')!, ip: c.get('clientIp') || null, userAgent: c.req.header('User-Agent') ?? null };
}
