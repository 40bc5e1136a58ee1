import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { AREA_LEVELS } from '../../geo/types.ts';
import type { AppEnv } from '../app-env.ts';
import { requires } from '../auth/middleware.ts';
import { areas } from '../db/schema.ts';
import { createSelectSchema, errorResponses, validationHook } from '../openapi.ts';
import type { PatrolCoverageService } from './coverage-service.ts';

const count = (description: string) => z.number().int().min(0).openapi({ description });

/** An area's cells and how many were walked: numerators over `cells`, never a bare percentage. */
const CoverageSchema = createSelectSchema(areas, { level: () => z.enum(AREA_LEVELS) })
  .pick({ code: true, name: true, level: true })
  .extend({
    cells: count('Cells of the area (the denominator)'),
    day1: count('Cells walked today (county day, Asia/Shanghai)'),
    day7: count('Cells walked today or in the 6 days before'),
    day30: count('Cells walked today or in the 29 days before'),
  })
  .openapi('PatrolCoverage');

const AreaCode = z.string().openapi({ description: '6, 9, 12, 15 or 18 digit statistical area code', example: '511921108' });
const asOf = z.string().openapi({ description: 'The county day counted to, YYYY-MM-DD (Asia/Shanghai)', example: '2026-12-03' });
const areaQuery = z.object({
  area: AreaCode.optional().openapi({
    description: 'A county, township, village or grid code in your scope; your scope when omitted',
  }),
});

const json = <Schema extends z.ZodType>(schema: Schema, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

const coverageOfChildren = createRoute({
  method: 'get',
  path: '/api/patrols/coverage',
  tags: ['patrols'],
  summary: 'Cells patrolled in the last 1, 7 and 30 days, for an area and each of its children (not audited: no one’s track)',
  middleware: [requires('patrols.view')] as const,
  request: { query: areaQuery },
  responses: {
    200: json(
      z.object({
        asOf,
        distanceM: z.number().openapi({ description: 'Metres from a valid track within which a cell counts as patrolled' }),
        area: CoverageSchema,
        children: z.array(CoverageSchema),
      }),
      'Coverage',
    ),
    ...errorResponses(400, 401, 403, 404),
  },
});

const cellDays = createRoute({
  method: 'get',
  path: '/api/patrols/coverage/cells',
  tags: ['patrols'],
  summary:
    'Days since each cell of an area was last patrolled, for colouring the cell layer (join by cell code); cells walked more than 29 days ago or never are left out',
  middleware: [requires('patrols.view')] as const,
  request: { query: areaQuery },
  responses: {
    200: json(
      z.object({
        asOf,
        areaCode: AreaCode,
        days: z.record(z.string(), z.number().int().min(0)).openapi({
          description: 'Cell code without the leading areaCode → days since last patrolled (0: today)',
        }),
      }),
      'Days since last patrolled, per cell',
    ),
    ...errorResponses(400, 401, 403, 404),
  },
});

/** Patrol coverage for those who review it: shares per area, days per cell. */
export function patrolCoverageRoutes(service: PatrolCoverageService) {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
    .openapi(coverageOfChildren, async (c) =>
      c.json(await service.children(c.get('db'), c.get('principal')!, c.req.valid('query').area), 200),
    )
    .openapi(cellDays, async (c) =>
      c.json(await service.cellDays(c.get('db'), c.get('principal')!, c.req.valid('query').area), 200),
    );
}
