import { randomUUID } from 'node:crypto';
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiSession } from './harness.ts';
import { apiSession, drawnPhoto, FIELD_PHONE, serverUrl, shoot, signIn, storedOutbox, watchedChromium } from './harness.ts';

/** 王坪村's first grid's first cell, the scope of the demo informant wangping-cell. */
const CELL = '511921108209001001';
const INFORMANT = 'wangping-cell';

type LngLat = [number, number];

const watch = watchedChromium();
let county: ApiSession;
let informant: ApiSession;
let cellPoint: LngLat;

async function openField(context: BrowserContext): Promise<Page> {
  await signIn(context, INFORMANT);
  const page = await context.newPage();
  await page.goto(`${serverUrl()}/field`);
  await page.getByTestId('report-form').waitFor();
  return page;
}

/** A 3000×2000 photo of a slope with rocks, larger than the page may store, so it must be resized. */
function bigPhoto(page: Page): Promise<Buffer> {
  const rocks = Array.from({ length: 40 }, (_, index): [number, number, number, number] => [
    (index * 73) % 2900,
    (index * 131) % 1900,
    90,
    60,
  ]);
  return drawnPhoto(page, { width: 3000, height: 2000, ground: '#8a6a45', ink: '#3b3b3b', marks: rocks });
}

async function fillReport(page: Page, coordinates: string, description: string): Promise<void> {
  await page.locator('.fp-coordinates summary').click();
  await page.getByTestId('coordinates-input').fill(coordinates);
  await page.getByTestId('use-coordinates').click();
  await page.getByTestId('chosen-place').waitFor();
  await page.click('[data-type="landslide"]');
  await page.click('[data-urgency="urgent"]');
  await page.getByTestId('description').fill(description);
}

