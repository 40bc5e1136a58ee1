import { launchChromium } from '../support/chromium.ts';

/**
 * The browser half of CI's first-contact check (.ci/run): a server started from a fresh clone
 * with only the README's two commands must draw the login page in real Chromium, with the demo's
 * accounts listed, every request answered by that server and none leaving the machine.
 *
 * Usage: tsx tests/first-contact/check-login-page.ts <server url> <screenshot.png>
 */
const [serverUrl, screenshot] = process.argv.slice(2);
if (!serverUrl || !screenshot) {
  console.error('usage: check-login-page.ts <server url> <screenshot.png>');
  process.exit(2);
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

const browser = await launchChromium();
const problems: string[] = [];
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol === 'data:' || url.protocol === 'blob:') return;
    if (!LOOPBACK_HOSTS.has(url.hostname)) problems.push(`a request left the machine: ${request.url()}`);
  });
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`));
  page.on('response', (response) => {
    if (response.status() >= 400 && !response.url().includes('/api/auth/me')) {
      problems.push(`${response.status()} for ${response.url()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  const response = await page.goto(`${serverUrl}/`, { waitUntil: 'load' });
  if (response?.status() !== 200) problems.push(`GET / answered ${response?.status()}`);
  const form = page.locator('form.login-form');
  await form.waitFor({ state: 'visible', timeout: 30_000 });
  const fields = await form.locator('input').count();
  if (fields < 2) problems.push(`the login form has ${fields} fields`);
  // `npm start` is the embedded demo: a newcomer finds its accounts listed beside the form (they
  // come in a request of their own, after the form draws).
  const demo = page.getByTestId('demo-accounts');
  await demo.waitFor({ state: 'visible', timeout: 30_000 });
  const accounts = await demo.locator('.demo-account').count();
  if (accounts === 0) problems.push('the demo accounts are listed without one account');
  await page.screenshot({ path: screenshot });
  console.log(
    `first contact: the login page drew at ${serverUrl}/ (${fields} fields, ${accounts} demo accounts); screenshot ${screenshot}`,
  );
} catch (error) {
  problems.push(String(error));
} finally {
  await browser.close();
}
if (problems.length > 0) {
  console.error(`first contact failed:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  process.exit(1);
}
