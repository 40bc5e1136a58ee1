import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiSession, BrowserWatch, DESKTOP, launchBrowser, mapSettled, serverUrl, shoot, signIn } from './harness.ts';

/** 王坪村's first grid's first cell, which the demo grid worker wangping-grid walks below. */
const CELL = '511921108209001001';
const VILLAGE = '511921108209';
const GRID = '511921108209001';
const METRES_PER_DEGREE_LAT = 111_320;

let browser: Browser;
const watch = new BrowserWatch(() => browser);
let labelPoint: [number, number];

interface Coverage {
  area: { cells: number; day1: number; day7: number; day30: number };
  children: { code: string; name: string; cells: number; day1: number; day7: number; day30: number }[];
}

beforeAll(async () => {
  browser = await launchBrowser();
  const county = await apiSession('county');
  labelPoint = ((await (await county.get(`/api/areas/${CELL}`)).json()) as { area: { labelPoint: [number, number] } }).area
    .labelPoint;
  // The worker walks 20 m up the middle of the cell, just now (so the walk falls on today's county day).
  const worker = await apiSession('wangping-grid');
  const started = (await (
    await worker.post('/api/patrols', { clientId: crypto.randomUUID(), startedAt: new Date(Date.now() - 120_000).toISOString() })
  ).json()) as { patrol: { id: string } };
  const at = Date.now() - 3_000;
  const fixes = [0, 10, 20].map((metres, index) => ({
    clientFixId: crypto.randomUUID(),
    fixedAt: new Date(at + index * 1_000).toISOString(),
    lng: labelPoint[0],
    lat: labelPoint[1] + metres / METRES_PER_DEGREE_LAT,
    accuracyM: 6,
  }));
  expect((await worker.post(`/api/patrols/${started.patrol.id}/positions`, { fixes })).status).toBe(200);
});

afterEach(() => watch.finish());

afterAll(async () => {
  await browser?.close();
});

describe('patrol coverage on the command map', () => {
  it('colours the walked cell as patrolled today, with its legend, and shows the shares in the area panel', async () => {
    const context = await watch.newContext(DESKTOP);
    await signIn(context, 'shaxi');
    const page = await context.newPage();
    await page.goto(`${serverUrl()}/#map=14.5/${labelPoint[1]}/${labelPoint[0]}&area=${VILLAGE}`);
    await mapSettled(page);

    await page.getByTestId('coverage-mode').locator('.switch').click();
    const legend = page.getByTestId('coverage-legend');
    await expect.poll(() => legend.getAttribute('data-state'), { timeout: 20_000 }).toBe('ready');
    expect(await legend.locator('li').allTextContents()).toEqual(['今天', '7天内', '30天内', '超过30天或从未']);

    // The cell under the walk is drawn in the coverage layer, as patrolled today (0 days ago).
    await mapSettled(page);
    const drawn = await page.evaluate(
      ({ point, cell }) => {
        const map = window.__map!;
        const pixel = map.project(point);
        const features = map.queryRenderedFeatures(pixel, { layers: ['patrol-coverage-fill'] });
        return features
          .map((feature) => ({ code: feature.properties.code, days: feature.state.coverageDays }))
          .find((feature) => feature.code === cell);
      },
      { point: labelPoint, cell: CELL },
    );
    expect(drawn).toEqual({ code: CELL, days: 0 });

    // The area panel: the village and its grids, numerators over denominators, as the API counts them.
    const shaxi = await apiSession('shaxi');
    const coverage = (await (await shaxi.get(`/api/patrols/coverage?area=${VILLAGE}`)).json()) as Coverage;
    const grid = coverage.children.find((child) => child.code === GRID)!;
    expect(grid.day1).toBeGreaterThan(0);
    const section = page.getByTestId('area-coverage');
    await expect.poll(() => section.getAttribute('data-state'), { timeout: 20_000 }).toBe('ready');
    const gridRow = section.locator(`tr[data-code="${GRID}"]`);
    expect(await gridRow.locator('td').first().textContent()).toBe(grid.name);
    expect(await gridRow.locator('.coverage-fraction').allTextContents()).toEqual([
      `${grid.day1}/${grid.cells}`,
      `${grid.day7}/${grid.cells}`,
      `${grid.day30}/${grid.cells}`,
    ]);
    const own = await section.locator('tr[data-self="true"] .coverage-fraction').allTextContents();
    expect(own[0]).toBe(`${coverage.area.day1}/${coverage.area.cells}`);
    await shoot(page, 'patrol-coverage');
    // Further out, the township's other cells: nobody walked them.
    await page.evaluate(() => window.__map!.jumpTo({ zoom: 11 }));
    await mapSettled(page);
    await shoot(page, 'patrol-coverage-township');
  });
});
