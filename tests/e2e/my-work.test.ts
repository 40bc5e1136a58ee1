import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiSession } from './harness.ts';
import { apiSession, drawnPhoto, FIELD_PHONE, serverUrl, shoot, signIn, watchedChromium } from './harness.ts';

/** 王坪村 (沙溪镇): its first grid's first cell (inside wangping-grid's scope) and its township. */
const CELL = '511921108209001001';
const SHAXI = '511921108';

const watch = watchedChromium();
/** The duty officer in Node: files and dispatches the case. */
let duty: ApiSession;

interface CaseBody {
  id: string;
  caseNumber: string;
  state: string;
  version: number;
  steps: { action: string; photoIds: string[]; note: string }[];
}

async function caseOf(id: string): Promise<CaseBody> {
  const response = await duty.get(`/api/cases/${id}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { case: CaseBody }).case;
}

/** The duty officer's step on the case's current version. */
async function act(id: string, action: string, fields: Record<string, unknown> = {}): Promise<void> {
  const { version } = await caseOf(id);
  const response = await duty.post(`/api/cases/${id}/actions`, { action, clientId: randomUUID(), version, ...fields });
  expect(response.status, `${action}: ${await response.clone().text()}`).toBe(200);
}

/** A report at a point of the grid worker's first cell, through the duty room; answers its id and number. */
async function reportInGrid(description: string): Promise<{ id: string; caseNumber: string }> {
  const area = await duty.get(`/api/areas/${CELL}`);
  const [lng, lat] = ((await area.json()) as { area: { labelPoint: [number, number] } }).area.labelPoint;
  const posted = await duty.post('/api/reports', {
    clientId: randomUUID(),
    type: 'rockfall',
    urgency: 'urgent',
    description,
    lng,
    lat: lat + 0.0005,
  });
  expect(posted.status).toBe(201);
  return ((await posted.json()) as { report: { id: string; caseNumber: string } }).report;
}

/** A 2400×1600 photo of a cleared road (larger than stored: the phone resizes it). */
function workPhoto(page: Page): Promise<Buffer> {
  return drawnPhoto(page, { width: 2400, height: 1600, ground: '#6f8a5a', ink: '#9a9a9a', marks: [[0, 900, 2400, 300]] });
}

/** How far the page scrolls sideways: nothing beyond the viewport's 390 px. */
function scrollWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.scrollingElement!.scrollWidth);
}

function workBadge(page: Page) {
  return page.locator('.fp-badge[data-tab="work"]');
}

async function badgeCount(page: Page): Promise<number> {
  if ((await workBadge(page).count()) === 0) return 0;
  return Number(await workBadge(page).textContent());
}

describe("the grid worker's work (待办) on a phone (small county, demo accounts)", () => {
  beforeAll(async () => {
    duty = await apiSession('duty');
  });

  it('gets a dispatched case live with a badge, acknowledges it and gives feedback with a photo at 390 px', async () => {
    const context = await watch.newContext(FIELD_PHONE);
    await signIn(context, 'wangping-grid');
    const phone = await context.newPage();
    await phone.goto(`${serverUrl()}/field#work`);
    await phone.locator('[data-testid="network-state"][data-live="live"]').waitFor({ timeout: 60_000 });
    const list = phone.getByTestId('my-work');
    // The list as the server gave it, not the loading line: a case already there counts in `before`.
    await phone.locator('[data-testid="my-work"][data-state="ready"]').waitFor({ timeout: 20_000 });
    const before = await badgeCount(phone);
    // The worker goes back to the report form (the field page's home) before the case comes.
    await phone.getByTestId('tab-report').tap();
    await phone.getByTestId('report-form').waitFor();

    // The duty officer files and dispatches a case in the worker's grid to 沙溪镇, while the phone looks on.
    const { id, caseNumber } = await reportInGrid('村道上方落石，路面有碎石，需清理');
    await act(id, 'file');
    await act(id, 'dispatch', { townshipCode: SHAXI });

    // It arrives live: a banner and a notice naming it, and one more on the work tab's badge.
    const banner = phone.getByTestId('work-banner');
    await banner.filter({ hasText: caseNumber }).waitFor({ timeout: 20_000 });
    await phone.locator('.toast', { hasText: caseNumber }).first().waitFor({ timeout: 10_000 });
    await expect.poll(() => badgeCount(phone), { timeout: 10_000 }).toBe(before + 1);
    expect(await scrollWidth(phone)).toBeLessThanOrEqual(390);
    await shoot(phone, 'my-work-00-arrives-on-home');

    // One tap to the list, where the new case is marked; a second one acknowledges it.
    await banner.tap();
    await list.waitFor();
    const card = phone.locator(`[data-testid="work-item"][data-case-id="${id}"]`);
    await card.waitFor();
    expect(await card.getAttribute('data-fresh')).toBe('true');
    expect(await card.getByTestId('work-state').textContent()).toBe('已派遣');
    expect(await card.getByTestId('work-light').textContent()).toBe('正常');
    expect(await card.getByTestId('work-deadline').textContent()).toMatch(
      /^签收时限 \d\d-\d\d \d\d:\d\d · 剩余 \d+ (分钟|小时|天)$/,
    );
    expect(await scrollWidth(phone)).toBeLessThanOrEqual(390);
    await card.scrollIntoViewIfNeeded();
    await shoot(phone, 'my-work-01-new-case');

    // 签收 straight from the card: the case is now being handled, and waits for progress or feedback.
    await card.locator('button[data-action="acknowledge"]').tap();
    await expect.poll(() => card.getByTestId('work-state').textContent(), { timeout: 10_000 }).toBe('处置中');
    await card.locator('button[data-action="feedback"]').waitFor();
    expect((await caseOf(id)).state).toBe('acknowledged');

    // 处置反馈 opens the case with its form: a note and a photo from the phone.
    await card.locator('button[data-action="feedback"]').tap();
    const view = phone.locator(`[data-testid="work-case"][data-case-id="${id}"]`);
    await view.waitFor();
    const form = view.getByTestId('work-form');
    await form.waitFor();
    expect(await form.getAttribute('data-action')).toBe('feedback');
    await form.getByTestId('work-note').fill('已清理路面碎石，设置警示牌');
    await form
      .getByTestId('work-photo-input')
      .setInputFiles([{ name: 'cleared.png', mimeType: 'image/png', buffer: await workPhoto(phone) }]);
    await form.locator('.fp-thumbs img').waitFor();
    expect(await scrollWidth(phone)).toBeLessThanOrEqual(390);
    await shoot(phone, 'my-work-02-feedback-form');
    await form.getByTestId('work-submit').tap();

    // Back on the list, the case has left it; the server has the feedback and its resized photo.
    await list.waitFor({ timeout: 15_000 });
    await card.waitFor({ state: 'detached', timeout: 15_000 });
    const handled = await caseOf(id);
    expect(handled.state).toBe('handled');
    const feedback = handled.steps.find((step) => step.action === 'feedback');
    expect(feedback?.note).toBe('已清理路面碎石，设置警示牌');
    expect(feedback?.photoIds).toHaveLength(1);
    const photo = await duty.get(`/api/reports/${id}/photos/${feedback!.photoIds[0]}`);
    expect(photo.headers.get('Content-Type')).toBe('image/jpeg');
    await expect.poll(() => badgeCount(phone)).toBe(before);
  });

  it('shows a case with its actions at 390 px, from the link a card opens', async () => {
    const { id } = await reportInGrid('山坡有裂缝，需要巡查');
    await act(id, 'file');
    await act(id, 'dispatch', { townshipCode: SHAXI });
    await act(id, 'supervise', { note: '请尽快签收处置' });

    const context = await watch.newContext(FIELD_PHONE);
    await signIn(context, 'wangping-grid');
    const phone = await context.newPage();
    await phone.goto(`${serverUrl()}/field#work`);
    const card = phone.locator(`[data-testid="work-item"][data-case-id="${id}"]`);
    await card.waitFor({ timeout: 20_000 });
    await card.locator('.fp-work-open').tap();
    const view = phone.locator(`[data-testid="work-case"][data-case-id="${id}"]`);
    await view.waitFor();
    expect(phone.url()).toContain(`#work/${id}`);
    await view.locator('button[data-action="acknowledge"]').tap();
    await expect.poll(() => view.getByTestId('work-case-state').textContent(), { timeout: 10_000 }).toBe('处置中');
    await view.locator('button[data-action="handle"]').tap();
    await view.getByTestId('work-form').waitFor();
    expect(await scrollWidth(phone)).toBeLessThanOrEqual(390);
    await shoot(phone, 'my-work-03-case-actions');

    // The progress note keeps the case on the list; the phone's back button returns to it.
    await view.getByTestId('work-note').fill('已到现场，正在设置警戒线');
    await view.getByTestId('work-submit').tap();
    await view.locator('.fp-work-timeline', { hasText: '已到现场，正在设置警戒线' }).waitFor({ timeout: 10_000 });
    await phone.goBack();
    await card.waitFor();
    expect(await card.getByTestId('work-state').textContent()).toBe('处置中');
    // And a tap on the 待办 tab from an open case brings the list back too.
    await card.locator('.fp-work-open').tap();
    await view.waitFor();
    await phone.getByTestId('tab-work').tap();
    await card.waitFor();
    expect(await view.count()).toBe(0);
  });

  it('lists /cases as cards with the filters folded at 390 px, with no sideways scroll', async () => {
    const context = await watch.newContext(FIELD_PHONE);
    await signIn(context, 'wangping-grid');
    const phone = await context.newPage();
    await phone.goto(`${serverUrl()}/cases`);
    const cards = phone.getByTestId('case-cards');
    await cards.locator('.case-card').first().waitFor({ timeout: 20_000 });
    expect(await phone.getByTestId('case-table').count()).toBe(0);
    expect(await phone.getByTestId('case-filters').isVisible()).toBe(false);
    // The first card is on the first screen.
    const first = await cards.locator('.case-card').first().boundingBox();
    expect(first!.y + first!.height).toBeLessThan(844);
    expect(await scrollWidth(phone)).toBeLessThanOrEqual(390);
    await shoot(phone, 'my-work-04-cases-cards');

    await phone.getByTestId('filters-toggle').tap();
    expect(await phone.getByTestId('case-filters').isVisible()).toBe(true);
    expect(await scrollWidth(phone)).toBeLessThanOrEqual(390);
    await shoot(phone, 'my-work-05-cases-filters');
  });
});
