import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.ts';
import { requires } from '../auth/middleware.ts';
import { originOf } from '../auth/routes.ts';
import { errorResponses, validationHook } from '../openapi.ts';
import { AccountChangesSchema, AccountSchema, NewAccountSchema, NewPasswordSchema } from './contracts.ts';
import type { AccountsService } from './service.ts';

const idParam = z.object({
  id: z
    .string()
    .uuid()
    .openapi({ param: { name: 'id', in: 'path' } }),
});

const listAccounts = createRoute({
  method: 'get',
  path: '/api/accounts',
  tags: ['accounts'],
  summary: 'Accounts inside your scope',
  middleware: [requires('accounts.view')] as const,
  request: {
    query: z.object({
      q: z.string().max(64).optional(),
      role: z.string().max(32).optional(),
      includeDisabled: z
        .enum(['true', 'false'])
        .default('true')
        .transform((value) => value === 'true'),
    }),
  },
  responses: {
    200: { content: { 'application/json': { schema: z.object({ accounts: z.array(AccountSchema) }) } }, description: 'Accounts' },
    ...errorResponses(400, 401, 403),
  },
});

const createAccount = createRoute({
  method: 'post',
  path: '/api/accounts',
  tags: ['accounts'],
  summary: 'Create an account inside your scope',
  middleware: [requires('accounts.manage')] as const,
  request: {
    body: {
      content: {
        'application/json': {
          schema: NewAccountSchema,
        },
      },
      required: true,
    },
  },
  responses: {
    201: { content: { 'application/json': { schema: z.object({ account: AccountSchema }) } }, description: 'Created' },
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

const updateAccount = createRoute({
  method: 'patch',
  path: '/api/accounts/{id}',
  tags: ['accounts'],
  summary: 'Rename, change role, re-scope, disable or enable an account; disabling or re-scoping ends its sessions at once',
  middleware: [requires('accounts.manage')] as const,
  request: {
    params: idParam,
    body: {
      content: {
        'application/json': {
          schema: AccountChangesSchema,
        },
      },
      required: true,
    },
  },
  responses: {
    200: { content: { 'application/json': { schema: z.object({ account: AccountSchema }) } }, description: 'Updated' },
    ...errorResponses(400, 401, 403, 404),
  },
});

const resetPassword = createRoute({
  method: 'post',
  path: '/api/accounts/{id}/password',
  tags: ['accounts'],
  summary: 'Set a new password; the account’s sessions end',
  middleware: [requires('accounts.manage')] as const,
  request: {
    params: idParam,
    body: { content: { 'application/json': { schema: NewPasswordSchema } }, required: true },
  },
  responses: { 204: { description: 'Password set' }, ...errorResponses(400, 401, 403, 404) },
});

export function accountsRoutes(service: AccountsService) {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
    .openapi(listAccounts, async (c) => {
      const { q, role, includeDisabled } = c.req.valid('query');
      return c.json(await service.list(c.get('db'), { text: q, role, includeDisabled }), 200);
    })
    .openapi(createAccount, async (c) => c.json(await service.create(c.get('principal')!, originOf(c), c.req.valid('json')), 201))
    .openapi(updateAccount, async (c) =>
      c.json(await service.update(c.get('principal')!, originOf(c), c.req.valid('param').id, c.req.valid('json')), 200),
    )
    .openapi(resetPassword, async (c) => {
      await service.resetPassword(c.get('principal')!, originOf(c), c.req.valid('param').id, c.req.valid('json').password);
      return c.body(null, 204);
    });
}
