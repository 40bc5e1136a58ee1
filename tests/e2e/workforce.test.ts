import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiSession, BrowserWatch, DESKTOP, launchBrowser, PHONE, serverUrl, shoot, signIn } from './harness.ts';

let browser: Browser;
const watch = new BrowserWatch(() => browser);

interface Rate {
  code: string;
  rate: number | null;
}
interface Worker {
  personId: string;
  name: string;
  certificate: string;
}

beforeAll(async () => {
  browser = await launchBrowser();
});

afterEach(() => watch.finish());

afterAll(async () => {
  await browser?.close();
});

describe('the workforce page', () => {
  it('lists the township’s grid workers with the demo’s credentials, rates and surveys, edits one, and commends the best', async () => {
    const shaxi = await apiSession('shaxi');
    const facts = (await (await shaxi.get('/api/workforce/workers')).json()) as { workers: Worker[]; townships: Rate[] };
    expect(facts.workers.length).toBeGreaterThan(3);
    expect(facts.townships).toHaveLength(1);

    const context = await watch.newContext(DESKTOP);
    await signIn(context, 'shaxi');
    const page = await context.newPage();
    await page.goto(`${serverUrl()}/`);
    await page.getByTestId('user-menu').locator('button.user-button').click();
    await page.getByTestId('workforce-link').click();
    await page.getByTestId('workforce-page').waitFor({ timeout: 30_000 });
    const rows = page.getByTestId('workforce-row');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(facts.workers.length);
    expect(await page.getByTestId('workforce-page').textContent()).toContain('网格员队伍');
    expect(await page.getByTestId('workforce-rates').textContent()).toContain('沙溪镇');

    // Give the first uncertified worker a certificate: the row and the township's rate follow.
    const target = facts.workers.find((worker) => worker.certificate === 'none') ?? facts.workers[0]!;
    const row = rows.filter({ hasText: target.name }).first();
    await row.getByTestId('workforce-edit').click();
    const drawer = page.getByTestId('workforce-drawer');
    await drawer.getByTestId('certificate').selectOption('intermediate');
    await drawer.getByTestId('save-credential').click();
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain('社会工作师');
    const after = (await (await shaxi.get('/api/workforce/workers')).json()) as { townships: Rate[] };
    const before = facts.townships[0]!.rate ?? 0;
    expect(after.townships[0]!.rate).toBeGreaterThanOrEqual(before);
    await shoot(page, 'workforce-edit');
    await drawer.getByRole('button', { name: '关闭' }).click();

    // Commend the best three of the year: the panel lists them by rank.
    const commendations = page.getByTestId('workforce-commendations');
    await commendations.locator('input[type=number]').fill('3');
    await commendations.getByRole('button', { name: '评选并记录' }).click();
    await expect.poll(() => commendations.getByTestId('workforce-commendation').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await commendations.textContent()).toContain('优秀网格员');
    await shoot(page, 'workforce');
  });

  it('takes a household’s survey on the informant’s phone while offline, and sends it when the network is back', async () => {
    const context = await watch.newContext(PHONE);
    await signIn(context, 'wangping-cell');
    const phone = await context.newPage();
    await phone.goto(`${serverUrl()}/field#survey`);
    const options = phone.getByTestId('survey-household-option');
    await expect.poll(() => options.count(), { timeout: 30_000 }).toBeGreaterThan(1);

    await context.setOffline(true);
    await options.nth(1).click();
    await phone.getByTestId('survey-score-4').click();
    await phone.getByTestId('survey-submit').click();
    const outbox = phone.getByTestId('survey-outbox');
    await expect.poll(() => outbox.locator('li').first().getAttribute('data-state'), { timeout: 10_000 }).toBe('waiting');
    await shoot(phone, 'workforce-survey-offline');

    await context.setOffline(false);
    await phone.evaluate(() => window.dispatchEvent(new Event('online')));
    await expect.poll(() => outbox.locator('li').first().getAttribute('data-state'), { timeout: 30_000 }).toBe('sent');
    const chief = await apiSession('wangping-chief');
    const { workers } = (await (await chief.get('/api/workforce/workers')).json()) as { workers: { surveys: number }[] };
    expect(workers.some((worker) => worker.surveys > 0)).toBe(true);
    await shoot(phone, 'workforce-survey-sent');
  });

  it('lets a township commander reach a household beyond the first page, by 更多 and by search, and survey it', async () => {
    const shaxi = await apiSession('shaxi');
    type Page = { households: { code: string; address: string }[]; total: number; next: string | null };
    const first = (await (await shaxi.get('/api/workforce/surveys/households?limit=50')).json()) as Page;
    expect(first.total).toBeGreaterThan(300);
    const second = (await (await shaxi.get(`/api/workforce/surveys/households?limit=50&after=${first.next}`)).json()) as Page;
    // The township's last household: far beyond the 300 the list once stopped at.
    let last = second;
    while (last.next)
      last = (await (await shaxi.get(`/api/workforce/surveys/households?limit=300&after=${last.next}`)).json()) as Page;
    const target = last.households.at(-1)!;

    const context = await watch.newContext(PHONE);
    await signIn(context, 'shaxi');
    const phone = await context.newPage();
    await phone.goto(`${serverUrl()}/field#survey`);
    const options = phone.getByTestId('survey-household-option');
    await expect.poll(() => options.count(), { timeout: 30_000 }).toBe(50);
    expect(await phone.getByTestId('survey-total').textContent()).toContain(`共 ${first.total} 户`);
    await phone.getByTestId('survey-more').click();
    await expect.poll(() => options.count(), { timeout: 10_000 }).toBe(100);
    expect(await options.nth(50).getAttribute('data-code')).toBe(second.households[0]!.code);

    await phone.getByTestId('survey-search').fill(target.code);
    await expect.poll(() => options.first().getAttribute('data-code'), { timeout: 10_000 }).toBe(target.code);
    await options.first().click();
    expect(await phone.getByTestId('survey-chosen').textContent()).toContain(target.address);
    await phone.getByTestId('survey-score-5').click();
    await shoot(phone, 'workforce-survey-search');
    await phone.getByTestId('survey-submit').click();
    const outbox = phone.getByTestId('survey-outbox');
    await expect.poll(() => outbox.locator('li').first().getAttribute('data-state'), { timeout: 30_000 }).toBe('sent');
    const found = (await (await shaxi.get(`/api/workforce/surveys/households?q=${target.code}`)).json()) as {
      households: { code: string; surveyedThisYear: boolean }[];
    };
    expect(found.households).toEqual([expect.objectContaining({ code: target.code, surveyedThisYear: true })]);
    await shoot(phone, 'workforce-survey-search-sent');
  });
});
