import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiSession, BrowserWatch, DESKTOP, launchBrowser, mapSettled, PHONE, serverUrl, shoot, signIn } from './harness.ts';

/** 王坪村's first grid's first cell: the demo grid worker wangping-grid walks its grid. */
const CELL = '511921108209001001';
const METRES_PER_DEGREE_LAT = 111_320;

let browser: Browser;
const watch = new BrowserWatch(() => browser);

beforeAll(async () => {
  browser = await launchBrowser();
});

afterEach(() => watch.finish());

afterAll(async () => {
  await browser?.close();
});

describe('workers on patrol near a case', () => {
  it('lists the grid worker walking near a new case in its panel, alerts them in one tap, and sees the acknowledgement', async () => {
    const county = await apiSession('county');
    const area = (await (await county.get(`/api/areas/${CELL}`)).json()) as { area: { labelPoint: [number, number] } };
    const [lng, lat] = area.area.labelPoint;
    /** The point `metres` north of the case. */
    const north = (metres: number) => ({ lng, lat: lat + metres / METRES_PER_DEGREE_LAT });

    // The grid worker is out, 150 m north of where the rockfall will be reported.
    const worker = await apiSession('wangping-grid');
    const started = (await (
      await worker.post('/api/patrols', { clientId: randomUUID(), startedAt: new Date().toISOString() })
    ).json()) as { patrol: { id: string } };
    const patrolId = started.patrol.id;
    const sendFix = async (metres: number) => {
      const fix = { clientFixId: randomUUID(), fixedAt: new Date().toISOString(), ...north(metres), accuracyM: 6 };
      expect((await worker.post(`/api/patrols/${patrolId}/positions`, { fixes: [fix] })).status).toBe(200);
    };
    await sendFix(150);

    const informant = await apiSession('wangping-cell');
    const posted = await informant.post('/api/reports', {
      clientId: randomUUID(),
      type: 'rockfall',
      urgency: 'urgent',
      description: '村道边坡落石，附近巡查人员请前往查看',
      lng,
      lat,
    });
    expect(posted.status).toBe(201);
    const { report } = (await posted.json()) as { report: { id: string } };

    const context = await watch.newContext(DESKTOP);
    await signIn(context, 'duty');
    const page = await context.newPage();
    await page.goto(`${serverUrl()}/`);
    await mapSettled(page);
    await page.locator('[data-testid="live-connection"][data-state="live"]').waitFor();
    await page.locator(`.live-item[data-case-id="${report.id}"]`).click();
    const panel = page.locator(`[data-testid="case-panel"][data-case-id="${report.id}"]`);
    const row = panel.locator(`[data-testid="nearby-patrols"] li[data-patrol-id="${patrolId}"]`);
    await row.waitFor({ timeout: 15_000 });
    expect(await row.locator('.nearby-distance').textContent()).toMatch(/^1[45]\d 米$/);
    expect(await row.locator('.nearby-age').getAttribute('data-freshness')).toBe('live');

    // The worker walks towards it: the live feed brings the list again, nearer.
    await sendFix(40);
    await expect.poll(() => row.locator('.nearby-distance').textContent(), { timeout: 30_000 }).toMatch(/^[34]\d 米$/);

    await panel.getByTestId('alert-nearby').click();
    await expect.poll(() => panel.getByTestId('nearby-outcome').textContent(), { timeout: 10_000 }).toMatch(/^已通知 \d+ 人/);
    await expect.poll(() => row.getAttribute('data-alert-state'), { timeout: 10_000 }).toBe('alerted');
    await row.scrollIntoViewIfNeeded();
    await shoot(page, 'nearby-01-alerted');

    // The worker sees it on the field page and acknowledges it there; the duty officer's list follows live.
    const phoneContext = await watch.newContext(PHONE);
    await signIn(phoneContext, 'wangping-grid');
    const phone = await phoneContext.newPage();
    await phone.goto(`${serverUrl()}/field#alerts`);
    const card = phone.getByTestId('my-alert').filter({ hasText: '村道' }).first();
    await card.waitFor({ timeout: 15_000 });
    await shoot(phone, 'nearby-02-worker-alert');
    await card.getByTestId('acknowledge-alert').click();
    await expect.poll(() => row.getAttribute('data-alert-state'), { timeout: 15_000 }).toBe('acknowledged');
    await shoot(page, 'nearby-03-acknowledged');

    const timeline = (await (await county.get(`/api/cases/${report.id}`)).json()) as {
      case: { steps: { action: string; details: { reason?: string } | null }[] };
    };
    expect(timeline.case.steps.some((step) => step.action === 'alert' && step.details?.reason === 'nearby')).toBe(true);
    await worker.post(`/api/patrols/${patrolId}/end`, { endedAt: new Date().toISOString() });
  });
});
