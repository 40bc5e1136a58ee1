import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.ts';
import type { Database } from '../../api/db/client.ts';
import type { LngLat } from '../../geo/types.ts';
import {
  fixEastOf,
  flagsOf,
  startPatrol,
  readTrack as track,
  uploadFixes as upload,
  walkOrigin,
} from './support/patrol-batches.ts';
import { signedInBrowser, type TestBrowser } from './support/sessions.ts';
import { testApp } from './support/test-database.ts';

/**
 * A batch that only extends its track (the phone sending what it recorded since its last batch)
 * is stored on PostgreSQL by one binary COPY, flagged before it is stored, from where this
 * process remembers the track ended (api/patrols/append-fixes.ts, track-ends.ts). Whatever path
 * a batch takes, the fixes, flags and distance are those of the valid track.
 */
let origin: LngLat;
let db: Database;
let worker: TestBrowser;
/** The same worker on a second server process over the same database. */
let elsewhere: TestBrowser;

const fixAt = (start: number, seconds: number, metres: number, extra: Record<string, unknown> = {}) =>
  fixEastOf(origin, start, seconds, metres, extra);

beforeAll(async () => {
  const test = await testApp();
  db = test.db;
  origin = await walkOrigin(db);
  worker = await signedInBrowser(test.app, 't-worker');
  const second = await createApp({
    db,
    env: { TILE_CACHE_ENTRIES: 10, BASEMAP_STYLE_URL: undefined },
    dataset: { seed: 0, preset: 'small', seededAt: '' },
    demo: false,
    settleCells: false,
  });
  elsewhere = await signedInBrowser(second, 't-worker');
});

/** The valid track's length as the table holds it, metres on the spheroid. */
async function validLength(patrolId: string): Promise<number> {
  const [row] = await db.rows<{ metres: number }>(sql`
    SELECT coalesce(ST_Length(ST_MakeLine(location ORDER BY fixed_at, client_fix_id)::geography), 0)::float8 AS metres
    FROM patrol_positions WHERE patrol_id = ${patrolId} AND NOT poor_accuracy AND NOT jump`);
  return row!.metres;
}

describe('transactions', () => {
  it('offer a binary COPY on PostgreSQL, and none on the embedded database', async () => {
    const offered = await db.transaction(async (tx) => typeof tx.copyIn === 'function');
    expect(offered).toBe(db.engine === 'postgres');
  });
});

describe('a batch that extends its track', () => {
  it('is stored with its flags, and the distance is that of the valid track', async () => {
    const start = Date.now() - 900_000;
    const patrolId = await startPatrol(worker, new Date(start));
    // 7 m every 5 s; a jump 2 km off, a poor fix; each batch after the one before.
    const walk = Array.from({ length: 30 }, (_, index) => {
      if (index === 8) return fixAt(start, index * 5, 2_000);
      if (index === 17) return fixAt(start, index * 5, index * 7, { accuracyM: 200 });
      return fixAt(start, index * 5, index * 7, { speedMps: 1.4 });
    });
    for (const batch of [walk.slice(0, 10), walk.slice(10, 20), walk.slice(20)]) {
      const answer = await upload(worker, patrolId, batch);
      expect(answer).toMatchObject({ stored: batch.length, duplicates: 0, refused: [] });
      expect(answer.patrol.distanceM).toEqual(expect.closeTo(await validLength(patrolId), 1));
    }
    const { body } = await track(worker, patrolId);
    expect(Object.entries(flagsOf(body!.fixes)).filter(([, flag]) => flag !== 'ok')).toEqual([
      [`f-${start}-40`, 'jump'],
      [`f-${start}-85`, 'poor'],
    ]);
    expect(body!.patrol.distanceM).toEqual(expect.closeTo(29 * 7, -1));
    // Stored as sent: the time to the millisecond, the point, accuracy, speed and datum.
    const [stored] = await db.rows<{ at: string; lng: number; lat: number; accuracy: number; speed: number; datum: string }>(sql`
      SELECT to_char(fixed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, ST_X(location) AS lng,
        ST_Y(location) AS lat, accuracy_m AS accuracy, speed_mps AS speed, input_datum AS datum, ST_SRID(location) AS srid
      FROM patrol_positions WHERE patrol_id = ${patrolId} AND client_fix_id = ${`f-${start}-5`}`);
    expect(stored).toEqual({
      at: walk[1]!.fixedAt,
      lng: walk[1]!.lng,
      lat: walk[1]!.lat,
      accuracy: 5,
      speed: 1.4,
      datum: 'wgs84',
      srid: 4326,
    });
  });

  it('sent again stores nothing twice, and a batch between stored fixes is flagged in fix-time order', async () => {
    const start = Date.now() - 900_000;
    const patrolId = await startPatrol(worker, new Date(start));
    const walk = Array.from({ length: 12 }, (_, index) => fixAt(start, index * 5, index === 9 ? 4_000 : index * 7));
    await upload(worker, patrolId, walk.slice(0, 4));
    await upload(worker, patrolId, walk.slice(8));
    expect(await upload(worker, patrolId, walk.slice(8))).toMatchObject({ stored: 0, duplicates: 4 });
    expect(await upload(worker, patrolId, walk.slice(4, 8))).toMatchObject({ stored: 4, duplicates: 0 });
    const { body } = await track(worker, patrolId);
    expect(body!.fixes).toHaveLength(12);
    expect(Object.entries(flagsOf(body!.fixes)).filter(([, flag]) => flag !== 'ok')).toEqual([[`f-${start}-45`, 'jump']]);
    expect(body!.patrol.distanceM).toEqual(expect.closeTo(await validLength(patrolId), 1));
  });

  it('that another process extended meanwhile is flagged from where that process left the track', async () => {
    const start = Date.now() - 900_000;
    const patrolId = await startPatrol(worker, new Date(start));
    // Here: the walk's start. Elsewhere: on 300 m in 10 s (a jump from here), then a walk on from there.
    await upload(worker, patrolId, [fixAt(start, 0, 0), fixAt(start, 5, 7)]);
    await upload(elsewhere, patrolId, [fixAt(start, 10, 14), fixAt(start, 15, 21)]);
    // Elsewhere's last fix is the anchor: 28 m from it in 5 s is a walk, not a jump from 7 m.
    await upload(worker, patrolId, [fixAt(start, 20, 28), fixAt(start, 25, 300), fixAt(start, 30, 35)]);
    const { body } = await track(worker, patrolId);
    expect(Object.entries(flagsOf(body!.fixes)).filter(([, flag]) => flag !== 'ok')).toEqual([[`f-${start}-25`, 'jump']]);
    expect(body!.patrol.distanceM).toEqual(expect.closeTo(await validLength(patrolId), 1));
    expect(body!.patrol.distanceM).toEqual(expect.closeTo(35, -1));
  });

  it('with two fixes at one time, or one fix twice, stores each once and flags them as any batch', async () => {
    const start = Date.now() - 900_000;
    const patrolId = await startPatrol(worker, new Date(start));
    await upload(worker, patrolId, [fixAt(start, 0, 0)]);
    const twin = { ...fixAt(start, 5, 7), clientFixId: 'twin' };
    const answer = await upload(worker, patrolId, [fixAt(start, 5, 7), twin, fixAt(start, 10, 14), fixAt(start, 10, 14)]);
    expect(answer).toMatchObject({ stored: 3, duplicates: 1 });
    const { body } = await track(worker, patrolId);
    expect(body!.fixes).toHaveLength(4);
    expect(body!.patrol.distanceM).toEqual(expect.closeTo(await validLength(patrolId), 1));
  });
});
