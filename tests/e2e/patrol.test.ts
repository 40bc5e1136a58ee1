import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiSession, BrowserWatch, launchBrowser, PHONE, serverUrl, shoot, signIn } from './harness.ts';

/** 王坪村's first grid's first cell: the demo grid worker wangping-grid walks there. */
const CELL = '511921108209001001';
const WORKER = 'wangping-grid';
const FIELD_PHONE = { ...PHONE, viewport: { width: 390, height: 844 }, permissions: ['geolocation'] };
const METRES_PER_DEGREE_LAT = 111_320;

let browser: Browser;
const watch = new BrowserWatch(() => browser);
let start: [number, number];

/** The point `metres` north of the start: a walk up the cell. */
const north = (metres: number) => ({ longitude: start[0], latitude: start[1] + metres / METRES_PER_DEGREE_LAT, accuracy: 6 });

/** Fixes stored on the phone (IndexedDB), sent or not. */
function fixesOnPhone(page: Page): Promise<{ clientFixId: string; sent: number }[]> {
  return page.evaluate(
    () =>
      new Promise((resolveFixes, reject) => {
        const request = indexedDB.open('grid-command-patrols');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const all = request.result.transaction('fixes').objectStore('fixes').getAll();
          all.onsuccess = () => {
            resolveFixes(all.result.map((fix) => ({ clientFixId: fix.clientFixId, sent: fix.sent })));
            request.result.close();
          };
          all.onerror = () => reject(all.error);
        };
      }),
  );
}

/** Moves the phone and waits until the page has stored a fix there. */
async function walkTo(context: BrowserContext, page: Page, metres: number): Promise<void> {
  const before = (await fixesOnPhone(page)).length;
  await context.setGeolocation(north(metres));
  await page.waitForFunction(
    async (count) =>
      new Promise<boolean>((resolveCount) => {
        const request = indexedDB.open('grid-command-patrols');
        request.onsuccess = () => {
          const counted = request.result.transaction('fixes').objectStore('fixes').count();
          counted.onsuccess = () => {
            resolveCount(counted.result > count);
            request.result.close();
          };
        };
      }),
    before,
    { timeout: 30_000, polling: 200 },
  );
}

beforeAll(async () => {
  browser = await launchBrowser();
  const county = await apiSession('county');
  const area = (await (await county.get(`/api/areas/${CELL}`)).json()) as { area: { labelPoint: [number, number] } };
  start = area.area.labelPoint;
});

afterEach(() => watch.finish());

afterAll(async () => {
  await browser?.close();
});

describe('a patrol from the field page', () => {
  it('records a walk with a reload in the middle, uploads every fix once, and ends in one tap', async () => {
    const context = await watch.newContext({ ...FIELD_PHONE, geolocation: north(0) });
    await signIn(context, WORKER);
    const page = await context.newPage();
    // The first upload reaches the server but its answer is lost: the phone sends the batch again.
    let lostAnswers = 0;
    await page.route('**/api/patrols/*/positions', async (route) => {
      if (lostAnswers > 0) return route.continue();
      lostAnswers++;
      await route.fetch();
      await route.abort('connectionreset');
    });

    await page.goto(`${serverUrl()}/field#patrol`);
    await page.getByTestId('patrol-start').click();
    await page.getByTestId('patrol-screen-note').waitFor();
    for (const metres of [0, 12, 24]) await walkTo(context, page, metres);

    // A reload mid-patrol: the page picks the patrol up again and goes on recording.
    await page.reload();
    await page.getByTestId('patrol-stop').waitFor({ timeout: 30_000 });
    for (const metres of [36, 48, 60]) await walkTo(context, page, metres);
    await shoot(page, 'patrol-running-390');

    // Everything on the phone reaches the server (batches every 10 s).
    await page.waitForFunction(
      () => document.querySelector('[data-testid="patrol-pending"]')?.getAttribute('data-pending') === '0',
      undefined,
      {
        timeout: 60_000,
      },
    );
    await page.getByTestId('patrol-stop').click();
    await page.getByTestId('patrol-start').waitFor();
    const phone = await fixesOnPhone(page);
    expect(phone.length).toBeGreaterThanOrEqual(6);
    expect(lostAnswers).toBe(1);

    const worker = await apiSession(WORKER);
    await expect
      .poll(
        async () => {
          const { patrols } = (await (await worker.get('/api/patrols/mine?limit=1')).json()) as {
            patrols: { endedAt: string | null }[];
          };
          return patrols[0]?.endedAt ?? null;
        },
        { timeout: 30_000 },
      )
      .not.toBeNull();
    const { patrols } = (await (await worker.get('/api/patrols/mine?limit=1')).json()) as {
      patrols: { id: string; distanceM: number; cellsWalked: number }[];
    };
    const track = (await (await worker.get(`/api/patrols/${patrols[0]!.id}/track`)).json()) as {
      fixes: { clientFixId: string }[];
      gaps: { cause: string }[];
    };
    // Each fix once, though its batch was sent twice.
    expect(track.fixes.map((fix) => fix.clientFixId).sort()).toEqual(phone.map((fix) => fix.clientFixId).sort());
    expect(patrols[0]!.distanceM).toBeGreaterThan(50);
    expect(patrols[0]!.cellsWalked).toBeGreaterThanOrEqual(1);
    await expect.poll(() => page.getByTestId('patrol-cells').textContent()).toBe(String(patrols[0]!.cellsWalked));
    await shoot(page, 'patrol-ended-390');
  });
});
