import { sql } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAccountAsSystem } from '../../api/accounts/service.ts';
import { type AccessRule, accessRuleOf } from '../../api/auth/middleware.ts';
import { can } from '../../api/auth/permissions.ts';
import { workStatesOf } from '../../api/cases/workflow.ts';
import type { Database } from '../../api/db/client.ts';
import { levelOfCode } from '../../geo/area-codes.ts';
import { insertTestReport } from './support/reports.ts';
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
  /** County-wide settings: an account scoped below the county gets 403 even where its role allows the action. */
  countyOnly?: boolean;
  keyedToCase?: boolean; // reads one case (of ctx.caseType): a cadre finds one off its lines as if out of scope
  /** For `cut`: true when the answer holds something of the out-of-scope target. */
  leaks?: (response: Response) => Promise<boolean>;
  /**
   * For `cut`: whether a county-wide account of this role is given the out-of-scope target at all
   * (default yes). An inbox lists only what waits for the caller's own work.
   */
  countyWideGets?: (role: string) => boolean;
}

interface CaseContext {
  db: Database;
  role: string;
  username: string;
  departmentCode: string; // the caller's department (a cadre's own), cases are dispatched to it
  caseType?: string; // of the cases the probe writes: a landslide by default, of both test cadres' lines
  fresh: (scopeCode: string) => Promise<string>;
}

/** An account's scope is at its role's level: a role that fits each level. */
const ROLE_AT_LEVEL = {
  county: 'county_commander',
  township: 'township_commander',
  village: 'grid_chief',
  grid: 'grid_worker',
  cell: 'cell_informant',
} as const;

