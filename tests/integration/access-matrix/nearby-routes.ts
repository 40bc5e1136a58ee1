import { insertTestPatrol } from '../support/patrols.ts';
import { caseIn, IN, OUT, type RouteCase, type Target } from './route-case.ts';

/**
 * A case in the target (王坪村's first cell, or 红江村) and a worker on patrol in the same village.
 * The alert names that worker only: a county-wide caller's alert about a 红江村 case must not reach
 * 王坪村's worker, whose own alert list the matrix checks for 红江村.
 */
async function caseWithWalker(target: Target, ctx: Parameters<RouteCase['probe']>[1]) {
  const walker = await insertTestPatrol(ctx.db, {
    workerId: 'matrix-walker',
    areaCode: target === 'in' ? IN.grid : `${OUT.village}001`,
  });
  const { id } = await caseIn(ctx, target === 'in' ? IN.cell : `${OUT.village}001001`);
  return { id, patrolIds: [walker.id] };
}

/** The entries of workers on patrol near a case (api/patrols/nearby). */
export const NEARBY_ROUTES: Record<string, RouteCase> = {
  'GET /api/cases/:id/nearby-patrols': {
    probe: async (target, ctx) => ({
      method: 'GET',
      path: `/api/cases/${(await caseWithWalker(target, ctx)).id}/nearby-patrols`,
    }),
    ok: 200,
    outOfScope: 'not-found',
  },
  'POST /api/cases/:id/nearby-patrols/alerts': {
    probe: async (target, ctx) => {
      const { id, patrolIds } = await caseWithWalker(target, ctx);
      return {
        method: 'POST',
        path: `/api/cases/${id}/nearby-patrols/alerts`,
        body: { clientId: crypto.randomUUID(), patrolIds },
      };
    },
    ok: 201,
    outOfScope: 'not-found',
  },
};
