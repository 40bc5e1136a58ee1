import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { apiSession, FIELD_PHONE, serverUrl, shoot, signIn, watchedChromium } from './harness.ts';

/** The demo grid worker of 王坪村's first grid: the demo register gives every grid people to visit. */
const WORKER = 'wangping-grid';

const watch = watchedChromium();

interface DuePerson {
  id: string;
  name: string;
  dueStatus: string;
  usualOutcome: string;
  usualMode: string;
  position: [number, number] | null;
}

async function controlled(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated', undefined, { timeout: 60_000 });
}

describe('a visit logged from the field page (small county, demo register)', () => {
  it('takes two taps from the home, waits offline through a reload, and is sent once when the network returns', async () => {
    const session = await apiSession(WORKER);
    const due = (await (await session.get('/api/special/visits/due')).json()) as { people: DuePerson[] };
    // The home's card lists the first three people with something due, in the server's order: one
    // usually visited at home (whose form takes a fix by itself).
    const shown = due.people.filter((candidate) => candidate.dueStatus !== 'none').slice(0, 3);
    const index = Math.max(
      0,
      shown.findIndex((candidate) => candidate.usualMode === 'home'),
    );
    const person = shown[index];
    expect(person?.position, 'a person to visit in the worker’s grid').toBeTruthy();
    const [lng, lat] = person!.position!;
    const before = (await (await session.get('/api/special/visits/mine?limit=200')).json()) as { visits: { id: string }[] };

    // The phone stands about 10 m north of the household.
    const context = await watch.newContext({
      ...FIELD_PHONE,
      geolocation: { longitude: lng, latitude: lat + 0.00009, accuracy: 6 },
      permissions: ['geolocation'],
    });
    await signIn(context, WORKER);
    const page = await context.newPage();
    await page.goto(`${serverUrl()}/field`);
    await page.getByTestId('visit-home').getByTestId('visit-person').first().waitFor({ timeout: 30_000 });
    await controlled(page);

    // Offline: the page and its list of people come from the phone.
    await context.setOffline(true);
    await page.reload();
    const home = page.getByTestId('visit-home');
    await home.getByTestId('visit-person').first().waitFor({ timeout: 30_000 });
    expect(await home.getByTestId('visit-list-copy').count()).toBe(1);
    await shoot(page, 'field-visit-01-home-offline');

    // Tap 1: the person; the form opens with the usual outcome chosen and the fix taken by itself.
    await home.getByTestId('visit-person').nth(index).click();
    const form = page.getByTestId('visit-form');
    await form.waitFor();
    expect(await form.locator('h2').textContent()).toBe(person!.name);
    expect(await form.locator(`[data-outcome="${person!.usualOutcome}"]`).getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => page.getByTestId('visit-fix').getAttribute('data-status'), { timeout: 20_000 }).toBe('located');
    expect(await page.getByTestId('visit-fix').textContent()).toMatch(/距住址 (9|10|11) 米/);
    await shoot(page, 'field-visit-02-form');

    // Tap 2: logged, on the phone first.
    await page.getByTestId('visit-submit').click();
    const item = page.getByTestId('visit-outbox-item').first();
    await expect.poll(() => item.getAttribute('data-state'), { timeout: 15_000 }).toBe('waiting');

    // A reload while still offline loses nothing.
    await page.reload();
    await page.getByTestId('tab-visit').click();
    await expect.poll(() => page.getByTestId('visit-outbox-item').first().getAttribute('data-state')).toBe('waiting');
    expect(await page.getByTestId('visit-outbox-item').first().textContent()).toContain(person!.name);

    // Back online: sent, once.
    await context.setOffline(false);
    await expect
      .poll(() => page.getByTestId('visit-outbox-item').first().getAttribute('data-state'), { timeout: 45_000 })
      .toBe('sent');
    await shoot(page, 'field-visit-03-sent');
    const after = (await (await session.get('/api/special/visits/mine?limit=200')).json()) as {
      visits: { id: string; personId: string; distanceM: number | null; mode: string }[];
    };
    const added = after.visits.filter((visit) => !before.visits.some((known) => known.id === visit.id));
    expect(added).toEqual([expect.objectContaining({ personId: person!.id })]);
    expect(added[0]!.distanceM).toBeGreaterThan(5);
    expect(added[0]!.distanceM).toBeLessThan(15);
  });
});
