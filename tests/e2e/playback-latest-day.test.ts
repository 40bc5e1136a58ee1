import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiSession, BrowserWatch, DEMO_PASSWORD, DESKTOP, launchBrowser, serverUrl, shoot, signIn } from './harness.ts';

/** A grid of 王坪村 and its first cell: where this test's grid worker walks. */
const GRID = '511921108209002';
const CELL = `${GRID}001`;
const METRES_PER_DEGREE_LAT = 111_320;
/** Twelve days back (Asia/Shanghai): the only day this test's worker ever walked. */
const DAY = new Date(Date.now() + 8 * 3_600_000 - 12 * 86_400_000).toISOString().slice(0, 10);
const TEN = Date.parse(`${DAY}T10:00:00+08:00`);

let browser: Browser;
const watch = new BrowserWatch(() => browser);

beforeAll(async () => {
  browser = await launchBrowser();
});

afterEach(() => watch.finish());

afterAll(async () => {
  await browser?.close();
});

/** Whether the playback's bright trail (a TripsLayer) is drawn at `position`, read by picking as the screen draws. */
function trailAt(page: Page, position: [number, number]): Promise<boolean> {
  return page.evaluate(([lng, lat]) => {
    const { x, y } = window.__map!.project([lng as number, lat as number]);
    const picked = window.__deckOverlay!.pickObject({ x, y, radius: 4, layerIds: ['playback-trails'] });
    return (picked?.layer?.constructor as { layerName?: string } | undefined)?.layerName === 'TripsLayer';
  }, position);
}

describe('playback opens on the latest day with tracks', () => {
  it('opens a reader whose only tracks are twelve days old on that day, and draws them', async () => {
    // A grid worker of its own (it sees only its own tracks), who walked once, twelve days ago: 300 m north from 10:00.
    const username = `latest-${crypto.randomUUID().slice(0, 8)}`;
    const admin = await apiSession('admin');
    const created = await admin.post('/api/accounts', {
      username,
      displayName: '回放测试网格员',
      role: 'grid_worker',
      scopeCode: GRID,
      password: DEMO_PASSWORD,
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const county = await apiSession('county');
    const { area } = (await (await county.get(`/api/areas/${CELL}`)).json()) as { area: { labelPoint: [number, number] } };
    const north = (metres: number): [number, number] => [area.labelPoint[0], area.labelPoint[1] + metres / METRES_PER_DEGREE_LAT];
    const worker = await apiSession(username);
    const started = await worker.post('/api/patrols', { clientId: crypto.randomUUID(), startedAt: new Date(TEN).toISOString() });
    const { patrol } = (await started.json()) as { patrol: { id: string } };
    const fixes = Array.from({ length: 61 }, (_, index) => {
      const [lng, lat] = north(index * 5);
      return { clientFixId: `f${index}`, fixedAt: new Date(TEN + index * 5000).toISOString(), lng, lat, accuracyM: 6 };
    });
    expect((await worker.post(`/api/patrols/${patrol.id}/positions`, { fixes, gaps: [] })).status).toBe(200);
    const ended = await worker.post(`/api/patrols/${patrol.id}/end`, { endedAt: new Date(TEN + 300_000).toISOString() });
    expect(ended.status).toBe(200);

    const context = await watch.newContext(DESKTOP);
    await signIn(context, username);
    const page = await context.newPage();
    await page.goto(`${serverUrl()}/playback`);
    // Not today (empty for this reader): the day of its walk, with the walk in the list.
    await expect.poll(() => page.getByTestId('playback-day').inputValue(), { timeout: 60_000 }).toBe(DAY);
    await expect.poll(() => page.getByTestId('playback-workers').textContent(), { timeout: 60_000 }).toContain('回放测试网格员');
    await expect.poll(() => page.getByTestId('playback-workers').textContent()).toContain('0.30');
    await page.waitForFunction(() => window.__map?.loaded() === true && !window.__map.isMoving(), undefined, {
      timeout: 90_000,
    });
    // At the end of the walk (10:05) the trail is drawn along it.
    const slider = page.getByTestId('playback-slider');
    expect(await slider.getAttribute('max')).toBe(String(10 * 3600 + 300));
    await slider.fill(String(10 * 3600 + 300));
    await expect.poll(() => page.getByTestId('playback-clock').textContent()).toBe('10:05:00');
    await expect.poll(() => trailAt(page, north(200)), { timeout: 30_000 }).toBe(true);
    await page.waitForTimeout(500);
    await shoot(page, 'playback-latest-day');
  });
});
