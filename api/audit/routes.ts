import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.ts';
import { requires } from '../auth/middleware.ts';
import { errorResponses, queryInt, validationHook } from '../openapi.ts';
import { AuditEntrySchema, AuditFilterSchema } from './contracts.ts';
import type { AuditService } from './service.ts';

const listAudit = createRoute({
  method: 'get',
  path: '/api/audit',
  tags: ['audit'],
  summary: 'The audit log inside your scope, newest first',
  middleware: [requires('audit.view')] as const,
  request: {
    query: AuditFilterSchema.extend({
      page: queryInt(1).default(1),
      pageSize: queryInt(1, 500).default(50),
    }),
  },
  responses: {
    200: {
      content: {
        'application/json': {
          schema: z.object({
            entries: z.array(AuditEntrySchema),
            total: z.number().int(),
            page: z.number().int(),
            pageSize: z.number().int(),
          }),
        },
      },
      description: 'Entries',
    },
    ...errorResponses(400, 401, 403),
  },
});

const exportAudit = createRoute({
  method: 'get',
  path: '/api/audit/export.csv',
  tags: ['audit'],
  summary: 'The filtered audit log as CSV (itself recorded in the log)',
  middleware: [requires('audit.export')] as const,
  request: { query: AuditFilterSchema },
  responses: {
    200: { content: { 'text/csv': { schema: z.string() } }, description: 'CSV, UTF-8 with BOM' },
    ...errorResponses(400, 401, 403),
  },
});

export function auditRoutes(service: AuditService) {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
    .openapi(listAudit, async (c) => {
      const { page, pageSize, ...filter } = c.req.valid('query');
      return c.json(await service.list(c.get('db'), filter, page, pageSize), 200);
    })
    .openapi(exportAudit, async (c) => {
      const { csv } = await service.exportCsv(c.get('db'), c.req.valid('query'), {
        principal: c.get('principal')!,
        ip: c.get('clientIp') || null,
        userAgent: c.req.header('User-Agent') ?? null,
      });
      const stamp = new Date().toISOString().slice(0, 10);
      c.header('Content-Disposition', `attachment; filename="audit-${stamp}.csv"`);
      return c.body(csv, 200, { 'Content-Type': 'text/csv; charset=utf-8' });
    });
}
