import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.ts';
import { requires } from '../auth/middleware.ts';
import { originOf } from '../auth/routes.ts';
import { errorResponses, validationHook } from '../openapi.ts';
import type { AccountsService } from './service.ts';

const AccountSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    role: z.string(),
    scopeCode: z.string(),
    scopeName: z.string().nullable(),
    departmentCode: z.string().nullable(),
    departmentName: z.string().nullable(),
    demo: z.boolean(),
    disabled: z.boolean(),
    createdAt: z.string(),
    lastSeenAt: z.string().nullable(),
  })
  .openapi('Account');

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
          schema: z.object({
            username: z.string().max(64),
            displayName: z.string().min(1).max(64),
            role: z.string().max(32),
            scopeCode: z.string().max(18),
            departmentCode: z.string().max(8).nullable().optional(),
            password: z.string().max(256),
          }),
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
          schema: z.object({
            displayName: z.string().min(1).max(64).optional(),
            role: z.string().max(32).optional(),
            scopeCode: z.string().max(18).optional(),
            departmentCode: z.string().max(8).nullable().optional(),
            disabled: z.boolean().optional(),
          }),
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
    body: { content: { 'application/json': { schema: z.object({ password: z.string().max(256) }) } }, required: true },
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
