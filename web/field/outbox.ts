import type { DBSchema, IDBPDatabase, IDBPTransaction } from 'idb';
import { openDB } from 'idb';
import { useSyncExternalStore } from 'react';
import type { ReportType, Urgency } from '../../api/reports/report-types.ts';
import type { Datum } from '../../geo/convert-datum.ts';
import { handleError } from '../handle-error.ts';
import type { SendOutcome, SentReport } from './field-api.ts';
import type { StoredPhoto } from './photos.ts';

/**
 * The on-device outbox of the field page. Every report is first written here, with the id the
 * phone generated for it and its photos, and only then sent: a report made without network waits
 * here until the connection returns, and a reload or a closed tab loses nothing. The server keys
 * reports by that id, so sending the same item twice (a lost answer, two tabs) files it once.
 *
 * Items belong to the account that made them: only that account, signed in, sends them.
 */

/** Where the report is, and how the user said so. */
export interface ReportPlace {
  /** [lng, lat] in degrees, in `datum` (GPS and 天地图 give WGS84, 高德/腾讯 GCJ-02, 百度 BD-09). */
  position: [number, number];
  datum: Datum;
  /** Radius of the phone's 68% confidence circle in metres; null when tapped on the map or typed. */
  accuracyM: number | null;
  source: 'gps' | 'map' | 'typed';
}

/** Coordinates typed or pasted but perhaps not applied yet: kept with the draft, like every other keystroke. */
export interface CoordinateEntry {
  text: string;
  datum: Datum;
}

/** The report form as typed so far. */
export interface ReportDraft {
  type: ReportType | null;
  urgency: Urgency;
  description: string;
  place: ReportPlace | null;
  coordinates: CoordinateEntry;
  photos: StoredPhoto[];
}

export const EMPTY_DRAFT: ReportDraft = {
  type: null,
  urgency: 'normal',
  description: '',
  place: null,
  coordinates: { text: '', datum: 'wgs84' },
  photos: [],
};

/** A report ready to send: every required field filled in. */
export interface ReadyReport {
  type: ReportType;
  urgency: Urgency;
  description: string;
  place: ReportPlace;
  photos: StoredPhoto[];
}

/**
 * `waiting`: not sent yet (offline, not tried yet, or a failure that may pass: network, server
 * error, lost session); `sending`: on its way; `sent`: the server has it (its answer kept);
 * `refused`: the server said no for good (outside the county, outside the reporter's scope, a bad
 * photo), with its reason.
 */
export type OutboxState = 'waiting' | 'sending' | 'sent' | 'refused';

export interface OutboxItem {
  /** Generated on the phone (crypto.randomUUID()); the server's idempotency key. */
  clientId: string;
  /** Username of the account that made it. */
  account: string;
  /** Epoch milliseconds. */
  createdAt: number;
  updatedAt: number;
  report: Omit<ReadyReport, 'photos'>;
  /** Emptied once sent: the server keeps them from then on. */
  photos: StoredPhoto[];
  photoCount: number;
  state: OutboxState;
  /** Failed attempts so far (for the back-off). */
  attempts: number;
  /** Epoch milliseconds of the next automatic attempt of a waiting item; 0 = as soon as possible. */
  nextAttemptAt: number;
  /** Why the last attempt failed (a waiting item) or the server's reason (a refused one), in the UI language of the time. */
  error: string | null;
  /** A waiting item that found the session gone: it goes once the account signs in again. */
  needsSignIn: boolean;
  sentAt: number | null;
  result: SentReport | null;
}

/** The draft's fields; its photos are stored apart, so that each keystroke does not rewrite them. */
interface DraftRecord {
  account: string;
  draft: Omit<ReportDraft, 'photos'>;
  /** The draft's photos, in order (ids in `draftPhotos`). */
  photoIds: string[];
  updatedAt: number;
}

interface DraftPhotoRecord {
  id: string;
  account: string;
  photo: StoredPhoto;
}

interface FieldDb extends DBSchema {
  outbox: { key: string; value: OutboxItem; indexes: { 'by-created': number } };
  drafts: { key: string; value: DraftRecord };
  draftPhotos: { key: string; value: DraftPhotoRecord; indexes: { 'by-account': string } };
}

