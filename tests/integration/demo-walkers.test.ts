import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountAsSystem } from '../../api/accounts/service.ts';
import { createApp } from '../../api/app.ts';
import type { Database } from '../../api/db/client.ts';
import { monitorRounds } from '../../api/demo/monitor-rounds.ts';
import { DEFAULT_WALKERS, demoWalkers } from '../../api/demo/walkers.ts';
import { geohazardsRepository } from '../../api/geohazards/repository.ts';
import { geohazardsService, shanghaiDay } from '../../api/geohazards/service.ts';
import { patrolsService } from '../../api/patrols/service.ts';
import { requiredPatrols, ruleOn } from '../../api/vocabulary/geohazards.ts';
import { signedInBrowser, TEST_PASSWORD, type TestBrowser } from './support/sessions.ts';
import { seededDatabase } from './support/test-database.ts';

/** 王坪村 (沙溪镇): the drill's scope, a handful of grids. */
const VILLAGE = '511921108209';
/** A township outside the drill: 涪阳镇. */
const OTHER_TOWNSHIP = '511921112';
/**
 * The walkers' clock runs 30 times as fast as the wall's, from 21:00 Shanghai time at least three
 * hours ago (a drill at night, outside office hours; it must never pass real time, and 30 times a
 * few minutes of test stays short of three hours).
 */
const SPEED = 30;
function lastNineInTheEvening(before: number): number {
  const shanghaiNine = new Date(`${shanghaiDay(new Date(before))}T21:00:00+08:00`).getTime();
  return shanghaiNine <= before ? shanghaiNine : shanghaiNine - 86_400_000;
}
/** The test's geohazard points: one in the drill's village, one in another township; each watched by its cell's informant. */
const POINT_IN = 'T-WALK-IN';
const POINT_OUT = 'T-WALK-OUT';

let db: Database;
let app: Awaited<ReturnType<typeof createApp>>;
let duty: TestBrowser;
let since: number;
let grids: number;
/** The Shanghai day of the walkers' night, and the monitors of the test's points. */
let night: string;
let monitorIn: string;
let monitorOut: string;

