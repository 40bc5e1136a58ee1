import { beforeAll, describe, expect, it } from 'vitest';
import type { LngLat } from '../../geo/types.ts';
import {
  asColumns,
  fixEastOf,
  startPatrol,
  readTrack as track,
  uploadFixes as upload,
  walkOrigin,
} from './support/patrol-batches.ts';
import { signedInBrowser, type TestBrowser } from './support/sessions.ts';
import { testApp } from './support/test-database.ts';

/**
 * A batch's fixes come as an array of fixes or one array a field (PatrolFixColumns), as the field
 * page sends them: both mean the same, and a malformed batch is refused whole, naming the field.
 */
let origin: LngLat;
let worker: TestBrowser;

type RowFix = ReturnType<typeof fixEastOf> & { speedMps?: number };

beforeAll(async () => {
  const test = await testApp();
  origin = await walkOrigin(test.db);
  worker = await signedInBrowser(test.app, 't-worker');
});

/** A walk east, 7 m every 5 s, with a jump 2 km off and a poor fix, some fixes with a speed. */
function walk(start: number): RowFix[] {
  return Array.from({ length: 16 }, (_, index) => {
    if (index === 5) return fixEastOf(origin, start, index * 5, 2_000);
    if (index === 11) return fixEastOf(origin, start, index * 5, index * 7, { accuracyM: 150 });
    return fixEastOf(origin, start, index * 5, index * 7, index % 2 === 0 ? { speedMps: 1.4 } : {});
  });
}

async function send(patrolId: string, body: unknown) {
  const response = await worker.request('POST', `/api/patrols/${patrolId}/positions`, body);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('a batch one array a field', () => {
  it('is described in the OpenAPI document, with the bounds of each field', async () => {
    const response = await worker.request('GET', '/api/openapi.json');
    const doc = (await response.json()) as {
      components: { schemas: { PatrolFixColumns: { properties: Record<string, Record<string, unknown>> } } };
    };
    const { properties } = doc.components.schemas.PatrolFixColumns;
    expect(properties.clientFixId).toMatchObject({ type: 'array', maxItems: 2_000 });
    expect(properties.fixedAtMs!.items).toMatchObject({ type: 'integer' });
    expect(properties.lat!.items).toMatchObject({ type: 'number', minimum: -90, maximum: 90 });
    expect(properties.speedMps!.items).toMatchObject({ type: ['number', 'null'], minimum: 0, maximum: 1_000 });
  });

  it('stores, flags and measures what the same fixes as an array of fixes do', async () => {
    const start = Date.now() - 600_000;
    const [asRows, inColumns] = [await startPatrol(worker, new Date(start)), await startPatrol(worker, new Date(start))];
    const fixes = walk(start);
    for (const batch of [fixes.slice(0, 9), fixes.slice(9)]) {
      const rows = await upload(worker, asRows, batch);
      const columns = await upload(worker, inColumns, asColumns(batch) as never);
      expect(columns).toMatchObject({ stored: rows.stored, duplicates: 0, refused: [] });
      expect(columns.patrol.distanceM).toEqual(expect.closeTo(rows.patrol.distanceM, 6));
    }
    const [a, b] = [(await track(worker, asRows)).body!, (await track(worker, inColumns)).body!];
    expect(b.fixes).toEqual(a.fixes);
    expect(b.fixes.filter((fix) => fix.jump || fix.poorAccuracy)).toHaveLength(2);
    // Sent again in either form: nothing is stored twice.
    expect(await upload(worker, inColumns, asColumns(fixes) as never)).toMatchObject({ stored: 0, duplicates: 16 });
  });

  it('may leave speeds out, and name a datum for the whole batch', async () => {
    const start = Date.now() - 600_000;
    const patrolId = await startPatrol(worker, new Date(start));
    const { speedMps: _, ...columns } = asColumns(walk(start).slice(0, 3));
    const answer = await send(patrolId, { fixes: { ...columns, datum: 'gcj02' } });
    expect(answer.status).toBe(200);
    const { body } = await track(worker, patrolId);
    expect(body!.fixes.map((fix) => (fix as unknown as { speedMps: number | null }).speedMps)).toEqual([null, null, null]);
    // Converted from GCJ-02: a few hundred metres off where the same numbers lie in WGS84.
    expect(Math.abs(body!.fixes[0]!.position[0] - columns.lng[0]!)).toBeGreaterThan(0.001);
  });

  it('is refused whole, naming the field, when its arrays do not line up or a value is out of bounds', async () => {
    const start = Date.now() - 600_000;
    const patrolId = await startPatrol(worker, new Date(start));
    const columns = asColumns(walk(start).slice(0, 4));
    const cases: [unknown, string][] = [
      [{ ...columns, lat: columns.lat.slice(1) }, 'fixes.lat'],
      [{ ...columns, lng: [...columns.lng.slice(0, 2), 181, columns.lng[3]] }, 'fixes.lng.2'],
      [{ ...columns, fixedAtMs: [columns.fixedAtMs[0]! + 0.5, ...columns.fixedAtMs.slice(1)] }, 'fixes.fixedAtMs.0'],
      [{ ...columns, accuracyM: [5, -1, 5, 5] }, 'fixes.accuracyM.1'],
      [{ ...columns, speedMps: [1, null, 2_000, null] }, 'fixes.speedMps.2'],
      [{ ...columns, clientFixId: ['a', '', 'c', 'd'] }, 'fixes.clientFixId.1'],
      [{ ...columns, datum: 'osgb36' }, 'fixes.datum'],
    ];
    for (const [fixes, path] of cases) {
      const answer = await send(patrolId, { fixes });
      expect(answer.status, path).toBe(400);
      const error = answer.body.error as { code: string; details: { issues: { path: string }[] } };
      expect(error.code).toBe('invalid_request');
      expect(error.details.issues.map((issue) => issue.path)).toContain(path);
    }
    const many = Array.from({ length: 2_001 }, (_, index) => index);
    const tooMany = {
      clientFixId: many.map(String),
      fixedAtMs: many.map((index) => start + index),
      lng: many.map(() => columns.lng[0]),
      lat: many.map(() => columns.lat[0]),
      accuracyM: many.map(() => 5),
    };
    expect((await send(patrolId, { fixes: tooMany })).status).toBe(400);
    // Nothing of the refused batches was stored.
    expect((await track(worker, patrolId)).body!.fixes).toEqual([]);
  });
});
