import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAccountAsSystem } from '../../api/accounts/service.ts';
import { type AccessRule, accessRuleOf } from '../../api/auth/middleware.ts';
import { can } from '../../api/auth/permissions.ts';
import type { Database } from '../../api/db/client.ts';
import { levelOfCode } from '../../geo/area-codes.ts';
import { CASE_ROUTES } from './access-matrix/case-routes.ts';
import { CORE_ROUTES } from './access-matrix/core-routes.ts';
import { EVALUATION_ROUTES } from './access-matrix/evaluation-routes.ts';
import { GEOHAZARD_ROUTES } from './access-matrix/geohazard-routes.ts';
import { NEARBY_ROUTES } from './access-matrix/nearby-routes.ts';
import { PATROL_COVERAGE_ROUTES } from './access-matrix/patrol-coverage-routes.ts';
import { PATROL_ROUTES } from './access-matrix/patrol-routes.ts';
import { PLAYBACK_ROUTES } from './access-matrix/playback-routes.ts';
import { PROVIDER_ROUTES } from './access-matrix/provider-routes.ts';
import { REVIEW_ROUTES } from './access-matrix/review-routes.ts';
import type { CaseContext, RouteCase } from './access-matrix/route-case.ts';
import { OUT } from './access-matrix/route-case.ts';
import { SPECIAL_HEATMAP_ROUTES } from './access-matrix/special-heatmap-routes.ts';
import { SPECIAL_ROUTES } from './access-matrix/special-routes.ts';
import { SPECIAL_VISIT_ROUTES } from './access-matrix/special-visit-routes.ts';
import { TASK_MONITOR_ROUTES } from './access-matrix/task-monitor-routes.ts';
import { TASK_ROUTES } from './access-matrix/task-routes.ts';
import { WORKFORCE_ROUTES } from './access-matrix/workforce-routes.ts';
import { signedInBrowser, TEST_ACCOUNTS, TEST_PASSWORD, TestBrowser } from './support/sessions.ts';
import { testApp } from './support/test-database.ts';

type App = Awaited<ReturnType<typeof testApp>>['app'];

/** An account's scope is at its role's level: a role that fits each level. */
const ROLE_AT_LEVEL = {
  county: 'county_commander',
  township: 'township_commander',
  village: 'grid_chief',
  grid: 'grid_worker',
  cell: 'cell_informant',
} as const;

let counter = 0;
async function disposableAccount(db: Database, scopeCode: string): Promise<string> {
  counter++;
  const { id } = await createAccountAsSystem(db, {
    username: `matrix-${counter}-${scopeCode.slice(-6)}`,
    displayName: 'matrix',
    role: ROLE_AT_LEVEL[levelOfCode(scopeCode) ?? 'grid'],
    scopeCode,
    password: TEST_PASSWORD,
  });
  return id;
}

/**
 * One entry per route of the router, keyed `METHOD path` as Hono registers it. A route
 * without an entry here fails the suite: a new route must say how it treats scope. Each
 * capability's entries sit in a file of their own under access-matrix/.
 */
const CASES: Record<string, RouteCase> = {
  ...CORE_ROUTES,
  ...CASE_ROUTES,
  ...PATROL_ROUTES,
  ...NEARBY_ROUTES,
  ...PLAYBACK_ROUTES,
  ...PATROL_COVERAGE_ROUTES,
  ...GEOHAZARD_ROUTES,
  ...SPECIAL_HEATMAP_ROUTES,
  ...SPECIAL_VISIT_ROUTES,
  ...SPECIAL_ROUTES,
  ...REVIEW_ROUTES,
  ...EVALUATION_ROUTES,
  ...PROVIDER_ROUTES,
  ...WORKFORCE_ROUTES,
  ...TASK_MONITOR_ROUTES,
  ...TASK_ROUTES,
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
const contextOf = (role: string, username: string, departmentCode = 'D01'): CaseContext =>
  Object.assign({ db, role, username, departmentCode }, { fresh: (scope: string) => disposableAccount(db, scope) });
const browsers = new Map<string, TestBrowser>();

/** An event stream never ends by itself: each one a test opens is hung up after the test. */
const openStreams: Response[] = [];
function settle(response: Response): Response {
  if (response.headers.get('Content-Type')?.startsWith('text/event-stream')) openStreams.push(response);
  return response;
}
afterEach(async () => {
  for (const response of openStreams.splice(0)) await response.body?.cancel().catch(() => {});
});

beforeAll(async () => {
  ({ app, db } = await testApp());
  // An account in 涪阳镇, so account lists have something out of scope to leak.
  await createAccountAsSystem(db, {
    username: 'matrix-fuyang',
    displayName: '涪阳',
    role: 'township_commander',
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
      const probe = await CASES[key]!.probe('in', contextOf('none', 'none'));
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
    const ctx = contextOf(account.role, account.username, account.departmentCode);
    // Signing in and out change the browser's session: those routes get a browser of their own.
    const browser =
      key === 'POST /api/auth/logout'
        ? await signedInBrowser(app, account.username)
        : key === 'POST /api/auth/login'
          ? new TestBrowser(app)
          : browsers.get(account.username)!;
    const allowed = rule?.kind !== 'action' || can(account.role, rule.action);

    const inProbe = await routeCase.probe('in', ctx);
    const inResponse = settle(await browser.request(inProbe.method, inProbe.path, inProbe.body));
    if (!allowed || (routeCase.countyOnly && !countyWide)) {
      expect({ key, status: inResponse.status }).toEqual({ key, status: 403 });
      return;
    }
    const refused = routeCase.refusedFor?.(account.role);
    if (refused !== undefined) {
      const outProbe = await routeCase.probe('out', ctx);
      const outStatus = settle(await browser.request(outProbe.method, outProbe.path, outProbe.body)).status;
      expect({ key, statuses: [inResponse.status, outStatus] }).toEqual({ key, statuses: refused });
      return;
    }
    expect({ key, status: inResponse.status }).toEqual({ key, status: routeCase.ok });
    if (routeCase.outOfScope === 'no-scope') return;

    if (routeCase.keyedToCase && account.departmentCode) {
      const offLine = await routeCase.probe('in', { ...ctx, caseType: 'dispute' }); // in scope, off its lines, sent nowhere
      const status = settle(await browser.request(offLine.method, offLine.path, offLine.body)).status;
      expect({ key, offLine: status }).toEqual({ key, offLine: 404 });
    }

    const outProbe = await routeCase.probe('out', ctx);
    const outResponse = settle(await browser.request(outProbe.method, outProbe.path, outProbe.body));
    if (countyWide) {
      // Nothing in the county is outside a county-wide scope.
      expect({ key, status: outResponse.status }).toEqual({ key, status: routeCase.ok });
      if (routeCase.leaks) {
        const gets = routeCase.countyWideGets?.(account.role) ?? true;
        expect({ key, leaks: await routeCase.leaks(outResponse) }).toEqual({ key, leaks: gets });
      }
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
