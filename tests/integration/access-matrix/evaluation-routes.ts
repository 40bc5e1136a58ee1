import { sql } from 'drizzle-orm';
import { type CaseContext, caseIn, IN, OUT, type RouteCase, type Target } from './route-case.ts';

const cellOf = (target: Target) => (target === 'in' ? IN.cell : `${OUT.village}001001`);

/** A case in the target's cell, moved (as the owner) to `state` and sent to `departmentCode`. */
async function caseAt(ctx: CaseContext, target: Target, state: string, departmentCode: string | null): Promise<string> {
  const { id } = await caseIn(ctx, cellOf(target));
  await ctx.db.rows(sql`UPDATE reports SET state = ${state}, assigned_department_code = ${departmentCode} WHERE id = ${id}`);
  return id;
}

const score = () => ({ clientId: crypto.randomUUID(), score: 4 });

/** Roles that take cases (cases.handle) but are not the party a route is for: refused, or the case not found outside their scope. */
function notTheParty(party: string) {
  return (role: string): [number, number] | undefined => {
    if (role === party) return undefined;
    if (role === 'county_commander' || role === 'duty_officer') return [403, 403];
    return [403, 404];
  };
}

/** The three-party evaluation's routes (api/cases/evaluations). */
export const EVALUATION_ROUTES: Record<string, RouteCase> = {
  'GET /api/cases/:id/evaluations': {
    probe: async (target, ctx) => ({
      method: 'GET',
      path: `/api/cases/${await caseAt(ctx, target, 'closed', null)}/evaluations`,
    }),
    ok: 200,
    outOfScope: 'not-found',
    keyedToCase: true,
  },
  'POST /api/cases/:id/evaluations/field': {
    // The account's own closed report (a cadre sees what it reported itself, off its lines too).
    probe: async (target, ctx) => {
      const id = await caseAt(ctx, target, 'closed', null);
      await ctx.db.rows(
        sql`UPDATE reports SET reporter_id = (SELECT id FROM accounts WHERE username = ${ctx.username}) WHERE id = ${id}`,
      );
      return { method: 'POST', path: `/api/cases/${id}/evaluations/field`, body: score() };
    },
    ok: 201,
    outOfScope: 'not-found',
  },
  'POST /api/cases/:id/evaluations/return-call': {
    probe: async (target, ctx) => ({
      method: 'POST',
      path: `/api/cases/${await caseAt(ctx, target, 'closed', null)}/evaluations/return-call`,
      body: { ...score(), calledName: '矩阵回访', calledPhone: '13800000000' },
    }),
    ok: 201,
    outOfScope: 'not-found',
  },
  'POST /api/cases/:id/evaluations/department': {
    // A handled case of the caller's department: only its cadres give the department's view.
    probe: async (target, ctx) => ({
      method: 'POST',
      path: `/api/cases/${await caseAt(ctx, target, 'handled', ctx.departmentCode)}/evaluations/department`,
      body: score(),
    }),
    ok: 201,
    outOfScope: 'not-found',
    refusedFor: notTheParty('department_cadre'),
  },
  'POST /api/cases/:id/evaluations/grid-worker': {
    // A closed case of the worker's grid handled by a department; a cadre's probe is off its lines and sent elsewhere.
    probe: async (target, ctx) => {
      const cadre = ctx.role === 'department_cadre';
      const id = await caseAt(cadre ? { ...ctx, caseType: 'dispute' } : ctx, target, 'closed', cadre ? 'D30' : 'D01');
      return { method: 'POST', path: `/api/cases/${id}/evaluations/grid-worker`, body: score() };
    },
    ok: 201,
    outOfScope: 'not-found',
    refusedFor: (role) => (role === 'department_cadre' ? [404, 404] : notTheParty('grid_worker')(role)),
  },
};
