import type { BrowserContextOptions, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiSession } from './harness.ts';
import { apiSession, DESKTOP, mapSettled, PHONE, serverUrl, shoot, signIn, watchedChromium } from './harness.ts';

/** 王坪村 (沙溪镇), the village of the source study, its first grid's first cell, and its township. */
const TOWNSHIP = '511921108';
const VILLAGE = '511921108209';
const CELL = '511921108209001001';

type LngLat = [number, number];
interface AreaFacts {
  code: string;
  name: string;
  labelPoint: LngLat;
  bbox: [number, number, number, number];
  chain: { code: string; name: string }[];
}

const watch = watchedChromium();
/** The county commander, in Node, for the facts the page is compared with. */
let county: ApiSession;

/** Opens the command view signed in as the county commander, who sees the whole county and its households. */
async function openMap(options: BrowserContextOptions, hash = ''): Promise<Page> {
  const context = await watch.newContext(options);
  await signIn(context, 'county');
  const page = await context.newPage();
  await page.goto(`${serverUrl()}/${hash}`);
  await mapSettled(page);
  return page;
}

async function area(code: string): Promise<AreaFacts> {
  const response = await county.get(`/api/areas/${code}`);
  expect(response.status).toBe(200);
  const body = (await response.json()) as { area: AreaFacts };
  return body.area;
}

async function project(page: Page, point: LngLat): Promise<{ x: number; y: number }> {
  return page.evaluate(([lng, lat]) => {
    const pixel = window.__map!.project([lng, lat]);
    return { x: pixel.x, y: pixel.y };
  }, point);
}

function panel(page: Page, code: string) {
  return page.locator(`[data-testid="area-panel"][data-code="${code}"][data-state="ready"]`);
}

async function breadcrumbNames(page: Page): Promise<string[]> {
  return page.locator('[data-testid="breadcrumb"] li').allTextContents();
}

const mapHash = (zoom: number, [lng, lat]: LngLat) => `#map=${zoom}/${lat.toFixed(6)}/${lng.toFixed(6)}`;

