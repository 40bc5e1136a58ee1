import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.ts';
import { requires } from '../auth/middleware.ts';
import { errorResponses, validationHook } from '../openapi.ts';
import type { DutySummaryService } from './summary-service.ts';

const CountsSchema = z.object({
  reportedToday: z.number().int().openapi({ description: 'Reported today (Asia/Shanghai), in any state' }),
  open: z.number().int().openapi({ description: 'In an open state: reported, filed, dispatched, acknowledged, handled, parked' }),
  awaitingAcknowledgement: z.number().int().openapi({ description: 'Dispatched and not yet acknowledged' }),
  overdue: z.number().int().openapi({ description: 'Traffic light red: past the running limit (the list’s light=red)' }),
});

const DutySummarySchema = z
  .object({
    at: z.string().openapi({ description: 'When the counts were taken (ISO 8601)' }),
    day: z.string().openapi({ description: 'Today in Asia/Shanghai, YYYY-MM-DD', example: '2026-12-03' }),
    dayStart: z.string().openapi({ description: 'Start of today in Shanghai (ISO 8601), inclusive' }),
    dayEnd: z.string().openapi({ description: 'Start of tomorrow in Shanghai (ISO 8601), exclusive' }),
    totals: CountsSchema,
    byTownship: z
      .array(CountsSchema.extend({ code: z.string(), name: z.string().nullable() }))
      .openapi({ description: 'Townships with a case counted, by code; add area={code} to a filter to list them' }),
    byType: z
      .array(CountsSchema.extend({ type: z.string() }))
      .openapi({ description: 'Report types with a case counted; add type={type} to a filter to list them' }),
    filters: z
      .object({
        reportedToday: z.record(z.string(), z.string()),
        open: z.record(z.string(), z.string()),
        awaitingAcknowledgement: z.record(z.string(), z.string()),
        overdue: z.record(z.string(), z.string()),
      })
      .openapi({ description: 'For each count, the query of GET /api/cases whose total it is' }),
  })
  .openapi('DutySummary');

const getSummary = createRoute({
  method: 'get',
  path: '/api/cases/summary',
  tags: ['cases'],
  summary:
    'The duty screen’s counts inside your scope: today’s reports, open, awaiting acknowledgement and overdue cases, in total, by township and by type',
  middleware: [requires('cases.view')] as const,
  responses: {
    200: {
      content: { 'application/json': { schema: DutySummarySchema } },
      description: 'The counts, and the list query of each',
    },
    ...errorResponses(401, 403),
  },
});

/** Mounted before casesRoutes, whose `/api/cases/{id}` would otherwise take "summary" for an id. */
export function dutySummaryRoutes(service: DutySummaryService) {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(getSummary, async (c) =>
    c.json(await service.read(c.get('db')), 200),
  );
}
