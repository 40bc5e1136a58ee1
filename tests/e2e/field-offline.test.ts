import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import type { BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiSession } from './harness.ts';
import {
  apiSession,
  DEMO_PASSWORD,
  FIELD_PHONE,
  launchPersistentBrowser,
  serverUrl,
  shoot,
  signIn,
  storedOutbox,
  watchedChromium,
} from './harness.ts';

/** 王坪村's first grid's first cell, the scope of the demo informant wangping-cell. */
const CELL = '511921108209001001';
const INFORMANT = 'wangping-cell';
/** The built service worker the server serves (see vite.config.ts and api/app.ts). */
const SERVICE_WORKER_FILE = resolve(import.meta.dirname, '../../dist/web/service-worker.js');

type LngLat = [number, number];

const watch = watchedChromium();
let cellPoint: LngLat;
const profiles: string[] = [];

/** The service worker controls the page: from now on the page opens without network. */
async function controlled(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated', undefined, {
    timeout: 60_000,
  });
}

/** Opens /field and waits for its form (online or not: the same page either way). */
async function openField(page: Page, hash = ''): Promise<void> {
  await page.goto(`${serverUrl()}/field${hash}`);
  await page.getByTestId(hash === '#outbox' ? 'outbox' : 'report-form').waitFor({ timeout: 30_000 });
}

async function fillReport(page: Page, description: string): Promise<void> {
  await page.locator('.fp-coordinates summary').click();
  await page.getByTestId('coordinates-input').fill(`${cellPoint[0]}, ${cellPoint[1]}`);
  await page.getByTestId('use-coordinates').click();
  await page.getByTestId('chosen-place').waitFor();
  await page.click('[data-type="landslide"]');
  await page.getByTestId('description').fill(description);
}

/** Offline, the page's own loads fail quietly: the header says 离线, and no error toast piles up over the form. */
async function expectNoErrorToast(page: Page): Promise<void> {
  await page.waitForTimeout(1000);
  expect(await page.locator('.toast[data-kind="error"]').allTextContents()).toEqual([]);
}

const REMEMBERED_ACCOUNT_KEY = 'grid-command.account';

/** Really offline: neither the page nor its service worker reaches the server. */
async function expectCutOff(context: BrowserContext, page: Page, { worker: checkWorker = true } = {}): Promise<void> {
  const probe = () =>
    fetch('/healthz', { cache: 'no-store' }).then(
      () => 'reached',
      () => 'failed',
    );
  expect(await page.evaluate(probe)).toBe('failed');
  const [worker] = context.serviceWorkers();
  expect(worker, 'the service worker is running').toBeDefined();
  if (!checkWorker) return;
  // Playwright puts a context's service workers offline when it is told to go offline; a worker
  // that started later (the relaunched phone's, on its first navigation) is told again here.
  await context.setOffline(true);
  expect(await worker!.evaluate(probe)).toBe('failed');
}

async function reportsWithDescription(session: ApiSession, description: string): Promise<{ caseNumber: string }[]> {
  const response = await session.get('/api/reports/mine');
  expect(response.status).toBe(200);
  const body = (await response.json()) as { reports: { caseNumber: string; description: string }[] };
  return body.reports.filter((report) => report.description === description);
}

function newProfile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'grid-command-phone-'));
  profiles.push(dir);
  return dir;
}

