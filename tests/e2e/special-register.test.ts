import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiSession, BrowserWatch, DESKTOP, launchBrowser, serverUrl, shoot, signIn } from './harness.ts';

let browser: Browser;
const watch = new BrowserWatch(() => browser);

/** Households of 王坪村's first cell: the cell code and four digits (geo/generate-county.ts). */
const HOUSEHOLD = (n: number) => `511921108209001001${String(n).padStart(4, '0')}`;
const daysAgo = (days: number) => new Date(Date.now() + 8 * 3_600_000 - days * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  browser = await launchBrowser();
  // A small register of the test's own in 王坪村, beside the demo's: one overdue, one due soon, one on track.
  const chief = await apiSession('wangping-chief');
  const entries = [
    {
      clientId: 'e2e-sp-1',
      category: 'severe_mental_illness',
      name: '测试甲',
      riskLevel: 4,
      registeredOn: daysAgo(20),
      idNumber: '511921198001011234',
    },
    {
      clientId: 'e2e-sp-2',
      category: 'community_correction',
      name: '测试乙',
      supervisionGrade: 'normal',
      registeredOn: daysAgo(10),
    },
    { clientId: 'e2e-sp-3', category: 'rental_house', name: '王坪村出租屋', registeredOn: daysAgo(5) },
  ];
  for (const [index, entry] of entries.entries()) {
    const response = await chief.post('/api/special/entries', {
      ...entry,
      householdCode: HOUSEHOLD(index + 1),
      phone: '13800000000',
    });
    expect(response.status, await response.clone().text()).toBeLessThan(300);
  }
});

afterEach(() => watch.finish());

afterAll(async () => {
  await browser?.close();
});

describe('the register page', () => {
  it('lists the people by due day in the risk colours, opens one with its history, and changes its risk level', async () => {
    const context = await watch.newContext(DESKTOP);
    await signIn(context, 'wangping-chief');
    const page = await context.newPage();
    await page.goto(`${serverUrl()}/`);
    await page.getByTestId('user-menu').locator('button.user-button').click();
    await page.getByTestId('special-link').click();
    // The demo's register holds people of 王坪村 too: the test's own are found by name.
    const rows = page.getByTestId('special-row');
    const row = (name: string) => rows.filter({ hasText: name });
    await expect.poll(() => row('测试甲').count(), { timeout: 30_000 }).toBe(1);
    expect(await row('测试甲').locator('.special-due').textContent()).toBe('已逾期');
    expect(await row('测试甲').textContent()).toContain('511921********1234');
    expect(await row('测试乙').locator('.special-due').textContent()).toBe('7日内到期');
    // By due day: the overdue before the one due soon.
    const names = await rows.evaluateAll((all) => all.map((element) => element.textContent ?? ''));
    expect(names.findIndex((text) => text.includes('测试甲'))).toBeLessThan(names.findIndex((text) => text.includes('测试乙')));

    await row('测试甲').click();
    const drawer = page.getByTestId('special-drawer');
    await expect.poll(() => drawer.getByTestId('special-history').locator('li').count(), { timeout: 10_000 }).toBe(1);
    expect(await drawer.textContent()).toContain('511921198001011234');
    const form = drawer.getByTestId('special-state-form');
    await form.locator('select').selectOption('1');
    await form.locator('input[name=reason]').fill('复评为1级');
    await form.locator('button[type=submit]').click();
    await expect.poll(() => drawer.getByTestId('special-history').locator('li').count(), { timeout: 10_000 }).toBe(2);
    expect(await drawer.getByTestId('special-history').locator('li').first().textContent()).toContain('复评为1级');
    await shoot(page, 'special-register-chief');
  });

  it('shows the county only the rules, with the editor; a township commander has no link', async () => {
    const context = await watch.newContext(DESKTOP);
    await signIn(context, 'county');
    const page = await context.newPage();
    await page.goto(`${serverUrl()}/special`);
    // Five categories, each with its version in force once the rules have come.
    await expect.poll(() => page.getByTestId('special-rules').locator('article li.current').count(), { timeout: 30_000 }).toBe(5);
    expect(await page.getByTestId('special-table').count()).toBe(0);
    await page.getByTestId('special-rule-edit-rental_house').click();
    expect(await page.locator('.special-rules textarea').inputValue()).toContain('"intervalDays": 90');
    await shoot(page, 'special-rules-county');

    const township = await watch.newContext(DESKTOP);
    await signIn(township, 'shaxi');
    const other = await township.newPage();
    await other.goto(`${serverUrl()}/`);
    await other.getByTestId('user-menu').locator('button.user-button').click();
    await other.waitForTimeout(300);
    expect(await other.getByTestId('special-link').count()).toBe(0);
  });
});