const DB_NAME = 'grid-command-field';
/** Sent items stay in the list this long, then leave the phone. */
const SENT_KEPT_MS = 7 * 24 * 3600_000;
/** A waiting item is retried this often even without any event (a server that was down comes back silently). */
const PERIODIC_MS = 30_000;
/** Back-off after a failed attempt: 5 s, 15 s, 30 s, 1 min, 2 min, then every 5 min. */
const BACKOFF_MS = [5_000, 15_000, 30_000, 60_000, 120_000, 300_000] as const;
/** Only one tab sends at a time; the others show the same list. */
const LOCK_NAME = 'grid-command-field-outbox';
const CHANNEL_NAME = 'grid-command-field-outbox';

/** Milliseconds to wait after the `attempts`-th failure, with ±20% jitter so many phones coming back online do not retry in step. */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const base = BACKOFF_MS[Math.min(Math.max(attempts, 1), BACKOFF_MS.length) - 1] ?? BACKOFF_MS[0];
  return Math.round(base * (0.8 + 0.4 * random()));
}

let dbPromise: Promise<IDBPDatabase<FieldDb>> | null = null;

function database(): Promise<IDBPDatabase<FieldDb>> {
  dbPromise ??= openDB<FieldDb>(DB_NAME, 1, {
    upgrade(db) {
      const outbox = db.createObjectStore('outbox', { keyPath: 'clientId' });
      outbox.createIndex('by-created', 'createdAt');
      db.createObjectStore('drafts', { keyPath: 'account' });
      db.createObjectStore('draftPhotos', { keyPath: 'id' }).createIndex('by-account', 'account');
    },
  });
  return dbPromise;
}

// ---- drafts ----

type DraftTransaction = IDBPTransaction<FieldDb, ('drafts' | 'draftPhotos' | 'outbox')[], 'readwrite'>;

/** The form as the account left it, or null. */
export async function loadDraft(account: string): Promise<ReportDraft | null> {
  const db = await database();
  const tx = db.transaction(['drafts', 'draftPhotos']);
  const [record, photos] = await Promise.all([
    tx.objectStore('drafts').get(account),
    tx.objectStore('draftPhotos').index('by-account').getAll(account),
  ]);
  if (!record) return null;
  const byId = new Map(photos.map((stored) => [stored.id, stored.photo]));
  const ordered = record.photoIds.flatMap((id) => byId.get(id) ?? []);
  // A draft saved by an older page may lack a field added since.
  return { ...EMPTY_DRAFT, ...record.draft, photos: ordered };
}

/** Stores the draft's fields, adds the photos not stored yet and drops the ones taken out. */
export async function saveDraft(account: string, draft: ReportDraft): Promise<void> {
  const db = await database();
  const tx: DraftTransaction = db.transaction(['drafts', 'draftPhotos', 'outbox'], 'readwrite');
  const photoStore = tx.objectStore('draftPhotos');
  const storedIds = new Set(await photoStore.index('by-account').getAllKeys(account));
  const keptIds = new Set(draft.photos.map((photo) => photo.id));
  const { photos, ...fields } = draft;
  await Promise.all([
    ...photos.filter((photo) => !storedIds.has(photo.id)).map((photo) => photoStore.put({ id: photo.id, account, photo })),
    ...[...storedIds].filter((id) => !keptIds.has(id)).map((id) => photoStore.delete(id)),
    tx.objectStore('drafts').put({ account, draft: fields, photoIds: photos.map((photo) => photo.id), updatedAt: Date.now() }),
    tx.done,
  ]);
}

export async function clearDraft(account: string): Promise<void> {
  const db = await database();
  const tx: DraftTransaction = db.transaction(['drafts', 'draftPhotos', 'outbox'], 'readwrite');
  await deleteDraftIn(tx, account);
  await tx.done;
}

async function deleteDraftIn(tx: DraftTransaction, account: string): Promise<void> {
  const photoStore = tx.objectStore('draftPhotos');
  const photoIds = await photoStore.index('by-account').getAllKeys(account);
  await Promise.all([tx.objectStore('drafts').delete(account), ...photoIds.map((id) => photoStore.delete(id))]);
}

// ---- the outbox ----

export type Send = (item: OutboxItem, signal: AbortSignal) => Promise<SendOutcome>;

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
class Outbox {
  private snapshot: OutboxSnapshot = { items: [], loaded: false };
  private readonly listeners = new Set<() => void>();
  private account: string | null = null;
  private send: Send | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private again = false;
  private controller: AbortController | null = null;
  private channel: BroadcastChannel | null = null;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  current = (): OutboxSnapshot => this.snapshot;

