import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.ts';
import { requires } from '../auth/middleware.ts';
import type { Database } from '../db/client.ts';
import { ErrorSchema, errorResponses, pathId, queryInt, validationHook } from '../openapi.ts';
import { MyReportSchema, ReportSchema } from './contracts.ts';
import { reportsService } from './service.ts';
import { readReportSubmission, reportBodyDocumentation } from './submission.ts';

const jsonError = (description: string) => ({ content: { 'application/json': { schema: ErrorSchema } }, description });
const body = reportBodyDocumentation();

const createReport = createRoute({
  method: 'post',
  path: '/api/reports',
  tags: ['reports'],
  summary:
    'Report a hazard where you are: the server assigns cell, grid, village and township; a retry with the same clientId is answered with the same report',
  middleware: [requires('reports.create')] as const,
  request: {
    body: {
      content: { 'multipart/form-data': { schema: body.multipart }, 'application/json': { schema: body.json } },
      required: true,
    },
  },
  responses: {
    201: { content: { 'application/json': { schema: z.object({ report: ReportSchema }) } }, description: 'Reported' },
    200: {
      content: { 'application/json': { schema: z.object({ report: ReportSchema }) } },
      description: 'Already reported with this clientId: the same report, nothing written',
    },
    ...errorResponses(400, 401, 403, 409),
    413: jsonError('The request is over 40 MB, or a photo over 8 MB'),
    415: jsonError('Neither multipart/form-data nor application/json'),
    422: jsonError('The point is in no cell of the county (code point_outside_county)'),
  },
});

const myReports = createRoute({
  method: 'get',
  path: '/api/reports/mine',
  tags: ['reports'],
  summary: 'Your own reports, newest first, with their state, areas and latest step',
  middleware: [requires('reports.create')] as const,
  request: {
    query: z.object({
      limit: queryInt(1, 200).default(50),
      offset: queryInt(0).default(0),
    }),
  },
  responses: {
    200: {
      content: {
        'application/json': {
          schema: z.object({ reports: z.array(MyReportSchema), total: z.number().int(), limit: z.number(), offset: z.number() }),
        },
      },
      description: 'Your reports',
    },
    ...errorResponses(400, 401, 403),
  },
});

const reportPhoto = createRoute({
  method: 'get',
  path: '/api/reports/{id}/photos/{photoId}',
  tags: ['reports'],
  summary: 'One photo of a report, with the content type sniffed when it was stored',
  middleware: [requires('cases.view')] as const,
  request: {
    params: z.object({
      id: pathId(),
      photoId: pathId('photoId'),
    }),
  },
  responses: {
    200: {
      content: {
        'image/jpeg': { schema: z.string().openapi({ format: 'binary' }) },
        'image/png': { schema: z.string().openapi({ format: 'binary' }) },
        'image/webp': { schema: z.string().openapi({ format: 'binary' }) },
      },
      description: 'The photo',
    },
    ...errorResponses(400, 401, 403, 404),
  },
});

/** Report intake, the reporter's list, and the photos of reports and of their steps. */
export function reportsRoutes(owner: Database) {
  const service = reportsService(owner);
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
    .openapi(createReport, async (c) => {
      const submission = await readReportSubmission(c);
      const { created, report } = await service.create(c.get('principal')!, submission);
      return c.json({ report }, created ? 201 : 200);
    })
    .openapi(myReports, async (c) => {
      const { limit, offset } = c.req.valid('query');
      return c.json(await service.mine(c.get('db'), c.get('principal')!, { limit, offset }), 200);
    })
    .openapi(reportPhoto, async (c) => {
      const { id, photoId } = c.req.valid('param');
      const photo = await service.photo(c.get('db'), id, photoId);
      return c.body(new Uint8Array(photo.bytes), 200, {
        'Content-Type': photo.contentType,
        'Cache-Control': 'private, max-age=86400, immutable',
        'X-Content-Type-Options': 'nosniff',
        'Content-Disposition': 'inline',
      });
    });
}
