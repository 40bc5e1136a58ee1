import { beforeAll, describe, expect, it } from 'vitest';
import { createAccountAsSystem } from '../../api/accounts/service.ts';
import { type AccessRule, accessRuleOf } from '../../api/auth/middleware.ts';
import { can } from '../../api/auth/permissions.ts';
import type { Database } from '../../api/db/client.ts';
import { signedInBrowser, TEST_ACCOUNTS, TEST_PASSWORD, TestBrowser } from './support/sessions.ts';
import { testApp } from './support/test-database.ts';
import { tileOf } from './support/tiles.ts';

/** In every test account's scope: 王坪村 (沙溪镇), its first grid and first cell. */
const IN = { village: '511921108209', grid: '511921108209001', cell: '511921108209001001' };
/** Outside every scope but the county's: 红江村 (涪阳镇). */
const OUT = { village: '511921112200', township: '511921112' };

type App = Awaited<ReturnType<typeof testApp>>['app'];
type Target = 'in' | 'out';
interface Probe {
  method: string;
  path: string;
  body?: unknown;
}
/** How a route answers a target that is outside the caller's scope. */
type OutOfScope = 'not-found' | 'forbidden' | 'cut' | 'no-scope';

interface RouteCase {
  probe: (target: Target, ctx: CaseContext) => Promise<Probe> | Probe;
  /** Status of an allowed, in-scope request. */
  ok: number;
  outOfScope: OutOfScope;
  /** For `cut`: true when the answer holds something of the out-of-scope target. */
  leaks?: (response: Response) => Promise<boolean>;
}

interface CaseContext {
  db: Database;
  role: string;
  fresh: (scopeCode: string) => Promise<string>;
}

let counter = 0;
async function disposableAccount(db: Database, scopeCode: string): Promise<string> {
  counter++;
  const { id } = await createAccountAsSystem(db, {
    username: `matrix-${counter}-${scopeCode.slice(-6)}`,
    displayName: 'matrix',
    role: 'grid_worker',
    scopeCode,
    password: TEST_PASSWORD,
  });
  return id;
}

const json = async (response: Response) => JSON.stringify(await response.clone().json());

/**
 * One entry per route of the router, keyed `METHOD path` as Hono registers it. A route
 * without an entry here fails the suite: a new route must say how it treats scope.
 */
