import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.ts';
import { publicAccess } from '../auth/middleware.ts';
import { DEMO_PATROLS_STATES, type DemoPatrolsState } from '../demo/demo-patrols.ts';
import { DEMO_REGISTER_STATES, type DemoRegisterState } from '../demo/special-register-service.ts';

const health = createRoute({
  method: 'get',
  path: '/healthz',
  tags: ['system'],
  middleware: [publicAccess] as const,
  summary: 'Answers 200 once the server is ready to serve (503 while it migrates and seeds)',
  responses: {
    200: {
      content: {
        'application/json': {
          schema: z.object({
            status: z.literal('ok'),
            engine: z.string(),
            demoPatrols: z
              .enum(DEMO_PATROLS_STATES)
              .optional()
              .openapi({ description: "The embedded demo's past patrols, written in the background once the server is ready" }),
            demoRegister: z.enum(DEMO_REGISTER_STATES).optional().openapi({
              description: "The embedded demo's register of special populations and its visits, written after the past patrols",
            }),
          }),
        },
      },
      description: 'Ready',
    },
  },
});

export function healthRoutes(
  engine: string,
  demoPatrols: () => DemoPatrolsState | undefined = () => undefined,
  demoRegister: () => DemoRegisterState | undefined = () => undefined,
) {
  return new OpenAPIHono<AppEnv>().openapi(health, (c) =>
    c.json({ status: 'ok' as const, engine, demoPatrols: demoPatrols(), demoRegister: demoRegister() }, 200),
  );
}
