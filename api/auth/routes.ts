import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import type { AppEnv, Principal } from '../app-env.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../demo/accounts.ts';
import { errorResponses, validationHook } from '../openapi.ts';
import { CASE_STATES, type CaseState } from '../vocabulary/case-states.ts';
import { ROLE_LABELS, ROLE_LEVELS, ROLES } from '../vocabulary/roles.ts';
import { CSRF_COOKIE, publicAccess, requires, SESSION_COOKIE, signedIn } from './middleware.ts';
import { ACTIONS, can, GRANT_RULE, grantableLevels, ROLE_ACTIONS } from './permissions.ts';
import type { AuthService, RequestOrigin } from './service.ts';

const MeSchema = z
  .object({
    username: z.string(),
    displayName: z.string(),
    role: z.string(),
    roleLabel: z.object({ zh: z.string(), en: z.string() }),
    scopeCode: z.string(),
    departmentCode: z
      .string()
      .nullable()
      .openapi({ description: 'A department cadre’s department (the task lines it may dispatch on)' }),
    actions: z.array(z.string()).openapi({ description: 'What this account may do (permissions.ts)' }),
    workStates: z.array(z.enum(CASE_STATES)).openapi({
      description:
        'The case states in which this role may take inbox work (acknowledge, handle, feedback); empty when it has none',
    }),
    csrfToken: z.string().openapi({ description: 'Echo in X-CSRF-Token on every POST, PATCH, PUT and DELETE' }),
  })
  .openapi('Me');

const login = createRoute({
  method: 'post',
  path: '/api/auth/login',
  tags: ['auth'],
  summary: 'Sign in; sets the httpOnly session cookie and the CSRF cookie',
  middleware: [publicAccess] as const,
  request: {
    body: {
      content: {
        'application/json': { schema: z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) }) },
      },
      required: true,
    },
  },
  responses: {
    200: { content: { 'application/json': { schema: z.object({ me: MeSchema }) } }, description: 'Signed in' },
    ...errorResponses(400, 401, 403, 429),
  },
});

const logout = createRoute({
  method: 'post',
  path: '/api/auth/logout',
  tags: ['auth'],
  summary: 'Sign out of this browser, or of every session of the account with `everywhere`',
  middleware: [signedIn] as const,
  request: {
    body: { content: { 'application/json': { schema: z.object({ everywhere: z.boolean().default(false) }) } }, required: false },
  },
  responses: {
    200: {
      content: { 'application/json': { schema: z.object({ sessionsEnded: z.number().int() }) } },
      description: 'Signed out',
    },
    ...errorResponses(401, 403),
  },
});

const me = createRoute({
  method: 'get',
  path: '/api/auth/me',
  tags: ['auth'],
  summary: 'Who is signed in',
  middleware: [signedIn] as const,
  responses: {
    200: { content: { 'application/json': { schema: z.object({ me: MeSchema }) } }, description: 'The account' },
    ...errorResponses(401),
  },
});

const demoAccounts = createRoute({
  method: 'get',
  path: '/api/auth/demo-accounts',
  tags: ['auth'],
  summary: 'The embedded demo’s accounts and their (public) password; empty on PostgreSQL',
  middleware: [publicAccess] as const,
  responses: {
    200: {
      content: {
        'application/json': {
          schema: z.object({
            password: z.string().nullable(),
            accounts: z.array(
              z.object({
                username: z.string(),
                displayName: z.string(),
                role: z.string(),
                scopeCode: z.string(),
                note: z.string(),
              }),
            ),
          }),
        },
      },
      description: 'Demo accounts',
    },
  },
});

const permissions = createRoute({
  method: 'get',
  path: '/api/permissions',
  tags: ['auth'],
  summary: 'The role × action table, read-only',
  middleware: [requires('permissions.view')] as const,
  responses: {
    200: {
      content: {
        'application/json': {
          schema: z.object({
            roles: z.array(
              z.object({
                role: z.string(),
                label: z.object({ zh: z.string(), en: z.string() }),
                actions: z.array(z.string()),
                levels: z.array(z.string()).openapi({ description: 'The area levels an account of this role is scoped at' }),
              }),
            ),
            grantRule: z
              .object({ zh: z.string(), en: z.string() })
              .openapi({ description: 'Who may create and manage which accounts' }),
            grantable: z.array(z.object({ role: z.string(), levels: z.array(z.string()) })).openapi({
              description:
                'The roles the signed-in account may create and manage, each with the area levels it may give them inside its scope (empty without accounts.manage)',
            }),
            actions: z.array(z.object({ action: z.string(), label: z.object({ zh: z.string(), en: z.string() }) })),
          }),
        },
      },
      description: 'Permission table',
    },
    ...errorResponses(401, 403),
  },
});