describe('command view in Chromium, against the real server (small county)', () => {
  beforeAll(async () => {
    county = await apiSession('county');
  });

  it('opens on the whole county with the townships labelled in Chinese, drawn with the self-hosted font', async () => {
    const page = await openMap(DESKTOP);
    const townshipLabels = await page.evaluate(() =>
      window.__map!.queryRenderedFeatures({ layers: ['township-label'] }).map((feature) => String(feature.properties.name)),
    );
    expect(townshipLabels).toContain('沙溪镇');
    // MapLibre registers each `font-faces` file it draws with under its own family; one loaded means labels used it.
    const mapFontsLoaded = await page.evaluate(
      () =>
        [...document.fonts].filter((face) => face.family.includes('maplibre-gl-font-face') && face.status === 'loaded').length,
    );
    expect(mapFontsLoaded).toBeGreaterThan(0);
    await expect.poll(() => page.locator('[data-testid="level-indicator"]').getAttribute('data-level')).toBe('township');
    expect(await page.getByTestId('signed-in-as').textContent()).toContain('县总指挥（演示）');
    await shoot(page, '01-county');
  });

  it('selects a cell clicked on the map: panel, breadcrumb, outline, beacon and URL', async () => {
    const cell = await area(CELL);
    const page = await openMap(DESKTOP, mapHash(16, cell.labelPoint));
    const hovered = () =>
      page.evaluate((code) => window.__map!.getFeatureState({ source: 'cell', sourceLayer: 'cell', id: code }).hover, CELL);
    await page.mouse.move(800, 450);
    await expect.poll(hovered).toBe(true);
    await page.mouse.click(800, 450);

    await panel(page, CELL).waitFor();
    await expect.poll(() => page.locator('[data-testid="area-panel"] h2').textContent()).toBe(cell.name);
    const crumbs = await breadcrumbNames(page);
    expect(crumbs.slice(0, 3)).toEqual(['通江县', '沙溪镇', '王坪村']);
    expect(crumbs).toEqual(cell.chain.map((item) => item.name));
    await expect.poll(() => page.evaluate(() => window.location.hash)).toContain(`area=${CELL}`);
    expect(await page.locator('[data-testid="area-panel"]').textContent()).toContain('模拟数据');

    const outlined = await page.evaluate(
      (code) => window.__map!.getFeatureState({ source: 'cell', sourceLayer: 'cell', id: code }).selected,
      CELL,
    );
    expect(outlined).toBe(true);

    // deck.gl draws the beacon on the label point: picking there finds it. The overlay is loaded on
    // its own and draws on its next frame, which a slow software renderer may give late: the pick
    // is asked again until the beacon is there.
    await mapSettled(page);
    await page.waitForFunction(() => window.__deckOverlay !== undefined);
    const pickBeacon = async () => {
      const pixel = await project(page, cell.labelPoint);
      return page.evaluate(
        ({ x, y }) => window.__deckOverlay!.pickObject({ x, y, radius: 4, layerIds: ['selection-pulse'] })?.layer?.id ?? null,
        pixel,
      );
    };
    await expect.poll(pickBeacon, { timeout: 30_000 }).toBe('selection-pulse');
    await shoot(page, '02-cell-selected');
  });

  it('follows the breadcrumb up to the village, and a reload restores the view and selection', async () => {
    const cell = await area(CELL);
    const page = await openMap(DESKTOP, `${mapHash(16, cell.labelPoint)}&area=${CELL}`);
    await panel(page, CELL).waitFor();

    await page.locator(`[data-testid="breadcrumb"] button[data-code="${VILLAGE}"]`).click();
    await panel(page, VILLAGE).waitFor();
    await expect.poll(() => page.locator('[data-testid="area-panel"] h2').textContent()).toBe('王坪村');
    expect(await breadcrumbNames(page)).toEqual(['通江县', '沙溪镇', '王坪村']);
    await mapSettled(page);
    const zoom = await page.evaluate(() => window.__map!.getZoom());
    expect(zoom).toBeLessThan(16);
    await expect
      .poll(() => page.evaluate(() => window.location.hash))
      .toMatch(new RegExp(`^#map=[\\d.]+/[\\d.]+/[\\d.]+&area=${VILLAGE}$`));
    await shoot(page, '03-village-from-breadcrumb');

    // MapLibre writes the view to the hash at most every 300 ms, later on a busy machine: wait until
    // the hash holds the settled zoom, not for a fixed time.
    await expect.poll(() => page.evaluate(() => Number(/^#map=([\d.]+)\//.exec(window.location.hash)?.[1]))).toBeCloseTo(zoom, 1);
    await page.reload();
    await mapSettled(page);
    await panel(page, VILLAGE).waitFor();
    expect(await page.evaluate(() => window.__map!.getZoom())).toBeCloseTo(zoom, 1);
  });

  it('finds 王坪 by search, flies to it and selects it', async () => {
    const village = await area(VILLAGE);
    const page = await openMap(DESKTOP, `#area=${TOWNSHIP}`);
    await panel(page, TOWNSHIP).waitFor();
    await mapSettled(page);
    const townshipZoom = await page.evaluate(() => window.__map!.getZoom());

    await page.getByRole('combobox').fill('王坪');
    const result = page.getByRole('option').filter({ hasText: '王坪村' }).first();
    await result.waitFor();
    expect(await result.textContent()).toContain('沙溪镇');
    await shoot(page, '04-search-results');
    await result.click();

    await panel(page, VILLAGE).waitFor();
    await mapSettled(page);
    const view = await page.evaluate(
      ([lng, lat]) => ({ zoom: window.__map!.getZoom(), showsVillage: window.__map!.getBounds().contains([lng, lat]) }),
      village.labelPoint,
    );
    // It flies in to the village, as far as the panels around the map leave room for (the area
    // panel's coverage table and the geohazard list take some on a 1600×900 screen).
    expect(view.showsVillage).toBe(true);
    expect(view.zoom).toBeGreaterThan(townshipZoom);
    expect(await page.evaluate(() => window.location.hash)).toContain(`area=${VILLAGE}`);
    await shoot(page, '05-village-from-search');
  });

  it('toggles the deck.gl household density heatmap', async () => {
    const page = await openMap(DESKTOP);
    const heatmapSwitch = page.getByTestId('heatmap-switch');
    await expect.poll(() => heatmapSwitch.isEnabled()).toBe(true);
    const clip = { x: 400, y: 150, width: 800, height: 600 };
    const before = await page.screenshot({ clip });
    await page.locator('label.switch', { has: heatmapSwitch }).click();
    expect(await heatmapSwitch.isChecked()).toBe(true);
    await page.waitForTimeout(1000);
    const after = await page.screenshot({ clip });
    expect(after.equals(before)).toBe(false);
    await shoot(page, '06-heatmap');
  });

  it('shows a malformed area code in the URL as a toast and selects nothing', async () => {
    // The toast goes after 7 s, which a busy machine can spend loading the map: look for it from
    // the moment the page opens, then let the map settle.
    const context = await watch.newContext(DESKTOP);
    await signIn(context, 'county');
    const page = await context.newPage();
    await page.goto(`${serverUrl()}/#area=12345`);
    const toast = page.getByRole('alert').first();
    await toast.waitFor();
    expect((await toast.textContent())?.length ?? 0).toBeGreaterThan(4);
    await mapSettled(page);
    await expect.poll(() => page.locator('[data-testid="area-panel"]').count()).toBe(0);
    await expect.poll(() => page.evaluate(() => window.location.hash)).not.toContain('area=');
  });

  it('switches the interface to English and back', async () => {
    const page = await openMap(DESKTOP, `#area=${VILLAGE}`);
    await panel(page, VILLAGE).waitFor();
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await expect.poll(() => page.getByRole('combobox').getAttribute('placeholder')).toContain('Search areas');
    expect(await page.locator('[data-testid="area-panel"]').textContent()).toContain('Households');
    expect(await page.locator('[data-testid="level-indicator"]').textContent()).toContain('Grid');
    await shoot(page, '07-english');
    await page.getByRole('button', { name: '切换到中文' }).click();
    await expect.poll(() => page.getByRole('combobox').getAttribute('placeholder')).toContain('搜索区域');
  });

  it('is usable at phone width: bottom sheet leaves the map visible, breadcrumb and close work by touch', async () => {
    const page = await openMap(PHONE, `#area=${CELL}`);
    const sheet = panel(page, CELL);
    await sheet.waitFor();
    await mapSettled(page);
    await shoot(page, '08-phone-cell');
    // However far out the map had to zoom to fit the cell, its outline is drawn.
    const outline = await page.evaluate(() => {
      const map = window.__map!;
      const layer = map.getLayer('cell-selection-line')!;
      return { visibility: map.getLayoutProperty(layer.id, 'visibility'), inZoomRange: map.getZoom() >= layer.minzoom };
    });
    expect(outline).toEqual({ visibility: 'visible', inZoomRange: true });

    const box = await sheet.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.width).toBeLessThanOrEqual(375);
    expect(box!.y).toBeGreaterThan(740 * 0.4);
    expect(box!.y + box!.height).toBeLessThanOrEqual(741);
    expect(await page.evaluate(() => document.elementFromPoint(187, 220)?.closest('.map-canvas') !== null)).toBe(true);
    const search = await page.getByRole('combobox').boundingBox();
    expect(search!.width).toBeGreaterThan(180);

    const villageCrumb = page.locator(`[data-testid="breadcrumb"] button[data-code="${VILLAGE}"]`);
    const crumbBox = await villageCrumb.boundingBox();
    expect(crumbBox!.height).toBeGreaterThanOrEqual(32);
    await villageCrumb.tap();
    await panel(page, VILLAGE).waitFor();
    await mapSettled(page);
    await shoot(page, '09-phone-village');

    await page.getByRole('button', { name: '收起' }).tap();
    const collapsed = await page.locator('[data-testid="area-panel"]').boundingBox();
    expect(collapsed!.height).toBeLessThan(140);
    await shoot(page, '10-phone-collapsed');

    await page.getByRole('button', { name: '关闭', exact: true }).tap();
    await expect.poll(() => page.locator('[data-testid="area-panel"]').count()).toBe(0);
    await expect.poll(() => page.evaluate(() => window.location.hash)).not.toContain('area=');
  });
});
