import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { apiSession, FIELD_PHONE, serverUrl, shoot, signIn, watchedChromium } from './harness.ts';

/** The demo informant of 王坪村's first grid's first cell, and the cell itself. */
const INFORMANT = 'wangping-cell';
const CELL = '511921108209001001';

const watch = watchedChromium();

interface InboxBody {
  items: {
    targetId: number;
    state: string;
    acknowledgedAt: string | null;
    doneAt: string | null;
    task: { id: string; title: string };
    responses: { householdCode: string; answers: Record<string, unknown> }[];
  }[];
}

/** The rural vehicles of the cell (the source study's 王坪村 collection), with a repeating list. */
const VEHICLE_FORM = [
  { key: 'households', label: '本单元格户数', type: 'number', required: true, integer: true, min: 0, max: 500, unit: '户' },
  {
    key: 'vehicles',
    label: '农村机动车',
    type: 'list',
    required: true,
    maxItems: 20,
    fields: [
      { key: 'plate', label: '号牌', type: 'text', required: true, maxLength: 12 },
      { key: 'kind', label: '车型', type: 'choice', required: true, options: ['摩托车', '三轮车', '面包车', '货车'] },
      { key: 'seats', label: '核载人数', type: 'number', required: false, integer: true, min: 1, max: 60, unit: '人' },
    ],
  },
  { key: 'checked_on', label: '排查日期', type: 'date', required: false },
];

async function controlled(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated', undefined, { timeout: 60_000 });
}

describe('the task inbox of the field page (small county)', () => {
  it('receives a notice and a collection form, acknowledges and answers offline, and the server holds one answer', async () => {
    const county = await apiSession('county');
    const stamp = randomUUID().slice(0, 6);
    const deadline = new Date(Date.now() + 24 * 3600_000).toISOString();
    const dispatch = async (task: Record<string, unknown>) => {
      const response = await county.post('/api/tasks', {
        clientId: randomUUID(),
        lineCode: 'rural_traffic',
        perHousehold: false,
        areaCode: CELL,
        deadline,
        escalateAfterMinutes: 60,
        body: '',
        ...task,
      });
      expect(response.status, await response.clone().text()).toBe(201);
      return ((await response.json()) as { task: { id: string } }).task.id;
    };
    const noticeTitle = `汛期安全提醒 ${stamp}`;
    const formTitle = `农村机动车信息采集 ${stamp}`;
    const noticeId = await dispatch({ kind: 'notice', title: noticeTitle, body: '请于今日内签收，并转告本单元格各户。' });
    const formId = await dispatch({
      kind: 'collection',
      title: formTitle,
      body: '逐户登记摩托车、三轮车、面包车。',
      fields: VEHICLE_FORM,
    });

    const context = await watch.newContext(FIELD_PHONE);
    await signIn(context, INFORMANT);
    const page = await context.newPage();
    await page.goto(`${serverUrl()}/field#tasks`);
    const inbox = page.getByTestId('task-inbox');
    await inbox.getByTestId('task-row').filter({ hasText: formTitle }).waitFor({ timeout: 30_000 });
    await controlled(page);
    // The badge counts the tasks not done; the newest is first.
    expect(Number(await page.locator('.fp-badge[data-tab="tasks"]').textContent())).toBeGreaterThanOrEqual(2);
    expect(await inbox.getByTestId('task-row').first().textContent()).toContain(formTitle);
    await shoot(page, 'tasks-field-01-inbox');

    // The network goes; the inbox still opens from the phone after a reload.
    await context.setOffline(true);
    await page.reload();
    await inbox.getByTestId('task-row').filter({ hasText: noticeTitle }).waitFor({ timeout: 30_000 });

    // The notice: one tap acknowledges it (签收), on the phone first.
    await inbox.getByTestId('task-row').filter({ hasText: noticeTitle }).click();
    const view = page.getByTestId('task-view');
    await view.getByTestId('task-acknowledge').click();
    await view.getByTestId('task-acknowledged').waitFor();
    await view.locator('.tk-back').click();

    // The form: checked on the phone with the server's own check before anything is sent.
    await inbox.getByTestId('task-row').filter({ hasText: formTitle }).click();
    const form = page.getByTestId('task-form');
    await form.waitFor();
    await form.getByTestId('task-submit').click();
    expect(await form.getByTestId('task-form-problem').textContent()).toContain('「本单元格户数」为必填项');
    await form.getByTestId('task-field-households').locator('input').fill('23');
    await form.getByTestId('task-list-add').click();
    await form.getByTestId('task-list-add').click();
    const items = form.getByTestId('task-list-item');
    await items.nth(0).getByTestId('task-field-vehicles.0.plate').locator('input').fill('川Y·A1234');
    await items.nth(0).getByRole('button', { name: '三轮车' }).click();
    await items.nth(0).getByTestId('task-field-vehicles.0.seats').locator('input').fill('3');
    await items.nth(1).getByTestId('task-field-vehicles.1.plate').locator('input').fill('川Y·B5678');
    await form.getByTestId('task-submit').click();
    // The second vehicle has no type yet: the message names the item and the field.
    expect(await form.getByTestId('task-form-problem').textContent()).toContain('第 2 条的「车型」为必填项');
    await items.nth(1).getByRole('button', { name: '摩托车' }).click();
    await shoot(page, 'tasks-field-02-form');
    await form.getByTestId('task-submit').click();

    // Both wait on the phone, and the list says so.
    await inbox.waitFor();
    await expect.poll(() => inbox.locator('.fp-list-tools').textContent()).toMatch(/待发送 [34] 条/);
    await shoot(page, 'tasks-field-03-waiting-offline');

    // Back online: sent, once each.
    await context.setOffline(false);
    await expect.poll(() => inbox.locator('.fp-list-tools').textContent(), { timeout: 45_000 }).not.toContain('待发送');
    const informant = await apiSession(INFORMANT);
    const body = (await (await informant.get('/api/tasks/inbox')).json()) as InboxBody;
    const notice = body.items.find((item) => item.task.id === noticeId);
    const collection = body.items.find((item) => item.task.id === formId);
    expect(notice).toMatchObject({ state: 'done', acknowledgedAt: expect.any(String) });
    expect(collection?.state).toBe('done');
    expect(collection?.responses).toEqual([
      expect.objectContaining({
        answers: {
          households: 23,
          vehicles: [
            { plate: '川Y·A1234', kind: '三轮车', seats: 3 },
            { plate: '川Y·B5678', kind: '摩托车' },
          ],
        },
      }),
    ]);
    await expect.poll(() => inbox.getByTestId('task-row').filter({ hasText: formTitle }).getAttribute('data-state')).toBe('done');

    // Live: a task dispatched while the page is open is announced and listed without a reload.
    const liveTitle = `森林防火通知 ${stamp}`;
    await dispatch({ kind: 'notice', title: liveTitle, lineCode: 'emergency' });
    await page.getByText(`新任务：${liveTitle}`).waitFor({ timeout: 30_000 });
    await inbox.getByTestId('task-row').filter({ hasText: liveTitle }).waitFor({ timeout: 30_000 });
    await shoot(page, 'tasks-field-04-live');
  });
});
