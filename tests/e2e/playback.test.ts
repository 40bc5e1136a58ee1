import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiSession, BrowserWatch, DESKTOP, launchBrowser, serverUrl, shoot, signIn } from './harness.ts';

/** 王坪村's first grid's first cell: where the demo's grid worker and grid chief walk. */
const CELL = '511921108209001001';
const METRES_PER_DEGREE_LAT = 111_320;
/**
 * A day 40 days back (Asia/Shanghai): before the demo's 30 days of past patrols, whose rounds pass
 * this cell too (王坪村's first cell has a geohazard point), so the trails here are this test's only.
 */
const DAY = new Date(Date.now() + 8 * 3_600_000 - 40 * 86_400_000).toISOString().slice(0, 10);
const NINE = Date.parse(`${DAY}T09:00:00+08:00`);

let browser: Browser;
const watch = new BrowserWatch(() => browser);
let start: [number, number];
const north = (metres: number, east = 0): [number, number] => [
  start[0] + east / (METRES_PER_DEGREE_LAT * Math.cos((start[1] * Math.PI) / 180)),
  start[1] + metres / METRES_PER_DEGREE_LAT,
];

/**
 * A morning walk of `username`, through the API as the phone sends it: 300 m north at 1 m/s (a fix
 * every 5 s) with a five-minute stop at 100 m, `east` metres east of the cell's centre, and a gap.
 */
async function walk(username: string, east: number): Promise<string> {
  const session = await apiSession(username);
  const started = await session.post('/api/patrols', { clientId: crypto.randomUUID(), startedAt: new Date(NINE).toISOString() });
  const { patrol } = (await started.json()) as { patrol: { id: string; workerName: string } };
  const fixes: { clientFixId: string; fixedAt: string; lng: number; lat: number; accuracyM: number }[] = [];
  let seconds = 0;
  const add = (metres: number) => {
    const [lng, lat] = north(metres, east);
    fixes.push({
      clientFixId: `f${fixes.length}`,
      fixedAt: new Date(NINE + seconds * 1000).toISOString(),
      lng,
      lat,
      accuracyM: 6,
    });
    seconds += 5;
  };
  for (let metres = 0; metres < 100; metres += 5) add(metres);
  for (let stayed = 0; stayed < 300; stayed += 5) add(100);
  for (let metres = 100; metres <= 300; metres += 5) add(metres);
  const gap = {
    clientGapId: 'g1',
    startedAt: new Date(NINE + 40_000).toISOString(),
    endedAt: new Date(NINE + 70_000).toISOString(),
    cause: 'screen_locked',
  };
  const uploaded = await session.post(`/api/patrols/${patrol.id}/positions`, { fixes, gaps: [gap] });
  expect(uploaded.status).toBe(200);
  return patrol.workerName;
}

/** Whether the walked trail is drawn `metres` north of the start (a pick on its layer there). */
function trailAt(page: Page, metres: number): Promise<boolean> {
  const [lng, lat] = north(metres);
  return page.evaluate(
    ([x0, y0]) => {
      const { x, y } = window.__map!.project([x0!, y0!]);
      return window.__deckOverlay!.pickObject({ x, y, radius: 4, layerIds: ['playback-walked'] }) !== null;
    },
    [lng, lat],
  );
}

beforeAll(async () => {
  browser = await launchBrowser();
  const county = await apiSession('county');
  const area = (await (await county.get(`/api/areas/${CELL}`)).json()) as { area: { labelPoint: [number, number] } };
  start = area.area.labelPoint;
});

afterEach(() => watch.finish());

afterAll(async () => {
  await browser?.close();
});

describe('patrol playback', () => {
  it('plays back a day: the list of workers, trails that follow the slider, stops and gaps', async () => {
    const names = [await walk('wangping-grid', 0), await walk('wangping-chief', 60)];
    const context = await watch.newContext(DESKTOP);
    await signIn(context, 'county');
    const page = await context.newPage();
    await page.goto(`${serverUrl()}/playback`);
    await page.getByTestId('playback-day').fill(DAY);
    const list = page.getByTestId('playback-workers');
    for (const name of names) await expect.poll(() => list.textContent(), { timeout: 60_000 }).toContain(name);
    // Each worker: 0.30 km, and one stop.
    const item = list.locator('li', { hasText: names[0]! });
    await expect.poll(() => item.textContent()).toContain('0.30');
    await expect.poll(() => item.textContent()).toContain('停留 1');

    await page.waitForFunction(() => window.__map?.loaded() === true && !window.__map.isMoving(), undefined, {
      timeout: 90_000,
    });
    // 09:02:30: past the stop at 100 m, not yet at 250 m.
    const slider = page.getByTestId('playback-slider');
    await slider.fill(String(9 * 3600 + 150));
    await expect.poll(() => page.getByTestId('playback-clock').textContent()).toBe('09:02:30');
    await expect.poll(() => trailAt(page, 50), { timeout: 30_000 }).toBe(true);
    expect(await trailAt(page, 250)).toBe(false);
    await page.waitForTimeout(500);
    await shoot(page, 'playback-midway');

    // To the end of the day's tracks: the whole walk is drawn.
    await slider.fill(await slider.getAttribute('max').then((max) => max ?? '0'));
    await expect.poll(() => trailAt(page, 250), { timeout: 30_000 }).toBe(true);
    await page.waitForTimeout(500);
    await shoot(page, 'playback-end');
  });
});
