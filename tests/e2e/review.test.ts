import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DESKTOP, SCREENSHOTS, serverUrl, shoot, signIn, watchedChromium } from './harness.ts';

const watch = watchedChromium();

/** The review page is light unless the system prefers dark: the tests pin the browser's preference. */
const LIGHT = { ...DESKTOP, colorScheme: 'light' as const };

/** The KPI cards are there, each figure with its formula beside it. */
async function kpisShown(page: Page): Promise<void> {
  const cards = page.getByTestId('review-kpi');
  await expect.poll(() => cards.count(), { timeout: 60_000 }).toBeGreaterThanOrEqual(6);
  const onTime = page.locator('[data-kpi="on_time_closure"]');
  expect(await onTime.getByTestId('review-formula').textContent()).toContain('按期结案率 = 按期结案数 ÷（应结案数 − 缓办数）');
  expect(await onTime.locator('.review-figure').textContent()).toMatch(/^(\d+\.\d%|—)/);
  for (const formula of await page.getByTestId('review-formula').allTextContents()) expect(formula).toContain('=');
}

/** The choropleth has drawn every child in a class (or as without a figure), from the project's own tiles. */
async function choroplethDrawn(page: Page, children: number): Promise<void> {
  const map = page.getByTestId('review-map');
  await expect.poll(() => map.getAttribute('data-drawn'), { timeout: 90_000 }).toMatch(new RegExp(`^[-0-4]{${children}}$`));
  const filled = await page.evaluate(() => window.__reviewMap?.queryRenderedFeatures({ layers: ['review-fill'] }).length ?? 0);
  expect(filled).toBeGreaterThan(0);
  expect(watch.requestedPaths.some((path) => path.startsWith('/tiles/'))).toBe(true);
}

/** Screenshots of the page scrolled to the ranking and map, then to the charts. */
async function shootSections(page: Page, name: string): Promise<void> {
  await page.locator('.review-split').scrollIntoViewIfNeeded();
  await shoot(page, `${name}-map`);
  await page.getByTestId('review-trend').scrollIntoViewIfNeeded();
  await shoot(page, `${name}-trend`);
  await page.getByTestId('review-urban-rural').scrollIntoViewIfNeeded();
  await shoot(page, `${name}-urban-rural`);
  await page.locator('.review-main').evaluate((main) => main.scrollTo(0, 0));
}

/** Downloads what a link points at and checks it is an XLSX (a zip: "PK"). */
async function downloadsXlsx(page: Page, testId: string): Promise<void> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
  const path = await download.path();
  const bytes = await readFile(path);
  expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
}

