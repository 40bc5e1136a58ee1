import { destination, distance } from '@turf/turf';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../api/db/client.ts';
import { shanghaiDayBounds, shanghaiToday } from '../../api/patrols/playback-service.ts';
import { decodeTrack } from '../../geo/encode-track.ts';
import type { LngLat } from '../../geo/types.ts';
import { accountIdOf } from './support/patrols.ts';
import { signedInBrowser, type TestBrowser } from './support/sessions.ts';
import { testApp } from './support/test-database.ts';

type App = Awaited<ReturnType<typeof testApp>>['app'];

interface PlaybackWorker {
  workerId: string;
  workerName: string;
  distanceM: number;
  durationS: number;
  fixes: number;
  tracks: { patrolId: string; points: number[] }[];
  stops: { position: [number, number]; fromS: number; toS: number }[];
  gaps: { fromS: number; toS: number; cause: string }[];
}
interface Playback {
  day: string;
  dayStart: string;
  areaCode: string;
  workers: PlaybackWorker[];
}

/** The day of the seeded walk, and the day of the walk across midnight (both Asia/Shanghai). */
const DAY = '2026-06-01';
const EDGE_DAY = '2026-06-03';
/** 08:00 on DAY in Shanghai, ms. */
const MORNING = Date.parse(`${DAY}T08:00:00+08:00`);

let app: App;
let db: Database;
let worker: TestBrowser;
let county: TestBrowser;
let shaxi: TestBrowser;
let workerId: string;
/** The label point of t-worker's first cell, where the walk starts. */
let origin: LngLat;

const move = (from: LngLat, metres: number, bearing: number): LngLat =>
  destination(from, metres, bearing, { units: 'meters' }).geometry.coordinates as LngLat;

async function read(browser: TestBrowser, query: string): Promise<{ status: number; body: Playback | null }> {
  const response = await browser.request('GET', `/api/patrols/playback?${query}`);
  return { status: response.status, body: response.status === 200 ? ((await response.json()) as Playback) : null };
}

async function ok(response: Promise<Response>) {
  const answer = await response;
  if (answer.status >= 300) throw new Error(`${answer.status}: ${await answer.text()}`);
  return answer.json() as Promise<{ patrol: { id: string } }>;
}

/** Fixes of a patrol written as the owner, as the service would (flags given), for workers who are not test accounts. */
async function insertWalk(
  workerName: string,
  areaCode: string,
  fixes: { at: number; position: LngLat }[],
  flag: { jump: boolean } = { jump: false },
): Promise<string> {
  const id = crypto.randomUUID();
  await db.transaction(async (tx) => {
    await tx.rows(sql`
      INSERT INTO patrols (id, client_id, worker_id, worker_name, worker_role, area_code, started_at, last_fix_at)
      VALUES (${id}, ${id}, ${`w-${id}`}, ${workerName}, 'grid_worker', ${areaCode},
        ${new Date(fixes[0]!.at).toISOString()}::timestamptz, ${new Date(fixes.at(-1)!.at).toISOString()}::timestamptz)`);
    for (const [index, fix] of fixes.entries()) {
      await tx.rows(sql`
        INSERT INTO patrol_positions (patrol_id, client_fix_id, area_code, fixed_at, location, accuracy_m, jump)
        VALUES (${id}, ${`f${index}`}, ${areaCode}, ${new Date(fix.at).toISOString()}::timestamptz,
          ST_SetSRID(ST_MakePoint(${fix.position[0]}, ${fix.position[1]}), 4326), 6, ${flag.jump})`);
    }
  });
  return `w-${id}`;
}

/**
 * t-worker's morning on DAY, uploaded through the API so the real filter flags it: 600 m east at
 * 1.2 m/s (a fix every 5 s), five minutes standing there, a GPS jump 5 km off and a fix of poor
 * accuracy, then 100 m north; and a gap of a locked screen.
 */
const WALK = { eastM: 600, stayS: 300, northM: 100, speed: 1.2, step: 5 };
let arriveS = 0;
let leaveS = 0;
let endPoint: LngLat;

