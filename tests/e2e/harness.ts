import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, inject } from 'vitest';
import { DEMO_PASSWORD } from '../../api/demo/accounts.ts';
import { CHROMIUM_ARGS, FIELD_PHONE, launchChromium } from '../support/chromium.ts';
import { signInOverHttp } from '../support/http-sign-in.ts';

export { DEMO_PASSWORD, FIELD_PHONE };

export const SCREENSHOTS = resolve(import.meta.dirname, 'screenshots');

export const DESKTOP: BrowserContextOptions = { viewport: { width: 1600, height: 900 }, locale: 'zh-CN' };
/** A smaller phone than the field page's own: 375 × 740. */
export const PHONE: BrowserContextOptions = { ...FIELD_PHONE, viewport: { width: 375, height: 740 } };

/** The server of this run (see global-setup.ts). */
export function serverUrl(): string {
  return inject('serverUrl');
}

/** Chromium with the project's flags, and `extraArgs` (say `--autoplay-policy=no-user-gesture-required`, as a kiosk starts it). */
export function launchBrowser(extraArgs: readonly string[] = []): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return launchChromium(extraArgs);
}

/**
 * A browser whose profile lives in `userDataDir`, as a phone's does: closing it and launching it
 * again on the same folder is a restart that keeps cookies, IndexedDB and service workers.
 */
export function launchPersistentBrowser(userDataDir: string, options: BrowserContextOptions): Promise<BrowserContext> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launchPersistentContext(userDataDir, { ...options, executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The browser contexts of one test, watched for what must never happen: a request beyond the
 * loopback interface (the machines are offline) and an uncaught error in a page.
 */
export class BrowserWatch {
  private contexts: BrowserContext[] = [];
  private offMachineRequests: string[] = [];
  private pageErrors: string[] = [];
  /** Paths of every request the pages made, to check what was (not) asked for. */
  readonly requestedPaths: string[] = [];

  constructor(private readonly browser: () => Browser) {}

  async newContext(options: BrowserContextOptions): Promise<BrowserContext> {
    return this.watch(await this.browser().newContext(options));
  }

  /** Watches a context made elsewhere (a persistent one, say), and closes it with the others. */
  watch(context: BrowserContext): BrowserContext {
    this.contexts.push(context);
    context.on('request', (request) => {
      const url = new URL(request.url());
      if (url.protocol === 'data:' || url.protocol === 'blob:') return;
      if (!LOOPBACK_HOSTS.has(url.hostname)) this.offMachineRequests.push(url.href);
      this.requestedPaths.push(url.pathname);
    });
    context.on('page', (page) => page.on('pageerror', (error) => this.pageErrors.push(error.message)));
    return context;
  }

  async newPage(options: BrowserContextOptions): Promise<Page> {
    return (await this.newContext(options)).newPage();
  }

  /** Closes this test's contexts and fails the test on anything seen. */
  async finish(): Promise<void> {
    await Promise.all(this.contexts.map((context) => context.close()));
    this.contexts = [];
    const requests = this.offMachineRequests;
    const errors = this.pageErrors;
    this.offMachineRequests = [];
    this.pageErrors = [];
    this.requestedPaths.length = 0;
    expect(requests, 'requests beyond the loopback interface').toEqual([]);
    expect(errors, 'uncaught errors in the page').toEqual([]);
  }
}

/**
 * Chromium for the tests of one file (call it at the top of the file): launched before them and
 * closed after them; each test's contexts are watched (see BrowserWatch) and closed after it.
 */
export function watchedChromium(): BrowserWatch {
  let browser: Browser | undefined;
  const watch = new BrowserWatch(() => {
    if (!browser) throw new Error('Chromium is not running: watchedChromium() belongs at the top of the test file');
    return browser;
  });
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterEach(() => watch.finish());
  afterAll(async () => {
    await browser?.close();
  });
  return watch;
}

/** Signs a browser context in through the API (the login page has tests of its own); its pages then share the session. */
export async function signIn(context: BrowserContext, username: string): Promise<void> {
  const response = await context.request.post(`${serverUrl()}/api/auth/login`, {
    data: { username, password: DEMO_PASSWORD },
  });
  expect(response.status(), `sign-in of ${username}`).toBe(200);
}

export interface ApiSession {
  get(path: string): Promise<Response>;
  post(path: string, body: unknown): Promise<Response>;
}

/** A signed-in API client in Node (cookie, CSRF token, same-site Origin), for facts to compare the page with. */
export async function apiSession(username: string): Promise<ApiSession> {
  const base = serverUrl();
  const { cookie, csrfToken } = await signInOverHttp(base, username, DEMO_PASSWORD);
  const headers = { Cookie: cookie, 'X-CSRF-Token': csrfToken, Origin: base };
  return {
    get: (path) => fetch(`${base}${path}`, { headers }),
    post: (path, body) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      }),
  };
}

/** What a drawn photo shows: a ground colour, and marks (x, y, width, height in pixels) in another. */
export interface DrawnPhoto {
  width: number;
  height: number;
  ground: string;
  ink: string;
  marks: [number, number, number, number][];
}

/** A PNG drawn on a canvas in the page, as large as a phone camera's: the page must resize it before it stores it. */
export async function drawnPhoto(page: Page, photo: DrawnPhoto): Promise<Buffer> {
  const base64 = await page.evaluate(async ({ width, height, ground, ink, marks }) => {
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext('2d')!;
    context.fillStyle = ground;
    context.fillRect(0, 0, width, height);
    context.fillStyle = ink;
    for (const [x, y, markWidth, markHeight] of marks) context.fillRect(x, y, markWidth, markHeight);
    const blob = await new Promise<Blob>((resolve) => canvas.toBlob((result) => resolve(result!), 'image/png'));
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let text = '';
    for (const byte of bytes) text += String.fromCharCode(byte);
    return btoa(text);
  }, photo);
  return Buffer.from(base64, 'base64');
}

/** An item of the field page's outbox as stored on the phone, with what the tests look at. */
export interface StoredOutboxItem {
  clientId: string;
  state: string;
  description: string;
  needsSignIn: boolean;
  photos: { width: number; height: number; type: string; size: number }[];
}

/** The outbox as stored on the phone (IndexedDB), whatever the page shows. */
export function storedOutbox(page: Page): Promise<StoredOutboxItem[]> {
  return page.evaluate(
    () =>
      new Promise<StoredOutboxItem[]>((resolveItems, reject) => {
        const request = indexedDB.open('grid-command-field');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const all = request.result.transaction('outbox').objectStore('outbox').getAll();
          all.onerror = () => reject(all.error);
          all.onsuccess = () => {
            resolveItems(
              all.result.map((item) => ({
                clientId: item.clientId,
                state: item.state,
                description: item.report.description,
                needsSignIn: item.needsSignIn,
                photos: item.photos.map((photo: { width: number; height: number; blob: Blob }) => ({
                  width: photo.width,
                  height: photo.height,
                  type: photo.blob.type,
                  size: photo.blob.size,
                })),
              })),
            );
            request.result.close();
          };
        };
      }),
  );
}

/** The map has loaded its style and the tiles in view, and is not moving. */
export async function mapSettled(page: Page): Promise<void> {
  await page.waitForSelector('html[data-map-ready]', { timeout: 90_000 });
  await page.waitForFunction(
    () => {
      const map = window.__map;
      return map?.loaded() === true && !map.isMoving();
    },
    undefined,
    { timeout: 90_000, polling: 100 },
  );
  // Symbol placement and the label fade-in run after the tiles load.
  await page.waitForTimeout(500);
}

export async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}