describe('the review page (考评)', () => {
  it('gives a township commander their township: KPIs with formulas, villages ranked and mapped, drill-down, export, print', async () => {
    const context = await watch.newContext(LIGHT);
    await signIn(context, 'shaxi');
    const page = await context.newPage();
    await page.goto(`${serverUrl()}/`);
    await page.getByTestId('user-menu').locator('button.user-button').click();
    await page.getByTestId('review-link').click();
    await page.getByTestId('review-page').waitFor();
    await kpisShown(page);

    // The township's scope is the top of the breadcrumb: the county is not offered.
    const breadcrumb = page.getByTestId('review-breadcrumb');
    await expect.poll(() => breadcrumb.textContent()).toBe('沙溪镇');
    expect(await breadcrumb.locator('button').count()).toBe(0);

    // The small county's 沙溪镇 has four villages and communities: ranked, and on the map.
    const rows = page.getByTestId('review-ranking-row');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(4);
    await choroplethDrawn(page, 4);
    await page.getByTestId('review-urban-rural').waitFor();
    await expect
      .poll(() => page.getByTestId('review-trend-chart').locator('svg path').count(), { timeout: 30_000 })
      .toBeGreaterThan(0);
    await shoot(page, 'review-township-light');
    await shootSections(page, 'review-township-light');

    // Another KPI recolours the map without new tiles.
    await page.getByTestId('review-map-kpi').selectOption('ack_minutes');
    await expect.poll(() => page.evaluate(() => window.location.hash)).toContain('kpi=ack_minutes');

    // Sorting by a column puts the figures in order (rows without a figure last).
    await page.locator('[data-sort="closure"]').click();
    const closure = await rows.evaluateAll((all) =>
      all.map((row) => row.querySelector('td[data-kpi="closure"]')?.textContent ?? ''),
    );
    const figures = closure.filter((text) => text !== '—').map((text) => Number.parseFloat(text));
    expect(figures).toEqual([...figures].sort((a, b) => b - a));

    await downloadsXlsx(page, 'review-ranking-export');

    // Print: the controls go, the review's heading comes.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.review-view > .top-bar').isVisible()).toBe(false);
    expect(await page.locator('.review-toolbar').isVisible()).toBe(false);
    expect(await page.getByTestId('review-ranking-export').isVisible()).toBe(false);
    expect(await page.getByTestId('review-print').isVisible()).toBe(false);
    expect(await page.locator('.review-print-header h1').textContent()).toContain('沙溪镇');
    expect(await page.getByTestId('review-kpis').isVisible()).toBe(true);
    // Before printing, the map's canvas is copied into an image that the print shows instead.
    await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
    const mapImage = page.locator('.review-map-print');
    await mapImage.waitFor();
    expect(await mapImage.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    expect(await page.getByTestId('review-map').isVisible()).toBe(false);
    expect(await page.getByTestId('review-trend-chart').locator('svg').count()).toBe(1);
    await page.screenshot({ path: join(SCREENSHOTS, 'review-township-print.png'), fullPage: true });
    await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
    await page.emulateMedia({ media: 'screen' });

    // Down to a village: by a row of the ranking; the breadcrumb leads back up.
    await page.getByTestId('review-ranking-row').filter({ hasText: '王坪村' }).click();
    await expect.poll(() => breadcrumb.textContent(), { timeout: 30_000 }).toBe('沙溪镇王坪村');
    expect(await page.evaluate(() => window.location.hash)).toContain('area=511921108209');
    await kpisShown(page);
    await page.goBack();
    await expect.poll(() => breadcrumb.textContent(), { timeout: 30_000 }).toBe('沙溪镇');
  });

  it('gives the county commander the townships, the urban-rural gap, the cases behind a figure and the assessments, in dark', async () => {
    const context = await watch.newContext(LIGHT);
    await signIn(context, 'county');
    const page = await context.newPage();
    await page.goto(`${serverUrl()}/review`);
    await kpisShown(page);
    const rows = page.getByTestId('review-ranking-row');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(4);
    await choroplethDrawn(page, 4);

    // The urban core against the rural townships: bars, and the gap KPI by KPI.
    const urbanRural = page.getByTestId('review-urban-rural');
    await expect
      .poll(() => urbanRural.getByTestId('review-urban-rural-chart').locator('svg path').count(), { timeout: 30_000 })
      .toBeGreaterThan(0);
    expect(await urbanRural.locator('thead').textContent()).toContain('城区（壁州街道、诺江镇）');
    await downloadsXlsx(page, 'review-urban-rural-export');

    // Dark, and remembered across a reload.
    await page.getByTestId('review-theme').click();
    expect(await page.getByTestId('review-page').getAttribute('data-theme')).toBe('dark');
    await page.reload();
    await page.getByTestId('review-page').waitFor();
    expect(await page.getByTestId('review-page').getAttribute('data-theme')).toBe('dark');
    await kpisShown(page);
    await choroplethDrawn(page, 4);
    await shoot(page, 'review-county-dark');
    await shootSections(page, 'review-county-dark');

    // The cases behind the on-time closure rate, each a link to its case page.
    await page.locator('[data-kpi="on_time_closure"] .review-cases-button').click();
    const dialog = page.getByTestId('review-cases');
    await expect.poll(() => dialog.getByTestId('review-case').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await dialog.getByTestId('review-case').first().locator('a').getAttribute('href')).toMatch(/^\/cases\//);
    await shoot(page, 'review-county-cases');
    await dialog.getByRole('button', { name: '关闭' }).click();

    // County → township → village → grid, by the ranking's rows.
    await rows.filter({ hasText: '沙溪镇' }).click();
    await expect.poll(() => page.getByTestId('review-breadcrumb').textContent(), { timeout: 30_000 }).toBe('通江县沙溪镇');
    await rows.filter({ hasText: '王坪村' }).click();
    await expect.poll(() => page.getByTestId('review-breadcrumb').textContent(), { timeout: 30_000 }).toBe('通江县沙溪镇王坪村');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await rows.first().click();
    await expect.poll(() => page.getByTestId('review-breadcrumb').locator('li').count(), { timeout: 30_000 }).toBe(4);

    // The grid workers' and departments' assessment, as tabs, each exported.
    await page.getByTestId('review-tab-workers').click();
    await expect.poll(() => page.getByTestId('review-workers-row').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await downloadsXlsx(page, 'review-workers-export');
    await page.getByTestId('review-tab-departments').click();
    await expect.poll(() => page.getByTestId('review-departments-row').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await downloadsXlsx(page, 'review-departments-export');
    await shoot(page, 'review-county-departments-dark');
  });
});
