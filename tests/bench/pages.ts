/**
 * Page loads on a rural phone link: the built client, served by the real server over the small
 * county, opened in Chromium with an empty cache and the network throttled through the DevTools
 * protocol (Network.emulateNetworkConditions). For each page it counts what crossed the wire (as
 * sent: compressed bodies plus headers) by kind, and the time from navigation to a concrete
 * "usable" condition in the DOM, noted by the page itself (performance.now(), whose origin is the
 * navigation's start) the moment a mutation makes it true.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Request } from 'playwright-core';
import { chromium } from 'playwright-core';
import { DEMO_PASSWORD } from '../../api/demo/accounts.ts';
import { CHROMIUM_ARGS, FIELD_PHONE, launchChromium } from '../support/chromium.ts';
import { startServer } from '../support/server-process.ts';

const ROOT = resolve(import.meta.dirname, '../..');

interface NetworkProfile {
  name: string;
  downKbps: number;
  upKbps: number;
  latencyMs: number;
}

/** A weak rural 4G/3G link, and a worse one. Upload at half the download, as such links give. */
const RURAL_LINK: NetworkProfile = { name: '1.6 Mbps / 300 ms', downKbps: 1600, upKbps: 800, latencyMs: 300 };
const POOR_LINK: NetworkProfile = { name: '750 kbps / 300 ms', downKbps: 750, upKbps: 375, latencyMs: 300 };

/** Targets of issue 13, for the page a grid worker opens in the field. */
const FIELD_JS_TARGET_BYTES = 250 * 1024;
const FIELD_READY_TARGET_MS = 5_000;

type PageKind = 'field' | 'login' | 'command';

/** Bytes as sent (compressed body plus response headers) by kind of resource, and the JS files by name. */
interface TransferTally {
  requests: number;
  allBytes: number;
  jsBytes: number;
  jsFiles: { name: string; bytes: number }[];
  cssBytes: number;
  fontBytes: number;
  fontFiles: number;
  tileBytes: number;
}

interface PageLoad {
  page: PageKind;
  profile: NetworkProfile;
  /** Whether the browser could use CJK fonts installed on the device (false: only the page's own fonts). */
  deviceCjkFonts: boolean;
  /** Milliseconds from the navigation's start to the page's usable condition; null if it never came. */
  readyMs: number | null;
  tally: TransferTally;
}

export interface PageLoadResult {
  loads: PageLoad[];
}

const DESK: BrowserContextOptions = { viewport: { width: 1600, height: 900 }, locale: 'zh-CN' };

/** What "usable" means on each page, as a DOM condition (checked in the page by READY_SCRIPT). */
const PAGES: Record<PageKind, { path: string; account: string | null; context: BrowserContextOptions; what: string }> = {
  field: {
    path: '/field',
    account: 'wangping-cell',
    context: FIELD_PHONE,
    what: '/field as an informant: report form usable (type buttons, GPS button and submit button enabled)',
  },
  login: {
    path: '/',
    account: null,
    context: FIELD_PHONE,
    what: 'login page on a phone: username field and an enabled sign-in button',
  },
  command: {
    path: '/',
    account: 'duty',
    context: DESK,
    what: 'command map as the duty officer: first idle (style, tiles in view and labels drawn)',
  },
};

/**
 * Installed before any page script: notes `performance.now()` the first time each page's usable
 * condition holds, on every DOM mutation (and attribute change, for the map's data-map-ready).
 */
const READY_SCRIPT = `(() => {
  const marks = {};
  window.__readyMarks = marks;
  const check = () => {
    if (marks.field === undefined) {
      const form = document.querySelector('[data-testid="report-form"]');
      const type = document.querySelector('.fp-type[data-type]');
      const locate = document.querySelector('[data-testid="use-my-location"]');
      const submit = document.querySelector('[data-testid="submit-report"]');
      if (form && type && locate && !locate.disabled && submit && !submit.disabled) marks.field = performance.now();
    }
    if (marks.login === undefined) {
      const username = document.querySelector('[data-testid="login-page"] input[name="username"]');
      const submit = document.querySelector('[data-testid="login-page"] button[type="submit"]');
      if (username && submit && !submit.disabled) marks.login = performance.now();
    }
    if (marks.command === undefined && document.documentElement.dataset.mapReady) marks.command = performance.now();
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
})();`;

/** Waits this long with no request in flight before the tally is taken, after the page is usable. */
const QUIET_MS = 2_000;
/** A page that is not usable by then counts as never (and says so in the table). */
const READY_TIMEOUT_MS = 180_000;

function kindOf(request: Request): 'js' | 'css' | 'font' | 'tile' | 'other' {
  const path = new URL(request.url()).pathname;
  if (/\.m?js$/.test(path)) return 'js';
  if (path.endsWith('.css')) return 'css';
  if (path.endsWith('.woff2') || request.resourceType() === 'font') return 'font';
  if (path.startsWith('/tiles/')) return 'tile';
  return 'other';
}

