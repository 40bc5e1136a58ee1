import { destination } from '@turf/turf';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../api/app-env.ts';
import type { Database } from '../../api/db/client.ts';
import {
  countyDay,
  countyMidnight,
  DEFAULT_COVERAGE_DISTANCE_M,
  patrolCellsRepository,
} from '../../api/patrols/cells-repository.ts';
import { patrolsService } from '../../api/patrols/service.ts';
import type { LngLat } from '../../geo/types.ts';
import {
  cellDaysOf,
  cellsOf,
  cellsWalkedShown,
  context,
  DAY_MS,
  eastOf,
  fix,
  openCoverageContext,
  ownPatrols,
  startPatrol,
  stretchAt,
  upload,
  uploadOnly,
} from './patrol-coverage-context.ts';
import { settlePatrolCells } from './support/patrols.ts';
import { signedInBrowser, type TestBrowser } from './support/sessions.ts';

// Cells walked within the coverage distance of a valid track. Their settling after the batches:
// patrol-cells-settling.test.ts.

let app: typeof context.app;
let db: Database;
let worker: TestBrowser;
let workerPrincipal: Principal;
let cellCode: string;

beforeAll(async () => {
  await openCoverageContext();
  ({ app, db, worker, workerPrincipal, cellCode } = context);
});

describe('a cell counts as patrolled within the coverage distance of a valid track', () => {
  it.each([
    [30, true],
    [49, true],
    [51, false],
    [80, false],
  ])('a stretch %i m from the cell: counted %s with the default 50 m', async (metres, counted) => {
    const patrolId = await startPatrol(worker);
    await upload(worker, patrolId, stretchAt(metres, `d${metres}`));
    expect((await cellsOf(patrolId)).has(cellCode)).toBe(counted);
    // The patrol's own count of cells walked comes from the same rows.
    expect(await cellsWalkedShown(worker, patrolId)).toBe((await cellsOf(patrolId)).size);
  });

  it('follows the configured distance (PATROL_COVERAGE_DISTANCE_M)', async () => {
    const wide = patrolsService(db, { retentionDays: 180, coverageDistanceM: 100 });
    const { patrol } = await wide.start(workerPrincipal, {
      clientId: crypto.randomUUID(),
      startedAt: new Date(Date.now() - 2 * 3_600_000),
    });
    ownPatrols.push(patrol.id);
    const fixes = stretchAt(80, 'wide').map((each) => ({
      ...each,
      fixedAt: new Date(each.fixedAt),
      speedMps: null,
      datum: 'wgs84' as const,
    }));
    await wide.upload(workerPrincipal, patrol.id, { fixes, gaps: [] });
    await wide.settleCells({ wait: true });
    expect((await cellsOf(patrol.id)).has(cellCode)).toBe(true);
  });

  it('counts a lone fix by its own point', async () => {
    const patrolId = await startPatrol(worker);
    await upload(worker, patrolId, [fix('lone', Date.now() - 60_000, eastOf(20))]);
    expect((await cellsOf(patrolId)).has(cellCode)).toBe(true);
  });
});

describe('a stretch joins two fixes up to two minutes apart', () => {
  /** Metres on the spheroid from `point` to the cell. */
  async function fromCell([lng, lat]: LngLat): Promise<number> {
    const [row] = await db.rows<{ m: number }>(sql`
      SELECT ST_Distance(geom::geography, ST_SetSRID(ST_MakePoint(${lng}, ${lat}), 4326)::geography) AS m
      FROM areas WHERE code = ${cellCode}`);
    return row!.m;
  }
  /**
   * Two ends more than 55 m from the cell on a straight line through the point 30 m east of the
   * vertex: only the stretch between them reaches the cell.
   */
  let ends: [LngLat, LngLat];
  beforeAll(async () => {
    const through = eastOf(30);
    for (const length of [100, 200, 400]) {
      for (let bearing = 0; bearing < 180; bearing += 15) {
        const pair = [bearing, bearing + 180].map(
          (towards) => destination(through, length, towards, { units: 'meters' }).geometry.coordinates as LngLat,
        ) as [LngLat, LngLat];
        if ((await fromCell(pair[0])) > 55 && (await fromCell(pair[1])) > 55) {
          ends = pair;
          return;
        }
      }
    }
    throw new Error(`no straight line 30 m east of ${cellCode}'s vertex has both ends beyond 55 m of it`);
  });
  const stretch = (tag: string, at: number, apartMs: number) => [
    fix(`${tag}-a`, at, ends[0]),
    fix(`${tag}-b`, at + apartMs, ends[1]),
  ];
  /** The start of a minute an hour ago. */
  const aMinute = () => Math.floor((Date.now() - 3_600_000) / 60_000) * 60_000;

  it('counts the cell a stretch across a minute’s turn passes, dated by the fix that ends it', async () => {
    const minute = aMinute();
    const patrolId = await startPatrol(worker);
    await upload(worker, patrolId, stretch('turn', minute + 50_000, 20_000));
    const reached = (await cellDaysOf(patrolId)).find((row) => row.cellCode === cellCode);
    expect(reached && new Date(reached.firstAt).getTime()).toBe(minute + 70_000);
  });

  it('does not join fixes more than two minutes apart', async () => {
    const apart = await startPatrol(worker);
    await upload(worker, apart, stretch('apart', aMinute() + 50_000, 121_000));
    expect((await cellsOf(apart)).has(cellCode)).toBe(false);
    const twoMinutes = await startPatrol(worker);
    await upload(worker, twoMinutes, stretch('two', aMinute() + 50_000, 120_000));
    expect((await cellsOf(twoMinutes)).has(cellCode)).toBe(true);
  });
});

