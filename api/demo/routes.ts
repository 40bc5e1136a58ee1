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
  summary: 'Whether drill mode is on, who started it and how many drill reports it filed',
  middleware: [requires('cases.view')] as const,
  responses: {
    200: { content: { 'application/json': { schema: z.object({ drill: DrillStatusSchema }) } }, description: 'Drill status' },
    ...errorResponses(401, 403),
  },
});

const setDrill = createRoute({
  method: 'put',
  path: '/api/drill',
  tags: ['drill'],
  summary: 'Start or stop drill mode: synthetic reports (marked 演练) arrive in your scope every so many seconds',
  middleware: [requires('drill.run')] as const,
  request: {
    body: {
      content: {
        'application/json': {
          schema: z.object({
            running: z.boolean(),
            intervalSeconds: z.number().int().min(DRILL_INTERVAL.min).max(DRILL_INTERVAL.max).default(DRILL_INTERVAL.default),
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
    .openapi(getDrill, (c) => c.json({ drill: drill.status() }, 200))
    .openapi(setDrill, async (c) => {
      const { running, intervalSeconds } = c.req.valid('json');
      const principal = c.get('principal')!;
      const status = running ? await drill.start(principal, intervalSeconds) : await drill.stop(principal);
      return c.json({ drill: status }, 200);
    });
}
