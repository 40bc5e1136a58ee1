import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.ts';
import { requires } from '../auth/middleware.ts';
import { errorResponses, validationHook } from '../openapi.ts';
import { CASE_ACTIONS, WORK_ACTIONS } from '../vocabulary/case-states.ts';
import { CaseSummarySchema } from './contracts.ts';
import type { MyWorkService } from './my-work-service.ts';

const MyWorkItemSchema = CaseSummarySchema.extend({
  gridName: z.string().nullable(),
  cellName: z.string().nullable(),
  work: z
    .array(z.enum(WORK_ACTIONS))
    .openapi({ description: 'What the case waits for from you now: acknowledge (签收), handle (处置进展), feedback (处置反馈)' }),
  nextActions: z.array(z.enum(CASE_ACTIONS)).openapi({ description: 'Every action you may take on it now' }),
}).openapi('MyWorkItem');

const myWork = createRoute({
  method: 'get',
  path: '/api/cases/mine',
  tags: ['cases'],
  summary: 'My work (待办): the cases waiting for you to acknowledge, note progress on or give feedback on, most pressing first',
  description: `The cases dispatched (or, for a department, co-assigned) to you that the workflow lets you
acknowledge, note progress on or give feedback on now, cut to your scope; each with its current stage's
deadline and traffic light, sorted red, yellow, green, then by deadline. Roles that handle no cases get an
empty list. The live feed (\`case.changed\`) tells when to read it again.`,
  middleware: [requires('cases.handle')] as const,
  responses: {
    200: {
      content: {
        'application/json': {
          schema: z.object({
            items: z.array(MyWorkItemSchema),
            total: z.number().int(),
            complete: z.boolean().openapi({ description: 'False when more cases wait than one list holds (1,000)' }),
          }),
        },
      },
      description: 'Your work',
    },
    ...errorResponses(401, 403),
  },
});

/** GET /api/cases/mine; composed before casesRoutes, whose /api/cases/{id} would otherwise take "mine" for an id. */
export function myWorkRoutes(service: MyWorkService) {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(myWork, async (c) =>
    c.json(await service.mine(c.get('db'), c.get('principal')!), 200),
  );
}
