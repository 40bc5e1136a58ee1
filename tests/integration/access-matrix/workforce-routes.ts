import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database } from '../../../api/db/client.ts';
import { IN, json, OUT, type RouteCase, type Target } from './route-case.ts';

/** The target's prefix: 王坪村's first grid in scope, 红江村 outside. */
const prefixOf = (target: Target) => (target === 'in' ? IN.grid : OUT.village);

/** A grid worker of the target (a row of the seeded county's people). */
async function workerOf(db: Database, target: Target): Promise<string> {
  const [row] = await db.rows<{ id: string }>(sql`
    SELECT id FROM people WHERE role = 'grid_worker' AND area_code ^@ ${prefixOf(target)} ORDER BY id LIMIT 1`);
  return row!.id;
}

/** A household of the target: the informant's cell in scope, 红江村 outside. */
async function householdOf(db: Database, target: Target): Promise<string> {
  const [row] = await db.rows<{ code: string }>(sql`
    SELECT code FROM households WHERE cell_code ^@ ${target === 'in' ? IN.cell : OUT.village} ORDER BY code LIMIT 1`);
  return row!.code;
}

let counter = 0;
/** A commendation of 2002 in the target's grid, named after the target. */
async function commendationFor(db: Database, target: Target): Promise<void> {
  counter++;
  await db.rows(sql`
    INSERT INTO commendations (year, person_id, title, score, rank, area_code, awarded_by_name)
    VALUES (2002, ${`MATRIX-CM-${target}-${counter}`}, '优秀网格员', 90, 1, ${`${prefixOf(target).slice(0, 12)}001`}, '矩阵')`);
}

/** The workforce routes' entries of the access matrix (api/workforce). */
export const WORKFORCE_ROUTES: Record<string, RouteCase> = {
  'GET /api/workforce/workers': {
    probe: () => ({ method: 'GET', path: '/api/workforce/workers' }),
    ok: 200,
    outOfScope: 'cut',
    leaks: async (response) => (await json(response)).includes(OUT.village),
  },
  'GET /api/workforce/export.xlsx': {
    probe: () => ({ method: 'GET', path: '/api/workforce/export.xlsx' }),
    ok: 200,
    outOfScope: 'cut',
  },
  'PUT /api/workforce/workers/:id/credential': {
    probe: async (target, ctx) => ({
      method: 'PUT',
      path: `/api/workforce/workers/${await workerOf(ctx.db, target)}/credential`,
      body: {
        certificate: 'assistant',
        certificateNumber: 'MATRIX',
        certifiedOn: '2020-01-01',
        examStatus: 'passed',
        examYear: 2020,
      },
    }),
    ok: 200,
    outOfScope: 'not-found',
  },
  'POST /api/workforce/workers/:id/trainings': {
    probe: async (target, ctx) => ({
      method: 'POST',
      path: `/api/workforce/workers/${await workerOf(ctx.db, target)}/trainings`,
      body: { course: '矩阵培训', hours: 1, completedOn: '2020-01-01' },
    }),
    ok: 201,
    outOfScope: 'not-found',
  },
  'POST /api/workforce/surveys': {
    probe: async (target, ctx) => ({
      method: 'POST',
      path: '/api/workforce/surveys',
      body: {
        clientId: randomUUID(),
        householdCode: await householdOf(ctx.db, target),
        score: 5,
        surveyedAt: new Date().toISOString(),
      },
    }),
    ok: 201,
    outOfScope: 'not-found',
  },
  'GET /api/workforce/surveys/households': {
    probe: () => ({ method: 'GET', path: '/api/workforce/surveys/households' }),
    ok: 200,
    outOfScope: 'cut',
    leaks: async (response) => (await json(response)).includes(OUT.village),
  },
  'POST /api/workforce/commendations/:year': {
    probe: () => ({ method: 'POST', path: '/api/workforce/commendations/2003', body: { top: 3 } }),
    ok: 200,
    outOfScope: 'no-scope',
    // Only commanders commend: an administrator's review.people sets credentials, not honours.
    refusedFor: (role) => (role === 'admin' ? [403, 403] : undefined),
  },
  'GET /api/workforce/commendations': {
    probe: async (target, ctx) => {
      await commendationFor(ctx.db, target);
      return { method: 'GET', path: '/api/workforce/commendations?year=2002' };
    },
    ok: 200,
    outOfScope: 'cut',
    leaks: async (response) => (await json(response)).includes(OUT.village),
  },
};
