import type { Me } from '../api-client.ts';
import { API_CACHE } from '../offline/offline-routes.ts';

/**
 * The account last signed in on this device, so that the field page opens without network (a
 * phone restarted in a valley) as the person who was using it, with that person's outbox and
 * draft. It is forgotten at sign-out and as soon as the server says the session is gone, together
 * with the API answers the service worker kept: nothing of one account outlives its session on
 * the device. Its CSRF token is not kept: requests take the session's cookie as it is then.
 */

const STORAGE_KEY = 'grid-command.account';

export function rememberAccount(me: Me): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ ...me, csrfToken: '' }));
  } catch {
    // Private browsing or full storage: the page just will not open offline.
  }
}

/** The remembered account, or null (none, or one written by a version whose shape no longer fits). */
export function rememberedAccount(): Me | null {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (!stored) return null;
    const me = JSON.parse(stored) as Partial<Me>;
    if (typeof me.username !== 'string' || typeof me.scopeCode !== 'string' || !Array.isArray(me.actions)) return null;
    // Written before the session carried its work states: no inbox offline until the server is reached.
    return { ...me, workStates: Array.isArray(me.workStates) ? me.workStates : [] } as Me;
  } catch {
    return null;
  }
}

export function forgetAccount(): void {
  try {
    localStorage.removeItem(STORAGE_KEY);
  } catch {
    // Nothing could be stored either.
  }
  if ('caches' in window) caches.delete(API_CACHE).catch(() => {});
}
