import { sql } from 'drizzle-orm';
import { IN, OUT, type RouteCase, type Target } from './route-case.ts';

/** A cell of 红江村 (outside every scope but the county's). */
const OUT_CELL = `${OUT.village}001001`;
const PERIOD = 'measure=visits&from=2001-01&to=2001-12';
const area = (target: Target) => (target === 'in' ? IN.grid : OUT.village);

/** Commanders hold aggregates only: personal paths are refused in scope, and not found outside it below the county. */
const personalOnly = (role: string): [number, number] | undefined => {
  if (role === 'township_commander') return [403, 404];
  if (role === 'county_commander' || role === 'duty_officer') return [403, 403];
  return undefined;
};

let counter = 0;

/**
 * The special-population heatmap and break-the-glass routes' entries of the access matrix
 * (api/special-heatmap/routes.ts). Grants opened here are for one cell (IN.cell), never the grid the
 * reads probe, so that no grant of this file opens a read of another entry.
 */
export const SPECIAL_HEATMAP_ROUTES: Record<string, RouteCase> = {
  'GET /api/special/heatmap': {
    probe: (target) => ({ method: 'GET', path: `/api/special/heatmap?${PERIOD}&area=${area(target)}` }),
    ok: 200,
    outOfScope: 'not-found',
  },
  'GET /api/special/heatmap/points': {
    probe: (target) => ({ method: 'GET', path: `/api/special/heatmap/points?${PERIOD}&area=${area(target)}` }),
    ok: 200,
    outOfScope: 'not-found',
    refusedFor: personalOnly,
  },
  'GET /api/special/overdue-cells': {
    probe: (target) => ({ method: 'GET', path: `/api/special/overdue-cells?area=${area(target)}` }),
    ok: 200,
    outOfScope: 'not-found',
    refusedFor: personalOnly,
  },
  'GET /api/special/summary': {
    probe: (target) => ({ method: 'GET', path: `/api/special/summary?area=${area(target)}` }),
    ok: 200,
    outOfScope: 'not-found',
  },
  'GET /api/special/grants/mine': {
    probe: () => ({ method: 'GET', path: '/api/special/grants/mine' }),
    ok: 200,
    outOfScope: 'no-scope',
  },
  'POST /api/special/grants': {
    probe: (target) => ({
      method: 'POST',
      path: '/api/special/grants',
      body: {
        clientId: `matrix-grant-${++counter}`,
        areaCode: target === 'in' ? IN.cell : OUT_CELL,
        reason: '访问矩阵测试：紧急查看单元格',
        hours: 0.25,
      },
    }),
    ok: 200,
    outOfScope: 'not-found',
  },
  'POST /api/special/grants/:id/revoke': {
    probe: async (_target, ctx) => {
      const id = `BG-MATRIX-${++counter}`;
      await ctx.db.rows(sql`
        INSERT INTO special_access_grants (id, account_id, account_name, account_scope, area_code, reason, expires_at)
        SELECT ${id}, id, display_name, scope_code, ${IN.cell}, '访问矩阵测试：撤销授权', now() + interval '15 minutes'
        FROM accounts WHERE username = ${ctx.username}`);
      return { method: 'POST', path: `/api/special/grants/${id}/revoke` };
    },
    ok: 200,
    outOfScope: 'no-scope',
  },
};
