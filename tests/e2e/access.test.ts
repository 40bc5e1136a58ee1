import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiSession } from './harness.ts';
import { apiSession, DEMO_PASSWORD, DESKTOP, mapSettled, PHONE, serverUrl, shoot, signIn, watchedChromium } from './harness.ts';

/** 王坪村 (沙溪镇) and its first cell; 红江村 is a village of 涪阳镇, outside 沙溪镇. */
const WANGPING = '511921108209';
const WANGPING_CELL = '511921108209001001';
const HONGJIANG = '511921112200';

type LngLat = [number, number];

const watch = watchedChromium();
/** The county commander in Node, for facts about areas outside a township's scope. */
let county: ApiSession;

async function labelPoint(code: string): Promise<LngLat> {
  const response = await county.get(`/api/areas/${code}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { area: { labelPoint: LngLat } }).area.labelPoint;
}

const mapHash = (zoom: number, [lng, lat]: LngLat) => `#map=${zoom}/${lat.toFixed(6)}/${lng.toFixed(6)}`;

function loginPage(page: Page) {
  return page.getByTestId('login-page');
}

function panel(page: Page, code: string) {
  return page.locator(`[data-testid="area-panel"][data-code="${code}"][data-state="ready"]`);
}

function demoAccount(page: Page, username: string) {
  return page.locator(`button.demo-account[data-username="${username}"]`);
}

/** Types a username and password into the login page and submits. */
async function signInThroughForm(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
}

/** Names of the township label points the map was given (the county's townships the account may see). */
async function townshipLabelNames(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const source = window.__map!.getSource('area-labels') as unknown as { getData(): Promise<GeoJSON.FeatureCollection> };
    const data = await source.getData();
    return data.features
      .filter((feature) => feature.properties?.level === 'township')
      .map((feature) => String(feature.properties?.name))
      .sort();
  });
}

