import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.ts';
import { requires } from '../auth/middleware.ts';
import { errorResponses, validationHook } from '../openapi.ts';
import { DRILL_INTERVAL, type DrillService } from './drill.ts';

const DrillStatusSchema = z
  .object({
    running: z.boolean(),
    intervalSeconds: z.number(),
    scopeCode: z.string().nullable(),
    startedBy: z.string().nullable(),
    startedAt: z.string().nullable(),
    reportsFiled: z.number(),
  })
  .openapi('DrillStatus');

const getDrill = createRoute({
  method: 'get',
  path: '/api/drill',
  tags: ['drill'],
  summary: 'The drill of your own scope, and every running drill whose scope overlaps yours',
  middleware: [requires('cases.view')] as const,
  responses: {
    200: {
      content: {
        'application/json': {
          schema: z.object({
            drill: DrillStatusSchema.openapi({ description: 'The drill of your own scope, running or not' }),
            drills: z.array(DrillStatusSchema).openapi({ description: 'Running drills inside or around your scope' }),
          }),
        },
      },
      description: 'Drill status',
    },
    ...errorResponses(401, 403),
  },
});

const setDrill = createRoute({
  method: 'put',
  path: '/api/drill',
  tags: ['drill'],
  summary:
    'Start or stop the drill of a scope (yours by default, or one inside it): synthetic reports (marked 演练) arrive there every so many seconds',
  middleware: [requires('drill.run')] as const,
  request: {
    body: {
      content: {
        'application/json': {
          schema: z.object({
            running: z.boolean(),
            intervalSeconds: z.number().int().min(DRILL_INTERVAL.min).max(DRILL_INTERVAL.max).default(DRILL_INTERVAL.default),
            scopeCode: z
              .string()
              .regex(/^\d{6}(\d{3}){0,4}$/)
              .optional()
              .openapi({ description: 'The drill’s scope: yours when absent; it must lie within yours' }),
          }),
        },
      },
      required: true,
    },
  },
  responses: {
    200: { content: { 'application/json': { schema: z.object({ drill: DrillStatusSchema }) } }, description: 'Drill status' },
    ...errorResponses(400, 401, 403, 409),
  },
});

export function drillRoutes(drill: DrillService) {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
    .openapi(getDrill, (c) => c.json(drill.status(c.get('principal')!), 200))
    .openapi(setDrill, async (c) => {
      const { running, intervalSeconds, scopeCode } = c.req.valid('json');
      const principal = c.get('principal')!;
      const status = running ? await drill.start(principal, intervalSeconds, scopeCode) : await drill.stop(principal, scopeCode);
      return c.json({ drill: status }, 200);
    });
}
