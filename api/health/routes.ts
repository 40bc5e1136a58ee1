import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.ts';
import { publicAccess } from '../auth/middleware.ts';

const health = createRoute({
  method: 'get',
  path: '/healthz',
  tags: ['system'],
  middleware: [publicAccess] as const,
  summary: 'Answers 200 once the server is ready to serve (503 while it migrates and seeds)',
  responses: {
    200: {
      content: { 'application/json': { schema: z.object({ status: z.literal('ok'), engine: z.string() }) } },
      description: 'Ready',
    },
  },
});

export function healthRoutes(engine: string) {
  return new OpenAPIHono<AppEnv>().openapi(health, (c) => c.json({ status: 'ok' as const, engine }, 200));
}
