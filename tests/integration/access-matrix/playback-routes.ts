import { can } from '../../../api/auth/permissions.ts';
import { shanghaiToday } from '../../../api/patrols/playback-service.ts';
import { insertTestPatrol } from '../support/patrols.ts';
import { IN, OUT, type RouteCase } from './route-case.ts';

/** Workers whose patrols the playback probes wrote in 红江村, out of every scope but the county's. */
const outsiders = new Set<string>();

/** The playback route's entry of the access matrix (api/patrols/playback-routes.ts). */
export const PLAYBACK_ROUTES: Record<string, RouteCase> = {
  // Today's playback of the caller's scope: a walk in scope, and for 'out' one in 红江村 that must not come back.
  'GET /api/patrols/playback': {
    probe: async (target, ctx) => {
      const workerId = `matrix-playback-${crypto.randomUUID()}`;
      if (target === 'out') outsiders.add(workerId);
      await insertTestPatrol(ctx.db, { workerId, areaCode: target === 'in' ? IN.grid : `${OUT.village}001` });
      return { method: 'GET', path: `/api/patrols/playback?day=${shanghaiToday(new Date())}` };
    },
    ok: 200,
    outOfScope: 'cut',
    leaks: async (response) => {
      const text = await response.clone().text();
      return [...outsiders].some((workerId) => text.includes(workerId));
    },
    // Only those who may view patrols see others' tracks; an administrator or a cadre sees none.
    countyWideGets: (role) => can(role, 'patrols.view'),
  },
};
