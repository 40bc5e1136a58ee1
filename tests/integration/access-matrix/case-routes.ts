import { sql } from 'drizzle-orm';
import { workStatesOf } from '../../../api/cases/workflow.ts';
import { TEST_ACCOUNTS } from '../support/sessions.ts';
import { caseIn, IN, json, OUT, type RouteCase } from './route-case.ts';

/** Routes of reports and cases: filing, photos, the case list and its exports, actions, impact, alerts, merging, time limits. */
export const CASE_ROUTES: Record<string, RouteCase> = {
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
};