describe('sign-in, roles and area scope in Chromium (small county, demo accounts)', () => {
  beforeAll(async () => {
    county = await apiSession('county');
  });

  it('keeps a shared link through the login page; a township commander sees only 沙溪镇; signing out ends the session', async () => {
    const sharedHash = `${mapHash(12, await labelPoint(WANGPING))}&area=${WANGPING}`;
    const page = await watch.newPage(DESKTOP);
    await page.goto(`${serverUrl()}/${sharedHash}`);

    // Signed out: the login page, in Chinese, with the demo accounts; the link waits in the URL.
    await loginPage(page).waitFor();
    await page.getByTestId('demo-accounts').waitFor();
    expect(await page.getByRole('heading', { name: '登录', exact: true }).isVisible()).toBe(true);
    expect(await page.getByTestId('demo-accounts').textContent()).toContain('演示账号');
    expect(await page.getByTestId('demo-accounts').textContent()).toContain(DEMO_PASSWORD);
    expect(await demoAccount(page, 'shaxi').textContent()).toContain('指挥长 · 沙溪镇');
    expect(await page.evaluate(() => window.location.hash)).toBe(sharedHash);
    await shoot(page, 'access-01-login-desk');

    // A wrong password gets the API's own message.
    await signInThroughForm(page, 'shaxi', 'not-the-password-1');
    await expect.poll(() => page.getByTestId('login-error').textContent()).toBe('用户名或密码不正确');

    // A tap on a demo account fills the form; signing in opens the shared link.
    await demoAccount(page, 'shaxi').click();
    expect(await page.locator('input[name="username"]').inputValue()).toBe('shaxi');
    expect(await page.locator('input[name="password"]').inputValue()).toBe(DEMO_PASSWORD);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await panel(page, WANGPING).waitFor();
    await mapSettled(page);
    expect(await page.evaluate(() => window.location.hash)).toMatch(new RegExp(`^#map=12/[\\d.]+/[\\d.]+&area=${WANGPING}$`));
    expect(await page.evaluate(() => window.__map!.getZoom())).toBeCloseTo(12, 1);

    // Who is signed in, with role and area, always in the header.
    const who = await page.getByTestId('signed-in-as').textContent();
    expect(who).toContain('沙溪镇指挥长（演示）');
    expect(who).toContain('指挥长');
    expect(who).toContain('沙溪镇');

    // The county's townships, as this account gets them: 沙溪镇 alone.
    await expect.poll(() => townshipLabelNames(page)).toEqual(['沙溪镇']);

    // 红江 (a village of 涪阳镇) is not found.
    const search = page.getByRole('combobox');
    await search.fill('红江');
    await expect.poll(() => page.locator('.search-status').textContent()).toBe('没有找到匹配的区域');
    await search.fill('王坪');
    await page.getByRole('option').filter({ hasText: '王坪村' }).first().waitFor();
    await search.fill('');

    // Without a view in the link, the map opens on the township, labelled alone.
    await page.goto(`${serverUrl()}/`);
    await mapSettled(page);
    const rendered = await page.evaluate(() =>
      window.__map!.queryRenderedFeatures({ layers: ['township-label'] }).map((feature) => String(feature.properties.name)),
    );
    expect(rendered).toEqual(['沙溪镇']);
    expect(await page.evaluate(() => window.__map!.getZoom())).toBeGreaterThan(8.5);
    await shoot(page, 'access-02-shaxi-map');

    // 红江村 by its code: not found, nothing selected.
    await page.evaluate((code) => {
      window.location.hash = `area=${code}`;
    }, HONGJIANG);
    const toast = page.getByRole('alert').first();
    await toast.waitFor();
    expect(await toast.textContent()).toContain(HONGJIANG);
    await expect.poll(() => page.locator('[data-testid="area-panel"]').count()).toBe(0);
    await expect.poll(() => page.evaluate(() => window.location.hash)).not.toContain('area=');

    // The menu: who, patrol playback, the review, the line tasks, the grid workers and the one admin page a township commander may see, signing out.
    await page.getByTestId('user-menu').getByRole('button', { expanded: false }).click();
    const menuLinks = await page.locator('.user-links a').allTextContents();
    expect(menuLinks).toEqual(['现场上报', '巡查轨迹回放', '考评', '条线任务', '网格员队伍', '角色权限']);
    await shoot(page, 'access-03-header-menu');

    await page.getByRole('button', { name: '退出登录', exact: true }).click();
    await loginPage(page).waitFor();
    expect(await page.getByRole('status').filter({ hasText: '您已退出登录' }).count()).toBe(1);
    const meStatus = await page.evaluate(async () => (await fetch('/api/auth/me')).status);
    expect(meStatus).toBe(401);
    expect(await page.evaluate(() => `${window.location.pathname}${window.location.hash}`)).toBe('/');
  });

  it('works at phone width: large form, demo accounts, English switch, the header menu', async () => {
    const page = await watch.newPage(PHONE);
    await page.goto(`${serverUrl()}/`);
    await loginPage(page).waitFor();
    await page.getByTestId('demo-accounts').waitFor();
    await page.evaluate(() => document.fonts.ready);
    await shoot(page, 'access-04-login-phone');

    const layout = await page.evaluate(() => {
      const input = document.querySelector<HTMLInputElement>('input[name="username"]')!;
      const submit = document.querySelector<HTMLButtonElement>('.login-submit')!;
      return {
        overflow: document.documentElement.scrollWidth - window.innerWidth,
        pageOverflow: document.querySelector('.login-page')!.scrollWidth - window.innerWidth,
        inputHeight: input.getBoundingClientRect().height,
        inputFontPx: Number.parseFloat(getComputedStyle(input).fontSize),
        submitHeight: submit.getBoundingClientRect().height,
      };
    });
    expect(layout.overflow).toBeLessThanOrEqual(0);
    expect(layout.pageOverflow).toBeLessThanOrEqual(0);
    expect(layout.inputHeight).toBeGreaterThanOrEqual(44);
    // Below 16 px a phone zooms into the field.
    expect(layout.inputFontPx).toBeGreaterThanOrEqual(16);
    expect(layout.submitHeight).toBeGreaterThanOrEqual(44);

    await page.getByRole('button', { name: 'Switch to English' }).tap();
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    expect(await page.getByTestId('demo-accounts').textContent()).toContain('Demo accounts');
    expect(await demoAccount(page, 'shaxi').textContent()).toContain('Township commander');
    await page.getByRole('button', { name: '切换到中文' }).tap();
    await page.getByRole('heading', { name: '登录', exact: true }).waitFor();

    await demoAccount(page, 'wangping-cell').scrollIntoViewIfNeeded();
    await shoot(page, 'access-05-login-phone-demo');
    await demoAccount(page, 'county').tap();
    await page.getByRole('button', { name: '登录', exact: true }).tap();
    await mapSettled(page);
    const search = await page.getByRole('combobox').boundingBox();
    expect(search!.width).toBeGreaterThan(180);
    await page.getByTestId('user-menu').getByRole('button', { expanded: false }).tap();
    const menu = page.locator('.user-panel');
    await menu.waitFor();
    expect(await menu.textContent()).toContain('县总指挥（演示）');
    expect(await page.locator('.user-links a').allTextContents()).toEqual([
      '现场上报',
      '巡查轨迹回放',
      '考评',
      '条线任务',
      // The county commander sets the registers' follow-up rules there.
      '重点人群登记',
      '网格员队伍',
      '账号管理',
      '角色权限',
      '审计日志',
    ]);
    const box = await menu.boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(375);
    await shoot(page, 'access-06-phone-menu');
  });

  it('brings the login page back when the session ends elsewhere, then returns to the same place', async () => {
    const mapContext = await watch.newContext(DESKTOP);
    await signIn(mapContext, 'shaxi');
    const page = await mapContext.newPage();
    await page.goto(`${serverUrl()}/#area=${WANGPING}`);
    await panel(page, WANGPING).waitFor();
    await mapSettled(page);
    await page.waitForTimeout(400);
    const hashBefore = await page.evaluate(() => window.location.hash);
    expect(hashBefore).toMatch(new RegExp(`^#map=.+&area=${WANGPING}$`));

    // The same account, in another browser, signs out everywhere (from a desk page).
    const elsewhere = await watch.newContext(DESKTOP);
    await signIn(elsewhere, 'shaxi');
    const desk = await elsewhere.newPage();
    await desk.goto(`${serverUrl()}/admin/permissions`);
    await desk.getByTestId('permissions-table').waitFor();
    await desk.getByTestId('user-menu').getByRole('button', { expanded: false }).click();
    await desk.getByRole('button', { name: '退出所有设备' }).click();
    await loginPage(desk).waitFor();

    // The first browser learns it at once (its live stream ends with the session), or at its next request.
    await page
      .getByRole('combobox')
      .fill('王坪', { timeout: 2_000 })
      .catch(() => undefined);
    await loginPage(page).waitFor();
    expect(await page.getByTestId('session-ended').textContent()).toContain('重新登录');
    expect(await page.getByRole('alert').count()).toBe(0);
    await shoot(page, 'access-07-session-ended');

    await signInThroughForm(page, 'shaxi');
    await panel(page, WANGPING).waitFor();
    expect(await page.evaluate(() => window.location.hash)).toBe(hashBefore);
  });

  it('lets an admin create and disable an account, review permissions and the audit log, and export it', async () => {
    // Unique, so that the test also runs against a server that has seen it before (E2E_SERVER_URL).
    const worker = `e2e-${Date.now().toString(36)}`;
    const page = await watch.newPage(DESKTOP);
    // A deep link to an admin page survives the login page too.
    await page.goto(`${serverUrl()}/admin/accounts`);
    await demoAccount(page, 'admin').click();
    await page.getByRole('button', { name: '登录', exact: true }).click();
    const table = page.getByTestId('accounts-table');
    await table.locator('tr[data-username="shaxi"]').waitFor();
    expect(await table.locator('tr[data-username="county"]').textContent()).toContain('总指挥');
    await shoot(page, 'access-08-accounts');

    // Create: the API's refusals show in the dialog, which stays open until the input is right.
    await page.getByRole('button', { name: '新建账号' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('用户名', { exact: true }).fill('shaxi');
    await dialog.getByLabel('姓名', { exact: true }).fill('测试网格长（E2E）');
    await dialog.getByLabel('角色', { exact: true }).selectOption('grid_chief');
    expect(await dialog.getByLabel('角色', { exact: true }).locator('option:checked').textContent()).toBe('网格长');
    // A grid chief is scoped at a village: the county is not offered as its scope.
    expect(await dialog.getByTestId('grant-levels').textContent()).toBe('该角色可设在：村（社区）');
    expect(await dialog.getByTestId('area-choice').count()).toBe(0);
    await dialog.getByLabel('管辖范围', { exact: true }).fill('王坪');
    await dialog.locator(`button.area-result[data-code="${WANGPING}"]`).click();
    expect(await dialog.getByTestId('area-choice').textContent()).toContain('王坪村');
    await dialog.getByLabel('密码', { exact: true }).fill('grid2024ok');
    await dialog.getByRole('button', { name: '创建' }).click();
    await expect.poll(() => dialog.getByTestId('dialog-error').textContent()).toContain('已被使用');

    await dialog.getByLabel('用户名', { exact: true }).fill(worker);
    await dialog.getByLabel('密码', { exact: true }).fill('short');
    await dialog.getByRole('button', { name: '创建' }).click();
    await expect.poll(() => dialog.getByTestId('dialog-error').textContent()).toContain('密码至少 8 位');
    await shoot(page, 'access-09-account-create');

    await dialog.getByLabel('密码', { exact: true }).fill('grid2024ok');
    await dialog.getByRole('button', { name: '创建' }).click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    const created = table.locator(`tr[data-username="${worker}"]`);
    await created.waitFor();
    expect(await created.textContent()).toContain('王坪村');
    expect(await created.textContent()).toContain('网格长');
    expect(await created.getAttribute('data-disabled')).toBe('false');

    // Change its role and its scope (picked by name), and reset its password, each behind a dialog.
    // Only roles held at a village are offered: a grid worker's scope is a grid, not a village.
    await created.getByRole('button', { name: '改角色' }).click();
    const offered = await dialog.getByLabel('角色', { exact: true }).locator('option').allTextContents();
    expect(offered).toEqual(['网格长', '部门干部', '管理员']);
    await dialog.getByLabel('角色', { exact: true }).selectOption('admin');
    await dialog.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => created.locator('td').nth(2).textContent()).toBe('管理员');

    await created.getByRole('button', { name: '调整范围' }).click();
    await dialog.getByLabel('选择区域', { exact: true }).fill('苏坪');
    await dialog.locator('button.area-result[data-code="511921108208"]').click();
    await dialog.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => created.locator('td').nth(3).textContent()).toContain('苏坪村');

    await created.getByRole('button', { name: '重置密码' }).click();
    await dialog.getByLabel('新密码', { exact: true }).fill('newpass2024');
    await dialog.getByRole('button', { name: '重置密码' }).click();
    await page.getByRole('status').filter({ hasText: '已重置密码' }).waitFor();

    // Disable it, behind a confirmation; it can no longer sign in.
    await created.getByRole('button', { name: '停用' }).click();
    await dialog.getByText(worker).waitFor();
    await dialog.getByRole('button', { name: '停用' }).click();
    await expect.poll(() => created.getAttribute('data-disabled')).toBe('true');
    expect(await created.textContent()).toContain('已停用');
    const refused = await watch.newPage(PHONE);
    await refused.goto(`${serverUrl()}/`);
    await signInThroughForm(refused, worker, 'newpass2024');
    await expect.poll(() => refused.getByTestId('login-error').textContent()).toBe('该账号已停用，请联系管理员');

    // Disabling oneself is refused by the API, and the dialog says why.
    await table.locator('tr[data-username="admin"]').getByRole('button', { name: '停用' }).click();
    await dialog.getByRole('button', { name: '停用' }).click();
    await expect.poll(() => dialog.getByTestId('dialog-error').textContent()).toContain('不能停用自己的账号');
    await dialog.getByRole('button', { name: '取消' }).click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);

    // Disabled accounts can be left out.
    await page.getByLabel('包括已停用').uncheck();
    await expect.poll(() => created.count()).toBe(0);
    expect(await table.locator('tr[data-username="shaxi"]').count()).toBe(1);

    // The permission table, read-only, with Chinese labels.
    await page.getByRole('link', { name: '角色权限' }).click();
    const permissions = page.getByTestId('permissions-table');
    await permissions.waitFor();
    const roleHeaders = await permissions.locator('thead th[data-role]').allTextContents();
    expect(roleHeaders).toHaveLength(8);
    expect(roleHeaders[0]).toBe('总指挥');
    const cell = (action: string, role: string) => permissions.locator(`tr[data-action="${action}"] td[data-role="${role}"]`);
    expect(await cell('accounts.manage', 'admin').getAttribute('data-allowed')).toBe('true');
    expect(await cell('accounts.manage', 'admin').textContent()).toContain('✓');
    expect(await cell('accounts.view', 'township_commander').getAttribute('data-allowed')).toBe('false');
    expect(await cell('households.view', 'admin').getAttribute('data-allowed')).toBe('false');
    expect(await permissions.locator('tr[data-action="map.view"] th').textContent()).toContain('查看地图');
    expect(await permissions.locator('tr[data-action="levels"] td[data-role="grid_worker"]').textContent()).toBe('网格');
    expect(await page.getByTestId('grant-rule').textContent()).toContain('县级管理员管理全县账号');
    await shoot(page, 'access-10-permissions');

    // The audit log: the sign-ins and the account changes, in Chinese; filters; CSV export.
    await page.getByRole('link', { name: '审计日志' }).click();
    const audit = page.getByTestId('audit-table');
    await audit.locator('tr[data-action="auth.login"]').first().waitFor();
    expect(await audit.locator('tr[data-action="auth.login"]').first().textContent()).toContain('登录');
    expect(await audit.locator('tr[data-action="account.create"]').first().textContent()).toContain(worker);
    expect(await audit.locator('tr[data-action="account.disable"]').first().textContent()).toContain('停用账号');
    await shoot(page, 'access-11-audit');

    await page.getByLabel('操作', { exact: true }).selectOption('auth.');
    await page.getByLabel('操作人用户名').fill('admin');
    await page.getByRole('button', { name: '查询' }).click();
    await expect
      .poll(async () => {
        const actions = await audit.locator('tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-action')));
        return actions.length > 0 && actions.every((action) => action?.startsWith('auth.'));
      })
      .toBe(true);
    const actors = await audit.locator('tbody tr td:nth-child(2)').allTextContents();
    expect(new Set(actors)).toEqual(new Set(['admin']));

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('audit-export').click()]);
    expect(download.suggestedFilename()).toMatch(/^audit-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r\n/);
    expect(lines[0]).toBe('at,actorUsername,actorRole,action,outcome,targetType,targetId,scopeCode,ip,userAgent,details');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.slice(1).every((line) => line.includes(',admin,') && line.includes(',auth.'))).toBe(true);
    await page.getByRole('status').filter({ hasText: '已导出' }).waitFor();

    // Back to the map: an admin may not see households, so the map never asks for them.
    await page.getByRole('link', { name: '返回地图' }).click();
    await mapSettled(page);
    await page.evaluate(
      (hash) => {
        window.location.hash = hash;
      },
      mapHash(15, await labelPoint(WANGPING_CELL)).slice(1),
    );
    await page.waitForFunction(() => window.__map!.getZoom() > 14.9);
    await mapSettled(page);
    expect(await page.evaluate(() => window.__map!.getSource('household') === undefined)).toBe(true);
    expect(watch.requestedPaths.filter((path) => path.startsWith('/tiles/household'))).toEqual([]);
    expect(watch.requestedPaths.some((path) => path.startsWith('/tiles/cell/'))).toBe(true);
    expect(await page.getByTestId('level-indicator').textContent()).not.toContain('住户');
    expect(await page.getByRole('alert').count()).toBe(0);
    await shoot(page, 'access-12-admin-map-no-households');
  });
});
