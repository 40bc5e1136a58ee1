import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { createSchemaFactory } from 'drizzle-zod';
import { DATUMS } from '../../geo/convert-datum.ts';
import type { AppEnv } from '../app-env.ts';
import type { AuditContext } from '../audit/service.ts';
import { requires } from '../auth/middleware.ts';
import { patrolGaps, patrolPositions, patrols } from '../db/schema.ts';
import { epochMs, errorResponses, idParam, isoDateParam, numberColumn, queryInt, validationHook } from '../openapi.ts';
import { PATROL_GAP_CAUSE_CODES } from '../vocabulary/patrols.ts';
import type { FixInput, PatrolsService } from './service.ts';
import type { UploadGate } from './upload-gate.ts';

const { createSelectSchema, createInsertSchema } = createSchemaFactory({ zodInstance: z });

/** Times leave the server as ISO 8601 text in UTC. */
const isoTime = z.string().openapi({ format: 'date-time' });
const PositionSchema = z.tuple([z.number(), z.number()]).openapi({ description: '[lng, lat], WGS84' });
/** Fixes in one batch at most. */
const MAX_FIXES = 2_000;
/** Ids a phone generates (a UUID in practice): 1 to 64 characters. */
const clientIdOf = (schema: z.ZodString) => schema.min(1).max(64);

const PatrolSchema = createSelectSchema(patrols, {
  startedAt: isoTime,
  endedAt: isoTime.nullable(),
  lastFixAt: isoTime.nullable(),
})
  .omit({ workerRole: true, cellsFrom: true, cellsStamp: true })
  .extend({
    cellsWalked: z.number().int().openapi({
      description:
        'Cells within the coverage distance of the valid track, as last derived: a batch counts about a second after its answer, an ended patrol at once',
    }),
  })
  .openapi('Patrol');

/** Metres a second a phone may say it moved at. */
const speedBounds = (schema: z.ZodNumber) => schema.min(0).max(1_000);

const FixInputSchema = createInsertSchema(patrolPositions, {
  clientFixId: clientIdOf,
  accuracyM: (schema) => schema.min(0).max(100_000).openapi({ description: 'Metres, as the phone gives it' }),
  speedMps: (schema) => speedBounds(schema),
})
  .pick({ clientFixId: true, accuracyM: true, speedMps: true })
  .extend({
    fixedAt: isoDateParam.openapi({ description: 'When the phone measured the fix (not when it is sent)' }),
    lng: z.number().min(-180).max(180),
    lat: z.number().min(-90).max(90),
    datum: z.enum(DATUMS).default('wgs84').openapi({ description: 'The datum lng/lat are written in; stored as WGS84' }),
  });

/**
 * The same fixes one array a field, each fix the same place in every array: how the field page
 * sends them. About half the bytes (104 a fix instead of 194 with UUID client ids), and the server
 * reads it for less than half the CPU (no object a fix to parse and validate). One datum for the
 * batch.
 */
const FixColumnsSchema = z
  .object({
    clientFixId: z.array(FixInputSchema.shape.clientFixId).max(MAX_FIXES),
    fixedAtMs: numberColumn(epochMs).openapi({ description: 'When the phone measured each fix (not when it is sent)' }),
    lng: numberColumn(FixInputSchema.shape.lng),
    lat: numberColumn(FixInputSchema.shape.lat),
    accuracyM: numberColumn(FixInputSchema.shape.accuracyM),
    speedMps: numberColumn(speedBounds(z.number()), { nullable: true })
      .optional()
      .openapi({ description: 'Left out when no fix has one' }),
    datum: FixInputSchema.shape.datum,
  })
  .superRefine((columns, context) => {
    const count = columns.clientFixId.length;
    for (const field of ['fixedAtMs', 'lng', 'lat', 'accuracyM', 'speedMps'] as const) {
      const length = columns[field]?.length ?? count;
      if (length !== count) context.addIssue({ code: 'custom', message: `${length} values for ${count} fixes`, path: [field] });
    }
  })
  .openapi('PatrolFixColumns');

const GapInputSchema = createInsertSchema(patrolGaps, { clientGapId: clientIdOf })
  .pick({ clientGapId: true })
  .extend({ startedAt: isoDateParam, endedAt: isoDateParam, cause: z.enum(PATROL_GAP_CAUSE_CODES) })
  .refine((gap) => gap.endedAt >= gap.startedAt, { message: 'a gap ends after it starts', path: ['endedAt'] });