  /** Starts sending the items of `account` with `send`; returns the stop. */
  start(account: string, send: Send): () => void {
    this.account = account;
    this.send = send;
    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOffline);
    if (typeof BroadcastChannel !== 'undefined') {
      this.channel = new BroadcastChannel(CHANNEL_NAME);
      this.channel.onmessage = () => {
        this.reload().catch(reportBug);
      };
    }
    this.recoverInterrupted()
      .then(() => this.prune())
      .then(() => this.kick())
      .catch(reportBug);
    return () => {
      if (this.account !== account) return;
      this.account = null;
      this.send = null;
      clearTimeout(this.timer);
      this.controller?.abort();
      this.controller = null;
      window.removeEventListener('online', this.onOnline);
      window.removeEventListener('offline', this.onOffline);
      this.channel?.close();
      this.channel = null;
    };
  }

  /** Writes a new report (and clears the account's draft in the same transaction), then tries to send it. */
  async add(account: string, report: ReadyReport): Promise<OutboxItem> {
    const now = Date.now();
    const { photos, ...fields } = report;
    const item: OutboxItem = {
      clientId: crypto.randomUUID(),
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
    const db = await database();
    const tx: DraftTransaction = db.transaction(['drafts', 'draftPhotos', 'outbox'], 'readwrite');
    await Promise.all([tx.objectStore('outbox').put(item), deleteDraftIn(tx, account), tx.done]);
    await this.changed();
    this.kick();
    return item;
  }

  /** Tries every waiting item of the account now, back-off or not (the user pressed "send now"). */
  retryNow(): void {
    this.update((item) => (item.state === 'waiting' ? { ...item, nextAttemptAt: 0 } : null))
      .then(() => this.kick())
      .catch(reportBug);
  }

  /** Removes an item that will not be sent (refused) or no longer needs showing (sent). */
  async remove(clientId: string): Promise<void> {
    const db = await database();
    const item = await db.get('outbox', clientId);
    if (!item || item.state === 'sending' || item.state === 'waiting') return;
    await db.delete('outbox', clientId);
    await this.changed();
  }

  /** Takes a refused item back into a draft to correct; the correction is a new report with a new id. */
  async takeBack(clientId: string): Promise<ReportDraft | null> {
    const db = await database();
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
    if ('locks' in navigator) {
      await navigator.locks.request(LOCK_NAME, task);
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
      .catch(reportBug)
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
        if (!account || !send || !navigator.onLine) return;
        const now = Date.now();
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
      handleError(error);
      outcome = { kind: 'retry', message: error instanceof Error ? error.message : String(error) };
    } finally {
      if (this.controller === controller) this.controller = null;
    }
    const now = Date.now();
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
        return outcome.session === true || !navigator.onLine;
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
    if (!('locks' in navigator)) return task();
    await navigator.locks.request(LOCK_NAME, { ifAvailable: true }, async (lock) => {
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
    const db = await database();
    const cutoff = Date.now() - SENT_KEPT_MS;
    const old = (await db.getAll('outbox')).filter((item) => item.state === 'sent' && (item.sentAt ?? 0) < cutoff);
    if (old.length === 0) return;
    const tx = db.transaction('outbox', 'readwrite');
    await Promise.all([...old.map((item) => tx.store.delete(item.clientId)), tx.done]);
    await this.changed();
  }

  /** Rewrites every item `change` returns a new version of. */
  private async update(change: (item: OutboxItem) => OutboxItem | null): Promise<void> {
    const db = await database();
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
    await (await database()).put('outbox', item);
    await this.changed();
  }

  /** Re-reads the list, tells this page's listeners, and the other tabs. */
  private async changed(): Promise<void> {
    await this.reload();
    this.channel?.postMessage('changed');
  }

  private async reload(): Promise<void> {
    const items = await (await database()).getAllFromIndex('outbox', 'by-created');
    items.reverse();
    this.snapshot = { items, loaded: true };
    for (const listener of this.listeners) listener();
  }
}

/** A storage failure (the phone's storage full, private browsing without IndexedDB) reaches the user as a toast. */
function reportBug(error: unknown): void {
  handleError(error);
}

export const outbox = new Outbox();

/** The outbox's items; re-renders on every change (here or in another tab). */
export function useOutbox(): OutboxSnapshot {
  return useSyncExternalStore(outbox.subscribe, outbox.current);
}
