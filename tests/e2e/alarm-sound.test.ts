import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { BrowserWatch, launchBrowser, serverUrl, signIn } from './harness.ts';

/** The duty room's wall screen. */
const WALL = { viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' };

let browser: Browser | undefined;
const watch = new BrowserWatch(() => browser!);

/** The duty officer (who takes reports, so hears the alarm) on the command view; nothing clicked yet. */
async function openDutyScreen(): Promise<Page> {
  const context = await watch.newContext(WALL);
  await signIn(context, 'duty');
  const page = await context.newPage();
  await page.goto(`${serverUrl()}/`);
  await page.getByTestId('alarm-sound').waitFor();
  return page;
}

function sound(page: Page) {
  return page.getByTestId('alarm-sound');
}

/** Reloads without a click or a key on the page (either would let the browser play). */
async function reload(page: Page): Promise<void> {
  await page.reload();
  await sound(page).waitFor();
}

describe('the alarm sound on the duty screen (small county)', () => {
  afterEach(async () => {
    await watch.finish();
    await browser?.close();
    browser = undefined;
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('sounds from the start in a browser allowed to play, and keeps a mute across reloads', async () => {
    browser = await launchBrowser(['--autoplay-policy=no-user-gesture-required']);
    const page = await openDutyScreen();
    await expect.poll(() => sound(page).getAttribute('data-state')).toBe('ready');
    expect(await sound(page).textContent()).toBe('声音已开');
    await sound(page).click();
    await expect.poll(() => sound(page).getAttribute('data-state')).toBe('muted');
    await reload(page);
    expect(await sound(page).getAttribute('data-state')).toBe('muted');
    await sound(page).click();
    await expect.poll(() => sound(page).getAttribute('data-state')).toBe('ready');
    await reload(page);
    // No click since the reload: sound is on by the choice kept, and the browser lets it play.
    await expect.poll(() => sound(page).getAttribute('data-state')).toBe('ready');
  });
});
