import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AppEnv } from '../app-env.ts';
import type { Database, Queryable } from '../db/client.ts';
import { scopedDatabase } from '../db/scoped.ts';
import { AppError } from '../errors.ts';
import { type Action, can } from './permissions.ts';
import { type AuthService, notSignedIn } from './service.ts';

export const SESSION_COOKIE = 'gcc_session';
/** Readable by the page, which echoes it in X-CSRF-Token; a page on another origin cannot read it. */
export const CSRF_COOKIE = 'gcc_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';

/** What a route declares it needs: an action from the permission table, any signed-in account, or nothing. */
export type AccessRule = { kind: 'action'; action: Action } | { kind: 'signed-in' } | { kind: 'public' };

const declared = new WeakMap<MiddlewareHandler<AppEnv>, AccessRule>();

/** The access rule a handler declares, if it is a guard; the access-matrix test reads the router with it. */
export function accessRuleOf(handler: unknown): AccessRule | undefined {
  return declared.get(handler as MiddlewareHandler<AppEnv>);
}

function declare(rule: AccessRule, handler: MiddlewareHandler<AppEnv>): MiddlewareHandler<AppEnv> {
  declared.set(handler, rule);
  return handler;
}

const forbidden = (action: string) =>
  new AppError(403, 'forbidden', { zh: '您的角色无权执行此操作', en: 'Your role may not do this' }, { action });

/** The route needs `action` (see permissions.ts): 401 without a session, 403 when the role lacks it. */
export function requires(action: Action): MiddlewareHandler<AppEnv> {
  return declare({ kind: 'action', action }, async (c, next) => {
    const principal = c.get('principal');
    if (!principal) throw c.get('sessionError') ?? notSignedIn();
    if (!can(principal.role, action)) throw forbidden(action);
    await next();
  });
}

/** Any signed-in account (its own profile, signing out). */
export const signedIn: MiddlewareHandler<AppEnv> = declare({ kind: 'signed-in' }, async (c, next) => {
  if (!c.get('principal')) throw c.get('sessionError') ?? notSignedIn();
  await next();
});

/** Open to anyone: the app shell, /healthz, the OpenAPI document, signing in. */
export const publicAccess: MiddlewareHandler<AppEnv> = declare({ kind: 'public' }, async (_c, next) => {
  await next();
});

/** A handle for requests without a session: any query through it is a bug, since public routes read nothing scoped. */
const withoutAccount = () => new Error('a query ran without a signed-in account: declare the route with requires()');
const noScope: Queryable = {
  rows: () => Promise.reject(withoutAccount()),
  read: () => Promise.reject(withoutAccount()),
};

function clientIp(c: Context): string | null {
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null;
  }
}

/**
 * Resolves the session cookie into a principal and a database handle cut to its scope.
 * A bad or expired session is not an error here: routes that need one answer 401 themselves.
 */
export function authenticate(db: Database, auth: AuthService): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set('clientIp', clientIp(c) ?? '');
    c.set('principal', null);
    c.set('sessionError', null);
    c.set('db', noScope);
    const token = getCookie(c, SESSION_COOKIE);
    if (token) {
      try {
        const principal = await auth.resolve(token);
        c.set('principal', principal);
        c.set('db', scopedDatabase(db, principal));
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        c.set('sessionError', error);
      }
    }
    await next();
  };
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function originHost(origin: string): string | null {
  return URL.canParse(origin) ? new URL(origin).host : null;
}

/**
 * CSRF protection for state-changing requests: the browser's Origin (or Sec-Fetch-Site) must be
 * this site, and a signed-in request must echo its session's CSRF token in X-CSRF-Token.
 */
export const csrfProtection: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!STATE_CHANGING.has(c.req.method)) return next();
  const origin = c.req.header('Origin');
  const host = c.req.header('Host') ?? new URL(c.req.url).host;
  // An Origin that is no URL (`null` from a sandboxed frame or a privacy setting, or garbage) is
  // not this site either.
  const crossSite = origin ? originHost(origin) !== host : c.req.header('Sec-Fetch-Site') === 'cross-site';
  if (crossSite) {
    throw new AppError(
      403,
      'cross_origin_request',
      { zh: '拒绝来自其他网站的请求', en: 'Requests from another site are refused' },
      { origin },
    );
  }
  const principal = c.get('principal');
  if (principal && c.req.header(CSRF_HEADER) !== principal.csrfToken) {
    throw new AppError(403, 'csrf_token_invalid', {
      zh: '请求缺少有效的防伪令牌，请刷新页面后重试',
      en: 'The request lacks a valid CSRF token; reload the page and try again',
    });
  }
  await next();
};
