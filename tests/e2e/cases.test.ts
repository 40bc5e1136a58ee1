import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiSession } from './harness.ts';
import { apiSession, DESKTOP, FIELD_PHONE, mapSettled, serverUrl, shoot, signIn, watchedChromium } from './harness.ts';

/** 王坪村 (沙溪镇), its first cell (wangping-cell's scope) and its township. */
const CELL = '511921108209001001';
const SHAXI = '511921108';

type LngLat = [number, number];

const watch = watchedChromium();
/** The duty officer in Node, for facts the pages are compared with. */
let duty: ApiSession;

/**
 * A point in the informant's cell, about 110 m north of its label point: the map tests hover and
 * click the label point itself, where a report's dot would be in the way.
 */
async function cellPoint(): Promise<LngLat> {
  const response = await duty.get(`/api/areas/${CELL}`);
  expect(response.status).toBe(200);
  const [lng, lat] = ((await response.json()) as { area: { labelPoint: LngLat } }).area.labelPoint;
  return [lng, lat + 0.001];
}

/** The duty officer on the command map, the live feed connected. */
async function openDutyMap(): Promise<Page> {
  const context = await watch.newContext(DESKTOP);
  await signIn(context, 'duty');
  const page = await context.newPage();
  await page.goto(`${serverUrl()}/`);
  await mapSettled(page);
  await page.locator('[data-testid="live-connection"][data-state="live"]').waitFor();
  await page.waitForFunction(() => window.__deckOverlay !== undefined);
  return page;
}

/** Whether deck.gl draws a live case's dot at the case's place on the map. */
async function caseDotAt(page: Page, position: LngLat): Promise<boolean> {
  return page.evaluate(([lng, lat]) => {
    const pixel = window.__map!.project([lng, lat]);
    const picked = window.__deckOverlay!.pickObject({ x: pixel.x, y: pixel.y, radius: 6, layerIds: ['live-cases'] });
    return picked?.layer?.id === 'live-cases';
  }, position);
}

function liveItem(page: Page, caseId: string) {
  return page.locator(`.live-item[data-case-id="${caseId}"]`);
}

async function caseState(
  caseId: string,
): Promise<{ state: string; takenAt: string | null; position: LngLat; reportedAt: string; cellCode: string }> {
  const response = await duty.get(`/api/cases/${caseId}`);
  expect(response.status).toBe(200);
  return (
    (await response.json()) as {
      case: { state: string; takenAt: string | null; position: LngLat; reportedAt: string; cellCode: string };
    }
  ).case;
}

