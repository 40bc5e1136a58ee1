import { describe, expect, it } from 'vitest';
import { DESKTOP, serverUrl, shoot, watchedChromium } from './harness.ts';

/** 王坪村 (沙溪镇). */
const WANGPING = '511921108209';

const watch = watchedChromium();

describe('the account form offers only what the administrator may grant (small county, demo accounts)', () => {
  it('offers a township administrator only the roles and levels it may grant, with the rule in words', async () => {
    const page = await watch.newPage(DESKTOP);
    await page.goto(`${serverUrl()}/admin/accounts`);
    await page.locator('button.demo-account[data-username="shaxi-admin"]').click();
    await page.getByRole('button', { name: '登录', exact: true }).click();
    const table = page.getByTestId('accounts-table');
    await table.locator('tr[data-username="wangping-grid"]').waitFor();
    // Its township's commander and itself are beyond what it may manage: no actions on their rows;
    // the grid worker of one of its villages it manages.
    for (const username of ['shaxi', 'shaxi-admin']) {
      const row = table.locator(`tr[data-username="${username}"]`);
      expect(await row.getByRole('button').count()).toBe(0);
      expect(await row.locator('td[title]').getAttribute('title')).toContain('超出本账号的管理权限');
    }
    const worker = table.locator('tr[data-username="wangping-grid"]');
    expect(await worker.getByRole('button').allTextContents()).toEqual(['停用', '改角色', '调整范围', '重置密码']);
    await page.getByRole('button', { name: '新建账号' }).click();
    const dialog = page.getByRole('dialog');
    const role = dialog.getByLabel('角色', { exact: true });
    // Never a commander, a duty officer or an administrator of its own township (api/auth/permissions.ts, mayGrant).
    expect(await role.locator('option').allTextContents()).toEqual(['网格长', '网格员', '单元格信息员', '部门干部', '管理员']);
    expect(await dialog.getByTestId('account-grant-rule').textContent()).toContain('不能创建或接管指挥长、值班员或同级管理员');
    expect(await dialog.getByTestId('grant-levels').textContent()).toBe('该角色可设在：网格');
    // Its own township is not a scope it may give anyone; the search offers only the role's level.
    expect(await dialog.getByTestId('area-choice').count()).toBe(0);
    await role.selectOption('admin');
    expect(await dialog.getByTestId('grant-levels').textContent()).toBe('该角色可设在：村（社区）');
    // 王坪 names a village and its grids and cells: only the village is offered for an administrator.
    await dialog.getByLabel('管辖范围', { exact: true }).fill('王坪');
    await dialog.locator(`button.area-result[data-code="${WANGPING}"]`).waitFor();
    const levels = await dialog
      .locator('button.area-result .level-chip')
      .evaluateAll((chips) => chips.map((chip) => chip.getAttribute('data-level')));
    expect(new Set(levels)).toEqual(new Set(['village']));
    await shoot(page, 'access-13-township-admin-create');
  });
});
