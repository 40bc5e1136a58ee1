import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiSession, BrowserWatch, DESKTOP, launchBrowser, mapSettled, serverUrl, shoot, signIn } from './harness.ts';

let browser: Browser;
const watch = new BrowserWatch(() => browser);

beforeAll(async () => {
  browser = await launchBrowser();
});

afterEach(() => watch.finish());

afterAll(async () => {
  await browser?.close();
});

describe('three-party evaluation and service providers', () => {
  it('records a return call on a closed case from its page, and shows it beside the timeline', async () => {
    // A closed case of the embedded demo's history, not yet evaluated.
    const duty = await apiSession('duty');
    const page1 = (await (await duty.get('/api/cases?state=closed&pageSize=1')).json()) as { items: { id: string }[] };
    const caseId = page1.items[0]!.id;

    const context = await watch.newContext(DESKTOP);
    await signIn(context, 'duty');
    const page = await context.newPage();
    await page.goto(`${serverUrl()}/cases/${caseId}`);
    const section = page.getByTestId('case-evaluations');
    await section.waitFor({ timeout: 30_000 });
    // The bare score is gone from the actions: the return call is the evaluation section's form.
    expect(await page.locator('[data-testid="case-actions"] button[data-action="evaluate"]').count()).toBe(0);
    await section.locator('button[data-evaluation="return_call"]').click();
    const form = section.locator('form[data-evaluation-form="return_call"]');
    // Without whom was called, the form asks first and sends nothing.
    await form.locator('input[type="radio"][value="4"]').check();
    await form.getByTestId('submit-evaluation').click();
    await expect.poll(() => form.locator('.form-error').textContent()).toContain('被回访人');
    await form.locator('input[name="calledName"]').fill('王秀英');
    await form.locator('input[name="calledPhone"]').fill('13800005678');
    await form.locator('textarea').fill('居民表示落石已清理，出行无碍');
    await shoot(page, 'evaluations-01-return-call-form');
    await form.getByTestId('submit-evaluation').click();

    await expect.poll(() => section.getByTestId('evaluation-resident').textContent(), { timeout: 15_000 }).toContain('4 · 满意');
    await expect.poll(() => section.getByTestId('evaluation-resident').textContent()).toContain('王秀英（138****5678）');
    await expect.poll(() => page.getByTestId('case-state').first().textContent()).toBe('已评价');
    const detail = (await (await duty.get(`/api/cases/${caseId}`)).json()) as {
      case: { state: string; satisfaction: number; steps: { action: string; details: Record<string, unknown> }[] };
    };
    expect(detail.case).toMatchObject({ state: 'evaluated', satisfaction: 4 });
    expect(detail.case.steps.at(-1)).toMatchObject({
      action: 'evaluate',
      details: { calledName: '王秀英', source: 'return_call' },
    });
    await shoot(page, 'evaluations-02-recorded');
  });

  it('draws the demo’s service providers on the command map when the legend’s switch is on, with a card for each', async () => {
    const county = await apiSession('county');
    const features = (await (await county.get('/api/providers/features')).json()) as {
      features: { id: string; properties: { name: string } }[];
    };
    expect(features.features.length).toBeGreaterThanOrEqual(20);

    const context = await watch.newContext(DESKTOP);
    await signIn(context, 'county');
    const page = await context.newPage();
    await page.goto(`${serverUrl()}/`);
    await mapSettled(page);
    const drawn = () => page.evaluate(() => window.__map?.queryRenderedFeatures({ layers: ['service-providers'] }).length ?? 0);
    expect(await drawn()).toBe(0);
    // The switch's track covers its checkbox, as a switch does: tap the label.
    const providersSwitch = page.locator('label.switch:has([data-testid="providers-switch"])');
    await providersSwitch.click();
    await expect.poll(drawn, { timeout: 30_000 }).toBeGreaterThan(0);
    await page.getByTestId('legend-providers').waitFor();

    // Tap one: its card says what it offers and where it serves.
    const point = await page.evaluate(() => {
      const map = window.__map!;
      const feature = map.queryRenderedFeatures({ layers: ['service-providers'] })[0]!;
      if (feature.geometry.type !== 'Point') return null;
      const screen = map.project(feature.geometry.coordinates as [number, number]);
      const canvas = map.getCanvas().getBoundingClientRect();
      return { name: String(feature.properties.name), x: screen.x + canvas.left, y: screen.y + canvas.top };
    });
    await page.mouse.click(point!.x, point!.y);
    const card = page.getByTestId('provider-card');
    await card.waitFor({ timeout: 10_000 });
    const text = (await card.textContent()) ?? '';
    expect(text).toContain('服务内容');
    expect(text).toContain('服务区域');
    await shoot(page, 'evaluations-03-providers-layer');

    await card.locator('.provider-close').click();
    await card.waitFor({ state: 'detached' });
    // The tap also selected the area under it, which folds the legend: unfold it to switch the layer off.
    if (!(await providersSwitch.isVisible())) await page.locator('.legend-toggle').click();
    await providersSwitch.click();
    await expect.poll(drawn).toBe(0);
  });
});
