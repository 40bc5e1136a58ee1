import { execFileSync } from 'node:child_process';
import { basename } from 'node:path';
import type { BrowserContext, Request } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { MIN_BYTES } from '../../api/web-client/precompress.ts';
import { PHONE, serverUrl, shoot, signIn, watchedChromium } from './harness.ts';

/** The field page's budget of script on a first visit, as sent (compressed): issue 13's target. */
const FIELD_JS_BUDGET_BYTES = 250 * 1024;
/** Text in MapLibre's code (its canvas class) and in deck.gl's (its GPU layer, luma.gl): how a chunk is known. */
const MAPLIBRE_MARK = 'maplibregl-canvas';
const DECK_MARK = 'luma.gl';
/** Chunks of the screens a phone page must not load (named by Vite after the module they start from). */
const OTHER_SCREENS = /^(admin-view|cases-view|case-panel|command-view|deck-overlay|field-map)-/;

const watch = watchedChromium();

interface Loaded {
  name: string;
  /** Bytes of the body as sent (compressed). */
  bytes: number;
  encoding: string | undefined;
  text: string;
}

/** Every script and font file the context fetches, with the bytes it was sent and the script's text. */
class AssetLog {
  readonly scripts: Loaded[] = [];
  readonly fonts: string[] = [];
  private readonly pending: Promise<void>[] = [];

  /** When a request other than the live stream last started or ended. */
  private lastActivity = Date.now();

  constructor(context: BrowserContext) {
    const touch = (request: Request) => {
      if (!new URL(request.url()).pathname.startsWith('/api/live/')) this.lastActivity = Date.now();
    };
    context.on('request', touch);
    context.on('requestfinished', (request) => {
      touch(request);
      this.pending.push(this.note(request));
    });
  }

  /**
   * Waits until no request has started or ended for a second. Playwright's `networkidle` never
   * comes: the live stream is a request that stays open for as long as the page does.
   */
  async quiet(): Promise<void> {
    await expect.poll(() => Date.now() - this.lastActivity, { timeout: 30_000, interval: 250 }).toBeGreaterThan(1_000);
  }

  /**
   * Script bytes the service worker itself took over the network while it precached the field
   * page. Its requests for hashed assets go through the browser's HTTP cache, which already holds
   * what the page loaded, so only what really crossed the network counts (the body size Chromium
   * reports, 0 for a cache hit), not the Content-Length of the cached answer.
   */
  workerScriptBytes = 0;

  private async note(request: Request): Promise<void> {
    const path = new URL(request.url()).pathname;
    if (request.serviceWorker()) {
      if (/\.m?js$/.test(path)) this.workerScriptBytes += (await request.sizes()).responseBodySize;
      return;
    }
    if (path.endsWith('.woff2')) this.fonts.push(basename(path));
    if (!/\.m?js$/.test(path)) return;
    const response = await request.response();
    if (!response) return;
    const sizes = await request.sizes();
    const declared = Number(response.headers()['content-length'] ?? 0);
    this.scripts.push({
      name: basename(path),
      bytes: Math.max(sizes.responseBodySize, declared),
      encoding: response.headers()['content-encoding'],
      text: (await response.body()).toString(),
    });
  }

  /** Waits for the notes of the requests finished so far; then empties the log for the next step. */
  async take(): Promise<{ scripts: Loaded[]; fonts: string[] }> {
    await Promise.all(this.pending);
    const taken = { scripts: [...this.scripts], fonts: [...this.fonts] };
    this.scripts.length = 0;
    this.fonts.length = 0;
    this.pending.length = 0;
    return taken;
  }
}

function holding(scripts: Loaded[], mark: string): string[] {
  return scripts.filter((script) => script.text.includes(mark)).map((script) => script.name);
}

describe('what a phone page downloads (issue 13: a field page light enough for a rural phone)', () => {
  beforeAll(async () => {
    // The UI's fonts are the device's own where it has them: these tests stand for a phone that does.
    const cjkFonts = execFileSync('fc-list', [':family=Noto Sans CJK SC', 'family'], { encoding: 'utf8' });
    expect(cjkFonts, 'the browser tests need the Noto CJK fonts (apt-get install fonts-noto-cjk)').toContain('Noto Sans CJK SC');
  });

  it('the login page loads no map, no deck.gl, no other screen and no font file', async () => {
    const context = await watch.newContext(PHONE);
    const log = new AssetLog(context);
    const page = await context.newPage();
    await page.goto(`${serverUrl()}/`);
    await page.getByTestId('login-page').waitFor();
    await log.quiet();
    const { scripts, fonts } = await log.take();
    expect(scripts.length).toBeGreaterThan(0);
    expect(holding(scripts, MAPLIBRE_MARK)).toEqual([]);
    expect(holding(scripts, DECK_MARK)).toEqual([]);
    expect(scripts.map((script) => script.name).filter((name) => OTHER_SCREENS.test(name))).toEqual([]);
    expect(fonts).toEqual([]);
  });

  it('/field sends under 250 KB of compressed script and no map until the map is opened, then the map', async () => {
    const context = await watch.newContext(PHONE);
    await signIn(context, 'wangping-cell');
    const log = new AssetLog(context);
    const page = await context.newPage();
    await page.goto(`${serverUrl()}/field`);
    await page.getByTestId('report-form').waitFor();
    await log.quiet();

    const before = await log.take();
    const names = before.scripts.map((script) => script.name);
    expect(names.some((name) => name.startsWith('field-view-'))).toBe(true);
    expect(holding(before.scripts, MAPLIBRE_MARK)).toEqual([]);
    expect(holding(before.scripts, DECK_MARK)).toEqual([]);
    expect(names.filter((name) => name.includes('maplibre-gl-worker') || OTHER_SCREENS.test(name))).toEqual([]);
    // Sent precompressed (all but a chunk too small to be worth it: precompress.ts), and within the budget.
    const plain = before.scripts.filter((script) => script.encoding !== 'br' && script.bytes >= MIN_BYTES);
    expect(plain.map((script) => script.name)).toEqual([]);
    const bytes = before.scripts.reduce((sum, script) => sum + script.bytes, 0) + log.workerScriptBytes;
    expect(bytes).toBeLessThanOrEqual(FIELD_JS_BUDGET_BYTES);
    expect(before.fonts).toEqual([]);
    expect(watch.requestedPaths.filter((path) => path.startsWith('/tiles/'))).toEqual([]);

    // The form works without the map: typed coordinates place the report.
    await page.locator('.fp-coordinates summary').tap();
    await page.getByTestId('coordinates-input').fill('106.9, 31.9');
    await page.getByTestId('use-coordinates').tap();
    await page.getByTestId('chosen-place').waitFor();
    expect(await page.getByTestId('field-map').count()).toBe(0);

    // Opening the map brings MapLibre, its worker, the tiles and the map's own label fonts.
    await page.getByTestId('toggle-map').tap();
    await page.waitForSelector('html[data-field-map-ready]', { timeout: 90_000 });
    await log.quiet();
    const after = await log.take();
    expect(holding(after.scripts, MAPLIBRE_MARK).length).toBe(1);
    expect(after.scripts.some((script) => script.name.startsWith('maplibre-gl-worker'))).toBe(true);
    expect(holding(after.scripts, DECK_MARK)).toEqual([]);
    expect(watch.requestedPaths.some((path) => path.startsWith('/tiles/'))).toBe(true);
    await shoot(page, 'field-weight-map-opened');
  });
});
