import { randomUUID } from 'node:crypto';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiSession } from './harness.ts';
import { apiSession, mapSettled, PHONE, serverUrl, shoot, signIn, watchedChromium } from './harness.ts';

/** 沙溪镇, the township of the source study's village. */
const SHAXI = '511921108';

/** A wall screen in the duty room, a desk, and a phone (PHONE, from the harness). */
const WALL: BrowserContextOptions = { viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' };
const DESK: BrowserContextOptions = { viewport: { width: 1366, height: 768 }, locale: 'zh-CN' };

type LngLat = [number, number];
type Bbox = [number, number, number, number];
interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}
interface Counts {
  reportedToday: number;
  open: number;
  awaitingAcknowledgement: number;
  overdue: number;
}
interface Summary {
  day: string;
  totals: Counts;
  byTownship: (Counts & { code: string; name: string | null })[];
}

/** Everything that floats over the map, named one by one: a panel missing from the app's own list still counts here. */
const PANELS = [
  '.top-bar',
  '[data-testid="duty-board"]',
  '[data-testid="level-indicator"]',
  '[data-testid="live-panel"]',
  '[data-testid="area-panel"]',
  '.case-panel',
  '.map-legend',
  '.maplibregl-ctrl-bottom-right .maplibregl-ctrl',
];

const watch = watchedChromium();
let duty: ApiSession;

