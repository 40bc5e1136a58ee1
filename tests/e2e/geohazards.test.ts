import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiSession, BrowserWatch, DESKTOP, launchBrowser, mapSettled, serverUrl, shoot, signIn } from './harness.ts';

let browser: Browser;
const watch = new BrowserWatch(() => browser);

interface PointDay {
  id: string;
  name: string;
  status: string;
  position: [number, number];
}

beforeAll(async () => {
  browser = await launchBrowser();
});

afterEach(() => watch.finish());

afterAll(async () => {
  await browser?.close();
});

describe('the geohazard watch on the command map', () => {
  it('draws the points by today’s status, lists those behind, and flies to one picked from the list', async () => {
    // The embedded demo's register and its monitors' rounds (api/geohazards/demo.ts): one monitor in four is lax.
    const county = await apiSession('county');
    const today = (await (await county.get('/api/geohazards/points')).json()) as { points: PointDay[] };
    const behind = today.points.filter((point) => point.status === 'behind');
    expect(today.points.length).toBeGreaterThan(4);
    expect(behind.length).toBeGreaterThan(0);

    const context = await watch.newContext(DESKTOP);
    await signIn(context, 'county');
    const page = await context.newPage();
    await page.goto(`${serverUrl()}/`);
    await mapSettled(page);
    const list = page.getByTestId('geohazard-behind').locator('li');
    await expect.poll(() => list.count(), { timeout: 30_000 }).toBe(behind.length);
    await expect
      .poll(() => page.evaluate(() => window.__map?.queryRenderedFeatures({ layers: ['geohazard-points'] }).length ?? 0), {
        timeout: 30_000,
      })
      .toBeGreaterThan(0);
    await shoot(page, 'geohazards-county');

    // Pick the first point behind: the map flies to it (zoom 14 at least) and it is drawn there, red.
    const first = await list.first().locator('.geohazard-name').textContent();
    const picked = behind.find((point) => point.name === first)!;
    await list.first().locator('button').click();
    await page.waitForFunction(() => (window.__map?.getZoom() ?? 0) >= 14 && !window.__map?.isMoving(), undefined, {
      timeout: 30_000,
    });
    await page.waitForTimeout(500);
    const drawn = await page.evaluate((id) => {
      const map = window.__map!;
      const feature = map
        .queryRenderedFeatures({ layers: ['geohazard-points'] })
        .find((candidate) => candidate.properties.id === id);
      if (feature?.geometry.type !== 'Point') return null;
      const screen = map.project(feature.geometry.coordinates as [number, number]);
      const canvas = map.getCanvas().getBoundingClientRect();
      return { status: feature.properties.status, x: screen.x + canvas.left, y: screen.y + canvas.top };
    }, picked.id);
    expect(drawn?.status).toBe('behind');

    // Hover it: the tooltip names the point, its monitor and today's count against the rule.
    await page.mouse.move(drawn!.x, drawn!.y);
    const tooltip = page.getByTestId('geohazard-tooltip');
    await tooltip.waitFor({ timeout: 10_000 });
    expect(await tooltip.textContent()).toContain(picked.name);
    expect(await tooltip.textContent()).toMatch(/今日 \d+\/\d+ 次/);
    await shoot(page, 'geohazards-picked');

    // The switch hides the layer.
    await page.locator('.geohazard-switch').click();
    await expect
      .poll(() => page.evaluate(() => window.__map?.queryRenderedFeatures({ layers: ['geohazard-points'] }).length ?? 0))
      .toBe(0);
  });
});
