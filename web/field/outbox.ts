import { newClientId } from '../client-id.ts';
import type { DraftStore, DraftTransaction } from './drafts.ts';
import { fieldDatabase } from './field-db.ts';
import { madeAt } from './field-outbox.ts';
import type { OutboxItem, SendOutcome } from './outbox-item.ts';
import { EMPTY_DRAFT, type ReadyReport, type ReportDraft } from './report-draft.ts';

/**
 * The on-device outbox of the field page. Every report is first written here, with the id the
 * phone generated for it and its photos, and only then sent: a report made without network waits
 * here until the connection returns, and a reload or a closed tab loses nothing. The server keys
 * reports by that id, so sending the same item twice (a lost answer, two tabs) files it once.
 *
 * Items belong to the account that made them: only that account, signed in, sends them.
 */

/** Sent items stay in the list this long, then leave the phone. */
const SENT_KEPT_MS = 7 * 24 * 3600_000;
/** A waiting item is retried this often even without any event (a server that was down comes back silently). */
const PERIODIC_MS = 30_000;
/** Back-off after a failed attempt: 5 s, 15 s, 30 s, 1 min, 2 min, then every 5 min. */
const BACKOFF_MS = [5_000, 15_000, 30_000, 60_000, 120_000, 300_000] as const;
/** Only one tab sends at a time; the others show the same list. */
const LOCK_NAME = 'grid-command-field-outbox';

/** Milliseconds to wait after the `attempts`-th failure, with ±20% jitter so many phones coming back online do not retry in step. */
function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const base = BACKOFF_MS[Math.min(Math.max(attempts, 1), BACKOFF_MS.length) - 1] ?? BACKOFF_MS[0];
  return Math.round(base * (0.8 + 0.4 * random()));
}

export type Send = (item: OutboxItem, signal: AbortSignal) => Promise<SendOutcome>;

/**
 * What the outbox needs of the browser: a browser page passes its own (`browserPlatform`); a test
 * passes one it controls.
 */
export interface OutboxPlatform {
  online(): boolean;
  /** Web Locks, where the browser has them: one tab sends at a time. */
  locks: LockManager | null;
  /** Where `online` and `offline` are heard (window). */
  events: EventTarget | null;
  /** A channel to this browser's other tabs, or null where there is none. */
  openChannel(): BroadcastChannel | null;
}

export interface OutboxSnapshot {
  /** Newest first. */
  items: OutboxItem[];
  /** False until the items are read from the device. */
  loaded: boolean;
}

/**
 * The outbox's items, readable from React, and the sender. The sender runs while a field page is
 * open (`start`): on start, when the browser comes back online, after each new report, when a
 * waiting item's back-off ends, and every {@link PERIODIC_MS} anyway.
 */
export class Outbox {
  private snapshot: OutboxSnapshot = { items: [], loaded: false };
  private readonly listeners = new Set<() => void>();
  private account: string | null = null;
  private send: Send | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private again = false;
  private controller: AbortController | null = null;
  private channel: BroadcastChannel | null = null;
  private readonly drafts: DraftStore;
  private readonly platform: OutboxPlatform;
  /** Where a failure nobody waits for goes (a toast on the page): storage full, a bug in `send`. */
  private readonly reportError: (error: unknown) => void;

