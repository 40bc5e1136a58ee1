import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiSession } from './harness.ts';
import { apiSession, DESKTOP, mapSettled, serverUrl, shoot, signIn, watchedChromium } from './harness.ts';

/** 王坪村 (沙溪镇), its first cell (wangping-cell's scope) and its township. */
const CELL = '511921108209001001';
const SHAXI = '511921108';

const watch = watchedChromium();
let duty: ApiSession;

interface CaseFacts {
  id: string;
  version: number;
  dueAt: string;
  clockStartedAt: string;
  limitClock: string | null;
}

async function caseFacts(id: string): Promise<CaseFacts> {
  const response = await duty.get(`/api/cases/${id}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { case: CaseFacts }).case;
}

/** A report from the informant's cell, filed and dispatched to 沙溪镇 by the duty officer through the API. */
async function dispatchedCase(type: string, urgency: 'normal' | 'urgent'): Promise<CaseFacts> {
  const informant = await apiSession('wangping-cell');
  const area = (await (await informant.get(`/api/areas/${CELL}`)).json()) as { area: { labelPoint: [number, number] } };
  const [lng, lat] = area.area.labelPoint;
  const posted = await informant.post('/api/reports', {
    clientId: randomUUID(),
    type,
    urgency,
    description: `时限测试 ${randomUUID().slice(0, 8)}`,
    lng,
    lat: lat + 0.0005,
  });
  expect(posted.status).toBe(201);
  const { report } = (await posted.json()) as { report: { id: string } };
  for (const body of [{ action: 'file' }, { action: 'dispatch', townshipCode: SHAXI }]) {
    const { version } = await caseFacts(report.id);
    const acted = await duty.post(`/api/cases/${report.id}/actions`, { ...body, clientId: randomUUID(), version });
    expect(acted.status, await acted.clone().text()).toBe(200);
  }
  return caseFacts(report.id);
}

/** A row of the rules page by its stage, type and urgency labels. */
function limitRow(page: Page, stage: string, type: string, urgency: string) {
  return page
    .locator('.limits-table tbody tr')
    .filter({ has: page.locator('td:nth-child(1)', { hasText: new RegExp(`^${stage}$`) }) })
    .filter({ has: page.locator('td:nth-child(2)', { hasText: new RegExp(`^${type}$`) }) })
    .filter({ has: page.locator('td:nth-child(3)', { hasText: new RegExp(`^${urgency}$`) }) });
}

describe('time limits on natural or working time (small county)', () => {
  beforeAll(async () => {
    duty = await apiSession('duty');
  });

  it('shows each limit’s clock on the rules page and lets the county administrator switch one', async () => {
    const context = await watch.newContext(DESKTOP);
    await signIn(context, 'admin');
    const page = await context.newPage();
    await page.goto(`${serverUrl()}/admin/time-limits`);
    await page.getByTestId('time-limits-page').waitFor();
    await page.locator('.limits-table tbody tr').first().waitFor();

    const landslide = limitRow(page, '签收', '滑坡', '一般');
    const routine = limitRow(page, '签收', '全部类型', '一般');
    const urgent = limitRow(page, '签收', '全部类型', '紧急');
    await expect.poll(() => landslide.count()).toBe(1);
    expect(await landslide.getAttribute('data-clock')).toBe('natural');
    expect(await landslide.getByLabel('计时方式').inputValue()).toBe('natural');
    expect(await urgent.getAttribute('data-clock')).toBe('natural');
    expect(await routine.getAttribute('data-clock')).toBe('working');
    expect(await routine.getAttribute('title')).toBe('1个工作小时');
    expect(await landslide.getAttribute('title')).toBe('1小时（自然时间）');
    await shoot(page, 'time-limits-00-rules-top');
    await landslide.scrollIntoViewIfNeeded();
    await shoot(page, 'time-limits-01-rules');

    // Routine acknowledgment on natural time, saved, and read back from the server; then back.
    await routine.getByLabel('计时方式').selectOption('natural');
    expect(await routine.getAttribute('data-changed')).toBe('true');
    await page.getByTestId('save-limits').click();
    await expect
      .poll(async () => {
        const { limits } = (await (await duty.get('/api/time-limits')).json()) as {
          limits: { type: string; urgency: string; stage: string; clock: string }[];
        };
        return limits.find((row) => row.type === '*' && row.urgency === 'normal' && row.stage === 'acknowledge')?.clock;
      })
      .toBe('natural');
    expect(await routine.getAttribute('data-changed')).toBe('false');
    await routine.getByLabel('计时方式').selectOption('working');
    await page.getByTestId('save-limits').click();
    await expect.poll(() => routine.getAttribute('data-changed')).toBe('false');
    await page.reload();
    await expect.poll(() => routine.getAttribute('data-clock')).toBe('working');
  });

  it('speaks English on the switch: natural time, working time, 1 working hour', async () => {
    const context = await watch.newContext(DESKTOP);
    // The stored choice of the language switch (web/i18n.ts), set before the app reads it; the
    // blank page the context opens first has no storage.
    await context.addInitScript(() => {
      if (location.protocol.startsWith('http')) localStorage.setItem('grid-command.language', 'en');
    });
    await signIn(context, 'admin');
    const page = await context.newPage();
    await page.goto(`${serverUrl()}/admin/time-limits`);
    await page.getByTestId('time-limits-page').waitFor();
    const landslide = limitRow(page, 'Acknowledge', 'Landslide', 'Normal');
    const routine = limitRow(page, 'Acknowledge', 'All types', 'Normal');
    await expect.poll(() => landslide.count()).toBe(1);
    const selected = (row: typeof landslide) =>
      row.getByLabel('Clock').evaluate((select: HTMLSelectElement) => select.selectedOptions[0]?.textContent);
    expect(await selected(landslide)).toBe('natural time');
    expect(await selected(routine)).toBe('working time');
    expect(await landslide.getAttribute('title')).toBe('1 hour (natural time)');
    expect(await routine.getAttribute('title')).toBe('1 working hour');
    await landslide.scrollIntoViewIfNeeded();
    await shoot(page, 'time-limits-02-rules-en');
  });

  it('states a landslide’s acknowledge limit as natural time, and a routine report’s as working time', async () => {
    const landslide = await dispatchedCase('landslide', 'normal');
    expect(landslide.limitClock).toBe('natural');
    // One natural hour from dispatch, whatever the day and hour the test runs.
    expect(new Date(landslide.dueAt).getTime() - new Date(landslide.clockStartedAt).getTime()).toBe(3_600_000);
    const routine = await dispatchedCase('road_damage', 'normal');
    expect(routine.limitClock).toBe('working');

    const context = await watch.newContext(DESKTOP);
    await signIn(context, 'duty');
    const page = await context.newPage();
    await page.goto(`${serverUrl()}/cases/${landslide.id}`);
    const limit = page.getByTestId('case-limit');
    await limit.waitFor();
    expect(await limit.getAttribute('data-clock')).toBe('natural');
    expect((await limit.textContent())?.trim()).toBe('1小时（自然时间）');
    await page.locator('[data-testid="case-mini-map"] canvas').waitFor();
    await limit.evaluate((element) => element.scrollIntoView({ block: 'center' }));
    await page.waitForTimeout(1500);
    await shoot(page, 'time-limits-03-case-natural');

    await page.goto(`${serverUrl()}/cases/${routine.id}`);
    await expect.poll(() => page.getByTestId('case-limit').getAttribute('data-clock')).toBe('working');
    expect((await page.getByTestId('case-limit').textContent())?.trim()).toBe('1个工作小时');
    // The command map's case panel says it too, with the stage.
    await page.goto(`${serverUrl()}/`);
    await mapSettled(page);
    await page.locator(`.live-item[data-case-id="${landslide.id}"]`).click();
    const panel = page.locator(`[data-testid="case-panel"][data-case-id="${landslide.id}"]`);
    const panelLimit = panel.getByTestId('case-limit');
    await panelLimit.waitFor();
    expect(await panelLimit.getAttribute('data-clock')).toBe('natural');
    expect((await panelLimit.textContent())?.replace(/\s+/g, ' ').trim()).toBe('签收 1小时（自然时间）');
    await shoot(page, 'time-limits-04-panel-natural');
  });
});
