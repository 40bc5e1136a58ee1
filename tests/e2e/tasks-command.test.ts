import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { apiSession, DESKTOP, serverUrl, shoot, signIn, watchedChromium } from './harness.ts';

const watch = watchedChromium();

const WANGPING = '511921108209';
/** The demo informant's cell (wangping-cell). */
const INFORMANT_CELL = '511921108209001001';

interface Target {
  id: number;
  targetKind: 'cell' | 'grid';
  areaCode: string;
  state: string;
}

/** The state the monitor's map holds for a cell (its feature-state), or null before it is drawn. */
function cellState(page: Page, code: string): Promise<string | null> {
  return page.evaluate(
    (cell) =>
      (window.__taskMap?.getFeatureState({ source: 'cell', sourceLayer: 'cell', id: cell })?.targetState as string) ?? null,
    code,
  );
}

describe('the command center’s task screens (条线任务)', () => {
  it('dispatches a vehicles collection to 王坪村, colours its cells live, reminds laggards and exports the answers', async () => {
    const context = await watch.newContext({ ...DESKTOP, colorScheme: 'light' });
    await signIn(context, 'county');
    const page = await context.newPage();
    await page.goto(`${serverUrl()}/`);
    await page.getByTestId('user-menu').locator('button.user-button').click();
    await page.getByTestId('tasks-link').click();
    await page.getByTestId('tasks-page').waitFor();

    // The dialog: a collection task to the village with the vehicles list (plate, kind, seats).
    const title = `农村机动车信息采集 ${Date.now().toString(36)}`;
    await page.getByTestId('open-dispatch').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('dispatch-line').selectOption({ index: 1 });
    await dialog.getByTestId('kind-collection').check();
    await dialog.getByTestId('dispatch-title').fill(title);
    await dialog.getByTestId('dispatch-body').fill('请各单元格信息员登记本单元格内的农村机动车。');
    await dialog.getByRole('button', { name: '更改' }).click();
    await dialog.getByPlaceholder(/搜索/).fill('王坪村');
    await dialog.locator(`.area-result[data-code="${WANGPING}"]`).click();

    await shoot(page, 'tasks-01-dispatch-dialog');

    // An empty form is refused in the browser with the server's own words.
    await dialog.getByRole('button', { name: '下发任务' }).click();
    expect(await dialog.getByTestId('dialog-error').textContent()).toContain('表单应有 1–30 个字段');
    await dialog.getByRole('button', { name: '示例：车辆表' }).click();
    expect(await dialog.getByTestId('form-field-0-sub-2').getByTestId('field-label').inputValue()).toBe('座位数');
    await dialog.getByTestId('add-field').click();
    await dialog.getByTestId('form-field-1').getByTestId('field-label').fill('备注');
    await shoot(page, 'tasks-01b-dispatch-form');

    // A double click dispatches once (one client id per opened dialog).
    await dialog.getByRole('button', { name: '下发任务' }).dblclick();
    await page.getByTestId('task-monitor').waitFor({ timeout: 30_000 });
    const taskId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    const county = await apiSession('county');
    const listed = (await (await county.get('/api/tasks')).json()) as { tasks: { id: string; title: string }[] };
    expect(listed.tasks.filter((task) => task.title === title).map((task) => task.id)).toEqual([taskId]);

    // The map colours the village's cells by their target's state.
    const { targets } = (await (await county.get(`/api/tasks/${taskId}/targets`)).json()) as { targets: Target[] };
    const cells = targets.filter((target) => target.targetKind === 'cell');
    expect(cells.length).toBeGreaterThan(1);
    expect(cells.some((target) => target.areaCode === INFORMANT_CELL)).toBe(true);
    await page.waitForFunction(() => window.__taskMap?.loaded() === true, undefined, { timeout: 90_000 });
    await expect.poll(() => cellState(page, INFORMANT_CELL), { timeout: 30_000 }).toBe('pending');
    expect(await page.getByTestId('count-pending').textContent()).toBe(String(targets.length));
    await page.waitForFunction(() => window.__taskMap?.loaded() === true && !window.__taskMap.isMoving(), undefined, {
      timeout: 30_000,
    });
    await shoot(page, 'tasks-02-monitor-dispatched');

    // The informant opens the inbox (delivered) and answers through the API: the cell turns done, live.
    const informant = await apiSession('wangping-cell');
    const inbox = (await (await informant.get('/api/tasks/inbox')).json()) as {
      items: { targetId: number; task: { id: string } }[];
    };
    const item = inbox.items.find((candidate) => candidate.task.id === taskId)!;
    expect(item).toBeDefined();
    await expect.poll(() => cellState(page, INFORMANT_CELL), { timeout: 30_000 }).toBe('delivered');
    const answers = {
      vehicles: [
        { plate: '川Y·A1234', kind: '三轮车', seats: 3 },
        { plate: '川Y·B5678', kind: '小型客车', seats: 5 },
      ],
    };
    const answered = await informant.post(`/api/tasks/targets/${item.targetId}/responses`, {
      clientId: crypto.randomUUID(),
      answers,
    });
    expect(answered.status).toBe(201);
    await expect.poll(() => cellState(page, INFORMANT_CELL), { timeout: 30_000 }).toBe('done');
    await expect.poll(() => page.getByTestId('count-done').textContent(), { timeout: 30_000 }).toBe('1');

    // The answer in the results table, the list shown as numbered lines.
    const row = page.getByTestId('result-row');
    await expect.poll(() => row.count(), { timeout: 30_000 }).toBe(1);
    expect(await row.locator('.result-list li').allTextContents()).toEqual([
      '车牌号：川Y·A1234；车型：三轮车；座位数：3座',
      '车牌号：川Y·B5678；车型：小型客车；座位数：5座',
    ]);

    // Remind the laggards: a confirmation, then a reminder row per target not done.
    await page.getByTestId('remind').click();
    expect(await page.getByTestId('remind-confirm').textContent()).toContain(String(targets.length - 1));
    await page.getByRole('dialog').getByRole('button', { name: '确定' }).click();
    await expect
      .poll(() => page.locator('[data-testid="reminder-row"][data-kind="remind"]').count(), { timeout: 30_000 })
      .toBe(targets.length - 1);

    await page.getByTestId('reach-chart').scrollIntoViewIfNeeded();
    await shoot(page, 'tasks-03-monitor');
    await page.getByTestId('results-panel').scrollIntoViewIfNeeded();
    await shoot(page, 'tasks-04-results');

    // The XLSX export downloads (a zip: "PK").
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-xlsx').click()]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const bytes = await readFile((await download.path())!);
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');

    // The list shows the task with its progress.
    await page.getByTestId('back-to-tasks').click();
    const listedRow = page.locator(`[data-testid="task-row"][data-task-id="${taskId}"]`);
    await listedRow.waitFor();
    expect(await listedRow.textContent()).toContain(title);
    await shoot(page, 'tasks-05-list');
  });
});