describe('flagged fixes do not count', () => {
  it('leaves out a fix of poor accuracy and a GPS jump beside the cell', async () => {
    const patrolId = await startPatrol(worker);
    const start = Date.now() - 7_200_000;
    const far = eastOf(500);
    await upload(worker, patrolId, [
      fix('far-1', start, far),
      // 490 m in 5 s: a jump.
      fix('jump', start + 5_000, eastOf(10)),
      fix('far-2', start + 10_000, far),
      fix('poor', start + 15_000, eastOf(10), 800),
      fix('far-3', start + 20_000, far),
    ]);
    const cells = await cellsOf(patrolId);
    expect(cells.has(cellCode)).toBe(false);
    // The valid fixes still walked the cell they stand in.
    expect(cells.size).toBeGreaterThan(0);
  });
});

describe('batches that arrive out of order', () => {
  /** A walk east across the cell's edge, a fix every 5 s, with one far fix (a jump) in it. */
  const walk = (start: number) =>
    Array.from({ length: 16 }, (_, index) =>
      index === 11
        ? fix(`w-${index}`, start + index * 5_000, eastOf(500))
        : fix(`w-${index}`, start + index * 5_000, eastOf(-60 + index * 7)),
    );

  it('give the same cells, days and first times as in order', async () => {
    const start = Date.now() - 3 * 3_600_000;
    const fixes = walk(start);
    const batches = [fixes.slice(0, 5), fixes.slice(5, 11), fixes.slice(11)];
    const inOrder = await startPatrol(worker);
    for (const batch of batches) await upload(worker, inOrder, batch);
    const outOfOrder = await startPatrol(worker);
    // The last batch first: its far fix stands (and walks its cells) until the fixes just before it
    // arrive and make it a jump.
    for (const batch of [batches[2]!, batches[0]!, batches[1]!]) await upload(worker, outOfOrder, batch);
    const expected = await cellDaysOf(inOrder);
    expect(expected.map((row) => row.cellCode)).toContain(cellCode);
    expect(await cellDaysOf(outOfOrder)).toEqual(expected);
  });

  it('give the same when they are settled together after the last, as the server does under load', async () => {
    const start = Date.now() - 3 * 3_600_000 + 30_000;
    const fixes = walk(start);
    const batches = [fixes.slice(0, 5), fixes.slice(5, 11), fixes.slice(11)];
    const inOrder = await startPatrol(worker);
    for (const batch of batches) await upload(worker, inOrder, batch);
    const together = await startPatrol(worker);
    for (const batch of [batches[2]!, batches[0]!, batches[1]!]) await uploadOnly(worker, together, batch);
    expect(await cellDaysOf(together)).toEqual([]);
    await settlePatrolCells(db);
    expect(await cellDaysOf(together)).toEqual(await cellDaysOf(inOrder));
  });
});

describe('days are the county’s calendar days (Asia/Shanghai)', () => {
  it('dates a stretch by the fix that ends it, in Shanghai time', async () => {
    const day = countyDay(new Date(Date.now() - 3 * DAY_MS));
    const midnight = countyMidnight(day).getTime();
    const patrolId = await startPatrol(worker);
    // 23:59:55 and 00:00:05 Shanghai; both 15:59/16:00 UTC of the day before, by the UTC calendar.
    await upload(worker, patrolId, [fix('late', midnight - 5_000, eastOf(30)), fix('early', midnight + 5_000, eastOf(36))]);
    const days = (await cellDaysOf(patrolId)).filter((row) => row.cellCode === cellCode);
    const dayBefore = countyDay(new Date(midnight - 5_000));
    expect(days.map((row) => row.day)).toEqual([dayBefore, day]);
    expect(new Date(midnight + 5_000).toISOString().slice(0, 10)).toBe(dayBefore);
    expect(new Date(days[1]!.firstAt).toISOString()).toBe(new Date(midnight + 5_000).toISOString());
  });
});

