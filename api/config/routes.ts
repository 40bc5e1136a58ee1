import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.ts';
import { requires } from '../auth/middleware.ts';

const ConfigSchema = z
  .object({
    basemapStyleUrl: z
      .string()
      .nullable()
      .openapi({ description: 'External MapLibre style drawn under the project layers; null for the built-in basemap' }),
    county: z.object({ code: z.string(), name: z.string(), bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]) }),
    dataset: z.object({
      seed: z.number().int(),
      preset: z.enum(['full', 'small']),
      synthetic: z.boolean(),
      seededAt: z.string(),
    }),
  })
  .openapi('ClientConfig');

const getConfig = createRoute({
  method: 'get',
  path: '/api/config',
  tags: ['system'],
  middleware: [requires('map.view')] as const,
  summary: 'What the web client needs to start: the county, its bounds, the basemap setting, the data set',
  responses: { 200: { content: { 'application/json': { schema: ConfigSchema } }, description: 'Client configuration' } },
});

export function configRoutes(config: z.infer<typeof ConfigSchema>) {
  return new OpenAPIHono<AppEnv>().openapi(getConfig, (c) => c.json(config, 200));
}
