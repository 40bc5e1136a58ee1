import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.ts';
import { requires } from '../auth/middleware.ts';
import { errorResponses, validationHook } from '../openapi.ts';
import type { DrillTasksService } from './drill-tasks.ts';

const startDrillTask = createRoute({
  method: 'post',
  path: '/api/drill/tasks',
  tags: ['drill'],
  summary:
    'While a drill runs over the area: send a practice notice (演练) to every cell and grid of it, answered by simulated informants over a few minutes',
  middleware: [requires('drill.run')] as const,
  request: {
    body: {
      content: {
        'application/json': {
          schema: z.object({
            areaCode: z
              .string()
              .regex(/^\d{6}(\d{3}){0,4}$/)
              .optional()
              .openapi({ description: 'The area (yours when absent); a drill must be running over it' }),
            title: z.string().min(1).max(100).optional(),
          }),
        },
      },
      required: true,
    },
  },
  responses: {
    201: {
      content: { 'application/json': { schema: z.object({ taskId: z.string(), targets: z.number().int() }) } },
      description: 'The practice task, on its way',
    },
    ...errorResponses(400, 401, 403, 409),
  },
});

/** The drill's practice task (issue 19). */
export function drillTaskRoutes(service: DrillTasksService) {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(startDrillTask, async (c) =>
    c.json(await service.start(c.get('principal')!, c.req.valid('json')), 201),
  );
}
