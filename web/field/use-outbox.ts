import { useSyncExternalStore } from 'react';
import { handleError } from '../handle-error.ts';
import { drafts } from './drafts.ts';
import { browserPlatform } from './field-outbox.ts';
import { Outbox, type OutboxSnapshot } from './outbox.ts';

const CHANNEL_NAME = 'grid-command-field-outbox';

/**
 * This page's outbox. A storage failure (the phone's storage full, private browsing without
 * IndexedDB) reaches the user as a toast.
 */
export const outbox = new Outbox({ drafts, platform: browserPlatform(CHANNEL_NAME), reportError: handleError });

/** The outbox's items; re-renders on every change (here or in another tab). */
export function useOutbox(): OutboxSnapshot {
  return useSyncExternalStore(outbox.subscribe, outbox.current);
}
