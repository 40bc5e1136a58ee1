import { useSyncExternalStore } from 'react';
import { Workbox } from 'workbox-window';
import { outbox } from '../field/use-outbox.ts';
import { SERVICE_WORKER_PATH } from './offline-routes.ts';

/**
 * The service worker's registration and the app's updates. A new version's worker installs in the
 * background when the phone is online (checked at start, when the connection returns and when the
 * page comes back into view) and then waits: the page lets it take over only while no report is
 * being sent (the outbox's sending lock), and at a moment that costs the user nothing: at once if
 * the page is hidden or the version was already waiting when the page opened, else when the page
 * is next hidden or when the user taps the update banner. Taking over reloads the page; the
 * outbox and the drafts are in IndexedDB, which neither the worker nor the reload touches, and the
 * draft is written on `pagehide`.
 */

/** How long to wait for the new worker to take over before giving the sending lock back. */
const TAKEOVER_TIMEOUT_MS = 10_000;

let workbox: Workbox | null = null;
let updateWaiting = false;
/** This page asked the waiting worker to take over, and reloads when it does. */
let applying = false;
const listeners = new Set<() => void>();

function publish(): void {
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Whether a new version is installed and waiting to take over; re-renders when that changes. */
export function useUpdateWaiting(): boolean {
  return useSyncExternalStore(subscribe, () => updateWaiting);
}

/**
 * Registers the worker (production builds, browsers that have service workers), once. The field
 * page calls it, being the page that works offline; the screens made for desks on the network do
 * not install a worker of their own, but a page that one already controls registers it at start
 * (see {@link keepServiceWorkerUpdated}), so that it too takes new versions.
 */
export function registerServiceWorker(): void {
  if (workbox || import.meta.env.DEV || !('serviceWorker' in navigator)) return;
  let hadController = navigator.serviceWorker.controller !== null;
  const registration = new Workbox(SERVICE_WORKER_PATH, { scope: '/' });
  workbox = registration;

  registration.addEventListener('waiting', (event) => {
    updateWaiting = true;
    publish();
    // Found already waiting as the page opens: nothing on screen is worth keeping yet, take it now.
    if (document.visibilityState === 'hidden' || event.wasWaitingBeforeRegister) applyUpdate();
  });
  // A new worker took over (asked by this page or another tab): this page's scripts are the old
  // version's, so it reloads, once no report is on its way. The first worker's takeover of a page
  // that had none (its first visit) changes nothing and reloads nothing.
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (!hadController) {
      hadController = true;
      return;
    }
    if (applying) {
      window.location.reload();
      return;
    }
    outbox
      .whileNotSending(async () => {
        window.location.reload();
        await new Promise(() => {});
      })
      .catch(() => window.location.reload());
  });

  const checkForUpdate = () => {
    if (navigator.onLine) registration.update().catch(() => {});
  };
  window.addEventListener('online', checkForUpdate);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') checkForUpdate();
    else if (updateWaiting) applyUpdate();
  });
  registration.register().catch((error: unknown) => console.warn('service worker registration failed', error));
}

/** At start: a page served by the worker (an app path, once the field page installed it) follows its updates. */
export function keepServiceWorkerUpdated(): void {
  if ('serviceWorker' in navigator && navigator.serviceWorker.controller) registerServiceWorker();
}

/**
 * Lets the waiting version take over, once no report is being sent, and reloads into it. The
 * sending lock is held until the page unloads (or the takeover does not come), so no send starts
 * in between.
 */
export function applyUpdate(): void {
  const registration = workbox;
  if (!registration || !updateWaiting || applying) return;
  applying = true;
  outbox
    .whileNotSending(async () => {
      const tookOver = new Promise<boolean>((resolve) => {
        navigator.serviceWorker.addEventListener('controllerchange', () => resolve(true), { once: true });
        setTimeout(() => resolve(false), TAKEOVER_TIMEOUT_MS);
      });
      registration.messageSkipWaiting();
      if (await tookOver) await new Promise(() => {});
      applying = false;
    })
    .catch(() => {
      applying = false;
    });
}