const caseIn = (ctx: CaseContext, cellCode: string) => insertTestReport(ctx.db, { type: ctx.caseType, cellCode });

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
          role: target === 'in' ? 'grid_worker' : 'grid_chief',
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
  'POST /api/reports': {
    // A report at the label point of the target cell: outside the scope it is refused as such.
    probe: async (target, ctx) => {
      const [point] = await ctx.db.rows<{ lng: number; lat: number }>(sql`
        SELECT ST_X(label_point) AS lng, ST_Y(label_point) AS lat FROM areas WHERE code = ${target === 'in' ? IN.cell : `${OUT.village}001001`}`);
      return {
        method: 'POST',
        path: '/api/reports',
        body: {
          clientId: crypto.randomUUID(),
          type: 'rockfall',
          urgency: 'normal',
          description: '访问矩阵',
          lng: point!.lng,
          lat: point!.lat,
        },
      };
    },
    ok: 201,
    outOfScope: 'forbidden',
  },
  'GET /api/reports/mine': {
    probe: async (target, ctx) => {
      if (target === 'out') {
        // A report of this very account in 红江村 (written directly, as if its scope had changed since).
        const { id } = await caseIn(ctx, `${OUT.village}001001`);
        await ctx.db.rows(
          sql`UPDATE reports SET reporter_id = (SELECT id FROM accounts WHERE username = ${ctx.username}) WHERE id = ${id}`,
        );
      }
      return { method: 'GET', path: '/api/reports/mine?limit=200' };
    },
    ok: 200,
    outOfScope: 'cut',
    leaks: async (response) => (await json(response)).includes(`"code":"${OUT.village}`),
  },
  'GET /api/reports/:id/photos/:photoId': {
    probe: async (target, ctx) => {
      const cellCode = target === 'in' ? IN.cell : `${OUT.village}001001`;
      const { id } = await caseIn(ctx, cellCode);
      const photoId = crypto.randomUUID();
      const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
      await ctx.db.rows(sql`
        INSERT INTO report_photos (id, report_id, content_type, byte_size, sha256, bytes, cell_code)
        VALUES (${photoId}, ${id}, 'image/png', ${png.length}, 'matrix', ${png}, ${cellCode})`);
      return { method: 'GET', path: `/api/reports/${id}/photos/${photoId}` };
    },
    ok: 200,
    outOfScope: 'not-found',
    keyedToCase: true,
  },
  'GET /api/cases/:id/impact': {
    probe: async (target, ctx) => {
      const { id } = await caseIn(ctx, target === 'in' ? IN.cell : `${OUT.village}001001`);
      return { method: 'GET', path: `/api/cases/${id}/impact` };
    },
    ok: 200,
    outOfScope: 'not-found',
    keyedToCase: true,
  },
  'PUT /api/cases/:id/control-zone': {
    probe: async (target, ctx) => {
      const { id } = await caseIn(ctx, target === 'in' ? IN.cell : `${OUT.village}001001`);
      const [at] = await ctx.db.rows<{ lng: number; lat: number }>(
        sql`SELECT ST_X(location) AS lng, ST_Y(location) AS lat FROM reports WHERE id = ${id}`,
      );
      const [lng, lat, d] = [at!.lng, at!.lat, 0.005];
      const ring = [
        [lng - d, lat - d],
        [lng + d, lat - d],
        [lng + d, lat + d],
        [lng - d, lat + d],
        [lng - d, lat - d],
      ];
      return { method: 'PUT', path: `/api/cases/${id}/control-zone`, body: { type: 'Polygon', coordinates: [ring] } };
    },
    ok: 200,
    outOfScope: 'not-found',
  },
  'POST /api/cases/:id/alerts': {
    probe: async (target, ctx) => {
      const { id } = await caseIn(ctx, target === 'in' ? IN.cell : `${OUT.village}001001`);
      return { method: 'POST', path: `/api/cases/${id}/alerts`, body: { clientId: crypto.randomUUID() } };
    },
    ok: 201,
    outOfScope: 'not-found',
  },
  'GET /api/cases/:id/duplicates': {
    probe: async (target, ctx) => {
      const { id } = await caseIn(ctx, target === 'in' ? IN.cell : `${OUT.village}001001`);
      return { method: 'GET', path: `/api/cases/${id}/duplicates` };
    },
    ok: 200,
    outOfScope: 'not-found',
    keyedToCase: true,
  },
  'POST /api/cases/:id/merge': {
    // Out of scope: the case to merge is in 红江村, the one to merge into in the caller's scope.
    probe: async (target, ctx) => {
      const into = await caseIn(ctx, IN.cell);
      const { id } = await caseIn(ctx, target === 'in' ? IN.cell : `${OUT.village}001001`);
      return { method: 'POST', path: `/api/cases/${id}/merge`, body: { intoId: into.id, clientId: crypto.randomUUID() } };
    },
    ok: 200,
    outOfScope: 'not-found',
  },
  'GET /api/alerts/mine': {
    probe: async (target, ctx) => {
      if (target === 'out') {
        // An alert to the same role in 红江村: not the caller's.
        const { id } = await caseIn(ctx, `${OUT.village}001001`);
        await ctx.db.rows(sql`
          INSERT INTO report_alerts (id, report_id, person_id, person_name, person_role, area_code)
          VALUES (${crypto.randomUUID()}, ${id}, ${crypto.randomUUID()}, 'matrix', ${ctx.role}, ${OUT.village})`);
      }
      return { method: 'GET', path: '/api/alerts/mine' };
    },
    ok: 200,
    outOfScope: 'cut',
    leaks: async (response) => (await json(response)).includes(OUT.village),
  },
  'POST /api/alerts/:id/acknowledge': {
    // An alert addressed to the caller (its role, its scope), or to the same role in 红江村.
    probe: async (target, ctx) => {
      const scope = TEST_ACCOUNTS.find((account) => account.username === ctx.username)?.scopeCode ?? IN.cell;
      const { id } = await caseIn(ctx, target === 'in' ? IN.cell : `${OUT.village}001001`);
      const alertId = crypto.randomUUID();
      await ctx.db.rows(sql`
        INSERT INTO report_alerts (id, report_id, person_id, person_name, person_role, area_code)
        VALUES (${alertId}, ${id}, ${crypto.randomUUID()}, 'matrix', ${ctx.role}, ${target === 'in' ? scope : OUT.village})`);
      return { method: 'POST', path: `/api/alerts/${alertId}/acknowledge` };
    },
    ok: 200,
    outOfScope: 'not-found',
  },
  'POST /api/cases/:id/photos': {
    // A photo for an open case in the target cell: outside the scope the case is not found.
    probe: async (target, ctx) => {
      const { id } = await caseIn(ctx, target === 'in' ? IN.cell : `${OUT.village}001001`);
      const form = new FormData();
      const png = Buffer.from(
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
        'base64',
      );
      form.append('photos', new Blob([png], { type: 'image/png' }), 'matrix.png');
      return { method: 'POST', path: `/api/cases/${id}/photos`, body: form };
    },
    ok: 201,
    outOfScope: 'not-found',
    keyedToCase: true,
  },
  'GET /api/departments': { probe: () => ({ method: 'GET', path: '/api/departments' }), ok: 200, outOfScope: 'no-scope' },
  'GET /api/drill': { probe: () => ({ method: 'GET', path: '/api/drill' }), ok: 200, outOfScope: 'no-scope' },
  'PUT /api/drill': {
    // Stopping is harmless to repeat; starting is tested in drill.test.ts.
    probe: () => ({ method: 'PUT', path: '/api/drill', body: { running: false } }),
    ok: 200,
    outOfScope: 'no-scope',
  },
  // reports: routes of api/reports
  'GET /api/cases': {
    probe: async (target, ctx) => {
      await caseIn(ctx, target === 'in' ? IN.cell : `${OUT.village}001001`);
      return { method: 'GET', path: `/api/cases?pageSize=200&area=${target === 'in' ? IN.village : OUT.village}` };
    },
    ok: 200,
    outOfScope: 'cut',
    leaks: async (response) => (await json(response)).includes(`"cellCode":"${OUT.village}`),
  },
  'GET /api/cases/summary': {
    // A case in the target's cell, reported now: it is counted (today, open) under its township.
    probe: async (target, ctx) => {
      await caseIn(ctx, target === 'in' ? IN.cell : `${OUT.village}001001`);
      return { method: 'GET', path: '/api/cases/summary' };
    },
    ok: 200,
    outOfScope: 'cut',
    leaks: async (response) => (await json(response)).includes(`"code":"${OUT.township}"`),
  },
  'GET /api/cases/export.csv': {
    probe: async (target, ctx) => {
      await caseIn(ctx, target === 'in' ? IN.cell : `${OUT.village}001001`);
      return { method: 'GET', path: `/api/cases/export.csv?area=${target === 'in' ? IN.village : OUT.village}` };
    },
    ok: 200,
    outOfScope: 'cut',
    leaks: async (response) => (await response.clone().text()).includes(OUT.village),
  },
  'GET /api/cases/export.xlsx': {
    probe: async (target, ctx) => {
      await caseIn(ctx, target === 'in' ? IN.cell : `${OUT.village}001001`);
      return { method: 'GET', path: `/api/cases/export.xlsx?area=${target === 'in' ? IN.village : OUT.village}` };
    },
    ok: 200,
    outOfScope: 'cut',
    leaks: async (response) => {
      const { default: ExcelJS } = await import('exceljs');
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(await response.clone().arrayBuffer());
      return JSON.stringify(workbook.worksheets[0]?.getSheetValues() ?? []).includes(OUT.village);
    },
  },
  'GET /api/cases/mine': {
    // A case of the target's cell dispatched to its township and to D01 (t-cadre's department): in
    // scope it is work for every role that handles cases; out of scope it is nobody's but the county's.
    probe: async (target, ctx) => {
      const cellCode = target === 'in' ? IN.cell : `${OUT.village}001001`;
      const { id } = await caseIn(ctx, cellCode);
      await ctx.db.rows(sql`
        UPDATE reports SET state = 'dispatched', assigned_township_code = ${cellCode.slice(0, 9)}, assigned_department_code = ${ctx.departmentCode},
          clock_stage = 'acknowledge', clock_started_at = now(), due_at = now() + interval '1 hour', limit_unit = 'minutes'
        WHERE id = ${id}`);
      return { method: 'GET', path: '/api/cases/mine' };
    },
    ok: 200,
    outOfScope: 'cut',
    leaks: async (response) => (await json(response)).includes(`"cellCode":"${OUT.village}`),
    countyWideGets: (role) => workStatesOf(role).length > 0,
  },
  'GET /api/cases/:id': {
    probe: async (target, ctx) => {
      const { id } = await caseIn(ctx, target === 'in' ? IN.cell : `${OUT.village}001001`);
      return { method: 'GET', path: `/api/cases/${id}` };
    },
    ok: 200,
    outOfScope: 'not-found',
    keyedToCase: true,
  },
  'POST /api/cases/:id/actions': {
    // An action each role may take on a fresh case: commanders supervise a new report, grid
    // people handle it on the spot, a cadre notes progress on a case of its department.
    probe: async (target, ctx) => {
      const { id } = await caseIn(ctx, target === 'in' ? IN.cell : `${OUT.village}001001`);
      const body = { clientId: crypto.randomUUID(), version: 1, note: '访问矩阵' };
      if (ctx.role === 'grid_chief' || ctx.role === 'grid_worker') {
        return { method: 'POST', path: `/api/cases/${id}/actions`, body: { ...body, action: 'on_spot' } };
      }
      if (ctx.role === 'department_cadre') {
        await ctx.db.rows(
          sql`UPDATE reports SET state = 'acknowledged', assigned_department_code = ${ctx.departmentCode} WHERE id = ${id}`,
        );
        return { method: 'POST', path: `/api/cases/${id}/actions`, body: { ...body, action: 'handle' } };
      }
      return { method: 'POST', path: `/api/cases/${id}/actions`, body: { ...body, action: 'supervise' } };
    },
    ok: 200,
    outOfScope: 'not-found',
  },
  'GET /api/time-limits': { probe: () => ({ method: 'GET', path: '/api/time-limits' }), ok: 200, outOfScope: 'no-scope' },
  'PUT /api/time-limits': {
    probe: () => ({
      method: 'PUT',
      path: '/api/time-limits',
      body: { limits: [{ type: 'other', urgency: 'normal', stage: 'handle', amount: 3, unit: 'days', clock: 'working' }] },
    }),
    ok: 200,
    countyOnly: true,
    outOfScope: 'no-scope',
  },
  // cases: routes of api/cases
  'GET /api/live/events': {
    // One event in the target's cell since a mark; the replay (the stream up to `ready`) must not carry it out of scope.
    probe: async (target, ctx) => {
      const { appendLiveEvent } = await import('../../api/live/events.ts');
      const { caseStepsRepository } = await import('../../api/cases/steps-repository.ts');
      const cellCode = target === 'in' ? IN.cell : `${OUT.village}001001`;
      const { id } = await caseIn(ctx, cellCode);
      const [mark] = await ctx.db.rows<{ id: number }>(sql`SELECT coalesce(max(id), 0)::float8 AS id FROM live_events`);
      await ctx.db.transaction(async (tx) =>
        appendLiveEvent(tx, {
          type: 'report.created',
          scopeCode: cellCode,
          payload: { case: await caseStepsRepository(tx).liveCase(id) },
        }),
      );
      return { method: 'GET', path: `/api/live/events?lastEventId=${mark!.id}` };
    },
    ok: 200,
    outOfScope: 'cut',
    leaks: async (response) => {
      const { SseReader, isLogEvent, liveData } = await import('./support/sse.ts');
      const reader = new SseReader(response.body!);
      const replay = await reader.until((message) => message.event === 'ready');
      await reader.close();
      return replay.some((message) => isLogEvent(message) && liveData(message).scopeCode.startsWith(OUT.village));
    },
  },
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