beforeAll(async () => {
  ({ app, db } = await testApp());
  const [cell] = await db.rows<{ lng: number; lat: number }>(
    sql`SELECT ST_X(label_point) AS lng, ST_Y(label_point) AS lat FROM areas WHERE code = '511921108209001001'`,
  );
  origin = [cell!.lng, cell!.lat];
  [worker, county, shaxi] = await Promise.all([
    signedInBrowser(app, 't-worker'),
    signedInBrowser(app, 't-county'),
    signedInBrowser(app, 't-shaxi'),
  ]);
  workerId = await accountIdOf(db, 't-worker');

  const fixes: { clientFixId: string; fixedAt: string; lng: number; lat: number; accuracyM: number }[] = [];
  let seconds = 0;
  const add = (position: LngLat, accuracyM = 5) => {
    fixes.push({
      clientFixId: `p${fixes.length}`,
      fixedAt: new Date(MORNING + seconds * 1000).toISOString(),
      lng: position[0],
      lat: position[1],
      accuracyM,
    });
  };
  for (let metres = 0; metres <= WALK.eastM; metres += WALK.speed * WALK.step, seconds += WALK.step)
    add(move(origin, metres, 90));
  const corner = move(origin, WALK.eastM, 90);
  arriveS = seconds;
  for (let stayed = 0; stayed <= WALK.stayS; stayed += WALK.step, seconds += WALK.step) add(corner);
  leaveS = seconds - WALK.step;
  add(move(corner, 5_000, 0));
  seconds += WALK.step;
  add(move(corner, 300, 200), 400);
  seconds += WALK.step;
  for (let metres = WALK.speed * WALK.step; metres <= WALK.northM; metres += WALK.speed * WALK.step, seconds += WALK.step) {
    add(move(corner, metres, 0));
  }
  endPoint = move(corner, Math.floor(WALK.northM / (WALK.speed * WALK.step)) * WALK.speed * WALK.step, 0);
  const { patrol } = await ok(
    worker.request('POST', '/api/patrols', { clientId: crypto.randomUUID(), startedAt: new Date(MORNING).toISOString() }),
  );
  const gap = {
    clientGapId: 'g1',
    startedAt: new Date(MORNING + 60_000).toISOString(),
    endedAt: new Date(MORNING + 90_000).toISOString(),
    cause: 'screen_locked',
  };
  await ok(worker.request('POST', `/api/patrols/${patrol.id}/positions`, { fixes, gaps: [gap] }));
});

const own = (body: Playback | null) => body!.workers.find((entry) => entry.workerId === workerId)!;

describe('a day of one worker', () => {
  it('draws the track simplified, from its first to its last valid fix, times increasing', async () => {
    const { body } = await read(county, `day=${DAY}&area=511921108`);
    const day = own(body);
    expect(day.tracks).toHaveLength(1);
    const { path, seconds } = decodeTrack(day.tracks[0]!.points);
    expect(distance(path[0]!, origin, { units: 'meters' })).toBeLessThan(0.2);
    expect(distance(path.at(-1)!, endPoint, { units: 'meters' })).toBeLessThan(0.2);
    expect(seconds[0]).toBe(8 * 3600);
    for (let index = 1; index < seconds.length; index++) expect(seconds[index]!).toBeGreaterThan(seconds[index - 1]!);
    // Straight legs collapse to their ends: far fewer points than the day's valid fixes.
    expect(path.length).toBeLessThan(day.fixes / 10);
    expect(path.length).toBeGreaterThanOrEqual(3);
  });

  it('leaves the jump and the poor fix out of the line and the distance', async () => {
    const { body } = await read(county, `day=${DAY}&area=511921108`);
    const day = own(body);
    const { path } = decodeTrack(day.tracks[0]!.points);
    const corner = move(origin, WALK.eastM, 90);
    for (const point of path) expect(distance(point, corner, { units: 'meters' })).toBeLessThan(WALK.eastM + WALK.northM);
    const walked = Math.floor(WALK.eastM / 6) * 6 + Math.floor(WALK.northM / 6) * 6;
    expect(day.distanceM).toEqual(expect.closeTo(walked, 0));
    expect(day.fixes).toBeGreaterThan(0);
  });

  it('finds the stop where and as long as the worker stood', async () => {
    const { body } = await read(county, `day=${DAY}&area=511921108209`);
    const [stop, ...more] = own(body).stops;
    expect(more).toEqual([]);
    expect(distance(stop!.position, move(origin, WALK.eastM, 90), { units: 'meters' })).toBeLessThan(3);
    // A stay holds the fixes within 30 m of where it began: at most the last 30 m of the approach
    // and the first of the way on, beside the five minutes standing.
    const slack = 30 / WALK.speed + 3 * WALK.step;
    expect(stop!.fromS - 8 * 3600).toBeGreaterThanOrEqual(arriveS - slack);
    expect(stop!.fromS - 8 * 3600).toBeLessThanOrEqual(arriveS);
    expect(stop!.toS - 8 * 3600).toBeGreaterThanOrEqual(leaveS);
    expect(stop!.toS - 8 * 3600).toBeLessThanOrEqual(leaveS + slack);
  });

  it('gives the duration and the gaps the phone explained', async () => {
    const { body } = await read(county, `day=${DAY}`);
    const day = own(body);
    const { seconds } = decodeTrack(day.tracks[0]!.points);
    expect(day.durationS).toBe(seconds.at(-1)! - seconds[0]!);
    expect(day.gaps).toEqual([
      { patrolId: day.tracks[0]!.patrolId, fromS: 8 * 3600 + 60, toS: 8 * 3600 + 90, cause: 'screen_locked' },
    ]);
  });
});