describe('a minute of fix time is derived whole', () => {
  it('a fix that lands in the middle of a minute already derived leaves the cell-days a rebuild writes', async () => {
    const day = countyDay(new Date(Date.now() - 20 * DAY_MS));
    const minute = countyMidnight(day).getTime() + 10 * 3_600_000;
    const patrolId = await startPatrol(worker);
    // 80 m out first: the cell is not reached. Then, later in the same minute, 30 m out: the
    // stretch between them reaches it, and the minute's first fix dates it.
    await upload(worker, patrolId, [fix('whole-a', minute + 10_000, eastOf(80))]);
    await upload(worker, patrolId, [fix('whole-b', minute + 40_000, eastOf(30))]);
    const incremental = await cellDaysOf(patrolId);
    const reached = incremental.find((row) => row.cellCode === cellCode);
    expect(reached && new Date(reached.firstAt).getTime()).toBe(minute + 10_000);
    await patrolCellsRepository(db).rebuildDays(day, day, DEFAULT_COVERAGE_DISTANCE_M);
    expect(await cellDaysOf(patrolId)).toEqual(incremental);
  });
});

describe('the coverage routes', () => {
  it('answer a township commander for its township and its children, with numerators and denominators', async () => {
    // A walk just now, so that "today" holds it whatever the hour.
    await upload(worker, await startPatrol(worker), [fix('now', Date.now() - 1_000, eastOf(20))]);
    const shaxi = await signedInBrowser(app, 't-shaxi');
    const response = await shaxi.request('GET', '/api/patrols/coverage');
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      area: { code: string; cells: number; day1: number; day7: number; day30: number };
      children: { code: string; cells: number; day1: number }[];
    };
    expect(body.area.code).toBe('511921108');
    expect(body.children.length).toBeGreaterThan(0);
    expect(body.children.every((child) => child.code.startsWith('511921108') && child.code.length === 12)).toBe(true);
    expect(body.area.cells).toBe(body.children.reduce((sum, child) => sum + child.cells, 0));
    const wangping = body.children.find((child) => child.code === '511921108209')!;
    expect(wangping.day1).toBeGreaterThan(0);
    expect(body.area.day1).toBeLessThanOrEqual(body.area.day7);
    expect(body.area.day7).toBeLessThanOrEqual(body.area.day30);
    expect(body.area.day30).toBeLessThanOrEqual(body.area.cells);
    const cells = (await (await shaxi.request('GET', '/api/patrols/coverage/cells?area=511921108209')).json()) as {
      days: Record<string, number>;
    };
    expect(cells.days[cellCode.slice(12)]).toBe(0);
  });

  it.each([
    ['t-shaxi', '511921112', 404],
    ['t-shaxi', '511921', 404],
    ['t-chief', '511921108', 404],
    ['t-county', '511921108209001001', 400],
    ['t-county', 'abc', 400],
    ['t-worker', '511921108209001', 403],
    ['t-cadre', '511921108209001', 403],
  ])('%s asking for %s: %i', async (username, area, status) => {
    const browser = await signedInBrowser(app, username);
    for (const path of ['/api/patrols/coverage', '/api/patrols/coverage/cells']) {
      expect((await browser.request('GET', `${path}?area=${area}`)).status).toBe(status);
    }
  });
});

describe('the rebuild from stored positions', () => {
  it('writes the same cell-days as the batches did', async () => {
    const range = { from: new Date(Date.now() - 5 * DAY_MS), to: new Date() };
    const snapshot = () =>
      db.rows(sql`
        SELECT patrol_id, cell_code, day::text, area_code, to_json(first_at)#>>'{}' AS first_at FROM patrol_cells
        WHERE day BETWEEN ${countyDay(range.from)}::date AND ${countyDay(range.to)}::date
          AND patrol_id = ANY(${sql.param(ownPatrols)}::text[])
        ORDER BY 1, 2, 3`);
    // The 100 m patrol above was derived with another distance: set it to the default's first.
    await db.rows(sql`DELETE FROM patrol_cells WHERE patrol_id IN (
      SELECT patrol_id FROM patrol_positions WHERE client_fix_id = 'wide-a')`);
    await db.rows(sql`DELETE FROM patrol_positions WHERE client_fix_id IN ('wide-a', 'wide-b')`);
    const incremental = await snapshot();
    expect(incremental.length).toBeGreaterThan(0);
    const written = await patrolsService(db, { retentionDays: 180 }).rebuildCells(range);
    expect(written).toBeGreaterThanOrEqual(incremental.length);
    expect(await snapshot()).toEqual(incremental);
  });
});
