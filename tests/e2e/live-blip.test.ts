import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BlipKind, BlipProxy } from '../support/blip-proxy.ts';
import type { ApiSession } from './harness.ts';
import { apiSession, DEMO_PASSWORD, SCREENSHOTS, serverUrl, shoot, watchedChromium } from './harness.ts';

/** 王坪村第1网格1单元, the informant's cell. */
const CELL = '511921108209001001';
/** About as long as the blip the duty room saw. */
const BLIP_MS = 8_000;
/** The wall screen. */
const WALL = { viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' };

let proxy: BlipProxy;
let informant: ApiSession;
const watch = watchedChromium();

interface Logged {
  at: number;
  what: string;
}

/** The top of the wall screen: the header with the feed's state and the alarm. */
async function shootHeader(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), clip: { x: 0, y: 0, width: 1920, height: 110 } });
}

/**
 * The duty officer's wall screen, through the proxy that can cut its network, the feed live.
 * `whileConnecting` runs while the stream's first request is held back (the page says 连接中).
 */
async function openDutyScreen(whileConnecting?: (page: Page) => Promise<void>): Promise<Page> {
  const context = await watch.newContext(WALL);
  const login = await context.request.post(`${proxy.url}/api/auth/login`, {
    data: { username: 'duty', password: DEMO_PASSWORD },
  });
  expect(login.status()).toBe(200);
  const page = await context.newPage();
  let release = () => {};
  const holdBack = ['**/api/live/events', '**/healthz'];
  if (whileConnecting) {
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    for (const path of holdBack) await page.route(path, (route) => held.then(() => route.continue()).catch(() => {}));
  }
  await page.goto(`${proxy.url}/`);
  if (whileConnecting) {
    await page.locator('[data-testid="live-connection"][data-state="connecting"]').waitFor();
    await whileConnecting(page);
    release();
    for (const path of holdBack) await page.unroute(path);
  }
  await page.locator('[data-testid="live-connection"][data-state="live"]').waitFor({ timeout: 60_000 });
  await page.getByTestId('live-list').waitFor();
  // Every change of the header's feed state (and its words) and every new row, by the page's clock.
  await page.evaluate(() => {
    const log: { at: number; what: string }[] = [];
    (window as unknown as { __blipLog: typeof log }).__blipLog = log;
    const seen = new Set([...document.querySelectorAll('.live-item')].map((item) => item.getAttribute('data-case-id')));
    const header = () => {
      const status = document.querySelector('[data-testid="live-connection"]');
      return `${status?.getAttribute('data-state')} ${status?.textContent?.trim()}`;
    };
    let shown = header();
    log.push({ at: Date.now(), what: `state ${shown}` });
    new MutationObserver(() => {
      const now = Date.now();
      const next = header();
      if (next !== shown) log.push({ at: now, what: `state ${next}` });
      shown = next;
      for (const item of document.querySelectorAll('.live-item')) {
        const id = item.getAttribute('data-case-id');
        if (id && !seen.has(id)) {
          seen.add(id);
          log.push({ at: now, what: `row ${id}` });
        }
      }
    }).observe(document.body, { childList: true, subtree: true, attributes: true, characterData: true });
  });
  return page;
}

async function fileReport(description: string, offset = 0): Promise<string> {
  const area = await informant.get(`/api/areas/${CELL}`);
  const [lng, lat] = ((await area.json()) as { area: { labelPoint: [number, number] } }).area.labelPoint;
  const posted = await informant.post('/api/reports', {
    clientId: randomUUID(),
    type: 'rockfall',
    urgency: 'normal',
    description,
    lng,
    lat: lat + 0.0008 + offset * 0.0003,
  });
  expect(posted.status).toBe(201);
  return ((await posted.json()) as { report: { id: string } }).report.id;
}

/**
 * Cuts the network for BLIP_MS, files a report 2 s into it, restores it, and waits for the report
 * on the duty screen. Returns the page's log (ms relative to the moment the link came back).
 */