describe('the day', () => {
  it('is the day in Asia/Shanghai: a fix at 23:59 belongs to it, one at 00:01 to the next', async () => {
    const late = Date.parse(`${EDGE_DAY}T23:59:00+08:00`);
    const name = 'midnight-walker';
    await insertWalk(name, '511921108209001', [
      { at: late, position: origin },
      { at: late + 120_000, position: move(origin, 50, 90) },
    ]);
    const today = (await read(county, `day=${EDGE_DAY}`)).body!.workers.find((entry) => entry.workerName === name)!;
    const next = (await read(county, `day=2026-06-04`)).body!.workers.find((entry) => entry.workerName === name)!;
    expect(decodeTrack(today.tracks[0]!.points).seconds).toEqual([86_340]);
    expect(decodeTrack(next.tracks[0]!.points).seconds).toEqual([60]);
    expect((await read(county, `day=${EDGE_DAY}`)).body!.dayStart).toBe('2026-06-02T16:00:00.000Z');
  });

  it('refuses a day that does not exist', async () => {
    expect((await read(county, 'day=2026-02-30')).status).toBe(400);
    expect((await read(county, 'day=yesterday')).status).toBe(400);
  });
});

describe('the day left out', () => {
  /** The county day `back` days before today, and 10:00 on it. */
  const dayBack = (back: number) => shanghaiToday(new Date(Date.now() - back * 86_400_000));
  const tenOn = (back: number) => Date.parse(`${dayBack(back)}T10:00:00+08:00`);
  /** The county day of the newest drawn (valid) fix up to today matching `where`, read as the owner: what the reader should open on. */
  async function latestDrawnDay(where: ReturnType<typeof sql>): Promise<string> {
    const [row] = await db.rows<{ at: string | null }>(sql`
      SELECT max(f.fixed_at)::text AS at FROM patrol_positions f JOIN patrols p ON p.id = f.patrol_id
      WHERE NOT f.poor_accuracy AND NOT f.jump AND f.fixed_at < ${shanghaiDayBounds(dayBack(0)).to.toISOString()}::timestamptz
        AND ${where}`);
    return row?.at ? shanghaiToday(new Date(row.at)) : dayBack(0);
  }

  it('is the latest day with a drawn track in the area, not a later one of flagged fixes only; today once today has one', async () => {
    const [row] = await db.rows<{ code: string }>(sql`
      SELECT code FROM areas a WHERE level = 'grid' AND NOT EXISTS (SELECT 1 FROM patrols p WHERE p.area_code LIKE a.code || '%')
      ORDER BY code DESC LIMIT 1`);
    const grid = row!.code;
    expect((await read(county, `area=${grid}`)).body).toMatchObject({ day: dayBack(0), workers: [] });
    await insertWalk('四十天前巡查员', grid, [
      { at: tenOn(40), position: origin },
      { at: tenOn(40) + 5000, position: move(origin, 6, 0) },
    ]);
    await insertWalk('跳点巡查员', grid, [{ at: tenOn(35), position: move(origin, 5_000, 0) }], { jump: true });
    const past = (await read(county, `area=${grid}`)).body!;
    expect(past.day).toBe(dayBack(40));
    expect(past.workers.map((entry) => entry.workerName)).toEqual(['四十天前巡查员']);
    await insertWalk('今天巡查员', grid, [{ at: Date.now() - 60_000, position: origin }]);
    const today = (await read(county, `area=${grid}`)).body!;
    expect(today.day).toBe(dayBack(0));
    expect(today.workers.map((entry) => entry.workerName)).toEqual(['今天巡查员']);
  });

  it('is cut to the reader: a worker opens on its own latest track, a township commander on its township’s', async () => {
    // Another township's walk today, which neither may see.
    await insertWalk('涪阳今天巡查员', '511921112200001', [{ at: Date.now() - 60_000, position: origin }]);
    const own = await read(worker, '');
    expect(own.body!.day).toBe(await latestDrawnDay(sql`p.worker_id = ${workerId}`));
    expect(own.body!.workers.map((entry) => entry.workerId)).toEqual([workerId]);
    expect((await read(shaxi, '')).body!.day).toBe(await latestDrawnDay(sql`f.area_code LIKE '511921108%'`));
    expect((await read(shaxi, 'area=511921112')).status).toBe(404);
  });
});