  constructor(options: { drafts: DraftStore; platform: OutboxPlatform; reportError: (error: unknown) => void }) {
    this.drafts = options.drafts;
    this.platform = options.platform;
    this.reportError = options.reportError;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  current = (): OutboxSnapshot => this.snapshot;

  /** Starts sending the items of `account` with `send`; returns the stop. */
  start(account: string, send: Send): () => void {
    this.account = account;
    this.send = send;
    this.platform.events?.addEventListener('online', this.onOnline);
    this.platform.events?.addEventListener('offline', this.onOffline);
    this.channel = this.platform.openChannel();
    if (this.channel) {
      this.channel.onmessage = () => {
        this.reload().catch(this.reportError);
      };
    }
    this.recoverInterrupted()
      .then(() => this.prune())
      .then(() => this.kick())
      .catch(this.reportError);
    return () => {
      if (this.account !== account) return;
      this.account = null;
      this.send = null;
      clearTimeout(this.timer);
      this.controller?.abort();
      this.controller = null;
      this.platform.events?.removeEventListener('online', this.onOnline);
      this.platform.events?.removeEventListener('offline', this.onOffline);
      this.channel?.close();
      this.channel = null;
    };
  }

  /** Writes a new report (and clears the account's draft in the same transaction), then tries to send it. */
  async add(account: string, report: ReadyReport): Promise<OutboxItem> {
    const now = madeAt();
    const { photos, ...fields } = report;
    const item: OutboxItem = {
      clientId: newClientId(),
      account,
      createdAt: now,
      updatedAt: now,
      report: fields,
      photos,
      photoCount: photos.length,
      state: 'waiting',
      attempts: 0,
      nextAttemptAt: 0,
      error: null,
      needsSignIn: false,
      sentAt: null,
      result: null,
    };
    const db = await fieldDatabase();
    const tx: DraftTransaction = db.transaction(['drafts', 'draftPhotos', 'outbox'], 'readwrite');
    await Promise.all([tx.objectStore('outbox').put(item), this.drafts.clearIn(tx, account), tx.done]);
    await this.changed();
    this.kick();
    return item;
  }

  /** Tries every waiting item of the account now, back-off or not (the user pressed "send now"). */
  retryNow(): void {
    this.update((item) => (item.state === 'waiting' ? { ...item, nextAttemptAt: 0 } : null))
      .then(() => this.kick())
      .catch(this.reportError);
  }

  /** Removes an item that will not be sent (refused) or no longer needs showing (sent). */
  async remove(clientId: string): Promise<void> {
    const db = await fieldDatabase();
    const item = await db.get('outbox', clientId);
    if (!item || item.state === 'sending' || item.state === 'waiting') return;
    await db.delete('outbox', clientId);
    await this.changed();
  }

  /** Takes a refused item back into a draft to correct; the correction is a new report with a new id. */
  async takeBack(clientId: string): Promise<ReportDraft | null> {
    const db = await fieldDatabase();
    const item = await db.get('outbox', clientId);
    if (item?.state !== 'refused') return null;
    await db.delete('outbox', clientId);
    await this.changed();
    return { ...item.report, coordinates: EMPTY_DRAFT.coordinates, photos: item.photos };
  }

  /**
   * Runs `task` while no report is on its way from any tab of this browser (it holds the sending
   * lock, so no pass starts until it ends): for what must not cut a send short, such as taking a
   * new version of the app, which reloads the page. A cut send would still be safe (the item waits
   * again and the server files its id once), but it would be sent twice for nothing.
   */
  async whileNotSending(task: () => Promise<void>): Promise<void> {
    if (this.platform.locks) {
      await this.platform.locks.request(LOCK_NAME, task);
      return;
    }
    while (this.running) await new Promise((resolve) => setTimeout(resolve, 100));
    await task();
  }

  /** Runs a sending pass now, or right after the one under way. */
  kick(): void {
    clearTimeout(this.timer);
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    this.pass()
      .catch(this.reportError)
      .finally(() => {
        this.running = false;
        if (this.again) {
          this.again = false;
          this.kick();
        } else {
          this.schedule();
        }
      });
  }

  private onOnline = () => {
    // Back online: whatever waited goes now, whatever its back-off said.
    this.retryNow();
  };

  private onOffline = () => {
    this.controller?.abort();
  };

  /** One pass over the account's waiting items that are due, oldest first, one at a time (one phone, one uplink). */
  private async pass(): Promise<void> {
    await this.withLock(async () => {
      await this.reload();
      for (;;) {
        const account = this.account;
        const send = this.send;
        if (!account || !send || !this.platform.online()) return;
        const now = madeAt();
        const due = this.snapshot.items
          .filter((item) => item.account === account && item.state === 'waiting' && item.nextAttemptAt <= now)
          .sort((a, b) => a.createdAt - b.createdAt)[0];
        if (!due) return;
        const stop = await this.sendOne(due, send);
        if (stop) return;
      }
    });
  }

  /** Sends one item and records the outcome; true when the pass should stop (offline, session gone). */
  private async sendOne(item: OutboxItem, send: Send): Promise<boolean> {
    await this.write({ ...item, state: 'sending', updatedAt: Date.now() });
    const controller = new AbortController();
    this.controller = controller;
    let outcome: SendOutcome;
    try {
      outcome = await send(item, controller.signal);
    } catch (error) {
      // `send` classifies every failure it knows; anything else is a bug, and the item waits for a fix rather than being lost.
      this.reportError(error);
      outcome = { kind: 'retry', message: error instanceof Error ? error.message : String(error) };
    } finally {
      if (this.controller === controller) this.controller = null;
    }
    const now = madeAt();
    switch (outcome.kind) {
      case 'sent':
        await this.write({
          ...item,
          state: 'sent',
          photos: [],
          error: null,
          needsSignIn: false,
          sentAt: now,
          updatedAt: now,
          result: outcome.result,
        });
        return false;
      case 'refused':
        await this.write({ ...item, state: 'refused', error: outcome.message, needsSignIn: false, updatedAt: now });
        return false;
      case 'retry': {
        const attempts = item.attempts + 1;
        const delay = Math.max(outcome.retryAfterMs ?? 0, retryDelayMs(attempts));
        await this.write({
          ...item,
          state: 'waiting',
          attempts,
          nextAttemptAt: now + delay,
          error: outcome.message,
          needsSignIn: outcome.session === true,
          updatedAt: now,
        });
        // Without a session or a network the next items would fail the same way.
        return outcome.session === true || !this.platform.online();
      }
    }
  }

  private schedule(): void {
    clearTimeout(this.timer);
    if (!this.account) return;
    const account = this.account;
    const waiting = this.snapshot.items.filter((item) => item.account === account && item.state === 'waiting');
    if (waiting.length === 0) return;
    const next = Math.min(...waiting.map((item) => item.nextAttemptAt));
    const delay = Math.min(PERIODIC_MS, Math.max(1000, next - Date.now()));
    this.timer = setTimeout(() => this.kick(), delay);
  }

  /** One tab sends at a time (Web Locks where the browser has them); the other tabs skip the pass and keep listening. */
  private async withLock(task: () => Promise<void>): Promise<void> {
    if (!this.platform.locks) return task();
    await this.platform.locks.request(LOCK_NAME, { ifAvailable: true }, async (lock) => {
      if (lock) await task();
    });
  }

  /** An item left `sending` by a tab that closed mid-way waits again (the server keys it by id, so a resend is harmless). */
  private async recoverInterrupted(): Promise<void> {
    await this.withLock(() =>
      this.update((item) => (item.state === 'sending' ? { ...item, state: 'waiting', nextAttemptAt: 0 } : null)),
    );
    await this.reload();
  }

  private async prune(): Promise<void> {
    const db = await fieldDatabase();
    const cutoff = Date.now() - SENT_KEPT_MS;
    const old = (await db.getAll('outbox')).filter((item) => item.state === 'sent' && (item.sentAt ?? 0) < cutoff);
    if (old.length === 0) return;
    const tx = db.transaction('outbox', 'readwrite');
    await Promise.all([...old.map((item) => tx.store.delete(item.clientId)), tx.done]);
    await this.changed();
  }

  /** Rewrites every item `change` returns a new version of. */
  private async update(change: (item: OutboxItem) => OutboxItem | null): Promise<void> {
    const db = await fieldDatabase();
    const tx = db.transaction('outbox', 'readwrite');
    let count = 0;
    for (const item of await tx.store.getAll()) {
      const next = change(item);
      if (!next) continue;
      count += 1;
      await tx.store.put(next);
    }
    await tx.done;
    if (count > 0) await this.changed();
  }

  private async write(item: OutboxItem): Promise<void> {
    await (await fieldDatabase()).put('outbox', item);
    await this.changed();
  }

  /** Re-reads the list, tells this page's listeners, and the other tabs. */
  private async changed(): Promise<void> {
    await this.reload();
    this.channel?.postMessage('changed');
  }

  private async reload(): Promise<void> {
    const items = await (await fieldDatabase()).getAllFromIndex('outbox', 'by-created');
    items.reverse();
    this.snapshot = { items, loaded: true };
    for (const listener of this.listeners) listener();
  }
}
