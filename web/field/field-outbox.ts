import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import { useSyncExternalStore } from 'react';
import type { OutboxPlatform } from './outbox.ts';

/**
 * The field page's generic outbox, for what a phone sends that needs no draft of its own: visits
 * (走访), satisfaction surveys (满意度), and the task inbox's receipts, acknowledgements and answers.
 * Every item is written on the phone first, with the id the phone made for it, and only then sent,
 * oldest first, one at a time, one tab at a time; an item made without network waits here through
 * a reload or a dead spell, and the server keys it by that id, so sending it twice (a lost answer,
 * two tabs) records it once. Each kind keeps its own database (so the stores phones already hold
 * stay where they are). The report outbox (outbox.ts) is apart: its items leave the draft in the
 * same transaction and can be taken back into it.
 */

let lastMadeAt = 0;

/**
 * The `createdAt` of an item made now (epoch milliseconds): now, or a millisecond after the last
 * one this page gave when that is not earlier. Items go oldest first, and two made in the same
 * millisecond (a task's read and its acknowledgement, two reports in a row) went in either order.
 */
export function madeAt(): number {
  lastMadeAt = Math.max(Date.now(), lastMadeAt + 1);
  return lastMadeAt;
}

/** What every outbox item carries besides its own payload. */
export interface FieldOutboxEntry<Result = unknown> {
  /** Generated on the phone; the server's idempotency key. */
  clientId: string;
  /** Username of the account that made it: only that account, signed in, sends it. */
  account: string;
  /** Epoch milliseconds. */
  createdAt: number;
  /** `waiting` (not sent yet, or a failure that may pass), `sending`, `sent` (answer kept), `refused` (for good, with the reason). */
  state: 'waiting' | 'sending' | 'sent' | 'refused';
  /** Failed attempts so far (for the back-off). */
  attempts: number;
  /** Epoch milliseconds of the next automatic attempt; 0 = as soon as possible. */
  nextAttemptAt: number;
  /** Why the last attempt failed, or the server's reason for refusing, in the UI language of the time. */
  error: string | null;
  result: Result | null;
}

export type FieldSendOutcome<Result> =
  | { kind: 'sent'; result: Result }
  | { kind: 'refused'; message: string }
  | { kind: 'retry'; message: string; session?: boolean };

/**
 * Sends one item; never throws for an expected failure. `keep` stores a step already taken (a
 * photo uploaded), so that a retry starts after it.
 */
export type FieldSend<Item extends FieldOutboxEntry> = (
  item: Item,
  signal: AbortSignal,
  keep: (next: Item) => Promise<void>,
) => Promise<FieldSendOutcome<NonNullable<Item['result']>>>;

interface OutboxDb<Item> extends DBSchema {
  items: { key: string; value: Item; indexes: { 'by-created': number } };
}

export interface FieldOutboxOptions<Item extends FieldOutboxEntry> {
  /** The IndexedDB database and the Web Lock's name. */
  name: string;
  /** Its object store (the name the store already has on phones). */
  store: string;
  send: FieldSend<Item>;
  /** What is kept of an item once sent (drop its photos: the server has them). */
  whenSent?: (item: Item) => Item;
  platform: OutboxPlatform;
  reportError: (error: unknown) => void;
}

const SENT_KEPT_MS = 7 * 24 * 3600_000;
const PERIODIC_MS = 30_000;
/** Back-off after a failed attempt: 5 s, 15 s, 30 s, 1 min, 2 min, then every 5 min, ±20%. */
const BACKOFF_MS = [5_000, 15_000, 30_000, 60_000, 120_000, 300_000] as const;

function retryDelayMs(attempts: number): number {
  const base = BACKOFF_MS[Math.min(Math.max(attempts, 1), BACKOFF_MS.length) - 1] ?? BACKOFF_MS[0];
  return Math.round(base * (0.8 + 0.4 * Math.random()));
}

/** The browser's connection, locks and tabs, for an outbox of this page. */
export function browserPlatform(channelName: string): OutboxPlatform {
  return {
    online: () => navigator.onLine,
    locks: 'locks' in navigator ? navigator.locks : null,
    events: window,
    openChannel: () => (typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(channelName)),
  };
}

export class FieldOutbox<Item extends FieldOutboxEntry> {
  private items: Item[] = [];
  private readonly listeners = new Set<() => void>();
  private account: string | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private again = false;
  private channel: BroadcastChannel | null = null;
  private controller: AbortController | null = null;
  private opened: Promise<IDBPDatabase<OutboxDb<Item>>> | null = null;

  constructor(private readonly options: FieldOutboxOptions<Item>) {}

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Newest first. */
  current = () => this.items;

  /** Sends the waiting items of `account` while the page is open; returns the stop. */
  start(account: string): () => void {
    const { platform, reportError } = this.options;
    this.account = account;
    platform.events?.addEventListener('online', this.retryNow);
    platform.events?.addEventListener('offline', this.onOffline);
    this.channel = platform.openChannel();
    if (this.channel) this.channel.onmessage = () => void this.reload().catch(reportError);
    // An item left `sending` by a page that closed mid-way waits again: the server keys it by its id.
    this.withLock(() =>
      this.update((item) => (item.state === 'sending' ? { ...item, state: 'waiting', nextAttemptAt: 0 } : null)),
    )
      .then(() => this.prune())
      .then(() => this.kick())
      .catch(reportError);
    return () => {
      if (this.account !== account) return;
      this.account = null;
      clearTimeout(this.timer);
      this.controller?.abort();
      platform.events?.removeEventListener('online', this.retryNow);
      platform.events?.removeEventListener('offline', this.onOffline);
      this.channel?.close();
      this.channel = null;
    };
  }