describe('field page at phone width, against the real server (small county)', () => {
  beforeAll(async () => {
    county = await apiSession('county');
    informant = await apiSession(INFORMANT);
    const response = await county.get(`/api/areas/${CELL}`);
    expect(response.status).toBe(200);
    // About 110 m north of the label point: the map tests hover and click the label point itself,
    // where a report's dot would be in the way.
    const [lng, lat] = ((await response.json()) as { area: { labelPoint: LngLat } }).area.labelPoint;
    cellPoint = [lng, lat + 0.001];
  });

  it('keeps a report made offline through a reload, and sends it once when the connection returns', async () => {
    const context = await watch.newContext(FIELD_PHONE);
    const page = await openField(context);
    const description = `边坡落石，坡体松动 ${randomUUID().slice(0, 8)}`;

    await context.setOffline(true);
    await expect.poll(() => page.getByTestId('network-state').textContent()).toBe('离线');
    // Pasted as "lat, lng" with a full-width comma, as a Chinese keyboard types it.
    await fillReport(page, `${cellPoint[1]}，${cellPoint[0]}`, description);
    expect(await page.getByTestId('coordinates-reading').textContent()).toContain('纬度,经度');
    await page
      .getByTestId('photo-gallery-input')
      .setInputFiles([{ name: 'slope.png', mimeType: 'image/png', buffer: await bigPhoto(page) }]);
    await page.locator('.fp-thumbs img').waitFor();
    await page.getByTestId('submit-report').click();
    await expect.poll(() => page.getByTestId('latest-state').textContent()).toBe('等待发送');

    // Resized on the phone before it was stored: 1600 px on the long edge, JPEG.
    const [stored] = await storedOutbox(page);
    expect(stored?.state).toBe('waiting');
    expect(stored?.photos).toEqual([{ width: 1600, height: 1067, type: 'image/jpeg', size: expect.any(Number) }]);
    const clientId = stored!.clientId;

    // Something typed into the next report, not submitted, must survive the reload too.
    await page.getByTestId('description').fill('下一条：路面开裂');
    await page
      .getByTestId('photo-gallery-input')
      .setInputFiles([{ name: 'crack.png', mimeType: 'image/png', buffer: await bigPhoto(page) }]);
    await page.locator('.fp-thumbs img').waitFor();
    await page.getByTestId('tab-outbox').click();
    const item = page.locator(`[data-testid="outbox-item"][data-client-id="${clientId}"]`);
    expect(await item.getByTestId('outbox-state').textContent()).toBe('等待发送');
    expect(await item.getByTestId('outbox-note').textContent()).toBe('当前离线，联网后自动发送');
    await shoot(page, 'field-01-offline-waiting');

    // Back on a network, but the server cannot be reached yet: the reload finds the item still waiting.
    let blocked = 0;
    await context.route('**/api/reports', (route) => {
      if (route.request().method() !== 'POST') return route.fallback();
      blocked += 1;
      return route.abort('internetdisconnected');
    });
    await context.setOffline(false);
    await page.reload();
    await page.getByTestId('outbox').waitFor();
    await expect.poll(() => blocked).toBeGreaterThan(0);
    await expect.poll(() => item.getByTestId('outbox-note').textContent()).toContain('网络不通');
    expect(await item.getByTestId('outbox-state').textContent()).toBe('等待发送');
    expect(await item.locator('.fp-card-text').textContent()).toBe(description);
    await page.getByTestId('tab-report').click();
    // The draft comes back from IndexedDB once the field page's code has loaded.
    await expect.poll(() => page.getByTestId('description').inputValue(), { timeout: 10_000 }).toBe('下一条：路面开裂');
    await expect.poll(() => page.locator('.fp-thumbs img').count(), { timeout: 10_000 }).toBe(1);
    // Typed and the page reloaded at once, before the draft's IndexedDB write: its quick copy keeps it.
    await page.getByTestId('description').fill('下一条：路面开裂，车辆绕行');
    await page.reload();
    await expect.poll(() => page.getByTestId('description').inputValue(), { timeout: 10_000 }).toBe('下一条：路面开裂，车辆绕行');
    await expect.poll(() => page.locator('.fp-thumbs img').count(), { timeout: 10_000 }).toBe(1);
    await page.getByTestId('tab-outbox').click();

    // The connection returns: the `online` event sends it at once.
    await context.unroute('**/api/reports');
    await context.setOffline(true);
    await context.setOffline(false);
    await expect.poll(() => item.getByTestId('outbox-state').textContent(), { timeout: 30_000 }).toBe('已送达');
    const caseNumber = await item.getByTestId('case-number').textContent();
    expect(caseNumber).toMatch(/^TJ\d{8}-\d{4}$/);
    expect(await item.getByTestId('assigned-areas').textContent()).toBe('沙溪镇 · 王坪村 · 第1网格 · 1单元');
    expect((await storedOutbox(page)).find((entry) => entry.clientId === clientId)?.photos).toEqual([]);
    await shoot(page, 'field-02-sent');

    // Filed once, however many attempts it took, with its photo stored as JPEG by the server.
    const mine = (await (await informant.get('/api/reports/mine')).json()) as {
      reports: { id: string; caseNumber: string; description: string; photoCount: number; areas: { cell: { code: string } } }[];
    };
    const filed = mine.reports.filter((report) => report.description === description);
    expect(filed).toHaveLength(1);
    expect(filed[0]).toMatchObject({ caseNumber, photoCount: 1, areas: { cell: { code: CELL } } });

    // The reporter's list shows it, in Chinese.
    await page.getByTestId('tab-mine').click();
    const listed = page.locator(`[data-testid="my-report"][data-case-number="${caseNumber}"]`);
    await expect.poll(() => listed.getByTestId('my-report-state').textContent()).toBe('已上报');
  });

  it('updates the reporter live as the case moves, and shows and acknowledges an alert addressed to them', async () => {
    const created = await informant.post('/api/reports', {
      clientId: randomUUID(),
      type: 'rockfall',
      urgency: 'urgent',
      description: '省道边坡落石',
      lng: cellPoint[0],
      lat: cellPoint[1],
      datum: 'wgs84',
    });
    expect(created.status).toBe(201);
    const { report } = (await created.json()) as { report: { id: string; caseNumber: string } };

    const context = await watch.newContext(FIELD_PHONE);
    const page = await openField(context);
    await page.getByTestId('tab-mine').click();
    const listed = page.locator(`[data-testid="my-report"][data-case-number="${report.caseNumber}"]`);
    await expect.poll(() => listed.getByTestId('my-report-state').textContent()).toBe('已上报');

    // The duty officer files it: the reporter's page follows without a reload.
    const duty = await apiSession('duty');
    const detail = (await (await duty.get(`/api/cases/${report.id}`)).json()) as { case: { version: number } };
    const filed = await duty.post(`/api/cases/${report.id}/actions`, {
      action: 'file',
      clientId: randomUUID(),
      version: detail.case.version,
    });
    expect(filed.status).toBe(200);
    await expect.poll(() => listed.getByTestId('my-report-state').textContent(), { timeout: 15_000 }).toBe('已立案');

    // An alert to everyone in the control zone reaches this informant live, loudly.
    const alerted = await duty.post(`/api/cases/${report.id}/alerts`, { clientId: randomUUID() });
    expect(alerted.status).toBe(201);
    await page.getByTestId('alert-banner').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('alert-banner').textContent()).toContain('落石/崩塌');
    await shoot(page, 'field-03-alert');
    await page.getByTestId('alert-banner').click();
    const alert = page.locator('[data-testid="my-alert"][data-acknowledged="false"]').first();
    await alert.getByTestId('acknowledge-alert').click();
    await expect.poll(() => page.locator('[data-testid="my-alert"][data-acknowledged="false"]').count()).toBe(0);
    await expect.poll(() => page.getByTestId('alert-banner').count()).toBe(0);

    const alerts = (await (await informant.get('/api/alerts/mine')).json()) as {
      alerts: { reportId: string; acknowledged: boolean }[];
    };
    const forReport = alerts.alerts.filter((entry) => entry.reportId === report.id);
    expect(forReport.length).toBeGreaterThan(0);
    expect(forReport.every((entry) => entry.acknowledged)).toBe(true);
  });

  it('shows a point outside the county as refused with the server reason, and takes it back into the form to correct', async () => {
    const context = await watch.newContext(FIELD_PHONE);
    const page = await openField(context);
    // 成都: in China, far outside 通江县.
    await fillReport(page, '104.0657, 30.6595', '测试：县外的点');
    await page.getByTestId('submit-report').click();
    await page.getByTestId('tab-outbox').click();
    const refused = page.locator('[data-testid="outbox-item"][data-state="refused"]').first();
    await refused.waitFor({ timeout: 15_000 });
    expect(await refused.getByTestId('outbox-state').textContent()).toBe('被退回');
    expect((await refused.getByTestId('refusal').textContent())?.length).toBeGreaterThan(4);
    await shoot(page, 'field-04-refused');

    await refused.getByRole('button', { name: '修改后重新提交' }).click();
    await page.getByTestId('report-form').waitFor();
    expect(await page.getByTestId('description').inputValue()).toBe('测试：县外的点');
    expect(await page.locator('[data-type="landslide"]').getAttribute('aria-pressed')).toBe('true');
    // The correction is a new report with a new id: the refused item has left the outbox.
    expect((await storedOutbox(page)).filter((entry) => entry.state === 'refused')).toEqual([]);
  });
});
