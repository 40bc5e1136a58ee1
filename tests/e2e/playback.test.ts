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
 * A morning walk of `username`, through the API as the phone sends it: starting `late` seconds
 * after 09:00, 300 m north at 1 m/s (a fix every 5 s) with a five-minute stop at 100 m, `east`
 * metres east of the cell's centre, and a gap.
 */
async function walk(username: string, east: number, late: number): Promise<string> {
  const session = await apiSession(username);
  const begin = NINE + late * 1000;
  const started = await session.post('/api/patrols', { clientId: crypto.randomUUID(), startedAt: new Date(begin).toISOString() });
  const { patrol } = (await started.json()) as { patrol: { id: string; workerName: string } };
  const fixes: { clientFixId: string; fixedAt: string; lng: number; lat: number; accuracyM: number }[] = [];
  let seconds = 0;
  const add = (metres: number) => {
    const [lng, lat] = north(metres, east);
    fixes.push({
      clientFixId: `f${fixes.length}`,
      fixedAt: new Date(begin + seconds * 1000).toISOString(),
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
    startedAt: new Date(begin + 40_000).toISOString(),
    endedAt: new Date(begin + 70_000).toISOString(),
    cause: 'screen_locked',
  };
  const uploaded = await session.post(`/api/patrols/${patrol.id}/positions`, { fixes, gaps: [gap] });
  expect(uploaded.status).toBe(200);
  return patrol.workerName;
}

/**
 * What deck.gl draws `metres` north and `east` metres east of the start, read by picking (which
 * draws as the screen does, so a trail's part beyond the clock or faded out is not there): the
 * layer's type when `layerId` is drawn there, null when nothing of it is.
 */
function drawnAt(page: Page, layerId: string, metres: number, east = 0): Promise<string | null> {
  const [lng, lat] = north(metres, east);
  return page.evaluate(
    ([x0, y0, id]) => {
      const { x, y } = window.__map!.project([x0 as number, y0 as number]);
      const picked = window.__deckOverlay!.pickObject({ x, y, radius: 4, layerIds: [id as string] });
      return picked?.layer ? ((picked.layer.constructor as { layerName?: string }).layerName ?? '?') : null;
    },
    [lng, lat, layerId] as const,
  );
}

/** Whether the bright trail is drawn there (by a TripsLayer, as issue 16 asks). */
async function trailAt(page: Page, metres: number, east = 0): Promise<boolean> {
  const layer = await drawnAt(page, 'playback-trails', metres, east);
  if (layer !== null) expect(layer).toBe('TripsLayer');
  return layer !== null;
}

/** Moves the slider to `seconds` since the day's start and waits for the clock to say so. */
async function showAt(page: Page, seconds: number): Promise<void> {
  await page.getByTestId('playback-slider').fill(String(seconds));
  const clock = new Date(Date.UTC(2000, 0, 1) + seconds * 1000).toISOString().slice(11, 19);
  await expect.poll(() => page.getByTestId('playback-clock').textContent()).toBe(clock);
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
  it('plays back a day: the list of workers, trails that follow the slider and fade, heads, stops and gaps', async () => {
    // The grid worker walks 09:00–09:10 (stop 09:01:40–09:06:40); the grid chief 60 m east, 09:30–09:40.
    const names = [await walk('wangping-grid', 0, 0), await walk('wangping-chief', 60, 30 * 60)];
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
    // 09:02:30: the grid worker stands at 100 m; the trail behind, nothing ahead, nobody 60 m east yet.
    await showAt(page, 9 * 3600 + 150);
    await expect.poll(() => trailAt(page, 50), { timeout: 30_000 }).toBe(true);
    expect(await trailAt(page, 250)).toBe(false);
    expect(await trailAt(page, 50, 60)).toBe(false);
    expect(await drawnAt(page, 'playback-heads', 100)).toBe('ScatterplotLayer');
    await page.waitForTimeout(500);
    await shoot(page, 'playback-midway');

    // Playing at 1200× moves the clock (and so the trails) on; pausing holds it.
    await page.getByRole('button', { name: '1200×' }).click();
    await page.getByRole('button', { name: '播放' }).click();
    await expect.poll(() => page.getByTestId('playback-clock').textContent(), { timeout: 30_000 }).not.toBe('09:02:30');
    await page.getByRole('button', { name: '暂停' }).click();
    const paused = await page.getByTestId('playback-clock').textContent();
    expect(paused! > '09:02:30').toBe(true);

    // 09:16:00: the grid worker's walk ended at 09:10; its last quarter of an hour is still drawn
    // (250 m, passed at 09:09:10), its first metres (30 m, at 09:00:30) have faded out, and no head is left.
    await showAt(page, 9 * 3600 + 16 * 60);
    await expect.poll(() => trailAt(page, 250), { timeout: 30_000 }).toBe(true);
    await expect.poll(() => trailAt(page, 30), { timeout: 30_000 }).toBe(false);
    expect(await drawnAt(page, 'playback-heads', 300)).toBeNull();
    await page.waitForTimeout(500);
    await shoot(page, 'playback-faded');

    // To the end of the day's tracks: the grid chief's whole walk is drawn, and the chief stands at its end.
    const slider = page.getByTestId('playback-slider');
    expect(await slider.getAttribute('max')).toBe(String(9 * 3600 + 40 * 60));
    await showAt(page, 9 * 3600 + 40 * 60);
    await expect.poll(() => trailAt(page, 250, 60), { timeout: 30_000 }).toBe(true);
    expect(await trailAt(page, 50, 60)).toBe(true);
    expect(await drawnAt(page, 'playback-heads', 300, 60)).toBe('ScatterplotLayer');
    await page.waitForTimeout(500);
    await shoot(page, 'playback-end');
  });
});
