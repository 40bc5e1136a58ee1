import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
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
 * Batches arrive late and out of order (a phone back from a dead spell): the jump filter decides on
 * fix time, and the patrol's distance, kept up batch by batch, stays that of its valid track.
 */
let origin: LngLat;
let db: Database;
let worker: TestBrowser;

const fixAt = (start: number, seconds: number, metres: number, extra: Record<string, unknown> = {}) =>
  fixEastOf(origin, start, seconds, metres, extra);

beforeAll(async () => {
  const test = await testApp();
  db = test.db;
  origin = await walkOrigin(db);
  worker = await signedInBrowser(test.app, 't-worker');
});

describe('the jump filter works on fix time, not arrival time', () => {
  it('flags a jump in a late batch and leaves the walk around it valid', async () => {
    const start = Date.now() - 600_000;
    const patrolId = await startPatrol(worker, new Date(start));
    // The later half arrives first.
    await upload(worker, patrolId, [fixAt(start, 20, 28), fixAt(start, 25, 35), fixAt(start, 30, 42)]);
    await upload(worker, patrolId, [fixAt(start, 0, 0), fixAt(start, 5, 7), fixAt(start, 10, 3000), fixAt(start, 15, 21)]);
    const { body } = await track(worker, patrolId);
    expect(Object.values(flagsOf(body!.fixes))).toEqual(['ok', 'ok', 'jump', 'ok', 'ok', 'ok', 'ok']);
    expect(body!.patrol.distanceM).toEqual(expect.closeTo(42, 0));
  });

  it('re-decides fixes that arrived earlier once the fixes before them in time arrive', async () => {
    const start = Date.now() - 600_000;
    const patrolId = await startPatrol(worker, new Date(start));
    // A fix 5 km away arrives first: with nothing before it, it stands.
    await upload(worker, patrolId, [fixAt(start, 100, 5000), fixAt(start, 105, 5007)]);
    expect(Object.values(flagsOf((await track(worker, patrolId)).body!.fixes))).toEqual(['ok', 'ok']);
    // The walk before it arrives late: 5 km in 95 s is no walk, so the early arrivals were jumps.
    await upload(worker, patrolId, [fixAt(start, 0, 0), fixAt(start, 5, 7)]);
    const { body } = await track(worker, patrolId);
    expect(flagsOf(body!.fixes)).toEqual({
      [`f-${start}-0`]: 'ok',
      [`f-${start}-5`]: 'ok',
      [`f-${start}-100`]: 'jump',
      [`f-${start}-105`]: 'jump',
    });
    expect(body!.patrol.distanceM).toEqual(expect.closeTo(7, 0));
  });
});

describe('the distance of a patrol', () => {
  it('is that of the valid track however its batches arrive: late, shuffled, retried, with jumps', async () => {
    const start = Date.now() - 3_600_000;
    const patrolId = await startPatrol(worker, new Date(start));
    // A walk east and back, 7 m every 5 s, with a jump (2 km off) and a poor fix in it.
    const walk = Array.from({ length: 48 }, (_, index) => {
      const metres = index < 24 ? index * 7 : (47 - index) * 7 + 3;
      if (index === 13) return fixAt(start, index * 5, 2_000);
      if (index === 30) return fixAt(start, index * 5, metres, { accuracyM: 120 });
      return fixAt(start, index * 5, metres);
    });
    // Batches in an order no phone would choose, one of them sent twice.
    const batches = [
      walk.slice(20, 28),
      walk.slice(0, 6),
      walk.slice(40),
      walk.slice(6, 20),
      walk.slice(28, 40),
      walk.slice(0, 6),
    ];
    let last: Awaited<ReturnType<typeof upload>> | null = null;
    for (const batch of batches) last = await upload(worker, patrolId, batch);
    const [expected] = await db.rows<{ metres: number }>(sql`
      SELECT ST_Length(ST_MakeLine(location ORDER BY fixed_at)::geography)::float8 AS metres
      FROM patrol_positions WHERE patrol_id = ${patrolId} AND NOT poor_accuracy AND NOT jump`);
    expect(flagsOf((await track(worker, patrolId)).body!.fixes)).toMatchObject({
      [`f-${start}-65`]: 'jump',
      [`f-${start}-150`]: 'poor',
    });
    // 23 steps of 7 m out, 3 m on, 23 steps back (the flagged fixes lay on the way, so leaving them out keeps the length).
    expect(expected!.metres).toEqual(expect.closeTo(23 * 7 + 3 + 23 * 7, -1));
    expect(last!.patrol.distanceM).toEqual(expect.closeTo(expected!.metres, 1));
  });
});

describe('batches of one patrol sent at once', () => {
  it('(two tabs, a retry while the first is in flight) leave the flags and the distance of the valid track', async () => {
    const start = Date.now() - 1_800_000;
    const patrolId = await startPatrol(worker, new Date(start));
    // A walk east, 7 m every 5 s, with a jump (3 km off) in the middle.
    const walk = Array.from({ length: 48 }, (_, index) => fixAt(start, index * 5, index === 21 ? 3_000 : index * 7));
    const batches = Array.from({ length: 12 }, (_, index) => walk.slice(index * 4, index * 4 + 4));
    await Promise.all(batches.map((batch) => upload(worker, patrolId, batch)));
    const { body } = await track(worker, patrolId);
    const flags = flagsOf(body!.fixes);
    expect(Object.entries(flags).filter(([, flag]) => flag !== 'ok')).toEqual([[`f-${start}-105`, 'jump']]);
    const [expected] = await db.rows<{ metres: number }>(sql`
      SELECT ST_Length(ST_MakeLine(location ORDER BY fixed_at)::geography)::float8 AS metres
      FROM patrol_positions WHERE patrol_id = ${patrolId} AND NOT poor_accuracy AND NOT jump`);
    expect(expected!.metres).toEqual(expect.closeTo(47 * 7, -1));
    expect(body!.patrol.distanceM).toEqual(expect.closeTo(expected!.metres, 1));
  });
});
