import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiSession, BrowserWatch, DESKTOP, launchBrowser, mapSettled, serverUrl, shoot, signIn } from './harness.ts';

const VILLAGE = '511921108209';

let browser: Browser;
const watch = new BrowserWatch(() => browser);

beforeAll(async () => {
  browser = await launchBrowser();
});

afterEach(() => watch.finish());

afterAll(async () => {
  await browser?.close();
});

describe('special-population heatmaps on the command map', () => {
  it('switches the visit heatmap on with its legend, and breaks the glass for a village with a reason', async () => {
    const context = await watch.newContext(DESKTOP);
    await signIn(context, 'shaxi');
    const page = await context.newPage();
    await page.goto(`${serverUrl()}/#area=${VILLAGE}`);
    await mapSettled(page);

    // The area panel's figures for a commander without personal access: aggregates, suppressed below 5.
    const panel = page.getByTestId('area-special');
    await expect.poll(() => panel.getAttribute('data-state'), { timeout: 20_000 }).toBe('ready');
    expect(await panel.textContent()).toContain('汇总数据：少于5人的不显示');
    expect(await panel.locator('tr[data-self="true"] td').first().textContent()).toContain('本区域');
    expect(await panel.locator('tbody tr[data-code]').count()).toBeGreaterThan(0);
    await panel.scrollIntoViewIfNeeded();
    await shoot(page, 'special-area-panel');

    const mode = page.getByTestId('special-mode');
    await mode.getByTestId('special-measure-visits').check();
    const legend = page.getByTestId('special-legend');
    await expect.poll(() => legend.getAttribute('data-state'), { timeout: 20_000 }).toBe('ready');
    expect(await legend.textContent()).toContain('少于5人，不显示');
    expect(await page.getByTestId('special-note').textContent()).toContain('汇总数据');
    await shoot(page, 'special-heatmap-aggregate');

    // Break the glass: a reason too short is refused in the dialog; a real one opens exact figures.
    await mode.getByTestId('break-glass').click();
    const dialog = page.locator('dialog.form-dialog');
    await dialog.getByTestId('break-glass-reason').fill('紧急');
    await dialog.locator('button[type="submit"]').click();
    expect(await dialog.getByTestId('dialog-error').textContent()).toContain('至少10个字');
    await dialog.getByTestId('break-glass-reason').fill('测试：群众报告行为异常，需立即核实监护情况');
    await dialog.locator('button[type="submit"]').click();
    await expect.poll(() => page.getByTestId('special-note').textContent(), { timeout: 20_000 }).toContain('精确数据');
    await shoot(page, 'special-heatmap-break-glass');

    const shaxi = await apiSession('shaxi');
    const { grants } = (await (await shaxi.get('/api/special/grants/mine')).json()) as {
      grants: { id: string; areaCode: string }[];
    };
    expect(grants.map((grant) => grant.areaCode)).toContain(VILLAGE);
    for (const grant of grants) await shaxi.post(`/api/special/grants/${grant.id}/revoke`, {});
  });

  it('shows the grant with its reason to the county commander in the audit page', async () => {
    const context = await watch.newContext(DESKTOP);
    await signIn(context, 'county');
    const page = await context.newPage();
    await page.goto(`${serverUrl()}/admin/audit`);
    const badge = page.getByTestId('grant-badge').first();
    await badge.waitFor({ timeout: 20_000 });
    expect(await badge.textContent()).toContain('需立即核实监护情况');
    await shoot(page, 'special-heatmap-audit');
  });
});