const CASES: Record<string, RouteCase> = {
  'GET /healthz': { probe: () => ({ method: 'GET', path: '/healthz' }), ok: 200, outOfScope: 'no-scope' },
  'POST /api/auth/login': {
    probe: () => ({ method: 'POST', path: '/api/auth/login', body: { username: 't-worker', password: TEST_PASSWORD } }),
    ok: 200,
    outOfScope: 'no-scope',
  },
  'POST /api/auth/logout': {
    probe: () => ({ method: 'POST', path: '/api/auth/logout', body: {} }),
    ok: 200,
    outOfScope: 'no-scope',
  },
  'GET /api/auth/me': { probe: () => ({ method: 'GET', path: '/api/auth/me' }), ok: 200, outOfScope: 'no-scope' },
  'GET /api/auth/demo-accounts': {
    probe: () => ({ method: 'GET', path: '/api/auth/demo-accounts' }),
    ok: 200,
    outOfScope: 'no-scope',
  },
  'GET /api/permissions': { probe: () => ({ method: 'GET', path: '/api/permissions' }), ok: 200, outOfScope: 'no-scope' },
  'GET /api/config': { probe: () => ({ method: 'GET', path: '/api/config' }), ok: 200, outOfScope: 'no-scope' },
  'GET /api/areas/tree': {
    probe: (target) => ({ method: 'GET', path: `/api/areas/tree?root=${target === 'in' ? IN.grid : OUT.village}&depth=1` }),
    ok: 200,
    outOfScope: 'not-found',
  },
  'GET /api/areas/search': {
    probe: (target) => ({ method: 'GET', path: `/api/areas/search?q=${target === 'in' ? IN.cell : OUT.village}` }),
    ok: 200,
    outOfScope: 'cut',
    leaks: async (response) => (await json(response)).includes(OUT.village),
  },
  'GET /api/areas/:code': {
    probe: (target) => ({ method: 'GET', path: `/api/areas/${target === 'in' ? IN.cell : OUT.village}` }),
    ok: 200,
    outOfScope: 'not-found',
  },
  'GET /api/areas/:code/children': {
    probe: (target) => ({ method: 'GET', path: `/api/areas/${target === 'in' ? IN.grid : OUT.village}/children` }),
    ok: 200,
    outOfScope: 'not-found',
  },
  'GET /tiles/:file{[^/]+\\.json}': {
    probe: () => ({ method: 'GET', path: '/tiles/cell.json' }),
    ok: 200,
    outOfScope: 'no-scope',
  },
  'GET /tiles/:layer/:z/:x/:file': {
    probe: async (target, ctx) => {
      const [point] = await ctx.db.rows<{ lng: number; lat: number }>(
        // The label point of the target village, read as the owner.
        (await import('drizzle-orm'))
          .sql`SELECT ST_X(label_point) AS lng, ST_Y(label_point) AS lat FROM areas WHERE code = ${target === 'in' ? IN.village : OUT.village}`,
      );
      const { z, x, y } = tileOf(point!.lng, point!.lat, 13);
      return { method: 'GET', path: `/tiles/village/${z}/${x}/${y}.mvt` };
    },
    ok: 200,
    outOfScope: 'cut',
    leaks: async (response) =>
      response.status === 200 && new TextDecoder().decode(await response.clone().arrayBuffer()).includes(OUT.village),
  },
  'GET /api/accounts': {
    probe: () => ({ method: 'GET', path: '/api/accounts' }),
    ok: 200,
    outOfScope: 'cut',
    leaks: async (response) => (await json(response)).includes('"scopeCode":"511921112'),
  },
  'POST /api/accounts': {
    probe: (target) => {
      counter++;
      return {
        method: 'POST',
        path: '/api/accounts',
        body: {
          username: `created-${counter}`,
          displayName: '新账号',
          role: 'grid_worker',
          scopeCode: target === 'in' ? IN.grid : OUT.village,
          password: 'Passw0rd-x',
        },
      };
    },
    ok: 201,
    outOfScope: 'forbidden',
  },
  'PATCH /api/accounts/:id': {
    probe: async (target, ctx) => ({
      method: 'PATCH',
      path: `/api/accounts/${await ctx.fresh(target === 'in' ? IN.cell : OUT.village)}`,
      body: { displayName: '改名' },
    }),
    ok: 200,
    outOfScope: 'not-found',
  },
  'POST /api/accounts/:id/password': {
    probe: async (target, ctx) => ({
      method: 'POST',
      path: `/api/accounts/${await ctx.fresh(target === 'in' ? IN.cell : OUT.village)}/password`,
      body: { password: 'N3w-passw0rd' },
    }),
    ok: 204,
    outOfScope: 'not-found',
  },
  'GET /api/audit': {
    probe: () => ({ method: 'GET', path: '/api/audit?pageSize=500' }),
    ok: 200,
    outOfScope: 'cut',
    leaks: async (response) => (await json(response)).includes('"scopeCode":"511921112'),
  },
  'GET /api/audit/export.csv': {
    probe: () => ({ method: 'GET', path: '/api/audit/export.csv' }),
    ok: 200,
    outOfScope: 'cut',
    leaks: async (response) => (await response.clone().text()).includes(',511921112'),
  },
  'GET /api/openapi.json': { probe: () => ({ method: 'GET', path: '/api/openapi.json' }), ok: 200, outOfScope: 'no-scope' },
  'GET /api/docs': { probe: () => ({ method: 'GET', path: '/api/docs' }), ok: 200, outOfScope: 'no-scope' },
  // reports: routes of api/reports
  // cases: routes of api/cases
  // live: routes of api/live and api/demo
};

/** The router's routes with the access rule each declares (global middleware on '*' left out). */
function declaredRoutes(app: App): { key: string; rule: AccessRule | undefined }[] {
  const byKey = new Map<string, AccessRule | undefined>();
  for (const route of app.routes) {
    if (route.path === '/*' || route.path === '*') continue;
    const key = `${route.method} ${route.path}`;
    const rule = accessRuleOf(route.handler);
    if (route.method === 'ALL') continue;
    byKey.set(key, byKey.get(key) ?? rule);
  }
  return [...byKey].map(([key, rule]) => ({ key, rule }));
}