/** Counts every finished request of the context (pages and their workers alike) and tracks those in flight. */
class TransferCounter {
  readonly tally: TransferTally = {
    requests: 0,
    allBytes: 0,
    jsBytes: 0,
    jsFiles: [],
    cssBytes: 0,
    fontBytes: 0,
    fontFiles: 0,
    tileBytes: 0,
  };
  private inFlight = 0;
  private lastActivity = performance.now();
  private readonly pending: Promise<void>[] = [];

  constructor(context: BrowserContext) {
    // The live feed (a fetch stream) stays open for as long as the page: it is never "in flight".
    const counted = (request: Request) =>
      request.resourceType() !== 'eventsource' && !new URL(request.url()).pathname.startsWith('/api/live/');
    context.on('request', (request) => {
      if (!counted(request)) return;
      this.inFlight += 1;
      this.lastActivity = performance.now();
    });
    context.on('requestfailed', (request) => {
      if (counted(request)) this.done();
    });
    context.on('requestfinished', (request) => {
      if (!counted(request)) return;
      this.pending.push(this.count(request));
      this.done();
    });
  }

  private done(): void {
    this.inFlight -= 1;
    this.lastActivity = performance.now();
  }

  private async count(request: Request): Promise<void> {
    if (!request.url().startsWith('http')) return;
    const response = await request.response().catch(() => null);
    const sizes = await request.sizes().catch(() => null);
    if (!sizes || !response) return;
    // A worker's own script is reported with the size of its headers only: its Content-Length says what came.
    // What the service worker fetches to precache goes through the browser's HTTP cache, which
    // already holds what the page loaded: only the body that really came over the network counts.
    const declared = Number(response.headers()['content-length'] ?? 0);
    const fromWorker = request.serviceWorker() !== null;
    const body = fromWorker ? sizes.responseBodySize : Math.max(sizes.responseBodySize, Number.isFinite(declared) ? declared : 0);
    const bytes = body + (fromWorker && sizes.responseBodySize === 0 ? 0 : sizes.responseHeadersSize);
    const { tally } = this;
    tally.requests += 1;
    tally.allBytes += bytes;
    const kind = kindOf(request);
    if (kind === 'js') {
      tally.jsBytes += bytes;
      tally.jsFiles.push({ name: basename(new URL(request.url()).pathname), bytes });
    } else if (kind === 'css') tally.cssBytes += bytes;
    else if (kind === 'font') {
      tally.fontBytes += bytes;
      tally.fontFiles += 1;
    } else if (kind === 'tile') tally.tileBytes += bytes;
  }

  /** Resolves once no request has been in flight for QUIET_MS, and every finished one is counted. */
  async settled(): Promise<TransferTally> {
    const deadline = performance.now() + READY_TIMEOUT_MS;
    while ((this.inFlight > 0 || performance.now() - this.lastActivity < QUIET_MS) && performance.now() < deadline) {
      await new Promise((wait) => setTimeout(wait, 100));
    }
    await Promise.all(this.pending);
    this.tally.jsFiles.sort((a, b) => b.bytes - a.bytes);
    return this.tally;
  }
}

async function measure(browser: Browser, baseUrl: string, kind: PageKind, profile: NetworkProfile): Promise<PageLoad> {
  const target = PAGES[kind];
  // A context of its own: an empty cache, no cookies but the session signed in below.
  const context = await browser.newContext(target.context);
  try {
    if (target.account) {
      const response = await context.request.post(`${baseUrl}/api/auth/login`, {
        data: { username: target.account, password: DEMO_PASSWORD },
      });
      if (response.status() !== 200) throw new Error(`sign-in of ${target.account}: ${response.status()}`);
    }
    await context.addInitScript(READY_SCRIPT);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: profile.latencyMs,
      downloadThroughput: (profile.downKbps * 1000) / 8,
      uploadThroughput: (profile.upKbps * 1000) / 8,
    });
    const counter = new TransferCounter(context);
    await page.goto(`${baseUrl}${target.path}`, { waitUntil: 'commit' });
    const readyMs = await page
      .waitForFunction((name) => (window as unknown as { __readyMarks: Record<string, number> }).__readyMarks[name], kind, {
        timeout: READY_TIMEOUT_MS,
        polling: 200,
      })
      .then((handle) => handle.jsonValue() as Promise<number>)
      .catch(() => null);
    const tally = await counter.settled();
    return { page: kind, profile, deviceCjkFonts: true, readyMs, tally };
  } finally {
    await context.close();
  }
}

/**
 * A fontconfig that sees only the machine's Latin fonts (DejaVu, Liberation), for a browser that
 * stands for a device without CJK fonts: what the page's own fonts cost where nothing else can draw.
 */
