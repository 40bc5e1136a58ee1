import { useSyncExternalStore } from 'react';
import { handleError } from '../handle-error.ts';
import { drafts } from './drafts.ts';
import { Outbox, type OutboxPlatform, type OutboxSnapshot } from './outbox.ts';

const CHANNEL_NAME = 'grid-command-field-outbox';

function browserPlatform(): OutboxPlatform {
  return {
    online: () => navigator.onLine,
    locks: 'locks' in navigator ? navigator.locks : null,
    events: window,
    openChannel: () => (typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANNEL_NAME)),
  };
}

/**
 * This page's outbox. A storage failure (the phone's storage full, private browsing without
 * IndexedDB) reaches the user as a toast.
 */
export const outbox = new Outbox({ drafts, platform: browserPlatform(), reportError: handleError });

/** The outbox's items; re-renders on every change (here or in another tab). */
export function useOutbox(): OutboxSnapshot {
  return useSyncExternalStore(outbox.subscribe, outbox.current);
}
