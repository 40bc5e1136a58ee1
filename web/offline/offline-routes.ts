/**
 * What the service worker keeps and answers, shared by the worker (service-worker.ts), the page
 * (app-updates.ts, remembered-account.ts) and the build (precache-plugin.ts). Plain TypeScript:
 * no DOM, no worker globals, no Node.
 */

/** Where the worker is served; at the root, so its scope is the whole app. */
export const SERVICE_WORKER_PATH = '/service-worker.js';

/**
 * Paths the server answers itself, never with the app shell: a navigation to one of them (the API
 * docs page, a tile, the health check) goes to the network, online or not.
 */
export const SERVER_PATHS: readonly RegExp[] = [/^\/api\//, /^\/tiles\//, /^\/healthz$/];

/**
 * The API answers the worker keeps for a page opened without network, network first. Only
 * county-wide facts that every account is shown alike: the configuration (the county and its
 * bounds, for the field map's first view). Who is signed in is remembered by the page itself
 * (web/auth/remembered-account.ts), which knows of sign-ins, sign-outs and lost sessions.
 */
export const OFFLINE_API_PATHS: ReadonlySet<string> = new Set(['/api/config']);

/** The cache of {@link OFFLINE_API_PATHS}; the page deletes it at sign-out and when the session is lost. */
export const API_CACHE = 'gcc-api-v1';

/**
 * The font subsets the page has used, kept as they are fetched (the files are hashed, so a kept
 * one never goes stale). Not precached: the 200-odd Noto Sans SC subsets weigh 6 MB, and a phone
 * offline falls back to its own CJK font for a character it never needed before.
 */
export const FONT_CACHE = 'gcc-fonts-v1';
export const FONT_CACHE_ENTRIES = 250;

/** The message the page sends a waiting worker to take over (once no report is being sent). */
export const SKIP_WAITING = 'SKIP_WAITING';
