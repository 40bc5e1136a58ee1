import { sql } from 'drizzle-orm';
import type { Database } from '../../../api/db/client.ts';
import { geohazardsRepository } from '../../../api/geohazards/repository.ts';
import { IN, json, OUT, type RouteCase, type Target } from './route-case.ts';

let counter = 0;
/** A fresh point of the register in the target's cell (王坪村 in scope, 红江村 outside), at the cell's centre. */
async function pointFor(db: Database, target: Target): Promise<string> {
  counter++;
  const id = `MATRIX-GH-${target}-${counter}`;
  const [cell] = await db.rows<{ code: string; lng: number; lat: number }>(sql`
    SELECT code, ST_X(label_point) AS lng, ST_Y(label_point) AS lat FROM areas
    WHERE level = 'cell' AND code ^@ ${target === 'in' ? IN.cell : OUT.village} ORDER BY code LIMIT 1`);
  await geohazardsRepository(db).insertPoints([
    {
      id,
      name: `矩阵测试滑坡 ${target}`,
      kind: 'landslide',
      areaCode: cell!.code,
      monitorId: `informant-${cell!.code}`,
      monitorName: '矩阵监测员',
      threatenedHouseholds: 3,
      threatenedPeople: 9,
      lng: cell!.lng,
      lat: cell!.lat,
    },
  ]);
  return id;
}

/** The geohazard routes' entries of the access matrix (api/geohazards). */
export const GEOHAZARD_ROUTES: Record<string, RouteCase> = {
  'GET /api/geohazards/points': {
    probe: async (target, ctx) => {
      await pointFor(ctx.db, target);
      return { method: 'GET', path: '/api/geohazards/points' };
    },
    ok: 200,
    outOfScope: 'cut',
    leaks: async (response) => (await json(response)).includes('矩阵测试滑坡 out'),
  },
  'GET /api/geohazards/points/:id/visits': {
    probe: async (target, ctx) => ({ method: 'GET', path: `/api/geohazards/points/${await pointFor(ctx.db, target)}/visits` }),
    ok: 200,
    outOfScope: 'not-found',
  },
  'GET /api/geohazards/rule': { probe: () => ({ method: 'GET', path: '/api/geohazards/rule' }), ok: 200, outOfScope: 'no-scope' },
  'PUT /api/geohazards/rule': {
    probe: () => ({
      method: 'PUT',
      path: '/api/geohazards/rule',
      body: { effectiveFrom: '2099-01-01', seasonStartMonth: 5, seasonEndMonth: 9, inSeasonPerDay: 4, offSeasonPerDay: 1 },
    }),
    ok: 200,
    countyOnly: true,
    outOfScope: 'no-scope',
  },
};