async function blip(page: Page, kind: BlipKind, browserKnows: boolean) {
  const cutAt = Date.now();
  proxy.cut(kind);
  if (browserKnows) await page.context().setOffline(true);
  await page.waitForTimeout(2_000);
  const reportId = await fileReport(`断网期间上报：${kind}`);
  await page.waitForTimeout(cutAt + BLIP_MS - Date.now());
  const stateAtReturn = await page.getByTestId('live-connection').getAttribute('data-state');
  const backAt = Date.now();
  proxy.restore();
  if (browserKnows) await page.context().setOffline(false);
  const onScreen = await page
    .locator(`.live-item[data-case-id="${reportId}"]`)
    .waitFor({ timeout: 10_000 })
    .then(() => true)
    .catch(() => false);
  const log = await page.evaluate(() => (window as unknown as { __blipLog: Logged[] }).__blipLog.splice(0));
  const states = log
    .filter((entry) => entry.what.startsWith('state'))
    .map((entry) => `${entry.what.slice(6)} @${entry.at - backAt} ms`);
  expect(onScreen, `the report on screen within 10 s of the link's return; header: ${states.join(' → ')}`).toBe(true);
  const arrival = log.find((entry) => entry.what === `row ${reportId}`)!;
  return {
    stateAtReturn,
    arrivedAfterMs: arrival.at - backAt,
    /** The header said live (实时) at some moment after the cut and before the report was on screen. */
    saidLiveTooSoon: log.some((entry) => entry.at > cutAt + 100 && entry.at < arrival.at && /^state live /.test(entry.what)),
    states: log
      .filter((entry) => entry.what.startsWith('state'))
      .map((entry) => `${entry.what.slice(6)} @${entry.at - backAt} ms`),
  };
}

describe('the duty screen after a network blip (small county)', () => {
  beforeAll(async () => {
    proxy = await BlipProxy.start(serverUrl());
    informant = await apiSession('wangping-cell');
  });

  afterAll(async () => {
    await proxy?.close();
  });

  it.each([
    { kind: 'lost', browserKnows: false, what: 'packets dropped and the open connection never comes back, the browser unaware' },
    { kind: 'delayed', browserKnows: true, what: 'packets delayed until TCP retries, the browser told it is offline' },
  ] as const)(
    'shows a report filed during an 8 s blip ($what), and says 实时 only once it is on screen',
    async ({ kind, browserKnows }) => {
      const page = await openDutyScreen();
      // A wall screen has been up a while: the blip does not fall on a fresh connection.
      await page.waitForTimeout(3_000);
      const result = await blip(page, kind, browserKnows);
      console.log(
        `blip (${kind}${browserKnows ? ', browser offline' : ''}): report on screen ${result.arrivedAfterMs} ms after the link came back; header: ${result.states.join(' → ')}`,
      );
      // Silence gave the dead stream away before the link came back: the header no longer said 实时.
      expect(result.stateAtReturn).not.toBe('live');
      expect(result.saidLiveTooSoon, result.states.join(' → ')).toBe(false);
      // Caught up: the header says 实时 again.
      await page.locator('[data-testid="live-connection"][data-state="live"]').waitFor({ timeout: 5_000 });
      expect(await page.getByTestId('live-connection').textContent()).toContain('实时');
      await shoot(page, `live-blip-${kind}`);
    },
  );

  it('says 补齐中 while a slow link brings in what was missed, and 实时 only once all of it is on screen', async () => {
    const page = await openDutyScreen((loading) => shootHeader(loading, 'live-header-01-connecting'));
    await shootHeader(page, 'live-header-02-live');
    proxy.cut('lost');
    await page.locator('[data-testid="live-connection"][data-state="reconnecting"]').waitFor({ timeout: 10_000 });
    await shootHeader(page, 'live-header-03-reconnecting');
    const missed: string[] = [];
    for (let index = 0; index < 3; index++) missed.push(await fileReport(`断网期间上报（慢速线路）${index + 1}`, index + 1));
    // The link comes back slow: a few hundred bytes a second, so the replay takes seconds.
    proxy.throttle(400);
    proxy.restore();
    try {
      await page.locator('[data-testid="live-connection"][data-state="catching-up"]').waitFor({ timeout: 10_000 });
      await shootHeader(page, 'live-header-04-catching-up');
      for (const id of missed) await page.locator(`.live-item[data-case-id="${id}"]`).waitFor({ timeout: 30_000 });
    } finally {
      proxy.throttle(null);
    }
    await page.locator('[data-testid="live-connection"][data-state="live"]').waitFor({ timeout: 5_000 });
    const log = await page.evaluate(() => (window as unknown as { __blipLog: Logged[] }).__blipLog.splice(0));
    const lastArrival = Math.max(...missed.map((id) => log.find((entry) => entry.what === `row ${id}`)!.at));
    const caughtUpAt = log.find((entry) => /^state live /.test(entry.what) && entry.at >= lastArrival - 1_000)?.at;
    const states = log
      .filter((entry) => entry.what.startsWith('state'))
      .map((entry) => `${entry.what.slice(6)} @${entry.at - lastArrival} ms`);
    // 补齐中 until the last missed report was on screen, then 实时.
    expect(
      log.some((entry) => /^state catching-up /.test(entry.what) && entry.at < lastArrival),
      states.join(' → '),
    ).toBe(true);
    expect(caughtUpAt, states.join(' → ')).toBeGreaterThanOrEqual(lastArrival);
    await shootHeader(page, 'live-header-05-live-again');
  });
});
