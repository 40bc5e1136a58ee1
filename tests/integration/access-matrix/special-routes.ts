import { sql } from 'drizzle-orm';
import { can } from '../../../api/auth/permissions.ts';
import type { Database } from '../../../api/db/client.ts';
import { IN, json, OUT, type RouteCase, type Target } from './route-case.ts';

let counter = 0;

/**
 * The first household of the target: in scope, of 王坪村's first grid but not of its first cell,
 * where the break-the-glass probe (special-heatmap-routes.ts) opens a grant that would let a
 * commander read the entry; outside, of 红江村 but not of its first cell (the same probe's grant there).
 */
async function householdFor(db: Database, target: Target) {
  const [row] = await db.rows<{ code: string; cellCode: string }>(sql`
    SELECT code, cell_code AS "cellCode" FROM households
    WHERE ${target === 'in' ? sql`cell_code ^@ ${IN.grid} AND NOT cell_code ^@ ${IN.cell}` : sql`cell_code ^@ ${OUT.village} AND NOT cell_code ^@ ${`${OUT.village}001001`}`}
    ORDER BY code LIMIT 1`);
  return row!;
}

/** A fresh, overdue severe-mental-illness entry of the register in the target's first household. */
async function entryFor(db: Database, target: Target): Promise<string> {
  counter++;
  const id = `MATRIX-SP-${target}-${counter}`;
  const household = await householdFor(db, target);
  await db.rows(sql`
    INSERT INTO special_people (id, category, name, household_code, area_code, risk_level, registered_on, next_due_on)
    VALUES (${id}, 'severe_mental_illness', ${`矩阵重点 ${target}`}, ${household.code}, ${household.cellCode}, 2, '2020-01-01', '2020-01-31')`);
  return id;
}

const listProbe = (path: string) => async (target: Target, ctx: { db: Database }) => {
  await entryFor(ctx.db, target);
  return { method: 'GET', path: `${path}?area=${target === 'in' ? IN.village : OUT.village}` };
};
/**
 * Roles that keep nobody (commanders, the duty officer) get no person without a live grant (403),
 * wherever they ask; an entry outside a township commander's scope is not there for it (404).
 */
const withoutGrant =
  (detail = false) =>
  (role: string): [number, number] | undefined =>
    can(role, 'special.personal') ? undefined : [403, detail && role === 'township_commander' ? 404 : 403];
const leaksOut = async (response: Response) => (await json(response)).includes('矩阵重点 out');

/** The register routes' entries of the access matrix (api/special-populations). */
export const SPECIAL_ROUTES: Record<string, RouteCase> = {
  'GET /api/special/entries': {
    probe: listProbe('/api/special/entries'),
    ok: 200,
    outOfScope: 'cut',
    leaks: leaksOut,
    refusedFor: withoutGrant(),
  },
  'GET /api/special/entries/export.csv': {
    probe: listProbe('/api/special/entries/export.csv'),
    ok: 200,
    outOfScope: 'cut',
    leaks: async (response) => (await response.clone().text()).includes('矩阵重点 out'),
    refusedFor: withoutGrant(),
  },
  'GET /api/special/entries/export.xlsx': {
    probe: listProbe('/api/special/entries/export.xlsx'),
    ok: 200,
    outOfScope: 'cut',
    refusedFor: withoutGrant(),
  },
  'GET /api/special/due': {
    probe: listProbe('/api/special/due'),
    ok: 200,
    outOfScope: 'cut',
    leaks: leaksOut,
    refusedFor: withoutGrant(),
  },
  'GET /api/special/entries/:id': {
    probe: async (target, ctx) => ({ method: 'GET', path: `/api/special/entries/${await entryFor(ctx.db, target)}` }),
    ok: 200,
    outOfScope: 'not-found',
    refusedFor: withoutGrant(true),
  },
  'POST /api/special/entries': {
    probe: async (target, ctx) => ({
      method: 'POST',
      path: '/api/special/entries',
      body: {
        clientId: crypto.randomUUID(),
        category: 'rental_house',
        name: `矩阵出租屋 ${target}`,
        householdCode: (await householdFor(ctx.db, target)).code,
      },
    }),
    ok: 201,
    outOfScope: 'not-found',
  },
  'PATCH /api/special/entries/:id': {
    probe: async (target, ctx) => ({
      method: 'PATCH',
      path: `/api/special/entries/${await entryFor(ctx.db, target)}`,
      body: { version: 1, name: '矩阵改名', householdCode: (await householdFor(ctx.db, target)).code },
    }),
    ok: 200,
    outOfScope: 'not-found',
  },
  'POST /api/special/entries/:id/state': {
    probe: async (target, ctx) => ({
      method: 'POST',
      path: `/api/special/entries/${await entryFor(ctx.db, target)}/state`,
      body: { version: 1, riskLevel: 4, reason: '矩阵测试' },
    }),
    ok: 200,
    outOfScope: 'not-found',
  },
  'POST /api/special/entries/:id/close': {
    probe: async (target, ctx) => ({
      method: 'POST',
      path: `/api/special/entries/${await entryFor(ctx.db, target)}/close`,
      body: { version: 1, reason: '矩阵测试' },
    }),
    ok: 200,
    outOfScope: 'not-found',
  },
  'GET /api/special/rules': { probe: () => ({ method: 'GET', path: '/api/special/rules' }), ok: 200, outOfScope: 'no-scope' },
  'PUT /api/special/rules/:category': {
    probe: () => ({
      method: 'PUT',
      path: '/api/special/rules/rental_house',
      body: { effectiveFrom: '2099-01-01', rule: { intervalDays: 90 } },
    }),
    ok: 200,
    countyOnly: true,
    outOfScope: 'no-scope',
  },
};