describe('hazard reports live on the command map, handled through the case workflow (small county)', () => {
  beforeAll(async () => {
    duty = await apiSession('duty');
  });

  it('an informant reports a landslide on a phone; the duty officer sees it live, files and dispatches it; the informant sees 已派遣', async () => {
    const [lng, lat] = await cellPoint();
    const dutyPage = await openDutyMap();
    // Marks this page: still there at the end means it was never reloaded.
    await dutyPage.evaluate(() => {
      (window as unknown as { __sameDocument: boolean }).__sameDocument = true;
    });
    const flashingBefore = await dutyPage.locator('.live-item[data-flashing="true"]').count();
    const idsBefore = await dutyPage
      .locator('.live-item')
      .evaluateAll((items) => items.map((item) => item.getAttribute('data-case-id')));
    // When each new row appears on the duty officer's screen, by the page's clock (the machine's, as the server's).
    await dutyPage.evaluate((known) => {
      const arrivals: Record<string, number> = {};
      (window as unknown as { __arrivals: Record<string, number> }).__arrivals = arrivals;
      new MutationObserver(() => {
        for (const item of document.querySelectorAll('.live-item')) {
          const id = item.getAttribute('data-case-id');
          if (id && !known.includes(id) && !(id in arrivals)) arrivals[id] = Date.now();
        }
      }).observe(document.body, { childList: true, subtree: true });
    }, idsBefore);

    // The informant, on the field page at phone width: landslide, urgent, typed WGS84 coordinates.
    const informantContext = await watch.newContext(FIELD_PHONE);
    await signIn(informantContext, 'wangping-cell');
    const phone = await informantContext.newPage();
    await phone.goto(`${serverUrl()}/field`);
    await phone.getByTestId('report-form').waitFor();
    await phone.locator('.fp-type[data-type="landslide"]').tap();
    await phone.locator('.fp-urgency-choice[data-urgency="urgent"]').tap();
    await phone.getByTestId('description').fill('省道旁边坡落石，坡体松动，已有裂缝');
    await phone.locator('.fp-coordinates summary').tap();
    await phone.getByTestId('coordinates-input').fill(`${lng.toFixed(6)},${lat.toFixed(6)}`);
    await phone.locator('input[name="fp-datum"][value="wgs84"]').check();
    await phone.getByTestId('use-coordinates').tap();
    await phone.getByTestId('chosen-place').waitFor();
    await shoot(phone, 'cases-01-informant-form');
    await phone.getByTestId('submit-report').tap();
    // The phone says it was sent, with the case number the server gave.
    await expect.poll(() => phone.getByTestId('latest-state').textContent(), { timeout: 30_000 }).toMatch(/TJ\d{8}-\d{4}/);
    const sentAt = Date.now();
    const caseNumber = /TJ\d{8}-\d{4}/.exec((await phone.getByTestId('latest-state').textContent()) ?? '')![0];

    // The duty officer's list and map, without a reload: a new urgent landslide, flashing, not taken.
    const arrived = await dutyPage.waitForFunction(
      (known) => {
        const fresh = [...document.querySelectorAll('.live-item')].find(
          (item) => !known.includes(item.getAttribute('data-case-id')),
        );
        return fresh?.getAttribute('data-case-id') ?? false;
      },
      idsBefore,
      { timeout: 5000, polling: 50 },
    );
    const caseId = (await arrived.jsonValue()) as string;
    const newItem = liveItem(dutyPage, caseId);
    const reported = await caseState(caseId);
    // From the report's transaction to the row on the screen: well under a second when the machine is
    // idle; the bound leaves room for a loaded test machine.
    const arrivedAt = await dutyPage.evaluate(
      (id) => (window as unknown as { __arrivals: Record<string, number> }).__arrivals[id]!,
      caseId,
    );
    expect(arrivedAt - Date.parse(reported.reportedAt)).toBeLessThan(2000);
    expect(arrivedAt).toBeLessThanOrEqual(sentAt + 1000);
    await shoot(phone, 'cases-02-informant-sent');
    expect(await dutyPage.locator('.live-item').count()).toBe(idsBefore.length + 1);
    expect(await newItem.getAttribute('data-flashing')).toBe('true');
    expect(await newItem.textContent()).toContain('滑坡');
    expect(await dutyPage.locator('.live-item').first().getAttribute('data-case-id')).toBe(caseId);
    expect(await newItem.textContent()).toContain('紧急');
    expect(await newItem.textContent()).toContain('沙溪镇 王坪村');
    expect(await newItem.textContent()).toContain('已上报');
    expect(await dutyPage.locator('.live-item[data-flashing="true"]').count()).toBe(flashingBefore + 1);
    expect(await dutyPage.getByTestId('untaken-count').textContent()).toBe(`${flashingBefore + 1} 件待接警`);
    expect(reported.state).toBe('reported');
    expect(reported.cellCode).toBe(CELL);
    expect(reported.takenAt).toBeNull();
    await expect.poll(() => caseDotAt(dutyPage, reported.position)).toBe(true);
    await shoot(dutyPage, 'cases-03-duty-live-report');

    // Opens it: the panel, the map centred on it, its control zone and the people to alert.
    await newItem.click();
    const panel = dutyPage.locator(`[data-testid="case-panel"][data-case-id="${caseId}"]`);
    await panel.locator('[data-testid="case-actions"]').waitFor();
    expect(await panel.locator('.case-number').textContent()).toBe(caseNumber);
    await panel.getByTestId('case-impact').waitFor();
    await expect
      .poll(() =>
        dutyPage.evaluate(
          () =>
            window.__map!.getSource('control-zone') !== undefined && window.__map!.getLayer('control-zone-line') !== undefined,
        ),
      )
      .toBe(true);
    await mapSettled(dutyPage);
    await shoot(dutyPage, 'cases-04-duty-case-panel');

    // Files it (which takes it: the flashing stops), then dispatches it to 沙溪镇.
    await panel.locator('button[data-action="file"]').click();
    await panel.getByTestId('submit-action').click();
    await expect.poll(() => panel.getByTestId('case-state').textContent()).toBe('已立案');
    await expect.poll(() => liveItem(dutyPage, caseId).getAttribute('data-flashing')).toBe('false');
    await panel.locator('button[data-action="dispatch"]').click();
    const township = panel.locator('.action-form select[name="townshipCode"]');
    expect(await township.inputValue()).toBe(SHAXI);
    expect(await township.locator('option:checked').textContent()).toBe('沙溪镇');
    await shoot(dutyPage, 'cases-05-duty-dispatch-form');
    await panel.getByTestId('submit-action').click();
    await expect.poll(() => panel.getByTestId('case-state').textContent()).toBe('已派遣');
    await expect.poll(() => liveItem(dutyPage, caseId).getAttribute('data-state')).toBe('dispatched');
    const dispatched = await caseState(caseId);
    expect(dispatched.state).toBe('dispatched');
    expect(dispatched.takenAt).not.toBeNull();
    await shoot(dutyPage, 'cases-06-duty-dispatched');
    expect(await dutyPage.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);

    // The informant's own reports show the new state, in Chinese.
    await phone.getByTestId('tab-mine').tap();
    const mine = phone.getByTestId('my-report').filter({ hasText: caseNumber });
    await mine.waitFor();
    await expect.poll(() => mine.getByTestId('my-report-state').textContent(), { timeout: 10_000 }).toBe('已派遣');
    await shoot(phone, 'cases-07-informant-dispatched');
  });

  it('redraws a control zone on the map, alerts everyone in it, and sees an acknowledgment arrive live', async () => {
    const [lng, lat] = await cellPoint();
    const informant = await apiSession('wangping-cell');
    const posted = await informant.post('/api/reports', {
      clientId: randomUUID(),
      type: 'rockfall',
      urgency: 'urgent',
      description: '村道上方落石，已有碎石滚落路面',
      lng,
      lat,
    });
    expect(posted.status).toBe(201);
    const { report } = (await posted.json()) as { report: { id: string } };

    const page = await openDutyMap();
    await liveItem(page, report.id).click();
    const panel = page.locator(`[data-testid="case-panel"][data-case-id="${report.id}"]`);
    await panel.getByTestId('case-impact').waitFor();
    await panel.getByTestId('edit-zone').click();
    await panel.getByTestId('zone-editing').waitFor();
    await mapSettled(page);

    // Drags the northernmost handle 60 px further north.
    const handle = await page.evaluate(() => {
      const map = window.__map!;
      const points = map
        .querySourceFeatures('control-zone-vertices')
        .map((feature) => map.project((feature.geometry as GeoJSON.Point).coordinates as [number, number]));
      return points.reduce((top, point) => (point.y < top.y ? point : top));
    });
    await page.mouse.move(handle.x, handle.y);
    await page.mouse.down();
    await page.mouse.move(handle.x, handle.y - 60, { steps: 6 });
    await page.mouse.up();
    await shoot(page, 'cases-10-zone-editing');
    await panel.getByTestId('save-zone').click();
    await panel.getByTestId('edit-zone').waitFor();
    const impactOf = async () => {
      const response = await duty.get(`/api/cases/${report.id}/impact`);
      expect(response.status).toBe(200);
      return (await response.json()) as { zone: { source: string; geometry: { coordinates: number[][][] } } };
    };
    const impact = await impactOf();
    expect(impact.zone.source).toBe('drawn');
    const northmost = Math.max(...impact.zone.geometry.coordinates[0]!.map((position) => position[1]!));
    // The default circle of a rockfall is 200 m; the dragged vertex now lies further north.
    expect(northmost - lat).toBeGreaterThan(200 / 111_320);

    // Everyone in the zone is alerted; the informant acknowledges on their side; the panel follows.
    await panel.getByTestId('alert-all').click();
    await expect.poll(() => panel.getByTestId('ack-count').textContent()).toMatch(/^0 \/ \d+ 已签收$/);
    const sent = Number(/\/ (\d+)/.exec((await panel.getByTestId('ack-count').textContent()) ?? '')![1]);
    expect(sent).toBeGreaterThanOrEqual(1);
    const mine = (await (await informant.get('/api/alerts/mine')).json()) as { alerts: { id: string; reportId: string }[] };
    const alert = mine.alerts.find((candidate) => candidate.reportId === report.id);
    expect(alert).toBeDefined();
    const acknowledged = await informant.post(`/api/alerts/${alert!.id}/acknowledge`, {});
    expect(acknowledged.status).toBe(200);
    await expect.poll(() => panel.getByTestId('ack-count').textContent(), { timeout: 5000 }).toBe(`1 / ${sent} 已签收`);
    expect(await panel.locator('.impact-people li[data-alert-state="acknowledged"]').count()).toBe(1);
    await panel.locator('.impact-people').scrollIntoViewIfNeeded();
    await shoot(page, 'cases-11-alerts-acknowledged');
  });

  it('lists cases with filters and opens one: facts, small map, timeline, next actions', async () => {
    // A report of its own, posted as the informant through the API.
    const [lng, lat] = await cellPoint();
    const informant = await apiSession('wangping-cell');
    const description = `河堤渗水，请核查 ${randomUUID().slice(0, 8)}`;
    const posted = await informant.post('/api/reports', {
      clientId: randomUUID(),
      type: 'flood',
      urgency: 'normal',
      description,
      lng,
      lat,
    });
    expect(posted.status).toBe(201);
    const { report } = (await posted.json()) as { report: { id: string; caseNumber: string; areas: { cell: { code: string } } } };
    expect(report.areas.cell.code).toBe(CELL);

    const context = await watch.newContext(DESKTOP);
    await signIn(context, 'duty');
    const page = await context.newPage();
    await page.goto(`${serverUrl()}/cases?type=flood&state=open`);
    const row = page.locator(`.case-row[data-case-id="${report.id}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('洪涝');
    expect(await row.textContent()).toContain('已上报');
    // Every row the filter left is an open flood report.
    const types = await page.locator('.case-row td:nth-child(3)').allTextContents();
    expect(types.every((text) => text.startsWith('洪涝'))).toBe(true);
    const csv = await page.getByTestId('export-csv').getAttribute('href');
    expect(csv).toContain('type=flood');
    expect(csv).toContain('state=reported%2Cfiled');
    await shoot(page, 'cases-08-list-filtered');

    await row.click();
    const detail = page.locator(`[data-testid="case-detail"][data-case-id="${report.id}"]`);
    await detail.waitFor();
    expect(page.url()).toBe(`${serverUrl()}/cases/${report.id}`);
    expect(await detail.locator('.case-title').textContent()).toContain(report.caseNumber);
    expect(await detail.locator('.case-description').first().textContent()).toBe(description);
    expect(await detail.getByTestId('case-state').textContent()).toBe('已上报');
    const actions = await detail
      .locator('[data-testid="case-actions"] .action-buttons button')
      .evaluateAll((buttons) => buttons.map((button) => button.getAttribute('data-action')));
    expect(actions).toEqual(expect.arrayContaining(['file', 'reject']));
    expect(actions).not.toContain('dispatch');
    await detail.locator('.timeline-step[data-action="report"]').waitFor();

    // Rejecting needs a note: the form says so before anything is sent.
    await detail.locator('button[data-action="reject"]').click();
    await detail.getByTestId('submit-action').click();
    expect(await detail.locator('.action-form .form-error').textContent()).toBe('请填写说明');
    expect((await caseState(report.id)).state).toBe('reported');
    await detail.locator('.action-form textarea[name="note"]').fill('经核实为正常排水，不属于险情');
    await detail.getByTestId('submit-action').click();
    await expect.poll(() => detail.getByTestId('case-state').textContent()).toBe('不予立案');
    await detail.locator('.timeline-step[data-action="reject"]').waitFor();
    expect(await detail.locator('.timeline-step[data-action="reject"] .timeline-note').textContent()).toBe(
      '经核实为正常排水，不属于险情',
    );
    await page.locator('[data-testid="case-mini-map"] canvas').waitFor();
    await page.waitForTimeout(1500);
    await shoot(page, 'cases-09-detail');
  });
});
