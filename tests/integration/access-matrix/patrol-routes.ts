import { sql } from 'drizzle-orm';
import { can } from '../../../api/auth/permissions.ts';
import { accountIdOf, insertTestPatrol } from '../support/patrols.ts';
import { insertTestReport } from '../support/reports.ts';
import { type CaseContext, IN, OUT, type RouteCase, type Target } from './route-case.ts';

const json = async (response: Response) => JSON.stringify(await response.clone().json());

/** The patrol routes' entries of the access matrix (api/patrols). */
export const PATROL_ROUTES: Record<string, RouteCase> = {
  'POST /api/patrols': {
    probe: () => ({
      method: 'POST',
      path: '/api/patrols',
      body: { clientId: crypto.randomUUID(), startedAt: new Date().toISOString() },
    }),
    ok: 201,
    outOfScope: 'no-scope',
  },
  'GET /api/patrols/mine': { probe: () => ({ method: 'GET', path: '/api/patrols/mine' }), ok: 200, outOfScope: 'no-scope' },
  'GET /api/patrols/active': {
    probe: async (target, ctx) => {
      await insertTestPatrol(ctx.db, { workerId: 'matrix-walker', areaCode: target === 'in' ? IN.grid : `${OUT.village}001` });
      return { method: 'GET', path: '/api/patrols/active' };
    },
    ok: 200,
    outOfScope: 'cut',
    leaks: async (response) => (await json(response)).includes(`"areaCode":"${OUT.village}`),
  },
  // Writing to a patrol: the caller's own in its scope; out of scope, someone else's patrol there.
  'POST /api/patrols/:id/positions': {
    probe: async (target, ctx) => {
      const { id } = await patrolFor(target, ctx);
      const fix = { clientFixId: crypto.randomUUID(), fixedAt: new Date().toISOString(), lng: 107.1, lat: 32.4, accuracyM: 8 };
      return { method: 'POST', path: `/api/patrols/${id}/positions`, body: { fixes: [fix] } };
    },
    ok: 200,
    outOfScope: 'not-found',
    refusedFor: (role) => (role === 'department_cadre' ? [404, 404] : undefined),
  },
  'POST /api/patrols/:id/end': {
    probe: async (target, ctx) => ({
      method: 'POST',
      path: `/api/patrols/${(await patrolFor(target, ctx)).id}/end`,
      body: { endedAt: new Date().toISOString() },
    }),
    ok: 200,
    outOfScope: 'not-found',
    refusedFor: (role) => (role === 'department_cadre' ? [404, 404] : undefined),
  },
  // Linking the caller's own report to its own patrol; out of scope, someone else's patrol there.
  'POST /api/patrols/:id/reports': {
    probe: async (target, ctx) => {
      const { id } = await patrolFor(target, ctx);
      const reporterId = ctx.username === 'none' ? 'nobody' : await accountIdOf(ctx.db, ctx.username);
      const report = await insertTestReport(ctx.db, { cellCode: IN.cell });
      await ctx.db.rows(sql`UPDATE reports SET reporter_id = ${reporterId} WHERE id = ${report.id}`);
      return { method: 'POST', path: `/api/patrols/${id}/reports`, body: { reportId: report.id } };
    },
    ok: 200,
    outOfScope: 'not-found',
    refusedFor: (role) => (role === 'department_cadre' ? [404, 404] : undefined),
  },
  // Reading a track: another worker's in scope for those who may view patrols, else the caller's own.
  'GET /api/patrols/:id/track': {
    probe: async (target, ctx) => {
      const viewer = can(ctx.role, 'patrols.view');
      const { id } =
        target === 'in' && viewer
          ? await insertTestPatrol(ctx.db, { workerId: 'matrix-walker', areaCode: IN.grid })
          : await patrolFor(target, ctx);
      return { method: 'GET', path: `/api/patrols/${id}/track` };
    },
    ok: 200,
    outOfScope: 'not-found',
    // No cadre sees a patrol; an administrator reads its own track only, never another's, county-wide or not.
    refusedFor: (role) => (role === 'department_cadre' ? [404, 404] : role === 'admin' ? [200, 404] : undefined),
  },
};

/** For 'in', a patrol of the caller's own in its scope; for 'out', another worker's in 红江村. */
async function patrolFor(target: Target, ctx: CaseContext) {
  if (target === 'out') return insertTestPatrol(ctx.db, { workerId: 'matrix-walker', areaCode: `${OUT.village}001` });
  const workerId = ctx.username === 'none' ? 'nobody' : await accountIdOf(ctx.db, ctx.username);
  const [account] = await ctx.db.rows<{ scope: string }>(sql`SELECT scope_code AS scope FROM accounts WHERE id = ${workerId}`);
  return insertTestPatrol(ctx.db, { workerId, areaCode: account?.scope ?? IN.grid });
}