describe('scope and audit', () => {
  let otherTownship: string;
  let neighbour: string;
  beforeAll(async () => {
    otherTownship = await insertWalk('涪阳巡查员', '511921112200001', [
      { at: MORNING, position: origin },
      { at: MORNING + 5000, position: move(origin, 6, 90) },
    ]);
    neighbour = await insertWalk('同网格巡查员', '511921108209001', [
      { at: MORNING, position: origin },
      { at: MORNING + 5000, position: move(origin, 6, 0) },
    ]);
  });
  const ids = (body: Playback | null) => body!.workers.map((entry) => entry.workerId);

  it('shows the county everyone, a township commander its township only', async () => {
    expect(ids((await read(county, `day=${DAY}`)).body)).toEqual(expect.arrayContaining([otherTownship, neighbour, workerId]));
    const township = ids((await read(shaxi, `day=${DAY}`)).body);
    expect(township).toEqual(expect.arrayContaining([neighbour, workerId]));
    expect(township).not.toContain(otherTownship);
    expect((await read(shaxi, `day=${DAY}&area=511921112`)).status).toBe(404);
    expect((await read(shaxi, `day=${DAY}&area=511921112200001&workers=${otherTownship}`)).status).toBe(404);
    expect(ids((await read(shaxi, `day=${DAY}&workers=${otherTownship}`)).body)).toEqual([]);
  });

  it('picks the workers named', async () => {
    expect(ids((await read(county, `day=${DAY}&workers=${neighbour},${otherTownship}`)).body).sort()).toEqual(
      [neighbour, otherTownship].sort(),
    );
  });

  it('shows a worker only its own day, whatever it asks for', async () => {
    expect(ids((await read(worker, `day=${DAY}`)).body)).toEqual([workerId]);
    expect(ids((await read(worker, `day=${DAY}&workers=${neighbour}`)).body)).toEqual([workerId]);
  });

  it('audits each read of others’ tracks once, naming the area, the day and the workers; not a worker’s own', async () => {
    const audited = async (username: string) =>
      db.rows<{ targetId: string; details: { day: string; workers: number; workerIds: string[] } }>(sql`
        SELECT target_id AS "targetId", details FROM audit_log
        WHERE action = 'patrols.playback_read' AND actor_username = ${username} ORDER BY id`);
    const before = (await audited('t-shaxi')).length;
    await read(shaxi, `day=${DAY}&area=511921108209`);
    const after = await audited('t-shaxi');
    expect(after).toHaveLength(before + 1);
    const entry = after.at(-1)!;
    expect(entry.targetId).toBe('511921108209');
    expect(entry.details.day).toBe(DAY);
    expect(entry.details.workerIds.sort()).toEqual([neighbour, workerId].sort());
    expect(entry.details.workers).toBe(2);
    await read(worker, `day=${DAY}`);
    expect(await audited('t-worker')).toEqual([]);
  });
});

describe('fixes stored out of order', () => {
  it('are played back in fix-time order', async () => {
    const name = 'late-batch-walker';
    const fixes = Array.from({ length: 8 }, (_, index) => ({
      at: MORNING + 3_600_000 + index * 5000,
      position: move(origin, index * 40, 90),
    }));
    await insertWalk(name, '511921108209001', [...fixes].reverse());
    const day = (await read(county, `day=${DAY}`)).body!.workers.find((entry) => entry.workerName === name)!;
    const { path, seconds } = decodeTrack(day.tracks[0]!.points);
    expect(seconds).toEqual([9 * 3600, 9 * 3600 + 35]);
    expect(distance(path[0]!, origin, { units: 'meters' })).toBeLessThan(0.2);
    expect(day.distanceM).toEqual(expect.closeTo(280, 0));
  });
});