describe('the task lines (任务条线) and who dispatches on them', () => {
  it('lets an admin add a line with its departments, rename and retire it; a cadre is offered its department’s lines only', async () => {
    const admin = await watch.newPage(DESKTOP);
    await signIn(admin.context(), 'admin');
    await admin.goto(`${serverUrl()}/admin/task-lines`);
    const table = admin.getByTestId('task-lines-table');
    await table.locator('tr[data-line="emergency"]').waitFor();

    const code = `e2e_${Date.now().toString(36)}`;
    await admin.getByTestId('add-line').click();
    const dialog = admin.getByRole('dialog');
    await dialog.getByLabel('代码').fill(code);
    await dialog.getByLabel('名称').fill('森林防火');
    await dialog.getByLabel('县林业局').check();
    await dialog.getByLabel('县应急管理局').check();
    await dialog.getByRole('button', { name: '保存' }).click();
    const row = table.locator(`tr[data-line="${code}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('县林业局、县应急管理局');

    await row.getByRole('button', { name: '修改' }).click();
    await dialog.getByLabel('名称').fill('森林草原防火');
    await dialog.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => row.locator('td').nth(1).textContent()).toBe('森林草原防火');
    await row.getByRole('button', { name: '停用' }).click();
    await expect.poll(() => row.getAttribute('data-disabled')).toBe('true');
    await shoot(admin, 'tasks-06-lines');

    // The emergency bureau's cadre (D01): only the active lines its department owns.
    const lines = (await (await (await apiSession('cadre')).get('/api/task-lines')).json()) as {
      lines: { name: string; departmentCodes: string[]; active: boolean }[];
    };
    const own = lines.lines.filter((line) => line.active && line.departmentCodes.includes('D01')).map((line) => line.name);
    expect(own.length).toBeGreaterThan(0);
    const cadre = await watch.newPage(DESKTOP);
    await signIn(cadre.context(), 'cadre');
    await cadre.goto(`${serverUrl()}/tasks`);
    await cadre.getByTestId('open-dispatch').click();
    const offered = await cadre.getByTestId('dispatch-line').locator('option').allTextContents();
    expect(offered.slice(1).sort()).toEqual([...own].sort());
    expect(offered).not.toContain('森林草原防火');
  });
});

describe('a practice task in drill mode (演练任务)', () => {
  it('dispatches one while the drill runs, and its simulated informants fill the map and the reach curve', async () => {
    const page = await watch.newPage({ ...DESKTOP, colorScheme: 'dark' });
    await signIn(page.context(), 'county');
    await page.goto(`${serverUrl()}/tasks`);
    await page.getByTestId('task-list').waitFor();
    expect(await page.getByTestId('drill-task').count()).toBe(0);
    const menu = page.getByTestId('user-menu');
    await menu.locator('button.user-button').click();
    await menu.getByRole('button', { name: '开始演练' }).click();
    await menu.getByRole('button', { name: '停止演练' }).waitFor();
    await menu.locator('button.user-button').click();

    await page.getByTestId('drill-task').click();
    await page.getByTestId('task-monitor').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('task-title').textContent()).toContain('演练');
    await page.waitForFunction(() => window.__taskMap?.loaded() === true, undefined, { timeout: 90_000 });
    const total = Number(await page.getByTestId('count-pending').textContent());
    expect(total).toBeGreaterThan(0);
    // The simulated informants stamp the targets forward over a few minutes; the first within a minute.
    await expect
      .poll(async () => Number(await page.getByTestId('count-pending').textContent()), { timeout: 120_000, interval: 2000 })
      .toBeLessThan(total);
    await expect.poll(() => page.getByTestId('full-delivered').textContent(), { timeout: 5000 }).toMatch(/分钟|未达到/);
    await page.waitForTimeout(1000);
    await shoot(page, 'tasks-07-drill-monitor');

    await menu.locator('button.user-button').click();
    await menu.getByRole('button', { name: '停止演练' }).click();
    await menu.getByRole('button', { name: '开始演练' }).waitFor();
  }, 240_000);
});
