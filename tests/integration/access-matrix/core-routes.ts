import { sql } from 'drizzle-orm';
import { TEST_PASSWORD } from '../support/sessions.ts';
import { tileOf } from '../support/tiles.ts';
import { caseIn, IN, json, OUT, type RouteCase } from './route-case.ts';

/** Numbers the accounts the POST /api/accounts probe creates, so each username is new. */
let created = 0;

/** Routes of sign-in, areas and tiles, accounts and audit, the API documents, departments, drills and the live stream. */
export const CORE_ROUTES: Record<string, RouteCase> = {
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
      created++;
      return {
        method: 'POST',
        path: '/api/accounts',
        body: {
          username: `created-${created}`,
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
  'GET /api/departments': { probe: () => ({ method: 'GET', path: '/api/departments' }), ok: 200, outOfScope: 'no-scope' },
  'GET /api/drill': { probe: () => ({ method: 'GET', path: '/api/drill' }), ok: 200, outOfScope: 'no-scope' },
  'PUT /api/drill': {
    // Stopping is harmless to repeat; starting is tested in drill.test.ts.
    probe: () => ({ method: 'PUT', path: '/api/drill', body: { running: false } }),
    ok: 200,
    outOfScope: 'no-scope',
  },
  'GET /api/live/events': {
    // One event in the target's cell since a mark; the replay (the stream up to `ready`) must not carry it out of scope.
    probe: async (target, ctx) => {
      const { appendLiveEvent } = await import('../../../api/live/events.ts');
      const { caseStepsRepository } = await import('../../../api/cases/steps-repository.ts');
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
      const { SseReader, isLogEvent, liveData } = await import('../support/sse.ts');
      const reader = new SseReader(response.body!);
      const replay = await reader.until((message) => message.event === 'ready');
      await reader.close();
      return replay.some((message) => isLogEvent(message) && liveData(message).scopeCode.startsWith(OUT.village));
    },
  },
};
