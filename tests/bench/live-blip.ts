import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../api/demo/accounts.ts';
import { type BlipKind, BlipProxy } from '../support/blip-proxy.ts';
import { launchChromium } from '../support/chromium.ts';
import { signInOverHttp } from '../support/http-sign-in.ts';
import { startServer } from '../support/server-process.ts';

/**
 * How long a report filed during a network blip takes to reach the duty officer's screen once
 * the link is back, and when the header says 实时 relative to that. Against a running server:
 *
 *   npx tsx tests/bench/live-blip.ts [server=start|http://127.0.0.1:3000] [runs=4] [kind=lost|delayed] [offline=no|context|cdp] [blipMs=8000]
 *
 * The page goes through a BlipProxy (tests/support/blip-proxy.ts), which drops packets: `lost`
 * connections never come back, `delayed` ones resume at TCP's next retransmission. `offline`
 * also tells Chromium it is offline during the blip (playwright's context.setOffline, or
 * Network.emulateNetworkConditions on the page's DevTools session): new requests then fail at once.
 */

const [serverArg = 'start', runsArg = '4', kindArg = 'lost', offlineMode = 'no', blipArg = '8000'] = process.argv.slice(2);
const runs = Number(runsArg);
const kind = kindArg as BlipKind;
const blipMs = Number(blipArg);
/** `start`: a server of our own on the small county (data in BLIP_DATA_DIR, default /tmp/live-blip-data). */
const started =
  serverArg === 'start'
    ? await startServer({ COUNTY_PRESET: 'small', DATA_DIR: process.env.BLIP_DATA_DIR ?? '/tmp/live-blip-data' })
    : null;
const server = started?.url ?? serverArg;
const proxy = await BlipProxy.start(server);
const base = proxy.url;
/** The informant's cell (王坪村第1网格1单元). */
const CELL = '511921108209001001';

async function session(username: string) {
  const { cookie, csrfToken } = await signInOverHttp(server, username, DEMO_PASSWORD);
  return { Cookie: cookie, 'X-CSRF-Token': csrfToken, Origin: server };
}

async function setOffline(page: Page, offline: boolean): Promise<void> {
  if (offline) proxy.cut(kind);
  else proxy.restore();
  if (offlineMode === 'context') await page.context().setOffline(offline);
  if (offlineMode === 'cdp') {
    await cdp.send('Network.emulateNetworkConditions', {
      offline,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
  }
}

const browser = await launchChromium();
const duty = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' });
const login = await duty.request.post(`${base}/api/auth/login`, { data: { username: 'duty', password: DEMO_PASSWORD } });
if (login.status() !== 200) throw new Error(`duty sign-in: ${login.status()}`);
const page = await duty.newPage();
const cdp = await duty.newCDPSession(page);
await cdp.send('Network.enable');
page.on('console', (message) => {
  if (process.env.BLIP_CONSOLE) console.log(`page: ${message.text()}`);
});
await page.goto(`${base}/`);
await page.locator('[data-testid="live-connection"][data-state="live"]').waitFor({ timeout: 60_000 });
await page.getByTestId('live-list').waitFor();
// Every change of the header's state and every new row, by the page's clock (the machine's).
await page.evaluate(() => {
  const log: { at: number; what: string }[] = [];
  const seen = new Set([...document.querySelectorAll('.live-item')].map((item) => item.getAttribute('data-case-id')));
  (window as unknown as { __blipLog: typeof log }).__blipLog = log;
  let state = document.querySelector('[data-testid="live-connection"]')?.getAttribute('data-state');
  new MutationObserver(() => {
    const now = Date.now();
    const next = document.querySelector('[data-testid="live-connection"]')?.getAttribute('data-state');
    if (next !== state) log.push({ at: now, what: `state ${next}` });
    state = next;
    for (const item of document.querySelectorAll('.live-item')) {
      const id = item.getAttribute('data-case-id');
      if (id && !seen.has(id)) {
        seen.add(id);
        log.push({ at: now, what: `row ${id}` });
      }
    }
  }).observe(document.body, { childList: true, subtree: true, attributes: true });
});

/** The informant reports straight to the server, beside the blip. */
const informant = await session('wangping-cell');
const area = await fetch(`${server}/api/areas/${CELL}`, { headers: informant });
const [lng, lat] = ((await area.json()) as { area: { labelPoint: [number, number] } }).area.labelPoint;

const delays: number[] = [];
for (let run = 1; run <= runs; run++) {
  // The stream has been open a while, as on a wall screen.
  await page.waitForTimeout(3000);
  const offlineAt = Date.now();
  await setOffline(page, true);
  await page.waitForTimeout(blipMs / 4);
  const posted = await fetch(`${server}/api/reports`, {
    method: 'POST',
    headers: { ...informant, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      clientId: randomUUID(),
      type: 'rockfall',
      urgency: 'normal',
      description: `断网期间上报 ${run}`,
      lng,
      lat: lat + 0.0005 * run,
    }),
  });
  if (posted.status !== 201) throw new Error(`report: ${posted.status} ${await posted.text()}`);
  const { report } = (await posted.json()) as { report: { id: string } };
  await page.waitForTimeout(offlineAt + blipMs - Date.now());
  await setOffline(page, false);
  const backAt = Date.now();
  const arrived = await page
    .waitForFunction((id) => document.querySelector(`.live-item[data-case-id="${id}"]`) !== null, report.id, {
      timeout: 90_000,
      polling: 50,
    })
    .then(
      () => true,
      () => false,
    );
  const log = await page.evaluate(() => (window as unknown as { __blipLog: { at: number; what: string }[] }).__blipLog.splice(0));
  const row = log.find((entry) => entry.what === `row ${report.id}`);
  const states = log
    .filter((entry) => entry.what.startsWith('state'))
    .map((entry) => `${entry.what.slice(6)}@${((entry.at - backAt) / 1000).toFixed(2)}`);
  const delay = row ? row.at - backAt : Number.NaN;
  if (arrived && row) delays.push(delay);
  console.log(
    `run ${run} (${kind}${offlineMode === 'no' ? '' : ` + ${offlineMode} offline`}, ${blipMs} ms blip): report on screen ${arrived && row ? `${(delay / 1000).toFixed(2)} s` : 'NOT within 90 s'} after the link came back; header states (s after): ${states.join(' ') || '(no change)'}`,
  );
}
delays.sort((a, b) => a - b);
console.log(
  `delays (s): ${delays.map((d) => (d / 1000).toFixed(2)).join(', ')}; median ${delays.length ? (delays[Math.floor(delays.length / 2)]! / 1000).toFixed(2) : '-'}; max ${delays.length ? (delays.at(-1)! / 1000).toFixed(2) : '-'}`,
);
await browser.close();
await proxy.close();
await started?.stop();