function meOf(
  principal: Pick<Principal, 'username' | 'displayName' | 'role' | 'scopeCode' | 'departmentCode' | 'csrfToken'>,
  workStatesOf: (role: string) => CaseState[],
) {
  const role = principal.role as (typeof ROLES)[number];
  return {
    username: principal.username,
    displayName: principal.displayName,
    role: principal.role,
    roleLabel: ROLE_LABELS[role] ?? { zh: principal.role, en: principal.role },
    scopeCode: principal.scopeCode,
    departmentCode: principal.departmentCode,
    actions: [...(ROLE_ACTIONS[role] ?? [])],
    workStates: workStatesOf(principal.role),
    csrfToken: principal.csrfToken,
  };
}

export function originOf(c: Context<AppEnv>): RequestOrigin {
  return { ip: c.get('clientIp') || null, userAgent: c.req.header('User-Agent')?.slice(0, 300) ?? null };
}

/**
 * Sign-in, sign-out, the signed-in account and the demo accounts. `workStatesOf` is the case
 * workflow's answer to which states a role's inbox holds work in: app.ts passes it in, so auth
 * does not import cases (whose workflow reads auth's permissions).
 */
export function authRoutes(
  auth: AuthService,
  options: { demo: boolean; demoUsernames: () => Promise<Set<string>>; workStatesOf: (role: string) => CaseState[] },
) {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
    .openapi(login, async (c) => {
      const { username, password } = c.req.valid('json');
      const session = await auth.login(username, password, originOf(c));
      const secure = new URL(c.req.url).protocol === 'https:';
      setCookie(c, SESSION_COOKIE, session.token, {
        httpOnly: true,
        sameSite: 'Lax',
        secure,
        path: '/',
        expires: session.expiresAt,
      });
      setCookie(c, CSRF_COOKIE, session.csrfToken, {
        httpOnly: false,
        sameSite: 'Strict',
        secure,
        path: '/',
        expires: session.expiresAt,
      });
      return c.json({ me: meOf({ ...session.account, csrfToken: session.csrfToken }, options.workStatesOf) }, 200);
    })
    .openapi(logout, async (c) => {
      const body = c.req.header('Content-Type')?.includes('json') ? c.req.valid('json') : { everywhere: false };
      const sessionsEnded = await auth.logout(c.get('principal')!, originOf(c), body?.everywhere ?? false);
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      deleteCookie(c, CSRF_COOKIE, { path: '/' });
      return c.json({ sessionsEnded }, 200);
    })
    .openapi(me, (c) => c.json({ me: meOf(c.get('principal')!, options.workStatesOf) }, 200))
    .openapi(demoAccounts, async (c) => {
      if (!options.demo) return c.json({ password: null, accounts: [] }, 200);
      const existing = await options.demoUsernames();
      return c.json(
        { password: DEMO_PASSWORD, accounts: DEMO_ACCOUNTS.filter((account) => existing.has(account.username)) },
        200,
      );
    })
    .openapi(permissions, (c) => {
      const principal = c.get('principal')!;
      const manages = can(principal.role, 'accounts.manage');
      return c.json(
        {
          roles: ROLES.map((role) => ({
            role,
            label: ROLE_LABELS[role],
            actions: [...ROLE_ACTIONS[role]],
            levels: [...ROLE_LEVELS[role]],
          })),
          actions: Object.entries(ACTIONS).map(([action, label]) => ({ action, label })),
          grantRule: GRANT_RULE,
          grantable: manages
            ? ROLES.map((role) => ({ role, levels: grantableLevels(principal.scopeCode, role) })).filter(
                (grant) => grant.levels.length > 0,
              )
            : [],
        },
        200,
      );
    });
}
