import { clientsClaim } from 'workbox-core';
import { ExpirationPlugin } from 'workbox-expiration';
import type { PrecacheEntry } from 'workbox-precaching';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { CacheFirst, NetworkFirst } from 'workbox-strategies';
import { API_CACHE, FONT_CACHE, FONT_CACHE_ENTRIES, OFFLINE_API_PATHS, SERVER_PATHS, SKIP_WAITING } from './offline-routes.ts';

/**
 * The service worker: the app shell for a phone without network. Built by vite-plugin-pwa in its
 * `injectManifest` mode, which bundles this file and the Workbox modules it imports into one
 * `sw.js` (nothing is loaded from elsewhere at run time) and writes the precache list in place of
 * `self.__WB_MANIFEST`. Chosen over `generateSW` because the worker's rules are code here, typed
 * and sharing their constants with the page (offline-routes.ts), rather than options serialised
 * into a generated file; the list itself is cut to what the field page needs by precache-plugin.ts.
 */

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (string | PrecacheEntry)[] };

/** On a weak rural link, give up on the network after this long and answer from the cache. */
const API_NETWORK_TIMEOUT_S = 8;

// The shell and the field page's scripts and styles, fetched and kept when the worker installs;
// a new version's worker keeps its own list and drops the old one only once it has taken over.
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// Every app path (/field, /cases/…, /admin/…) opens from the kept shell, online or not: the
// version the phone runs changes only when a new worker takes over (see app-updates.ts).
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html'), { denylist: [...SERVER_PATHS] }));

registerRoute(
  ({ url, request, sameOrigin }) => sameOrigin && request.method === 'GET' && OFFLINE_API_PATHS.has(url.pathname),
  new NetworkFirst({ cacheName: API_CACHE, networkTimeoutSeconds: API_NETWORK_TIMEOUT_S }),
);

registerRoute(
  ({ url, sameOrigin }) => sameOrigin && /^\/assets\/.+\.woff2$/.test(url.pathname),
  new CacheFirst({ cacheName: FONT_CACHE, plugins: [new ExpirationPlugin({ maxEntries: FONT_CACHE_ENTRIES })] }),
);

// A new version waits until the page says no report is on its way (app-updates.ts, through
// workbox-window's messageSkipWaiting, which sends this message); it never
// touches IndexedDB, where the outbox and the drafts are, nor any cache but its own.
self.addEventListener('message', (event) => {
  if ((event.data as { type?: unknown } | null)?.type === SKIP_WAITING) self.skipWaiting().catch(() => {});
});

// The first worker serves the page that installed it at once, so that page works offline without a reload.
clientsClaim();
