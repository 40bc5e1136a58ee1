import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from './app-env.ts';
import { requires } from './auth/middleware.ts';
import type { Action } from './auth/permissions.ts';
import { errorResponses, XLSX_TYPE } from './openapi.ts';

/** The formats an export is given in, and the content type each is sent with. */
type ExportFormat = 'xlsx' | 'csv';
const CONTENT_TYPES: Record<ExportFormat, string> = { xlsx: XLSX_TYPE, csv: 'text/csv' };

/**
 * The contract of an export: a GET behind `action`, answering a file in `format` (its 200 says
 * what the file holds) or the usual errors. The service behind it writes the audit row.
 */
export function exportRoute<Path extends string, Request extends { params?: z.ZodObject; query: z.ZodObject }>(config: {
  path: Path;
  tag: string;
  summary: string;
  action: Action;
  format: ExportFormat;
  /** What the file is, for its 200 response. */
  file: string;
  request: Request;
}) {
  return createRoute({
    method: 'get' as const,
    path: config.path,
    tags: [config.tag],
    summary: config.summary,
    middleware: [requires(config.action)] as const,
    request: config.request,
    responses: {
      200: { content: { [CONTENT_TYPES[config.format]]: { schema: z.string() } }, description: config.file },
      ...errorResponses(400, 401, 403, 404),
    },
  });
}

/** Answers an export as a download named `<name>-<UTC day>.<format>`. */
export function sendExport(c: Context<AppEnv>, name: string, format: ExportFormat, body: Uint8Array<ArrayBuffer> | string) {
  c.header('Content-Disposition', `attachment; filename="${name}-${new Date().toISOString().slice(0, 10)}.${format}"`);
  if (typeof body === 'string') return c.body(body, 200, { 'Content-Type': 'text/csv; charset=utf-8' });
  return c.body(body, 200, { 'Content-Type': XLSX_TYPE });
}