  /** Writes a new item on the phone (its `clientId` made by the caller), then tries to send it. */
  async add(item: Item): Promise<Item> {
    await this.write(item);
    this.kick();
    return item;
  }

  /** Tries every waiting item now, back-off or not (back online, or the user pressed "send now"). */
  retryNow = (): void => {
    this.update((item) => (item.state === 'waiting' ? { ...item, nextAttemptAt: 0 } : null))
      .then(() => this.kick())
      .catch(this.options.reportError);
  };

  private onOffline = () => this.controller?.abort();

  private kick(): void {
    clearTimeout(this.timer);
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    this.pass()
      .catch(this.options.reportError)
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

  /** The account's due items, oldest first, one at a time. */
  private pass(): Promise<void> {
    return this.withLock(async () => {
      await this.reload();
      for (;;) {
        const account = this.account;
        if (!account || !this.options.platform.online()) return;
        const due = this.items
          .filter((item) => item.account === account && item.state === 'waiting' && item.nextAttemptAt <= Date.now())
          .sort((a, b) => a.createdAt - b.createdAt)[0];
        if (!due) return;
        if (await this.sendOne(due)) return;
      }
    });
  }

  /** Sends one item and records the outcome; true when the pass should stop (offline, session gone). */
  private async sendOne(due: Item): Promise<boolean> {
    let item: Item = { ...due, state: 'sending' };
    await this.write(item);
    const controller = new AbortController();
    this.controller = controller;
    const keep = async (next: Item) => {
      item = { ...next, state: 'sending' };
      await this.write(item);
    };
    let outcome: FieldSendOutcome<NonNullable<Item['result']>>;
    try {
      outcome = await this.options.send(item, controller.signal, keep);
    } catch (error) {
      // `send` classifies every failure it knows; anything else is a bug, and the item waits for a fix rather than being lost.
      this.options.reportError(error);
      outcome = { kind: 'retry', message: error instanceof Error ? error.message : String(error) };
    } finally {
      if (this.controller === controller) this.controller = null;
    }
    if (outcome.kind === 'sent') {
      const sent: Item = { ...item, state: 'sent', error: null, result: outcome.result };
      await this.write(this.options.whenSent ? this.options.whenSent(sent) : sent);
      return false;
    }
    if (outcome.kind === 'refused') {
      await this.write({ ...item, state: 'refused', error: outcome.message });
      return false;
    }
    const attempts = item.attempts + 1;
    await this.write({
      ...item,
      state: 'waiting',
      attempts,
      nextAttemptAt: Date.now() + retryDelayMs(attempts),
      error: outcome.message,
    });
    // Without a session or a network the next items would fail the same way.
    return outcome.session === true || !this.options.platform.online();
  }

  /** One tab sends at a time (Web Locks where the browser has them); the other tabs skip the pass and keep listening. */
  private async withLock(task: () => Promise<void>): Promise<void> {
    const { locks } = this.options.platform;
    if (!locks) return task();
    await locks.request(this.options.name, { ifAvailable: true }, async (lock) => {
      if (lock) await task();
    });
  }

  private database(): Promise<IDBPDatabase<OutboxDb<Item>>> {
    // Each kind's store keeps the name it has on phones; the typed name `items` stands for it.
    const store = this.options.store as 'items';
    this.opened ??= openDB<OutboxDb<Item>>(this.options.name, 1, {
      upgrade(db) {
        db.createObjectStore(store, { keyPath: 'clientId' }).createIndex('by-created', 'createdAt');
      },
    });
    return this.opened;
  }

  private async prune(): Promise<void> {
    const db = await this.database();
    const store = this.options.store as 'items';
    const cutoff = Date.now() - SENT_KEPT_MS;
    for (const item of await db.getAll(store)) {
      if (item.state === 'sent' && item.createdAt < cutoff) await db.delete(store, item.clientId);
    }
    await this.reload();
  }

  private async update(change: (item: Item) => Item | null): Promise<void> {
    const db = await this.database();
    const store = this.options.store as 'items';
    for (const item of await db.getAll(store)) {
      const next = change(item);
      if (next) await db.put(store, next);
    }
    await this.reload();
  }

  private async write(item: Item): Promise<void> {
    await (await this.database()).put(this.options.store as 'items', item);
    await this.reload();
    this.channel?.postMessage('changed');
  }

  private async reload(): Promise<void> {
    const items = await (await this.database()).getAllFromIndex(this.options.store as 'items', 'by-created');
    this.items = items.reverse();
    for (const listener of this.listeners) listener();
  }
}

/** An outbox's items, newest first; re-renders on every change (here or in another tab). */
export function useFieldOutbox<Item extends FieldOutboxEntry>(outbox: FieldOutbox<Item>): Item[] {
  return useSyncExternalStore(outbox.subscribe, outbox.current);
}