let app: App;
let db: Database;
const browsers = new Map<string, TestBrowser>();

beforeAll(async () => {
  ({ app, db } = await testApp());
  // An account in 涪阳镇, so account lists have something out of scope to leak.
  await createAccountAsSystem(db, {
    username: 'matrix-fuyang',
    displayName: '涪阳',
    role: 'grid_worker',
    scopeCode: OUT.township,
    password: TEST_PASSWORD,
  });
  for (const account of TEST_ACCOUNTS) browsers.set(account.username, await signedInBrowser(app, account.username));
});

describe('every route declares its access', () => {
  it('has a rule (requires / signedIn / publicAccess) on every route of the router', () => {
    const routes = declaredRoutes(app);
    expect(routes.length).toBeGreaterThan(15);
    expect(routes.filter((route) => !route.rule).map((route) => route.key)).toEqual([]);
  });

  it('has a matrix entry for every route, and no entry for a route that is gone', () => {
    const keys = declaredRoutes(app)
      .map((route) => route.key)
      .sort();
    expect(keys).toEqual(Object.keys(CASES).sort());
  });

  it('answers 401 to every non-public route without a session', async () => {
    const anonymous = new TestBrowser(app);
    for (const { key, rule } of declaredRoutes(app)) {
      if (rule?.kind === 'public') continue;
      const probe = await CASES[key]!.probe('in', { db, role: 'none', fresh: (scope) => disposableAccount(db, scope) });
      const response = await anonymous.request(probe.method, probe.path, probe.body);
      expect({ key, status: response.status }).toEqual({ key, status: 401 });
    }
  });
});

describe.each(TEST_ACCOUNTS)('as $role ($username, scope $scopeCode)', (account) => {
  const countyWide = account.scopeCode === '511921';

  it.each(Object.keys(CASES))('%s', async (key) => {
    const routeCase = CASES[key]!;
    const rule = declaredRoutes(app).find((route) => route.key === key)?.rule;
    const ctx: CaseContext = { db, role: account.role, fresh: (scope) => disposableAccount(db, scope) };
    // Signing in and out change the browser's session: those routes get a browser of their own.
    const browser =
      key === 'POST /api/auth/logout'
        ? await signedInBrowser(app, account.username)
        : key === 'POST /api/auth/login'
          ? new TestBrowser(app)
          : browsers.get(account.username)!;
    const allowed = rule?.kind !== 'action' || can(account.role, rule.action);

    const inProbe = await routeCase.probe('in', ctx);
    const inResponse = await browser.request(inProbe.method, inProbe.path, inProbe.body);
    if (!allowed) {
      expect({ key, status: inResponse.status }).toEqual({ key, status: 403 });
      return;
    }
    expect({ key, status: inResponse.status }).toEqual({ key, status: routeCase.ok });
    if (routeCase.outOfScope === 'no-scope') return;

    const outProbe = await routeCase.probe('out', ctx);
    const outResponse = await browser.request(outProbe.method, outProbe.path, outProbe.body);
    if (countyWide) {
      // Nothing in the county is outside a county-wide scope.
      expect({ key, status: outResponse.status }).toEqual({ key, status: routeCase.ok });
      if (routeCase.leaks) expect(await routeCase.leaks(outResponse)).toBe(true);
      return;
    }
    const expected = { 'not-found': 404, forbidden: 403, cut: routeCase.ok === 201 ? 201 : [200, 204] }[routeCase.outOfScope];
    if (Array.isArray(expected)) expect(expected).toContain(outResponse.status);
    else expect({ key, status: outResponse.status }).toEqual({ key, status: expected });
    if (routeCase.leaks) expect({ key, leaks: await routeCase.leaks(outResponse) }).toEqual({ key, leaks: false });
  });
});

describe('the permission table itself', () => {
  it.each([
    ['department_cadre', 'households.view', false],
    ['admin', 'households.view', false],
    ['grid_worker', 'accounts.view', false],
    ['township_commander', 'audit.view', false],
    ['county_commander', 'audit.export', true],
    ['cell_informant', 'map.view', true],
    ['duty_officer', 'accounts.manage', false],
  ] as const)('%s may %s: %s', (role, action, expected) => {
    expect(can(role, action)).toBe(expected);
  });
});
