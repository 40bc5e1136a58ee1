import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { recordRead } from '../../audit/service.ts';
import { requires } from '../../auth/middleware.ts';
import { can } from '../../auth/permissions.ts';
import type { Database } from '../../db/client.ts';
import { reportAlerts } from '../../db/schema.ts';
import { createSelectSchema, errorResponses, idParam, isoTimeText, PolygonSchema, validationHook } from '../../openapi.ts';
import { impactService } from './service.ts';

/** An alert to one responsible person (`report_alerts`), with whether and by whom it was acknowledged. */
const AlertSchema = createSelectSchema(reportAlerts, { alertedAt: isoTimeText, acknowledgedAt: isoTimeText })
  .pick({
    id: true,
    reportId: true,
    personId: true,
    personName: true,
    personRole: true,
    areaCode: true,
    alertedAt: true,
    acknowledgedAt: true,
  })
  .extend({
    acknowledged: z.boolean(),
    acknowledgedBy: z.object({ accountId: z.string(), name: z.string().nullable() }).nullable(),
  })
  .openapi('Alert');

const ImpactSchema = z
  .object({
    case: z.object({ id: z.string(), caseNumber: z.string(), type: z.string(), state: z.string(), cellCode: z.string() }),
    zone: z.object({
      geometry: PolygonSchema,
      source: z.enum(['default', 'drawn']),
      extendsBeyondScope: z.boolean().openapi({ description: 'The zone reaches outside your scope: lists hold only your part' }),
    }),
    cells: z.array(
      z.object({
        code: z.string(),
        name: z.string(),
        gridCode: z.string(),
        households: z.number().int(),
        residents: z.number().int(),
      }),
    ),
    grids: z.array(z.object({ code: z.string(), name: z.string() })),
    households: z.number().int(),
    residents: z.number().int(),
    people: z.array(
      z.object({
        id: z.string(),
        role: z.string(),
        areaCode: z.string(),
        areaName: z.string().nullable(),
        name: z.string().nullable(),
        phone: z.string().nullable(),
        inZone: z.boolean(),
        alertState: z.enum(['not_alerted', 'alerted', 'acknowledged']),
        alert: AlertSchema.nullable(),
      }),
    ),
    alerts: z.object({ sent: z.number().int(), acknowledged: z.number().int(), pending: z.number().int() }),
  })
  .openapi('Impact');

const getImpact = createRoute({
  method: 'get',
  path: '/api/cases/{id}/impact',
  tags: ['cases'],
  summary:
    'What a case touches: its control zone, the cells, grids, households and residents inside, and the informants and grid workers to alert, with who has acknowledged (reading the people is audited)',
  middleware: [requires('cases.view')] as const,
  request: { params: idParam },
  responses: {
    200: { content: { 'application/json': { schema: ImpactSchema } }, description: 'The impact' },
    ...errorResponses(400, 401, 403, 404),
  },
});

const putControlZone = createRoute({
  method: 'put',
  path: '/api/cases/{id}/control-zone',
  tags: ['cases'],
  summary: 'Replace the control zone with a polygon drawn on the map',
  middleware: [requires('cases.command')] as const,
  request: {
    params: idParam,
    body: { content: { 'application/json': { schema: PolygonSchema } }, required: true },
  },
  responses: {
    200: {
      content: {
        'application/json': {
          schema: z.object({ controlZone: PolygonSchema, vertices: z.number().int(), areaM2: z.number().int() }),
        },
      },
      description: 'Stored',
    },
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

const AlertsResult = z.object({
  created: z.number().int().openapi({ description: 'Alerts sent by this request; 0 when everyone was already alerted' }),
  alerts: z.array(AlertSchema),
});

const sendAlerts = createRoute({
  method: 'post',
  path: '/api/cases/{id}/alerts',
  tags: ['cases'],
  summary: 'Alert every informant and grid worker of the control zone; people already alerted are not alerted twice',
  middleware: [requires('cases.command')] as const,
  request: {
    params: idParam,
    body: { content: { 'application/json': { schema: z.object({ clientId: z.uuid() }) } }, required: true },
  },
  responses: {
    201: { content: { 'application/json': { schema: AlertsResult } }, description: 'Alerts sent' },
    200: { content: { 'application/json': { schema: AlertsResult } }, description: 'Nobody new to alert: nothing written' },
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

const myAlerts = createRoute({
  method: 'get',
  path: '/api/alerts/mine',
  tags: ['alerts'],
  summary: 'Alerts addressed to you (your role, your area), unacknowledged first, with the case each is about',
  middleware: [requires('alerts.acknowledge')] as const,
  responses: {
    200: {
      content: {
        'application/json': {
          schema: z.object({
            alerts: z.array(
              AlertSchema.extend({
                case: z
                  .object({
                    id: z.string(),
                    caseNumber: z.string(),
                    type: z.string(),
                    urgency: z.string(),
                    state: z.string(),
                    description: z.string(),
                    position: z.tuple([z.number(), z.number()]),
                    cellCode: z.string(),
                    cellName: z.string().nullable(),
                    townshipName: z.string().nullable(),
                    reportedAt: z.string(),
                    controlZone: PolygonSchema.nullable(),
                  })
                  .nullable(),
              }),
            ),
          }),
        },
      },
      description: 'Your alerts',
    },
    ...errorResponses(401, 403),
  },
});

const acknowledgeAlert = createRoute({
  method: 'post',
  path: '/api/alerts/{id}/acknowledge',
  tags: ['alerts'],
  summary: 'Acknowledge an alert addressed to you; repeating it changes nothing',
  middleware: [requires('alerts.acknowledge')] as const,
  request: { params: idParam },
  responses: {
    200: { content: { 'application/json': { schema: z.object({ alert: AlertSchema }) } }, description: 'Acknowledged' },
    ...errorResponses(400, 401, 403, 404),
  },
});

/** Impact, control zone and alerts. `owner` writes the audit entries and live events; reads go through the scoped handle. */
export function impactRoutes(owner: Database) {
  const service = impactService(owner);
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
    .openapi(getImpact, async (c) => {
      const principal = c.get('principal')!;
      const { id } = c.req.valid('param');
      const includePeople = can(principal.role, 'people.view');
      const impact = await service.impact(c.get('db'), principal, id, { includePeople });
      if (includePeople && impact.people.length > 0) {
        await recordRead(
          owner,
          { principal, ip: c.get('clientIp') || null, userAgent: c.req.header('User-Agent') ?? null },
          {
            action: 'people.read',
            targetType: 'case',
            targetId: id,
            scopeCode: impact.case.cellCode,
            details: { people: impact.people.map((person) => person.id) },
          },
        );
      }
      return c.json(impact, 200);
    })
    .openapi(putControlZone, async (c) =>
      c.json(await service.setControlZone(c.get('principal')!, c.req.valid('param').id, c.req.valid('json')), 200),
    )
    .openapi(sendAlerts, async (c) => {
      const result = await service.sendAlerts(c.get('principal')!, c.req.valid('param').id, c.req.valid('json').clientId);
      return c.json(result, result.created > 0 ? 201 : 200);
    })
    .openapi(myAlerts, async (c) => c.json(await service.mine(c.get('db'), c.get('principal')!), 200))
    .openapi(acknowledgeAlert, async (c) => c.json(await service.acknowledge(c.get('principal')!, c.req.valid('param').id), 200));
}