const FixSchema = createSelectSchema(patrolPositions, { fixedAt: isoTime })
  .pick({ clientFixId: true, fixedAt: true, accuracyM: true, speedMps: true, poorAccuracy: true, jump: true })
  .extend({ position: PositionSchema })
  .openapi('PatrolFix');

const GapSchema = createSelectSchema(patrolGaps, { startedAt: isoTime, endedAt: isoTime })
  .pick({ startedAt: true, endedAt: true, cause: true })
  .openapi('PatrolGap');

const ActivePatrolSchema = createSelectSchema(patrols, { startedAt: isoTime })
  .pick({ id: true, workerId: true, workerName: true, workerRole: true, areaCode: true, startedAt: true })
  .extend({ fixedAt: isoTime, accuracyM: z.number(), position: PositionSchema })
  .openapi('ActivePatrol');

const json = <Schema extends z.ZodType>(schema: Schema, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});
const patrolParam = idParam;

const startPatrol = createRoute({
  method: 'post',
  path: '/api/patrols',
  tags: ['patrols'],
  summary: 'Start a patrol of your own area; a retry with the same clientId gets the same patrol',
  middleware: [requires('patrols.record')] as const,
  request: {
    body: {
      content: { 'application/json': { schema: z.object({ clientId: z.string().min(1).max(64), startedAt: isoDateParam }) } },
      required: true,
    },
  },
  responses: {
    201: json(z.object({ patrol: PatrolSchema }), 'Started'),
    200: json(z.object({ patrol: PatrolSchema }), 'Already started with this clientId: the same patrol'),
    ...errorResponses(400, 401, 403),
  },
});

/** The batch route behind `gate`: its turn is taken after the permission check, before the body is read. */
const uploadFixesRoute = (gate: UploadGate) =>
  createRoute({
    method: 'post',
    path: '/api/patrols/{id}/positions',
    tags: ['patrols'],
    summary:
      'A batch of fixes and gaps of your patrol; a fix already stored (same clientFixId and time) is not stored twice. When too many batches wait, 503 with Retry-After: the phone keeps its fixes and sends them again',
    middleware: [requires('patrols.record'), gate.middleware] as const,
    request: {
      params: patrolParam,
      body: {
        content: {
          'application/json': {
            schema: z.object({
              fixes: z.union([z.array(FixInputSchema).max(MAX_FIXES), FixColumnsSchema]).openapi({
                description:
                  'The fixes: an array of fixes, or one array a field (PatrolFixColumns, as the field page sends them)',
              }),
              gaps: z.array(GapInputSchema).max(200).default([]),
            }),
          },
        },
        required: true,
      },
    },
    responses: {
      200: json(
        z.object({
          stored: z.number().int(),
          duplicates: z.number().int(),
          refused: z.array(z.string()).openapi({
            description:
              'clientFixIds stamped in the future (the phone clock is wrong) or over 10 minutes before the patrol started (no part of it)',
          }),
          patrol: PatrolSchema,
        }),
        'Stored',
      ),
      ...errorResponses(400, 401, 403, 404, 503),
    },
  });

const endPatrol = createRoute({
  method: 'post',
  path: '/api/patrols/{id}/end',
  tags: ['patrols'],
  summary: 'End your patrol; ending it again changes nothing',
  middleware: [requires('patrols.record')] as const,
  request: {
    params: patrolParam,
    body: { content: { 'application/json': { schema: z.object({ endedAt: isoDateParam }) } }, required: true },
  },
  responses: { 200: json(z.object({ patrol: PatrolSchema }), 'Ended'), ...errorResponses(400, 401, 403, 404) },
});

const linkReport = createRoute({
  method: 'post',
  path: '/api/patrols/{id}/reports',
  tags: ['patrols'],
  summary: 'Link a report you made to your patrol (a hazard tagged on the way); linking it again changes nothing',
  middleware: [requires('patrols.record')] as const,
  request: {
    params: patrolParam,
    body: { content: { 'application/json': { schema: z.object({ reportId: z.string().min(1).max(64) }) } }, required: true },
  },
  responses: {
    200: json(z.object({ reports: z.array(z.string()) }), 'Linked: the reports of the patrol'),
    ...errorResponses(400, 401, 403, 404),
  },
});

