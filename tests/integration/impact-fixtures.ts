import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Position } from 'geojson';
import { expect } from 'vitest';
import { createAccountAsSystem } from '../../api/accounts/service.ts';
import type { Database } from '../../api/db/client.ts';
import type { LngLat } from '../../geo/types.ts';
import { once } from './support/once.ts';
import { signedInBrowser, TEST_PASSWORD, type TestBrowser } from './support/sessions.ts';
import { testApp } from './support/test-database.ts';

type App = Awaited<ReturnType<typeof testApp>>['app'];
let app: App;
export let db: Database;
export let duty: TestBrowser;
export let informant: TestBrowser;
export let worker: TestBrowser;
/** A township commander of 涪阳镇: 沙溪镇's cases are outside its scope. */
export let fuyang: TestBrowser;

/** 王坪村第1网格1单元, the test informant's cell, in the test grid worker's grid. */
export const CELL = '511921108209001001';
export const GRID = '511921108209001';

export async function labelPoint(code: string): Promise<LngLat> {
  const [row] = await db.rows<{ lng: number; lat: number }>(
    sql`SELECT ST_X(label_point) AS lng, ST_Y(label_point) AS lat FROM areas WHERE code = ${code}`,
  );
  return [row!.lng, row!.lat];
}

export async function report(
  browser: TestBrowser,
  position: LngLat,
  type = 'landslide',
): Promise<{ id: string; caseNumber: string }> {
  const response = await browser.request('POST', '/api/reports', {
    clientId: randomUUID(),
    type,
    urgency: 'urgent',
    description: '边坡落石，岩体松动',
    lng: position[0],
    lat: position[1],
  });
  if (response.status !== 201) throw new Error(`report failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { report: { id: string; caseNumber: string } }).report;
}

/** A square ring of `halfSideDeg` degrees around a point, closed. */
export function squareAround([lng, lat]: LngLat, halfSideDeg: number): Position[] {
  return [
    [lng - halfSideDeg, lat - halfSideDeg],
    [lng + halfSideDeg, lat - halfSideDeg],
    [lng + halfSideDeg, lat + halfSideDeg],
    [lng - halfSideDeg, lat + halfSideDeg],
    [lng - halfSideDeg, lat - halfSideDeg],
  ];
}

interface Impact {
  case: { id: string; cellCode: string };
  zone: { geometry: { type: string; coordinates: number[][][] }; source: string; extendsBeyondScope: boolean };
  cells: { code: string; name: string; gridCode: string; households: number; residents: number }[];
  grids: { code: string; name: string }[];
  households: number;
  residents: number;
  people: {
    id: string;
    role: string;
    areaCode: string;
    name: string | null;
    phone: string | null;
    inZone: boolean;
    alertState: string;
    alert: { id: string; acknowledged: boolean; acknowledgedBy: { name: string | null } | null } | null;
  }[];
  alerts: { sent: number; acknowledged: number; pending: number };
}

export async function impactOf(browser: TestBrowser, id: string): Promise<Impact> {
  const response = await browser.get(`/api/cases/${id}/impact`);
  expect(response.status).toBe(200);
  return (await response.json()) as Impact;
}

/** What lies in the stored control zone, counted straight from the tables as the owner. */
export async function independentCounts(id: string) {
  const [totals] = await db.rows<{ households: number; residents: number }>(sql`
    SELECT count(*)::int AS households, COALESCE(sum(h.residents), 0)::int AS residents
    FROM reports r JOIN households h ON ST_Within(h.geom, r.control_zone) WHERE r.id = ${id}`);
  const perCell = await db.rows<{ code: string; households: number }>(sql`
    SELECT h.cell_code AS code, count(*)::int AS households
    FROM reports r JOIN households h ON ST_Within(h.geom, r.control_zone) WHERE r.id = ${id}
    GROUP BY h.cell_code ORDER BY h.cell_code`);
  const cells = await db.rows<{ code: string }>(sql`
    SELECT c.code FROM reports r JOIN areas c ON c.level = 'cell' AND ST_Intersects(c.geom, r.control_zone)
    WHERE r.id = ${id} ORDER BY c.code`);
  const people = await db.rows<{ id: string }>(sql`
    SELECT p.id FROM people p
    WHERE (p.role = 'cell_informant' AND p.area_code IN (
             SELECT c.code FROM reports r JOIN areas c ON c.level = 'cell' AND ST_Intersects(c.geom, r.control_zone) WHERE r.id = ${id}))
       OR (p.role = 'grid_worker' AND p.area_code IN (
             SELECT c.parent_code FROM reports r JOIN areas c ON c.level = 'cell' AND ST_Intersects(c.geom, r.control_zone) WHERE r.id = ${id}))
    ORDER BY p.id`);
  return { ...totals!, perCell, cells: cells.map((c) => c.code), people: people.map((p) => p.id) };
}

export async function eventsOf(id: string, type: string) {
  return db.rows<{ scopeCode: string; payload: Record<string, unknown> }>(sql`
    SELECT scope_code AS "scopeCode", payload FROM live_events WHERE type = ${type} AND payload->'case'->>'id' = ${id} ORDER BY id`);
}

/** Opens the app and signs in the accounts of these tests. */
export const openImpact = once(async () => {
  ({ app, db } = await testApp());
  duty = await signedInBrowser(app, 't-duty');
  informant = await signedInBrowser(app, 't-informant');
  worker = await signedInBrowser(app, 't-worker');
  await createAccountAsSystem(db, {
    username: 'impact-fuyang',
    displayName: '涪阳指挥长',
    role: 'township_commander',
    scopeCode: '511921112',
    password: TEST_PASSWORD,
  });
  fuyang = await signedInBrowser(app, 'impact-fuyang');
});
