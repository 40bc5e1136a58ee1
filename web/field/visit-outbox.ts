import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import { useSyncExternalStore } from 'react';
import { newClientId } from '../api-client.ts';
import { handleError } from '../handle-error.ts';
import { sendVisit, type VisitInput, type VisitOutboxItem, type VisitSendOutcome } from './visits-api.ts';

/**
 * The field page's outbox of visits (走访), as the report outbox (outbox.ts) is for reports: every
 * visit is written on the phone first, with the id the phone made for it, and only then sent; a
 * visit logged without network waits here through a reload or a dead spell, and the server keys it
 * by that id, so sending it twice (a lost answer, two tabs) logs it once. Kept in a database of its
 * own so that the report outbox's schema is left as it is.
 */

interface VisitDb extends DBSchema {
  visits: { key: string; value: VisitOutboxItem; indexes: { 'by-created': number } };
}

const SENT_KEPT_MS = 7 * 24 * 3600_000;
const PERIODIC_MS = 30_000;
const BACKOFF_MS = [5_000, 15_000, 30_000, 60_000, 120_000, 300_000] as const;
const LOCK_NAME = 'grid-command-field-visits';

let opened: Promise<IDBPDatabase<VisitDb>> | null = null;
function visitDatabase(): Promise<IDBPDatabase<VisitDb>> {
  opened ??= openDB<VisitDb>('grid-command-field-visits', 1, {
    upgrade(db) {
      db.createObjectStore('visits', { keyPath: 'clientId' }).createIndex('by-created', 'createdAt');
    },
  });
  return opened;
}

type Send = (item: VisitOutboxItem, signal: AbortSignal) => Promise<VisitSendOutcome>;

class VisitOutbox {
  private items: VisitOutboxItem[] = [];
  private readonly listeners = new Set<() => void>();
  private account: string | null = null;
  private send: Send = sendVisit;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private again = false;
  private channel: BroadcastChannel | null = null;

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  current = () => this.items;

  /** Sends the waiting visits of `account` while the page is open; returns the stop. */
  start(account: string): () => void {
    this.account = account;
    window.addEventListener('online', this.onOnline);
    this.channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(LOCK_NAME);
    if (this.channel) this.channel.onmessage = () => void this.reload().catch(handleError);
    // A visit left `sending` by a page that closed mid-way waits again: the server keys it by its id.
    this.update((item) => (item.state === 'sending' ? { ...item, state: 'waiting', nextAttemptAt: 0 } : null))
      .then(() => this.prune())
      .then(() => this.kick())
      .catch(handleError);
    return () => {
      if (this.account !== account) return;
      this.account = null;
      clearTimeout(this.timer);
      window.removeEventListener('online', this.onOnline);
      this.channel?.close();
      this.channel = null;
    };
  }

  /** Writes a new visit on the phone, then tries to send it. */
  async add(account: string, personName: string, visit: Omit<VisitInput, 'clientId'>, photo: Blob | null) {
    const item: VisitOutboxItem = {
      clientId: newClientId(),
      account,
      createdAt: Date.now(),
      personName,
      visit: { ...visit, clientId: '' },
      photo,
      state: 'waiting',
      attempts: 0,
      nextAttemptAt: 0,
      error: null,
      result: null,
    };
    item.visit.clientId = item.clientId;
    await this.write(item);
    this.kick();
    return item;
  }

  retryNow(): void {
    this.update((item) => (item.state === 'waiting' ? { ...item, nextAttemptAt: 0 } : null))
      .then(() => this.kick())
      .catch(handleError);
  }

  private onOnline = () => this.retryNow();

  private kick(): void {
    clearTimeout(this.timer);
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    this.pass()
      .catch(handleError)
      .finally(() => {
        this.running = false;
        if (this.again) {
          this.again = false;
          this.kick();
          return;
        }
        const waiting = this.items.filter((item) => item.account === this.account && item.state === 'waiting');
        if (!this.account || waiting.length === 0) return;
        const next = Math.min(...waiting.map((item) => item.nextAttemptAt));
        this.timer = setTimeout(() => this.kick(), Math.min(PERIODIC_MS, Math.max(1000, next - Date.now())));
      });
  }

  /** The account's due visits, oldest first, one at a time; one tab sends at a time. */
  private async pass(): Promise<void> {
    const work = async () => {
      await this.reload();
      for (;;) {
        const account = this.account;
        if (!account || !navigator.onLine) return;
        const due = this.items
          .filter((item) => item.account === account && item.state === 'waiting' && item.nextAttemptAt <= Date.now())
          .sort((a, b) => a.createdAt - b.createdAt)[0];
        if (!due) return;
        await this.write({ ...due, state: 'sending' });
        const outcome = await this.send(due, new AbortController().signal);
        if (outcome.kind === 'sent') {
          await this.write({ ...due, state: 'sent', photo: null, error: null, result: outcome.result });
        } else if (outcome.kind === 'refused') {
          await this.write({ ...due, state: 'refused', error: outcome.message });
        } else {
          const attempts = due.attempts + 1;
          const base = BACKOFF_MS[Math.min(attempts, BACKOFF_MS.length) - 1] ?? BACKOFF_MS[0];
          const nextAttemptAt = Date.now() + Math.round(base * (0.8 + 0.4 * Math.random()));
          await this.write({ ...due, state: 'waiting', attempts, nextAttemptAt, error: outcome.message });
          if (outcome.session || !navigator.onLine) return;
        }
      }
    };
    if (!('locks' in navigator)) return work();
    await navigator.locks.request(LOCK_NAME, { ifAvailable: true }, async (lock) => {
      if (lock) await work();
    });
  }

  private async prune(): Promise<void> {
    const db = await visitDatabase();
    const cutoff = Date.now() - SENT_KEPT_MS;
    for (const item of await db.getAll('visits')) {
      if (item.state === 'sent' && item.createdAt < cutoff) await db.delete('visits', item.clientId);
    }
    await this.reload();
  }

  private async update(change: (item: VisitOutboxItem) => VisitOutboxItem | null): Promise<void> {
    const db = await visitDatabase();
    for (const item of await db.getAll('visits')) {
      const next = change(item);
      if (next) await db.put('visits', next);
    }
    await this.reload();
  }

  private async write(item: VisitOutboxItem): Promise<void> {
    await (await visitDatabase()).put('visits', item);
    await this.reload();
    this.channel?.postMessage('changed');
  }

  private async reload(): Promise<void> {
    const items = await (await visitDatabase()).getAllFromIndex('visits', 'by-created');
    this.items = items.reverse();
    for (const listener of this.listeners) listener();
  }
}

export const visitOutbox = new VisitOutbox();

/** The visits on the phone, newest first; re-renders on every change (here or in another tab). */
export function useVisitOutbox(): VisitOutboxItem[] {
  return useSyncExternalStore(visitOutbox.subscribe, visitOutbox.current);
}
