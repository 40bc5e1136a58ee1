import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { requires } from '../../auth/middleware.ts';
import type { Database } from '../../db/client.ts';
import { reports } from '../../db/schema.ts';
import { createSelectSchema, errorResponses, idParam, isoTimeText, validationHook } from '../../openapi.ts';
import { duplicatesService } from './service.ts';

/** A case as merging answers it: its row in `reports`, in part. */
const MergedCaseSchema = createSelectSchema(reports).pick({
  id: true,
  caseNumber: true,
  type: true,
  state: true,
  mergedInto: true,
});

/** A report near the case: its columns, its point and its cell's name, with how far and how long apart. */
const DuplicateSchema = createSelectSchema(reports, { reportedAt: isoTimeText })
  .pick({
    id: true,
    caseNumber: true,
    type: true,
    urgency: true,
    state: true,
    description: true,
    cellCode: true,
    reportedAt: true,
  })
  .extend({
    position: z.tuple([z.number(), z.number()]).openapi({ description: '[lng, lat], WGS84' }),
    cellName: z.string().nullable(),
    distanceM: z.number().openapi({ description: 'Geodesic distance, metres' }),
    secondsApart: z.number().int().openapi({ description: 'Its report time minus this one’s, seconds' }),
  });

const listDuplicates = createRoute({
  method: 'get',
  path: '/api/cases/{id}/duplicates',
  tags: ['cases'],
  summary: 'Open reports of the same type within 500 m and 24 h of this one, nearest first',
  middleware: [requires('cases.view')] as const,
  request: { params: idParam },
  responses: {
    200: {
      content: {
        'application/json': {
          schema: z.object({
            case: MergedCaseSchema,
            radiusM: z.number(),
            windowHours: z.number(),
            duplicates: z.array(DuplicateSchema),
          }),
        },
      },
      description: 'Suggested duplicates',
    },
    ...errorResponses(400, 401, 403, 404),
  },
});

const mergeCase = createRoute({
  method: 'post',
  path: '/api/cases/{id}/merge',
  tags: ['cases'],
  summary: 'Merge this case into another open case of the same type; it becomes merged, with a step in both timelines',
  middleware: [requires('cases.command')] as const,
  request: {
    params: idParam,
    body: {
      content: { 'application/json': { schema: z.object({ intoId: z.string().min(1).max(64), clientId: z.uuid() }) } },
      required: true,
    },
  },
  responses: {
    200: {
      content: {
        'application/json': {
          schema: z.object({
            created: z.boolean().openapi({ description: 'False when it was already merged into that case: nothing written' }),
            case: MergedCaseSchema,
            into: MergedCaseSchema,
          }),
        },
      },
      description: 'Merged',
    },
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

export function duplicatesRoutes(owner: Database) {
  const service = duplicatesService(owner);
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
    .openapi(listDuplicates, async (c) => c.json(await service.duplicates(c.get('db'), c.req.valid('param').id), 200))
    .openapi(mergeCase, async (c) => {
      const { intoId, clientId } = c.req.valid('json');
      return c.json(await service.merge(c.get('principal')!, c.req.valid('param').id, intoId, clientId), 200);
    });
}
