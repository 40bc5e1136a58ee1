import type { Hook } from '@hono/zod-openapi';
import { z } from '@hono/zod-openapi';
import type { AppEnv } from './app-env.ts';
import { badRequest } from './errors.ts';

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'invalid_area_code' }),
      message: z.string().openapi({ description: 'In Chinese, or English when Accept-Language asks for it' }),
      details: z.unknown().optional(),
    }),
  })
  .openapi('Error');

/** Turns a failed zod validation into the one error shape the API answers with (see app.onError). */
export const validationHook: Hook<unknown, AppEnv, string, unknown> = (result) => {
  if (result.success) return;
  const issues = result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  const where = issues.map((issue) => issue.path || '(body)').join(', ');
  throw badRequest(
    'invalid_request',
    { zh: `请求参数不正确：${where}`, en: `Invalid request parameters: ${where}` },
    { target: result.target, issues },
  );
};

const ERROR_DESCRIPTIONS = {
  400: 'Malformed input',
  401: 'Not signed in, or the session ended',
  403: 'The role may not do this, or the request came from another site',
  404: 'No such thing, or it is outside your scope',
  409: 'Conflicts with what exists',
  429: 'Too many failed sign-ins',
} as const;
type ErrorStatus = keyof typeof ERROR_DESCRIPTIONS;

/** The error responses of a route, for its OpenAPI contract: all share the one error body. */
export function errorResponses<Status extends ErrorStatus>(...statuses: Status[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      { content: { 'application/json': { schema: ErrorSchema } }, description: ERROR_DESCRIPTIONS[status] },
    ]),
  ) as unknown as Record<Status, { content: { 'application/json': { schema: typeof ErrorSchema } }; description: string }>;
}