function latinOnlyFontConfig(folder: string): string {
  const file = join(folder, 'fonts.conf');
  writeFileSync(
    file,
    `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>/usr/share/fonts/truetype</dir>
  <cachedir>${join(folder, 'cache')}</cachedir>
</fontconfig>
`,
  );
  return file;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Runs per page and link; the figures shown are those of the run with the median time to usable. */
const RUNS = 3;

async function medianLoad(browser: Browser, baseUrl: string, kind: PageKind, profile: NetworkProfile, runs = RUNS) {
  const loads: PageLoad[] = [];
  for (let run = 0; run < runs; run++) loads.push(await measure(browser, baseUrl, kind, profile));
  const times = loads.map((load) => load.readyMs ?? Number.POSITIVE_INFINITY);
  const middle = median(times);
  return loads.find((load) => (load.readyMs ?? Number.POSITIVE_INFINITY) === middle) ?? loads[0]!;
}

/** Builds the client (so the figures are those of the source as it is), starts the small county and measures. */
export async function benchPageLoads(): Promise<PageLoadResult> {
  console.log('\n[pages] building the web client…');
  const build = spawnSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error(`vite build failed with ${build.status}`);
  const fontFolder = mkdtempSync(join(tmpdir(), 'gcc-bench-fonts-'));
  // BENCH_PAGES_SERVER_URL: a running server of the small county (npm start) instead of a fresh one.
  const external = process.env.BENCH_PAGES_SERVER_URL?.replace(/\/$/, '');
  const dataDir = external ? null : mkdtempSync(join(tmpdir(), 'gcc-bench-pages-'));
  if (dataDir) console.log('[pages] starting the small county…');
  const server = dataDir ? await startServer({ DATABASE_URL: undefined, DATA_DIR: dataDir, COUNTY_PRESET: 'small' }) : null;
  const baseUrl = server?.url ?? external!;
  const browser = await launchChromium();
  const latinOnly = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    env: { ...process.env, FONTCONFIG_FILE: latinOnlyFontConfig(fontFolder) },
  });
  try {
    const loads: PageLoad[] = [];
    for (const profile of [RURAL_LINK, POOR_LINK]) {
      console.log(`[pages] /field at ${profile.name}…`);
      loads.push(await medianLoad(browser, baseUrl, 'field', profile));
    }
    console.log('[pages] /field without CJK fonts on the device…');
    loads.push({ ...(await medianLoad(latinOnly, baseUrl, 'field', RURAL_LINK, 1)), deviceCjkFonts: false });
    console.log('[pages] login page…');
    loads.push(await medianLoad(browser, baseUrl, 'login', RURAL_LINK));
    loads.push({ ...(await medianLoad(latinOnly, baseUrl, 'login', RURAL_LINK, 1)), deviceCjkFonts: false });
    for (const profile of [RURAL_LINK, POOR_LINK]) {
      console.log(`[pages] command map at ${profile.name}…`);
      loads.push(await medianLoad(browser, baseUrl, 'command', profile, 1));
    }
    return { loads };
  } catch (error) {
    if (server) console.error(`[pages] server output:\n${server.output()}`);
    throw error;
  } finally {
    await Promise.all([browser.close(), latinOnly.close()]);
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    rmSync(fontFolder, { recursive: true, force: true });
  }
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const seconds = (ms: number | null) => (ms === null ? 'never' : `${(ms / 1000).toFixed(1)} s`);

export function printPageLoads({ loads }: PageLoadResult): void {
  console.log('\n## page loads (small county; Chromium, empty cache, network throttled through CDP)\n');
  for (const kind of Object.keys(PAGES) as PageKind[]) console.log(`- ${kind}: ${PAGES[kind].what}`);
  console.log('\n| page | link | device CJK fonts | usable after | JS | CSS | fonts (files) | tiles | all bytes (requests) |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const load of loads) {
    const { tally } = load;
    console.log(
      `| ${load.page} | ${load.profile.name} | ${load.deviceCjkFonts ? 'yes' : 'no'} | ${seconds(load.readyMs)} | ${kb(tally.jsBytes)} | ${kb(tally.cssBytes)} | ${kb(tally.fontBytes)} (${tally.fontFiles}) | ${kb(tally.tileBytes)} | ${kb(tally.allBytes)} (${tally.requests}) |`,
    );
  }
  console.log('\nBytes as sent (compressed body plus headers), until the page is usable and the network quiet for 2 s.');
  for (const load of loads.filter((entry) => entry.deviceCjkFonts && entry.profile === RURAL_LINK)) {
    const files = load.tally.jsFiles.map((file) => `${file.name} ${kb(file.bytes)}`).join(', ');
    console.log(`JS of ${load.page}: ${files || 'none'}`);
  }
}

/** Target rows for run.ts's table: [target, measured, met]. */
export function pageLoadTargets({ loads }: PageLoadResult): [string, string, boolean][] {
  const field = loads.find((load) => load.page === 'field' && load.profile === RURAL_LINK && load.deviceCjkFonts);
  const rows: [string, string, boolean][] = [];
  if (field) {
    rows.push([
      '/field first visit: JS transferred ≤ 250 KB (as sent, compressed)',
      kb(field.tally.jsBytes),
      field.tally.jsBytes <= FIELD_JS_TARGET_BYTES,
    ]);
    rows.push([
      `/field first visit: report form usable ≤ 5 s at ${RURAL_LINK.name}`,
      seconds(field.readyMs),
      field.readyMs !== null && field.readyMs <= FIELD_READY_TARGET_MS,
    ]);
  }
  return rows;
}
