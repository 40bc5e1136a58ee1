import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.ts';
import { recordRead } from '../audit/service.ts';
import { requires } from '../auth/middleware.ts';
import { can } from '../auth/permissions.ts';
import type { Database } from '../db/client.ts';
import { errorResponses, queryInt, validationHook } from '../openapi.ts';
import {
  AreaCode,
  AreaDetailSchema,
  AreaListItemSchema,
  AreaSummarySchema,
  LevelSchema,
  SearchResultSchema,
  TreeNodeSchema,
} from './contracts.ts';
import { areasRepository } from './repository.ts';
import { areasService } from './service.ts';

const getArea = createRoute({
  method: 'get',
  path: '/api/areas/{code}',
  tags: ['areas'],
  summary: 'One area with its parent chain and, for roles that may see them, the people responsible (each such read is audited)',
  middleware: [requires('map.view')] as const,
  request: { params: z.object({ code: AreaCode.openapi({ param: { name: 'code', in: 'path' } }) }) },
  responses: {
    200: { content: { 'application/json': { schema: z.object({ area: AreaDetailSchema }) } }, description: 'The area' },
    ...errorResponses(400, 401, 403, 404),
  },
});

const getChildren = createRoute({
  method: 'get',
  path: '/api/areas/{code}/children',
  tags: ['areas'],
  summary: 'The areas one level below (inside your scope)',
  middleware: [requires('map.view')] as const,
  request: { params: z.object({ code: AreaCode.openapi({ param: { name: 'code', in: 'path' } }) }) },
  responses: {
    200: {
      content: { 'application/json': { schema: z.object({ parent: AreaSummarySchema, children: z.array(AreaListItemSchema) }) } },
      description: 'The children, in code order',
    },
    ...errorResponses(400, 401, 403, 404),
  },
});

const getTree = createRoute({
  method: 'get',
  path: '/api/areas/tree',
  tags: ['areas'],
  summary: 'The hierarchy under an area, a given number of levels deep (inside your scope)',
  middleware: [requires('map.view')] as const,
  request: {
    query: z.object({
      root: AreaCode.default('511921'),
      depth: queryInt(1, 4).default(2).openapi({ description: 'Levels below the root, 1 to 4' }),
    }),
  },
  responses: {
    200: {
      content: {
        'application/json': { schema: z.object({ depth: z.number().int(), level: LevelSchema, tree: TreeNodeSchema }) },
      },
      description: 'Nested areas',
    },
    ...errorResponses(400, 401, 403, 404),
  },
});

const searchAreas = createRoute({
  method: 'get',
  path: '/api/areas/search',
  tags: ['areas'],
  summary: 'Find areas by name, pinyin (full or initials) or code (inside your scope)',
  middleware: [requires('map.view')] as const,
  request: {
    query: z.object({
      q: z.string().max(64).openapi({ example: '王坪' }),
      limit: queryInt(1, 100).default(20),
    }),
  },
  responses: {
    200: {
      content: { 'application/json': { schema: z.object({ results: z.array(SearchResultSchema) }) } },
      description: 'Matches',
    },
    ...errorResponses(400, 401, 403),
  },
});

/** `owner` writes the audit entries; reads go through the request's scoped handle. */
export function areasRoutes(owner: Database) {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
    .openapi(getTree, async (c) => {
      const { root, depth } = c.req.valid('query');
      return c.json(await areasService(areasRepository(c.get('db'))).tree(root, depth), 200);
    })
    .openapi(searchAreas, async (c) => {
      const { q, limit } = c.req.valid('query');
      return c.json(await areasService(areasRepository(c.get('db'))).search(q, limit), 200);
    })
    .openapi(getArea, async (c) => {
      const principal = c.get('principal')!;
      const code = c.req.valid('param').code;
      const detail = await areasService(areasRepository(c.get('db'))).detail(code, {
        includePeople: can(principal.role, 'people.view'),
      });
      if (detail.area.people.length > 0) {
        await recordRead(
          owner,
          { principal, ip: c.get('clientIp') || null, userAgent: c.req.header('User-Agent') ?? null },
          {
            action: 'people.read',
            targetType: 'area',
            targetId: code,
            scopeCode: code,
            details: { people: detail.area.people.map((person) => person.id) },
          },
        );
      }
      return c.json(detail, 200);
    })
    .openapi(getChildren, async (c) =>
      c.json(await areasService(areasRepository(c.get('db'))).children(c.req.valid('param').code), 200),
    );
}
