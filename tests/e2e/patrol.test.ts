import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiSession, BrowserWatch, DESKTOP, launchBrowser, mapSettled, PHONE, serverUrl, shoot, signIn } from './harness.ts';

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

describe('workers out now on the command map', () => {
  it('draws a worker on patrol at their fix and moves them with the live feed', async () => {
    const worker = await apiSession(WORKER);
    const started = (await (
      await worker.post('/api/patrols', { clientId: crypto.randomUUID(), startedAt: new Date().toISOString() })
    ).json()) as { patrol: { id: string } };
    const patrolId = started.patrol.id;
    const sendFix = async (metres: number) => {
      const { longitude, latitude } = north(metres);
      const fix = {
        clientFixId: crypto.randomUUID(),
        fixedAt: new Date().toISOString(),
        lng: longitude,
        lat: latitude,
        accuracyM: 6,
      };
      expect((await worker.post(`/api/patrols/${patrolId}/positions`, { fixes: [fix] })).status).toBe(200);
    };
    await sendFix(0);

    const context = await watch.newContext(DESKTOP);
    await signIn(context, 'duty');
    const page = await context.newPage();
    await page.goto(`${serverUrl()}/#map=15/${north(80).latitude}/${start[0]}`);
    await mapSettled(page);
    await page.waitForFunction(() => window.__deckOverlay !== undefined);
    /** The patrol whose dot is drawn at `metres` north of the start, if any. */
    const pickedAt = (metres: number) =>
      page.evaluate(
        ({ lng, lat }) => {
          const { x, y } = window.__map!.project([lng, lat]);
          const picked = window.__deckOverlay!.pickObject({ x, y, radius: 3, layerIds: ['patrols-now'] });
          return (picked?.object as { id: string } | undefined)?.id ?? null;
        },
        { lng: north(metres).longitude, lat: north(metres).latitude },
      );
    await expect.poll(() => pickedAt(0), { timeout: 30_000 }).toBe(patrolId);

    // The next batch moves the dot through the live feed, without a reload.
    await sendFix(160);
    await expect.poll(() => pickedAt(160), { timeout: 30_000 }).toBe(patrolId);
    expect(await pickedAt(0)).toBeNull();
    await shoot(page, 'patrol-command-map');
    await worker.post(`/api/patrols/${patrolId}/end`, { endedAt: new Date().toISOString() });
    await expect.poll(() => pickedAt(160), { timeout: 30_000 }).toBeNull();
  });
});