/** Polls `probe` until it gives a truthy answer (a behaviour wait with a generous timeout, not a timing claim). */
async function eventually<T>(probe: () => Promise<T | null>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const walkerPatrols = () =>
  db.rows<{ id: string; area_code: string; ended_at: Date | null; distance_m: number }>(
    sql`SELECT id, area_code, ended_at, distance_m FROM patrols
        WHERE client_id LIKE 'walker-%' AND worker_role = 'grid_worker' AND area_code LIKE ${VILLAGE} || '%'`,
  );
const patrolsOf = (workerId: string) =>
  db.rows<{ id: string; ended_at: Date | null; started_at: Date }>(
    sql`SELECT id, ended_at, started_at FROM patrols WHERE worker_id = ${workerId} AND client_id LIKE 'walker-%'`,
  );
const pointOnNight = async (id: string, day = night) => {
  const response = await duty.request('GET', `/api/geohazards/points?day=${day}`);
  expect(response.status).toBe(200);
  const body = (await response.json()) as { required: number; points: { id: string; patrols: number; status: string }[] };
  return { required: body.required, point: body.points.find((point) => point.id === id)! };
};

beforeAll(async () => {
  db = await seededDatabase();
  const [meta] = await db.rows<{ seed: string }>(sql`SELECT value AS seed FROM dataset_meta WHERE key = 'seed'`);
  const realStart = Date.now();
  const simulatedStart = lastNineInTheEvening(realStart - 3 * 3_600_000);
  night = shanghaiDay(new Date(simulatedStart));
  // A point 200 m north of the home of the first informant of the village, and one in another township.
  const informants = await db.rows<{ id: string; name: string; area_code: string; lng: number; lat: number }>(sql`
    SELECT DISTINCT ON (left(p.area_code, 9)) p.id, p.name, p.area_code, ST_X(c.label_point) AS lng, ST_Y(c.label_point) AS lat
    FROM people p JOIN areas c ON c.code = p.area_code
    WHERE p.role = 'cell_informant' AND (p.area_code LIKE ${VILLAGE} || '%' OR p.area_code LIKE ${OTHER_TOWNSHIP} || '%')
    ORDER BY left(p.area_code, 9), p.area_code, p.id`);
  const inside = informants.find((row) => row.area_code.startsWith(VILLAGE))!;
  const outside = informants.find((row) => row.area_code.startsWith(OTHER_TOWNSHIP))!;
  // Monitors of the test's own, living in those informants' cells: a monitor's rounds set out from
  // the cell of their first point by id, and other files on the same database register points for
  // the informants themselves (one outside the drill kept this monitor home in 2 of 3 suite runs).
  monitorIn = `${POINT_IN}-MONITOR`;
  monitorOut = `${POINT_OUT}-MONITOR`;
  await geohazardsRepository(db).insertPoints(
    [
      [POINT_IN, inside, monitorIn],
      [POINT_OUT, outside, monitorOut],
    ].map(([id, informant, monitor]) => {
      const row = informant as typeof inside;
      return {
        id: id as string,
        name: `${id}滑坡`,
        kind: 'landslide' as const,
        areaCode: row.area_code,
        monitorId: monitor as string,
        monitorName: `${row.name}（测试）`,
        threatenedHouseholds: 3,
        threatenedPeople: 9,
        lng: row.lng,
        lat: row.lat + 200 / 110_574,
      };
    }),
  );
  app = await createApp({
    db,
    env: { TILE_CACHE_ENTRIES: 100, BASEMAP_STYLE_URL: undefined, DEMO_WALKERS: 'drills' },
    dataset: { seed: Number(meta?.seed), preset: 'small', seededAt: '' },
    demo: false,
    walkers: {
      tickMs: 50,
      clock: () => new Date(simulatedStart + (Date.now() - realStart) * SPEED),
      patrolMinutes: [3, 4],
      restMinutes: [1, 2],
      uploadSeconds: [10, 30],
      startSpreadSeconds: 0,
    },
  });
  // An officer of its own: the drill test counts the drill reports t-duty files.
  await createAccountAsSystem(db, {
    username: 'walkers-duty',
    displayName: '演练值班员',
    role: 'duty_officer',
    scopeCode: '511921',
    password: TEST_PASSWORD,
  });
  duty = await signedInBrowser(app, 'walkers-duty');
  const [row] = await db.rows<{ id: string | null }>(sql`SELECT max(id)::text AS id FROM live_events`);
  since = Number(row?.id ?? 0);
  const [count] = await db.rows<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM areas g WHERE g.level = 'grid' AND g.code LIKE ${VILLAGE} || '%'
          AND EXISTS (SELECT 1 FROM people w WHERE w.role = 'grid_worker' AND w.area_code = g.code)`,
  );
  grids = count?.n ?? 0;
});

afterAll(async () => {
  await app?.close();
  await db.rows(sql`DELETE FROM geohazard_points WHERE id IN (${POINT_IN}, ${POINT_OUT})`);
  await db.rows(sql`UPDATE reports SET state = 'cancelled', clock_stage = NULL, due_at = NULL WHERE source = 'drill'`);
});

describe('demo walkers', () => {
  it('walk nobody while no drill runs (mode drills)', async () => {
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await walkerPatrols()).toEqual([]);
    expect(await patrolsOf(monitorIn)).toEqual([]);
  });

  it('walk nobody in mode off, even in a drill', async () => {
    const off = demoWalkers(db, patrolsService(db, { retentionDays: 180 }), geohazardsService(db), {
      ...DEFAULT_WALKERS,
      tickMs: 50,
      startSpreadSeconds: 0,
      mode: 'off',
      seed: 1,
    });
    off.drillStarted(OTHER_TOWNSHIP);
    off.start();
    await new Promise((resolve) => setTimeout(resolve, 500));
    await off.stop();
    expect(await patrolsOf(monitorOut)).toEqual([]);
    const [row] = await db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM patrols WHERE client_id LIKE 'walker-%' AND area_code LIKE ${OTHER_TOWNSHIP} || '%'`,
    );
    expect(row?.n).toBe(0);
  });

  it('walk every grid worker of a drill’s scope through the patrols service: patrols, fixes inside the grid, live moves', async () => {
    expect(grids).toBeGreaterThan(0);
    const response = await duty.request('PUT', '/api/drill', { running: true, intervalSeconds: 600, scopeCode: VILLAGE });
    expect(response.status).toBe(200);

    const started = await eventually(async () => {
      const rows = await walkerPatrols();
      return rows.length >= grids ? rows : null;
    }, 'a patrol for every grid worker of the village');
    expect(new Set(started.map((row) => row.area_code)).size).toBe(grids);

    const fixes = await eventually(async () => {
      const [row] = await db.rows<{ n: number; outside: number }>(sql`
        SELECT count(*)::int AS n,
          count(*) FILTER (WHERE NOT ST_Intersects(p.location, g.geom))::int AS outside
        FROM patrol_positions p JOIN areas g ON g.code = p.area_code
        WHERE p.area_code LIKE ${VILLAGE} || '%' AND p.client_fix_id LIKE 'walker-%' AND g.level = 'grid'`);
      return row && row.n >= grids * 20 ? row : null;
    }, 'fixes from every walker');
    expect(fixes.outside).toBe(0);

    const moved = await eventually(async () => {
      const rows = await db.rows<{ scope_code: string; payload: { patrol: { id: string }; fix: unknown } }>(sql`
        SELECT scope_code, payload FROM live_events
        WHERE id > ${since} AND type = 'patrol.moved' AND scope_code LIKE ${VILLAGE} || '%'`);
      return rows.length >= grids ? rows : null;
    }, 'patrol.moved events');
    expect(moved.some((event) => event.payload.fix !== null)).toBe(true);
  });

  it('walk a drill’s geohazard monitors at night to their point as the rule asks: the point’s count that day rises; nobody walks outside the drill', async () => {
    const before = await pointOnNight(POINT_IN);
    expect(before.required).toBeGreaterThan(0);
    expect(before.point.patrols).toBe(0);
    const walked = await eventually(async () => {
      const { point } = await pointOnNight(POINT_IN);
      return point.patrols >= 1 ? point : null;
    }, 'a visit of the drill’s point on the night of the drill');
    expect(walked.patrols).toBeLessThanOrEqual(before.required);
    const [round] = await patrolsOf(monitorIn);
    expect(round).toBeDefined();
    expect(shanghaiDay(new Date(round!.started_at))).toBe(night);
    // The round set out from home within a couple of minutes of the drill and goes at a fix every 5 s.
    const [fixes] = await db.rows<{ n: number; step: number }>(sql`
      SELECT count(*)::int AS n, extract(epoch FROM max(fixed_at) - min(fixed_at)) / nullif(count(*) - 1, 0) AS step
      FROM patrol_positions WHERE patrol_id = ${round!.id}`);
    expect(fixes?.step).toBeCloseTo(5, 0);
    expect(await patrolsOf(monitorOut)).toEqual([]);
    expect((await pointOnNight(POINT_OUT)).point.patrols).toBe(0);
  });

  it('end patrols after their time and set out again; distances follow the fixes', async () => {
    const rows = await eventually(
      async () => {
        const all = await walkerPatrols();
        const ended = all.filter((row) => row.ended_at);
        return ended.length >= grids && all.length > grids ? all : null;
      },
      'patrols ended and new ones started',
      90_000,
    );
    expect(rows.filter((row) => row.ended_at).some((row) => row.distance_m > 50)).toBe(true);
  });

  it('end every patrol when the drill stops', async () => {
    const response = await duty.request('PUT', '/api/drill', { running: false, scopeCode: VILLAGE });
    expect(response.status).toBe(200);
    await eventually(async () => (await walkerPatrols()).every((row) => row.ended_at), 'every walker patrol ended');
    await eventually(async () => (await patrolsOf(monitorIn)).every((row) => row.ended_at), 'the monitor’s round ended');
    const [event] = await db.rows<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM live_events
      WHERE id > ${since} AND type = 'patrol.moved' AND scope_code LIKE ${VILLAGE} || '%'
        AND (payload -> 'patrol' ->> 'active')::boolean = false`);
    expect(event?.n).toBeGreaterThanOrEqual(grids);
  });

  it('walk a monitor as many rounds on a rainy-season day as the rule in the database asks, an hour or more apart (a clock stepped by hand)', async () => {
    // The latest past day, two days back or more, when the rule in force asks more than one patrol a point.
    const rules = await geohazardsRepository(db).rules();
    const day = Array.from({ length: 170 }, (_, back) => shanghaiDay(new Date(Date.now() - (back + 2) * 86_400_000))).find(
      (candidate) => {
        const rule = ruleOn(rules, candidate);
        return rule !== null && requiredPatrols(rule, candidate) > 1;
      },
    )!;
    expect(day).toBeDefined();
    const before = await pointOnNight(POINT_IN, day);
    expect(before.point.patrols).toBe(0);
    const rounds = monitorRounds(patrolsService(db, { retentionDays: 180 }), geohazardsService(db), {
      seed: 3,
      uploadSeconds: [10, 30],
      startSpreadSeconds: 120,
    });
    const morning = new Date(`${day}T08:00:00+08:00`).getTime();
    const midnight = morning + 16 * 3_600_000;
    const scopes = [{ scopeCode: VILLAGE, untilMs: midnight }];
    for (let now = morning; now < midnight; now += 60_000) await rounds.tick(now, scopes, 1);
    await rounds.stop(midnight);

    const after = await pointOnNight(POINT_IN, day);
    expect(after.point.patrols).toBe(before.required);
    expect(after.point.status).toBe('met');
    const walked = (await patrolsOf(monitorIn))
      .filter((row) => shanghaiDay(new Date(row.started_at)) === day)
      .map((row) => new Date(row.started_at).getTime())
      .sort((a, b) => a - b);
    expect(walked).toHaveLength(before.required);
    for (let index = 1; index < walked.length; index++)
      expect(walked[index]! - walked[index - 1]!).toBeGreaterThanOrEqual(3_600_000);
    expect((await pointOnNight(POINT_OUT, day)).point.patrols).toBe(0);
    expect((await patrolsOf(monitorOut)).length).toBe(0);
  });
});