const myPatrols = createRoute({
  method: 'get',
  path: '/api/patrols/mine',
  tags: ['patrols'],
  summary: 'Your own patrols, newest first',
  middleware: [requires('patrols.record')] as const,
  request: { query: z.object({ limit: queryInt(1, 100).default(20) }) },
  responses: { 200: json(z.object({ patrols: z.array(PatrolSchema) }), 'Your patrols'), ...errorResponses(400, 401, 403) },
});

const activePatrols = createRoute({
  method: 'get',
  path: '/api/patrols/active',
  tags: ['patrols'],
  summary: 'Workers on patrol now in your scope, at their latest valid fix (audited)',
  middleware: [requires('patrols.view')] as const,
  responses: {
    200: json(z.object({ patrols: z.array(ActivePatrolSchema) }), 'Out now'),
    ...errorResponses(401, 403),
  },
});

const patrolTrack = createRoute({
  method: 'get',
  path: '/api/patrols/{id}/track',
  tags: ['patrols'],
  summary: 'One patrol’s fixes (flagged ones included, with their flags), gaps and linked reports; reading another’s is audited',
  middleware: [requires('map.view')] as const,
  request: { params: patrolParam },
  responses: {
    200: json(
      z.object({ patrol: PatrolSchema, fixes: z.array(FixSchema), gaps: z.array(GapSchema), reports: z.array(z.string()) }),
      'The track',
    ),
    ...errorResponses(400, 401, 403, 404),
  },
});

/** Patrol tracks: start, batches, end, the worker's own list, a track, who is out now. */
export function patrolsRoutes(service: PatrolsService, gate: UploadGate) {
  return (
    new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
      .openapi(startPatrol, async (c) => {
        const { created, patrol } = await service.start(c.get('principal')!, c.req.valid('json'));
        return c.json({ patrol }, created ? 201 : 200);
      })
      // Before the {id} routes, so "mine" and "active" are not taken for ids.
      .openapi(myPatrols, async (c) =>
        c.json({ patrols: await service.mine(c.get('db'), c.get('principal')!, c.req.valid('query').limit) }, 200),
      )
      .openapi(activePatrols, async (c) => c.json({ patrols: await service.active(c.get('db'), auditContextOf(c)) }, 200))
      .openapi(uploadFixesRoute(gate), async (c) => {
        const { fixes, gaps } = c.req.valid('json');
        return c.json(await service.upload(c.get('principal')!, c.req.valid('param').id, { fixes: fixInputs(fixes), gaps }), 200);
      })
      .openapi(endPatrol, async (c) => {
        const patrol = await service.end(c.get('principal')!, c.req.valid('param').id, c.req.valid('json').endedAt);
        return c.json({ patrol }, 200);
      })
      .openapi(linkReport, async (c) =>
        c.json(await service.linkReport(c.get('principal')!, c.req.valid('param').id, c.req.valid('json').reportId), 200),
      )
      .openapi(patrolTrack, async (c) =>
        c.json(await service.track(c.get('db'), auditContextOf(c), c.req.valid('param').id), 200),
      )
  );
}

/** The fixes of a batch as the service takes them, from either form. */
function fixInputs(fixes: z.infer<typeof FixInputSchema>[] | z.infer<typeof FixColumnsSchema>): FixInput[] {
  if (Array.isArray(fixes)) return fixes.map((fix) => ({ ...fix, speedMps: fix.speedMps ?? null }));
  const { clientFixId, fixedAtMs, lng, lat, accuracyM, speedMps, datum } = fixes;
  return clientFixId.map((id, index) => ({
    clientFixId: id,
    fixedAt: new Date(fixedAtMs[index]!),
    lng: lng[index]!,
    lat: lat[index]!,
    accuracyM: accuracyM[index]!,
    speedMps: speedMps?.[index] ?? null,
    datum,
  }));
}

function auditContextOf(c: {
  get(key: 'principal'): AppEnv['Variables']['principal'];
  get(key: 'clientIp'): string;
  req: { header(name: string): string | undefined };
}): AuditContext {
  return { principal: c.get('principal')!, ip: c.get('clientIp') || null, userAgent: c.req.header('User-Agent') ?? null };
}