describe('the field page without network (service worker), against the real server (small county)', () => {
  beforeAll(async () => {
    const county = await apiSession('county');
    const response = await county.get(`/api/areas/${CELL}`);
    expect(response.status).toBe(200);
    const [lng, lat] = ((await response.json()) as { area: { labelPoint: LngLat } }).area.labelPoint;
    cellPoint = [lng, lat + 0.0012];
  });

  afterAll(async () => {
    for (const dir of profiles) rmSync(dir, { recursive: true, force: true });
  });

  it('serves the service worker from the root, never cached, with Workbox inside it and a precache of the field page', async () => {
    const response = await fetch(`${serverUrl()}/service-worker.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('Cache-Control')).toBe('no-cache');
    expect(response.headers.get('Content-Type')).toMatch(/javascript/);
    const source = await response.text();
    expect(source).not.toContain('importScripts');
    const urls = [...source.matchAll(/"url":"([^"]+)"/g)].map((match) => match[1]);
    expect(urls).toContain('index.html');
    // The place picker's map is loaded on demand and shows nothing offline (no tiles): not kept up front.
    expect(urls.some((url) => /^assets\/maplibre-gl-worker-.+\.mjs$/.test(url ?? ''))).toBe(false);
    // What only the command view loads, and the fonts (kept as they are used), are not fetched up front.
    expect(urls.filter((url) => /deck-overlay|\.woff2$/.test(url ?? ''))).toEqual([]);
    expect(urls.every((url) => !/^[a-z]+:/.test(url ?? ''))).toBe(true);
  });

  it('opens offline after a reload, a closed page and a browser restart, and sends the report made offline exactly once', async () => {
    const profile = newProfile();
    let context = watch.watch(await launchPersistentBrowser(profile, FIELD_PHONE));
    await signIn(context, INFORMANT);
    let page = await context.newPage();
    await openField(page);
    await controlled(page);

    // Offline, the reload comes from the service worker: the field page, not the browser's error page.
    await context.setOffline(true);
    await expectCutOff(context, page);
    await page.reload();
    await page.getByTestId('report-form').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByTestId('network-state').textContent()).toBe('离线');
    await expectNoErrorToast(page);
    const description = `离线上报：山体裂缝 ${randomUUID().slice(0, 8)}`;
    await fillReport(page, description);
    await page.getByTestId('submit-report').click();
    await expect.poll(() => page.getByTestId('latest-state').textContent(), { timeout: 15_000 }).toBe('等待发送');
    const [filed] = (await storedOutbox(page)).filter((item) => item.description === description);
    expect(filed?.state).toBe('waiting');
    // Typed into the next report and not submitted: the draft must come back too.
    await page.getByTestId('description').fill('下一条：水渠堵塞');
    await page.waitForTimeout(600);

    // The page closed and opened again, still offline.
    await page.close();
    page = await context.newPage();
    await openField(page, '#outbox');
    const itemOn = (shown: Page) => shown.locator(`[data-testid="outbox-item"][data-client-id="${filed!.clientId}"]`);
    let item = itemOn(page);
    expect(await item.getByTestId('outbox-state').textContent()).toBe('等待发送');
    expect(await item.getByTestId('outbox-note').textContent()).toBe('当前离线，联网后自动发送');
    await shoot(page, 'field-offline-01-outbox');

    // The phone restarted, and still no network: cookies, the service worker and IndexedDB are on its disk.
    await context.close();
    context = watch.watch(await launchPersistentBrowser(profile, FIELD_PHONE));
    await context.setOffline(true);
    page = context.pages()[0] ?? (await context.newPage());
    // The command view needs the network; it says so, and leads to the field page, which does not.
    await page.goto(`${serverUrl()}/`);
    await page.getByTestId('offline-splash').waitFor({ timeout: 30_000 });
    await page.getByRole('link', { name: '打开现场上报' }).click();
    await page.getByTestId('report-form').waitFor({ timeout: 30_000 });
    // Playwright does not reliably put the relaunched browser's service worker offline (it starts on
    // the first navigation, after the context went offline): the page itself is checked, and the
    // worker was checked before the restart.
    await expectCutOff(context, page, { worker: false });
    expect(await page.getByTestId('place-hint').textContent()).toBe('离线时地图无法显示，请使用当前位置或输入坐标');
    await expectNoErrorToast(page);
    expect(await page.getByTestId('description').inputValue()).toBe('下一条：水渠堵塞');
    await shoot(page, 'field-offline-02-form');
    await page.getByTestId('tab-outbox').click();
    item = itemOn(page);
    expect(await item.getByTestId('outbox-state').textContent()).toBe('等待发送');

    // Back online: the outbox sends it, once.
    await context.setOffline(false);
    await expect.poll(() => item.getByTestId('outbox-state').textContent(), { timeout: 30_000 }).toBe('已送达');
    expect(await page.getByTestId('network-state').textContent()).toBe('在线');
    const caseNumber = await item.getByTestId('case-number').textContent();
    const informant = await apiSession(INFORMANT);
    expect(await reportsWithDescription(informant, description)).toEqual([expect.objectContaining({ caseNumber })]);
    await shoot(page, 'field-offline-03-sent');
  });

  it('keeps a report made offline when the session ended meanwhile, and sends it once after signing in again', async () => {
    const context = await watch.newContext(FIELD_PHONE);
    await signIn(context, INFORMANT);
    const page = await context.newPage();
    await openField(page);
    await controlled(page);

    await context.setOffline(true);
    await page.reload();
    await page.getByTestId('report-form').waitFor({ timeout: 30_000 });
    const description = `会话过期后上报 ${randomUUID().slice(0, 8)}`;
    await fillReport(page, description);
    await page.getByTestId('submit-report').click();
    await expect.poll(() => page.getByTestId('latest-state').textContent(), { timeout: 15_000 }).toBe('等待发送');

    // Signed out everywhere from another device while this phone had no network.
    const elsewhere = await apiSession(INFORMANT);
    expect((await elsewhere.post('/api/auth/logout', { everywhere: true })).status).toBe(200);

    await context.setOffline(false);
    await page.getByTestId('login-page').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('session-ended').count()).toBe(1);
    // The device no longer opens anything as that account until it signs in again.
    expect(await page.evaluate((key) => localStorage.getItem(key), REMEMBERED_ACCOUNT_KEY)).toBeNull();
    const [waiting] = (await storedOutbox(page)).filter((item) => item.description === description);
    expect(waiting).toMatchObject({ state: 'waiting' });

    await page.locator('input[name="username"]').fill(INFORMANT);
    await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.getByTestId('report-form').waitFor({ timeout: 30_000 });
    expect(new URL(page.url()).pathname).toBe('/field');
    await expect
      .poll(async () => (await storedOutbox(page)).find((item) => item.clientId === waiting!.clientId)?.state, {
        timeout: 30_000,
      })
      .toBe('sent');
    expect(await reportsWithDescription(await apiSession(INFORMANT), description)).toHaveLength(1);
  });

  it('forgets the account at sign-out: offline, the field page no longer opens as it', async () => {
    const context = await watch.newContext(FIELD_PHONE);
    await signIn(context, INFORMANT);
    const page = await context.newPage();
    await openField(page);
    await controlled(page);
    expect(await page.evaluate((key) => localStorage.getItem(key), REMEMBERED_ACCOUNT_KEY)).toContain(INFORMANT);
    // Opened again under the service worker, which keeps the configuration for this account's offline page.
    await page.reload();
    await page.getByTestId('report-form').waitFor({ timeout: 30_000 });
    expect(await page.evaluate(async () => (await caches.keys()).includes('gcc-api-v1'))).toBe(true);

    await page.locator('.user-button').click();
    await page.getByRole('button', { name: '退出登录', exact: true }).click();
    await page.getByTestId('login-page').waitFor({ timeout: 30_000 });
    expect(await page.evaluate((key) => localStorage.getItem(key), REMEMBERED_ACCOUNT_KEY)).toBeNull();
    await expect.poll(() => page.evaluate(async () => (await caches.keys()).includes('gcc-api-v1'))).toBe(false);

    await context.setOffline(true);
    await page.goto(`${serverUrl()}/field`);
    await page.getByRole('button', { name: '重试' }).waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('report-form').count()).toBe(0);
    expect(await page.getByTestId('user-menu').count()).toBe(0);
  });

  it.skipIf(Boolean(process.env.E2E_SERVER_URL))(
    'takes a new version only once no report is on its way, and the outbox comes through the update',
    async () => {
      const context = await watch.newContext(FIELD_PHONE);
      await signIn(context, INFORMANT);
      const page = await context.newPage();
      await openField(page);
      await controlled(page);

      // The report's upload hangs until the test lets it through: it is "sending" during the update.
      let release: () => void = () => {};
      const released = new Promise<void>((done) => {
        release = done;
      });
      let held = 0;
      await context.route('**/api/reports', async (route: Route) => {
        if (route.request().method() !== 'POST') return route.fallback();
        held += 1;
        await released;
        return route.fallback();
      });
      const description = `更新期间上报 ${randomUUID().slice(0, 8)}`;
      await fillReport(page, description);
      await page.getByTestId('submit-report').click();
      await expect.poll(() => held, { timeout: 15_000 }).toBe(1);
      await expect.poll(() => page.getByTestId('latest-state').textContent(), { timeout: 15_000 }).toBe('正在发送…');

      // A new version is deployed: a different service worker (and its precompressed copies, if any).
      const deployed = new Map<string, Buffer>();
      const variants = [SERVICE_WORKER_FILE, `${SERVICE_WORKER_FILE}.br`, `${SERVICE_WORKER_FILE}.gz`].filter((file) =>
        existsSync(file),
      );
      for (const file of variants) deployed.set(file, readFileSync(file));
      const revision = randomUUID();
      const next = Buffer.concat([
        deployed.get(SERVICE_WORKER_FILE)!,
        Buffer.from(`\n;self.__deployed=${JSON.stringify(revision)};\n`),
      ]);
      try {
        writeFileSync(SERVICE_WORKER_FILE, next);
        if (deployed.has(`${SERVICE_WORKER_FILE}.br`)) writeFileSync(`${SERVICE_WORKER_FILE}.br`, brotliCompressSync(next));
        if (deployed.has(`${SERVICE_WORKER_FILE}.gz`)) writeFileSync(`${SERVICE_WORKER_FILE}.gz`, gzipSync(next));
        await page.evaluate(() => {
          (window as { beforeUpdate?: boolean }).beforeUpdate = true;
        });
        await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
        await page.getByTestId('update-banner').waitFor({ timeout: 60_000 });
        await shoot(page, 'field-offline-04-update');
        await page.getByTestId('update-now').click();

        // Not while the report is on its way: the page stays, the new worker waits.
        await page.waitForTimeout(2000);
        expect(await page.evaluate(() => (window as { beforeUpdate?: boolean }).beforeUpdate)).toBe(true);
        expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting !== null)).toBe(true);

        // The upload ends: then the new version takes over and the page reloads into it.
        release();
        await page.waitForFunction(() => !(window as { beforeUpdate?: boolean }).beforeUpdate, undefined, { timeout: 30_000 });
        await page.getByTestId('report-form').waitFor({ timeout: 30_000 });
        await controlled(page);
        const workers = await Promise.all(
          context.serviceWorkers().map((worker) => worker.evaluate(() => (self as { __deployed?: string }).__deployed ?? null)),
        );
        expect(workers).toContain(revision);
        expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting ?? null)).toBeNull();
      } finally {
        for (const [file, bytes] of deployed) writeFileSync(file, bytes);
      }

      const [item] = (await storedOutbox(page)).filter((entry) => entry.description === description);
      expect(item?.state).toBe('sent');
      expect(held).toBe(1);
      expect(await reportsWithDescription(await apiSession(INFORMANT), description)).toHaveLength(1);
    },
  );
});