async function json<T>(response: Response): Promise<T> {
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

async function areaOf(code: string): Promise<{ bbox: Bbox; labelPoint: LngLat; name: string }> {
  return (await json<{ area: { bbox: Bbox; labelPoint: LngLat; name: string } }>(await duty.get(`/api/areas/${code}`))).area;
}

/** A normal (not alarming) report at `[lng, lat]`, filed by the duty officer: it counts as today's and open. */
async function report([lng, lat]: LngLat, type = 'road_damage'): Promise<string> {
  const response = await duty.post('/api/reports', {
    clientId: randomUUID(),
    type,
    urgency: 'normal',
    description: '值班看板测试：路面塌陷',
    lng,
    lat,
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { report: { id: string } }).report.id;
}

async function summary(): Promise<Summary> {
  return json<Summary>(await duty.get('/api/cases/summary'));
}

async function openCommandView(options: BrowserContextOptions, hash = ''): Promise<Page> {
  const context = await watch.newContext({ ...options, timezoneId: 'Europe/London' });
  await signIn(context, 'duty');
  const page = await context.newPage();
  await page.goto(`${serverUrl()}/${hash}`);
  await mapSettled(page);
  return page;
}

/** The board's number for a count, once it has loaded. */
async function boardCount(page: Page, metric: keyof Counts): Promise<number> {
  const value = await page.locator(`[data-testid="duty-count-${metric}"] strong`).getAttribute('data-count');
  return value === null || value === '' ? Number.NaN : Number(value);
}

/** The township's bounds on the screen and every visible panel's rectangle, measured in the page. */
async function measure(page: Page, bbox: Bbox): Promise<{ target: Rect; panels: (Rect & { name: string })[]; viewport: Rect }> {
  return page.evaluate(
    ({ bbox: [west, south, east, north], selectors }) => {
      const map = window.__map!;
      const canvas = map.getContainer().getBoundingClientRect();
      const northWest = map.project([west, north]);
      const southEast = map.project([east, south]);
      const target = {
        left: canvas.left + northWest.x,
        top: canvas.top + northWest.y,
        right: canvas.left + southEast.x,
        bottom: canvas.top + southEast.y,
      };
      const panels = selectors.flatMap((selector) =>
        [...document.querySelectorAll(selector)]
          .map((element) => ({ name: selector, rect: element.getBoundingClientRect() }))
          .filter(({ rect }) => rect.width > 0 && rect.height > 0)
          .map(({ name, rect }) => ({ name, left: rect.left, top: rect.top, right: rect.right, bottom: rect.bottom })),
      );
      return { target, panels, viewport: { left: 0, top: 0, right: window.innerWidth, bottom: window.innerHeight } };
    },
    { bbox, selectors: PANELS },
  );
}

/** The panels whose rectangles share more than a pixel with the township's bounds, and whether those leave the screen. */
async function coverage(page: Page, bbox: Bbox): Promise<{ covering: string[]; offScreen: boolean }> {
  const { target, panels, viewport } = await measure(page, bbox);
  const covering = panels
    .filter(
      (panel) =>
        Math.min(panel.right, target.right) - Math.max(panel.left, target.left) > 1 &&
        Math.min(panel.bottom, target.bottom) - Math.max(panel.top, target.top) > 1,
    )
    .map((panel) => panel.name);
  const offScreen =
    target.left < viewport.left - 1 ||
    target.top < viewport.top - 1 ||
    target.right > viewport.right + 1 ||
    target.bottom > viewport.bottom + 1;
  return { covering, offScreen };
}

/** Waits for the view to settle on `code` in the free part of the map. */
async function framed(page: Page, code: string): Promise<void> {
  await page.waitForSelector(`html[data-map-framed="${code}"]`, { timeout: 30_000 });
  await mapSettled(page);
}

describe('the wall screen: clock, counts, and panels that never cover the selection (small county)', () => {
  beforeAll(async () => {
    duty = await apiSession('duty');
    // Today's reports in every township of the county, and one more in 沙溪镇.
    const townships = await json<{ children: { code: string; labelPoint: LngLat }[] }>(
      await duty.get('/api/areas/511921/children'),
    );
    for (const township of townships.children) await report(township.labelPoint);
    const shaxi = await areaOf(SHAXI);
    await report([shaxi.labelPoint[0] + 0.01, shaxi.labelPoint[1]], 'dispute');
  });

  it('shows Beijing time and the four counts, follows a new report live, and each count opens its list', async () => {
    const page = await openCommandView(WALL);
    // The page runs in London time: the clock still shows Beijing's.
    const clock = page.getByTestId('duty-clock');
    const beijing = (date: Date, options: Intl.DateTimeFormatOptions) =>
      new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', ...options }).format(date);
    const shown = (await clock.locator('time').textContent()) ?? '';
    expect(shown).toMatch(/^\d{2}:\d{2}:\d{2}$/);
    const [hours, minutes] = shown.split(':').map(Number);
    const expectedNow = beijing(new Date(), { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    const expectedMinutes = Number(expectedNow.slice(0, 2)) * 60 + Number(expectedNow.slice(3, 5));
    expect(Math.abs(hours! * 60 + minutes! - expectedMinutes) % (24 * 60)).toBeLessThanOrEqual(1);
    expect(await clock.textContent()).toContain(beijing(new Date(), { weekday: 'long' }));
    await expect.poll(() => clock.locator('time').textContent(), { timeout: 5000 }).not.toBe(shown);

    // The counts are the API's, which the integration tests hold to the case list.
    const before = await summary();
    await expect.poll(() => boardCount(page, 'reportedToday')).toBe(before.totals.reportedToday);
    for (const metric of ['open', 'awaitingAcknowledgement', 'overdue'] as const)
      expect(await boardCount(page, metric)).toBe(before.totals[metric]);
    expect(before.totals.reportedToday).toBeGreaterThan(0);
    const shaxiRow = page.locator(`[data-testid="duty-breakdown"] tr[data-key="${SHAXI}"]`);
    expect(await shaxiRow.locator('th').textContent()).toBe('沙溪镇');
    await shoot(page, 'wall-01-board');

    // A new report reaches the board without a reload.
    const shaxi = await areaOf(SHAXI);
    await report([shaxi.labelPoint[0] - 0.01, shaxi.labelPoint[1]]);
    await expect.poll(() => boardCount(page, 'reportedToday'), { timeout: 20_000 }).toBe(before.totals.reportedToday + 1);

    // Today's tile opens the list of today's cases, every state: the same number.
    const today = await boardCount(page, 'reportedToday');
    await page.getByTestId('duty-count-reportedToday').click();
    await expect.poll(() => page.evaluate(() => window.location.pathname)).toBe('/cases');
    const search = new URLSearchParams(await page.evaluate(() => window.location.search));
    expect(Object.fromEntries(search)).toMatchObject({ state: '', fromDay: before.day, toDay: before.day });
    await expect
      .poll(() => page.getByTestId('case-count').textContent(), { timeout: 15_000 })
      .toMatch(new RegExp(`\\b${today}\\b`));

    // Back on the map, 沙溪镇's open cases open the list cut to 沙溪镇.
    await page.goBack();
    await mapSettled(page);
    const now = await summary();
    const shaxiOpen = now.byTownship.find((row) => row.code === SHAXI)!.open;
    await page.locator(`[data-testid="duty-breakdown"] tr[data-key="${SHAXI}"] td[data-metric="open"] a`).click();
    await expect.poll(() => page.evaluate(() => new URLSearchParams(window.location.search).get('area'))).toBe(SHAXI);
    await expect
      .poll(() => page.getByTestId('case-count').textContent(), { timeout: 15_000 })
      .toMatch(new RegExp(`\\b${shaxiOpen}\\b`));
  });

  it('at 1920×1080, a township clicked on the map lies clear of the live list, the area panel, the board and the legend', async () => {
    const shaxi = await areaOf(SHAXI);
    // Close in on the township, so that part of it lies under the panels before it is chosen.
    // Township zoom (below 10), the township off to the left, partly under the board and the live list.
    const page = await openCommandView(
      WALL,
      `#map=9.9/${shaxi.labelPoint[1].toFixed(5)}/${(shaxi.labelPoint[0] + 0.15).toFixed(5)}`,
    );
    expect(await page.getByTestId('live-panel').getAttribute('data-open')).toBe('true');
    const before = await coverage(page, shaxi.bbox);
    expect(before.covering.length > 0 || before.offScreen, 'the township starts partly under the panels').toBe(true);

    // South of the label point, away from the reports' dots (a dot would open its case instead).
    const point = await page.evaluate(([lng, lat]) => window.__map!.project([lng, lat - 0.04]), shaxi.labelPoint);
    await page.mouse.click(point.x, point.y);
    await page.locator(`[data-testid="area-panel"][data-code="${SHAXI}"][data-state="ready"]`).waitFor();
    await framed(page, SHAXI);
    expect(await coverage(page, shaxi.bbox)).toEqual({ covering: [], offScreen: false });
    expect(await page.locator('.map-legend').getAttribute('data-open')).toBe('false');
    await shoot(page, 'wall-02-township-selected-1920');

    // Unfolding the legend over the map moves the township clear of it too.
    await page.locator('.legend-toggle').click();
    expect(await page.locator('.map-legend').getAttribute('data-open')).toBe('true');
    await expect.poll(async () => coverage(page, shaxi.bbox), { timeout: 15_000 }).toEqual({ covering: [], offScreen: false });
    await mapSettled(page);
    expect(await coverage(page, shaxi.bbox)).toEqual({ covering: [], offScreen: false });
    await shoot(page, 'wall-03-legend-open-1920');
  });

  it.each([
    ['a desk, 1366×768', DESK, 'wall-04-desk-1366'],
    ['a phone', PHONE, 'wall-05-phone'],
  ])('on %s, a shared link to the township fits it clear of every panel', async (_name, options, screenshot) => {
    const shaxi = await areaOf(SHAXI);
    const page = await openCommandView(options, `#area=${SHAXI}`);
    await page.locator(`[data-testid="area-panel"][data-code="${SHAXI}"][data-state="ready"]`).waitFor();
    await framed(page, SHAXI);
    expect(await coverage(page, shaxi.bbox)).toEqual({ covering: [], offScreen: false });
    await shoot(page, screenshot);
  });
});
