import { destination } from '@turf/turf';
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Principal } from '../../api/app-env.ts';
import type { LngLat } from '../../geo/types.ts';
import { once } from './support/once.ts';
import { accountIdOf, settlePatrolCells } from './support/patrols.ts';
import { signedInBrowser, type TestBrowser } from './support/sessions.ts';
import { testApp } from './support/test-database.ts';

// The coverage tests' shared ground (patrol-coverage.test.ts, patrol-cells-settling.test.ts):
// t-worker, a cell of their village chosen so that distances east of it are exact, and the
// helpers that walk near it.

type App = Awaited<ReturnType<typeof testApp>>['app'];

/** The app, the database, t-worker and the chosen cell, once `openCoverageContext` has run. */
export let context: {
  app: App;
  db: Awaited<ReturnType<typeof testApp>>['db'];
  worker: TestBrowser;
  workerPrincipal: Principal;
  /** A cell of t-worker's village whose easternmost vertex has cells of the same village 500 m east of it. */
  cellCode: string;
  /** That vertex: no point of the cell lies east of it, so a point `d` metres east is `d` metres from the cell. */
  vertex: LngLat;
};

export const DAY_MS = 86_400_000;

export const eastOf = (metres: number, from: LngLat = context.vertex): LngLat =>
  destination(from, metres, 90, { units: 'meters' }).geometry.coordinates as LngLat;
const north = (metres: number, from: LngLat): LngLat =>
  destination(from, metres, 0, { units: 'meters' }).geometry.coordinates as LngLat;

export interface Fix {
  clientFixId: string;
  fixedAt: string;
  lng: number;
  lat: number;
  accuracyM: number;
}

export function fix(id: string, at: number, [lng, lat]: LngLat, accuracyM = 5): Fix {
  return { clientFixId: id, fixedAt: new Date(at).toISOString(), lng, lat, accuracyM };
}

/**
 * The patrols the coverage tests start: t-worker walks in other files too, at the same time on the
 * shared database, so what the tests compare is cut to their own.
 */
export const ownPatrols: string[] = [];

export async function startPatrol(browser: TestBrowser) {
  const response = await browser.request('POST', '/api/patrols', {
    clientId: crypto.randomUUID(),
    startedAt: new Date(Date.now() - 40 * DAY_MS).toISOString(),
  });
  expect(response.status).toBe(201);
  const { id } = ((await response.json()) as { patrol: { id: string } }).patrol;
  ownPatrols.push(id);
  return id;
}

/** Uploads a batch; the cells it walked are derived later (settlePatrolCells). */
export async function uploadOnly(browser: TestBrowser, patrolId: string, fixes: Fix[]) {
  const response = await browser.request('POST', `/api/patrols/${patrolId}/positions`, { fixes });
  if (response.status !== 200) throw new Error(`${response.status}: ${await response.text()}`);
}

/** Uploads a batch, then derives the cells it walked, as the server's settler does a second later. */
export async function upload(browser: TestBrowser, patrolId: string, fixes: Fix[]) {
  await uploadOnly(browser, patrolId, fixes);
  await settlePatrolCells(context.db);
}

/** The count of cells walked the worker's list shows for one of their patrols. */
export async function cellsWalkedShown(browser: TestBrowser, patrolId: string): Promise<number | undefined> {
  const response = await browser.request('GET', '/api/patrols/mine?limit=100');
  const { patrols } = (await response.json()) as { patrols: { id: string; cellsWalked: number }[] };
  return patrols.find((patrol) => patrol.id === patrolId)?.cellsWalked;
}

export const cellDaysOf = (patrolId: string) =>
  context.db.rows<{ cellCode: string; day: string; firstAt: string }>(sql`
    SELECT cell_code AS "cellCode", day::text AS day, to_json(first_at)#>>'{}' AS "firstAt"
    FROM patrol_cells WHERE patrol_id = ${patrolId} ORDER BY cell_code, day`);

export const cellsOf = async (patrolId: string) => new Set((await cellDaysOf(patrolId)).map((row) => row.cellCode));

/** Two fixes 10 s apart on a north-south stretch 10 m long, `metres` east of the vertex, an hour ago. */
export const stretchAt = (metres: number, tag: string, at = Date.now() - 3_600_000) => [
  fix(`${tag}-a`, at, north(-5, eastOf(metres))),
  fix(`${tag}-b`, at + 10_000, north(5, eastOf(metres))),
];

/** Opens the app, signs t-worker in and chooses the cell. */
export const openCoverageContext = once(async () => {
  const { app, db } = await testApp();
  const worker = await signedInBrowser(app, 't-worker');
  const [chosen] = await db.rows<{ code: string; lng: number; lat: number }>(sql`
    WITH vertices AS (
      SELECT DISTINCT ON (a.code) a.code, (d).geom AS vertex
      FROM areas a, LATERAL ST_DumpPoints(a.geom) d
      WHERE a.level = 'cell' AND a.code ^@ '511921108209'
      ORDER BY a.code, ST_X((d).geom) DESC)
    SELECT code, ST_X(vertex) AS lng, ST_Y(vertex) AS lat FROM vertices v
    WHERE EXISTS (SELECT 1 FROM areas b WHERE b.level = 'cell' AND b.code ^@ '511921108209'
      AND ST_Contains(b.geom, ST_Project(v.vertex::geography, 500, pi() / 2)::geometry))
    ORDER BY code LIMIT 1`);
  if (!chosen) throw new Error('no cell of 王坪村 has its village 500 m east of it');
  const workerPrincipal: Principal = {
    accountId: await accountIdOf(db, 't-worker'),
    username: 't-worker',
    displayName: '测试网格员',
    role: 'grid_worker',
    scopeCode: '511921108209001',
    departmentCode: null,
    sessionId: 'test',
    csrfToken: 'test',
  };
  context = { app, db, worker, workerPrincipal, cellCode: chosen.code, vertex: [chosen.lng, chosen.lat] };
});
