import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.ts';
import { requires } from '../auth/middleware.ts';
import { originOf } from '../auth/routes.ts';
import { serviceProviders } from '../db/schema.ts';
import { createSelectSchema, errorResponses, isoTimeText, validationHook } from '../openapi.ts';
import { PROVIDER_CATEGORY_CODES } from '../vocabulary/providers.ts';
import type { ProvidersService } from './service.ts';

const AREA_CODE = /^\d{6}(\d{3}){0,4}$/;
const Position = z
  .tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)])
  .openapi({ description: '[lng, lat], WGS84' });

const ProviderSchema = createSelectSchema(serviceProviders, {
  category: () => z.enum(PROVIDER_CATEGORY_CODES),
  createdAt: isoTimeText,
  updatedAt: isoTimeText,
})
  .omit({ location: true })
  .extend({
    position: Position,
    areaName: z.string().nullable().openapi({ description: 'The cell it lies in' }),
    serviceAreaNames: z.array(z.string()).openapi({ description: 'The names of the areas it serves' }),
  })
  .openapi('ServiceProvider');

const ProviderInputSchema = z.object({
  name: z.string().trim().min(1).max(60),
  category: z.enum(PROVIDER_CATEGORY_CODES),
  services: z.array(z.string().trim().min(1).max(30)).max(20).openapi({ description: 'What it offers: 上门护理, 心理疏导, …' }),
  serviceAreaCodes: z.array(z.string().regex(AREA_CODE)).max(50).openapi({ description: 'The areas it serves' }),
  position: Position,
  contactName: z.string().trim().min(1).max(40),
  contactPhone: z
    .string()
    .trim()
    .regex(/^\+?\d[\d -]{4,19}$/),
});

const codeParam = z.object({
  code: z
    .string()
    .regex(/^P\d{3}$/)
    .openapi({ param: { name: 'code', in: 'path' }, example: 'P001' }),
});
const ProviderResult = { content: { 'application/json': { schema: z.object({ provider: ProviderSchema }) } } };

const listProviders = createRoute({
  method: 'get',
  path: '/api/providers',
  tags: ['providers'],
  summary: 'The service providers (companies, clinics, NGOs, volunteer and arts teams), active or not',
  middleware: [requires('map.view')] as const,
  responses: {
    200: {
      content: { 'application/json': { schema: z.object({ providers: z.array(ProviderSchema) }) } },
      description: 'Providers by code',
    },
    ...errorResponses(401, 403),
  },
});

const providerFeatures = createRoute({
  method: 'get',
  path: '/api/providers/features',
  tags: ['providers'],
  summary: 'The active providers as GeoJSON points for the map, with what they offer and where they serve',
  middleware: [requires('map.view')] as const,
  responses: {
    200: {
      content: {
        'application/geo+json': {
          schema: z.object({
            type: z.literal('FeatureCollection'),
            features: z.array(
              z.object({
                type: z.literal('Feature'),
                id: z.string(),
                geometry: z.object({ type: z.literal('Point'), coordinates: z.array(z.number()) }),
                properties: ProviderSchema.omit({ position: true }),
              }),
            ),
          }),
        },
      },
      description: 'A FeatureCollection',
    },
    ...errorResponses(401, 403),
  },
});

const createProvider = createRoute({
  method: 'post',
  path: '/api/providers',
  tags: ['providers'],
  summary: 'Add a provider (code P001, …), a department of kind provider too, so cases can be dispatched to it',
  middleware: [requires('providers.manage')] as const,
  request: { body: { content: { 'application/json': { schema: ProviderInputSchema } }, required: true } },
  responses: { 201: { ...ProviderResult, description: 'The provider' }, ...errorResponses(400, 401, 403) },
});

const updateProvider = createRoute({
  method: 'patch',
  path: '/api/providers/{code}',
  tags: ['providers'],
  summary: 'Change a provider in your scope (active: true takes one back)',
  middleware: [requires('providers.manage')] as const,
  request: {
    params: codeParam,
    body: {
      content: { 'application/json': { schema: ProviderInputSchema.partial().extend({ active: z.boolean().optional() }) } },
      required: true,
    },
  },
  responses: { 200: { ...ProviderResult, description: 'The provider' }, ...errorResponses(400, 401, 403, 404) },
});

const deactivateProvider = createRoute({
  method: 'post',
  path: '/api/providers/{code}/deactivate',
  tags: ['providers'],
  summary: 'Stop offering a provider for dispatch; its cases keep its name',
  middleware: [requires('providers.manage')] as const,
  request: { params: codeParam },
  responses: { 200: { ...ProviderResult, description: 'The provider' }, ...errorResponses(400, 401, 403, 404) },
});

export function providersRoutes(service: ProvidersService) {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
    .openapi(listProviders, async (c) => c.json({ providers: await service.list(c.get('db')) }, 200))
    .openapi(providerFeatures, async (c) => {
      const collection = await service.features(c.get('db'));
      return c.json(collection as never, 200, { 'Content-Type': 'application/geo+json' });
    })
    .openapi(createProvider, async (c) =>
      c.json({ provider: await service.create(c.get('principal')!, originOf(c), c.req.valid('json')) }, 201),
    )
    .openapi(updateProvider, async (c) =>
      c.json(
        { provider: await service.update(c.get('principal')!, originOf(c), c.req.valid('param').code, c.req.valid('json')) },
        200,
      ),
    )
    .openapi(deactivateProvider, async (c) =>
      c.json({ provider: await service.deactivate(c.get('principal')!, originOf(c), c.req.valid('param').code) }, 200),
    );
}
