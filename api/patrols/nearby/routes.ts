import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { requires } from '../../auth/middleware.ts';
import { patrols, reportAlerts, reports } from '../../db/schema.ts';
import { createSelectSchema, errorResponses, idParam, isoTimeText, queryInt, validationHook } from '../../openapi.ts';
import { NEARBY_DEFAULT_LIMIT, NEARBY_FRESH_S, type NearbyPatrolsService } from './service.ts';

const PositionSchema = z.tuple([z.number(), z.number()]).openapi({ description: '[lng, lat], WGS84' });
const MAX_LIMIT = 50;
/** Metres: a radius beyond the county's breadth means "no radius". */
const MAX_RADIUS_M = 100_000;

/** How many and how far: the list's limit (default 10) and an optional radius in metres. */
const NearbyQuerySchema = z.object({
  limit: queryInt(1, MAX_LIMIT).default(NEARBY_DEFAULT_LIMIT),
  radiusM: queryInt(1, MAX_RADIUS_M).optional().openapi({ description: 'Only workers within this many metres' }),
});

/** A worker on patrol near the case, from the patrols table, with where they are and how far. */
const NearbyPatrolSchema = createSelectSchema(patrols)
  .pick({ workerId: true, workerName: true, workerRole: true, areaCode: true })
  .extend({
    patrolId: z.string(),
    areaName: z.string().nullable(),
    position: PositionSchema,
    fixedAt: isoTimeText(),
    fixAgeS: z.number().int().openapi({ description: 'Seconds since the fix, when the server answered' }),
    accuracyM: z.number(),
    distanceM: z.number().openapi({ description: 'Metres from the case, on the spheroid' }),
    alert: createSelectSchema(reportAlerts, { alertedAt: isoTimeText, acknowledgedAt: isoTimeText })
      .pick({ id: true, alertedAt: true, acknowledgedAt: true })
      .nullable()
      .openapi({ description: 'The alert about this case addressed to the worker (role and area), if one was sent' }),
  })
  .openapi('NearbyPatrol');

const NearbySchema = z
  .object({
    case: createSelectSchema(reports).pick({ id: true, caseNumber: true }).extend({ position: PositionSchema }),
    freshForS: z
      .number()
      .int()
      .openapi({ description: `Only fixes this recent count (${NEARBY_FRESH_S} s)` }),
    patrols: z.array(NearbyPatrolSchema),
  })
  .openapi('NearbyPatrols');

const AlertResultSchema = z
  .object({
    created: z.number().int().openapi({ description: 'Alerts sent by this request; 0 when everyone was already alerted' }),
    alerts: z.array(
      createSelectSchema(reportAlerts, { alertedAt: isoTimeText, acknowledgedAt: isoTimeText })
        .pick({
          id: true,
          personId: true,
          personName: true,
          personRole: true,
          areaCode: true,
          alertedAt: true,
          acknowledgedAt: true,
        })
        .extend({ acknowledged: z.boolean() }),
    ),
    patrols: z.array(z.string()).openapi({ description: 'The patrols whose workers this request reached' }),
    skipped: z
      .array(z.string())
      .openapi({ description: 'Selected patrols no longer on patrol with a fresh position, in scope: not alerted' }),
  })
  .openapi('NearbyAlertResult');

const getNearby = createRoute({
  method: 'get',
  path: '/api/cases/{id}/nearby-patrols',
  tags: ['patrols'],
  summary: `Workers on patrol nearest the case, in your scope, at their latest valid fix of the last ${NEARBY_FRESH_S / 60} minutes, nearest first (audited)`,
  middleware: [requires('patrols.view')] as const,
  request: { params: idParam, query: NearbyQuerySchema },
  responses: {
    200: { content: { 'application/json': { schema: NearbySchema } }, description: 'Nearest first' },
    ...errorResponses(400, 401, 403, 404),
  },
});

const alertNearby = createRoute({
  method: 'post',
  path: '/api/cases/{id}/nearby-patrols/alerts',
  tags: ['patrols'],
  summary:
    'Alert the workers on patrol near the case (the selected ones, else all the list holds): they see it on the field page and acknowledge it; a repeated clientId writes nothing',
  middleware: [requires('cases.command')] as const,
  request: {
    params: idParam,
    body: {
      content: {
        'application/json': {
          schema: z.object({
            clientId: z.uuid(),
            patrolIds: z.array(z.string().min(1).max(64)).min(1).max(MAX_LIMIT).optional(),
            limit: z.number().int().min(1).max(MAX_LIMIT).default(NEARBY_DEFAULT_LIMIT),
            radiusM: z.number().int().min(1).max(MAX_RADIUS_M).optional(),
          }),
        },
      },
      required: true,
    },
  },
  responses: {
    201: { content: { 'application/json': { schema: AlertResultSchema } }, description: 'Alerts sent' },
    200: {
      content: { 'application/json': { schema: AlertResultSchema } },
      description: 'Nobody new to alert, or this clientId was seen before: nothing written',
    },
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

/** Workers on patrol near a case, and alerting them. */
export function nearbyPatrolsRoutes(service: NearbyPatrolsService) {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
    .openapi(getNearby, async (c) => {
      const context = {
        principal: c.get('principal')!,
        ip: c.get('clientIp') || null,
        userAgent: c.req.header('User-Agent') ?? null,
      };
      return c.json(await service.nearby(c.get('db'), context, c.req.valid('param').id, c.req.valid('query')), 200);
    })
    .openapi(alertNearby, async (c) => {
      const result = await service.alert(c.get('principal')!, c.req.valid('param').id, c.req.valid('json'));
      return c.json(result, result.created > 0 ? 201 : 200);
    });
}
