import { destination } from '@turf/turf';
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Database } from '../../../api/db/client.ts';
import type { LngLat } from '../../../geo/types.ts';
import type { TestBrowser } from './sessions.ts';

/** The centre of 王坪村's first grid's first cell (t-worker's grid), WGS84: where the test walks start. */
export async function walkOrigin(db: Database): Promise<LngLat> {
  const [cell] = await db.rows<{ lng: number; lat: number }>(
    sql`SELECT ST_X(label_point) AS lng, ST_Y(label_point) AS lat FROM areas WHERE code = '511921108209001001'`,
  );
  return [cell!.lng, cell!.lat];
}

/** The point `metres` east of `origin`. */
export const eastOf = (origin: LngLat, metres: number): LngLat =>
  destination(origin, metres, 90, { units: 'meters' }).geometry.coordinates as LngLat;

/** A fix `seconds` after `start`, `metres` east of `origin`, 5 m accurate, as a phone sends it. */
export function fixEastOf(origin: LngLat, start: number, seconds: number, metres: number, extra: Record<string, unknown> = {}) {
  const [lng, lat] = eastOf(origin, metres);
  return {
    clientFixId: `f-${start}-${seconds}`,
    fixedAt: new Date(start + seconds * 1000).toISOString(),
    lng,
    lat,
    accuracyM: 5,
    ...extra,
  };
}

/** `fixes` one array a field, as the field page sends a batch (web/patrols/patrol-api.ts). */
export function asColumns(
  fixes: readonly {
    clientFixId: string;
    fixedAt: string;
    lng: number;
    lat: number;
    accuracyM: number;
    speedMps?: number | null;
  }[],
  datum = 'wgs84',
) {
  return {
    clientFixId: fixes.map((fix) => fix.clientFixId),
    fixedAtMs: fixes.map((fix) => Date.parse(fix.fixedAt)),
    lng: fixes.map((fix) => fix.lng),
    lat: fixes.map((fix) => fix.lat),
    accuracyM: fixes.map((fix) => fix.accuracyM),
    speedMps: fixes.map((fix) => fix.speedMps ?? null),
    datum,
  };
}

export async function startPatrol(browser: TestBrowser, startedAt = new Date()) {
  const response = await browser.request('POST', '/api/patrols', {
    clientId: crypto.randomUUID(),
    startedAt: startedAt.toISOString(),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { patrol: { id: string } }).patrol.id;
}

export async function uploadFixes(browser: TestBrowser, patrolId: string, fixes: unknown[], gaps: unknown[] = []) {
  const response = await browser.request('POST', `/api/patrols/${patrolId}/positions`, { fixes, gaps });
  if (response.status !== 200) throw new Error(`${response.status}: ${await response.text()}`);
  return (await response.json()) as {
    stored: number;
    duplicates: number;
    refused: string[];
    patrol: { distanceM: number; cellsWalked: number };
  };
}

export async function readTrack(browser: TestBrowser, patrolId: string) {
  const response = await browser.request('GET', `/api/patrols/${patrolId}/track`);
  return {
    status: response.status,
    body: (response.status === 200 ? await response.json() : null) as {
      fixes: { clientFixId: string; jump: boolean; poorAccuracy: boolean; position: [number, number] }[];
      gaps: { cause: string }[];
      patrol: { distanceM: number };
    } | null,
  };
}

/** Each fix's flag by client id: ok, poor or jump. */
export const flagsOf = (fixes: { clientFixId: string; jump: boolean; poorAccuracy: boolean }[]) =>
  Object.fromEntries(fixes.map((fix) => [fix.clientFixId, fix.poorAccuracy ? 'poor' : fix.jump ? 'jump' : 'ok']));
