import type { IDBPTransaction } from 'idb';
import { type FieldDb, fieldDatabase } from './field-db.ts';
import { type DraftFields, EMPTY_DRAFT, type ReportDraft } from './report-draft.ts';

/** The part of Web Storage the quick copy needs (localStorage in a browser). */
export type QuickCopies = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** A transaction over the draft stores and the outbox: a report enters the outbox as its draft leaves. */
export type DraftTransaction = IDBPTransaction<FieldDb, ('drafts' | 'draftPhotos' | 'outbox')[], 'readwrite'>;

interface QuickCopy {
  draft: DraftFields;
  photoIds: string[];
  updatedAt: number;
}

const QUICK_COPY_PREFIX = 'grid-command-field-draft:';

/**
 * The report form as typed, kept on the phone in two ways. IndexedDB holds the whole draft,
 * photos included, written a moment after each change (at once when a photo comes or goes). But
 * a write started as the page goes away (a reload, a closed tab, the phone killing the browser)
 * may never commit, so every change also goes, synchronously, to a small copy of the fields in
 * Web Storage; reading the draft back takes the newer of the two. Photos are only in IndexedDB:
 * they are written the moment they are added, so only a page killed in that instant loses one.
 */
export function createDraftStore(copies: QuickCopies | null) {
  const key = (account: string) => `${QUICK_COPY_PREFIX}${account}`;

  function readCopy(account: string): QuickCopy | null {
    try {
      const text = copies?.getItem(key(account));
      return text ? (JSON.parse(text) as QuickCopy) : null;
    } catch {
      // Storage blocked or a copy from an older page that does not parse: IndexedDB still has the draft.
      return null;
    }
  }

  function forgetCopy(account: string): void {
    try {
      copies?.removeItem(key(account));
    } catch {
      // Storage blocked: there is no copy to forget.
    }
  }

  /** Drops the account's draft inside `tx` (the outbox's, as the draft becomes a report). */
  async function clearIn(tx: DraftTransaction, account: string): Promise<void> {
    forgetCopy(account);
    const photoStore = tx.objectStore('draftPhotos');
    const photoIds = await photoStore.index('by-account').getAllKeys(account);
    await Promise.all([tx.objectStore('drafts').delete(account), ...photoIds.map((id) => photoStore.delete(id))]);
  }

  return {
    clearIn,

    /**
     * Keeps the fields at once, synchronously, so that a page gone the next moment still has
     * them; `updatedAt` (epoch ms) is when the form changed to this draft.
     */
    keepQuickly(account: string, draft: ReportDraft, updatedAt: number): void {
      const { photos, ...fields } = draft;
      const copy: QuickCopy = { draft: fields, photoIds: photos.map((photo) => photo.id), updatedAt };
      try {
        copies?.setItem(key(account), JSON.stringify(copy));
      } catch {
        // Storage full or blocked (private browsing): the IndexedDB write that follows still keeps it.
      }
    },

    /** The account's draft, or null when none is kept. */
    async load(account: string): Promise<ReportDraft | null> {
      const db = await fieldDatabase();
      const tx = db.transaction(['drafts', 'draftPhotos']);
      const [record, photos] = await Promise.all([
        tx.objectStore('drafts').get(account),
        tx.objectStore('draftPhotos').index('by-account').getAll(account),
      ]);
      const copy = readCopy(account);
      const newest = copy && (!record || copy.updatedAt > record.updatedAt) ? copy : record;
      if (!newest) return null;
      const byId = new Map(photos.map((stored) => [stored.id, stored.photo]));
      const ordered = newest.photoIds.flatMap((id) => byId.get(id) ?? []);
      // A draft kept by an older page may lack a field added since.
      return { ...EMPTY_DRAFT, ...newest.draft, photos: ordered };
    },

    /** Stores the draft's fields, adds the photos not stored yet and drops the ones taken out. */
    async save(account: string, draft: ReportDraft, updatedAt: number): Promise<void> {
      const db = await fieldDatabase();
      const tx: DraftTransaction = db.transaction(['drafts', 'draftPhotos', 'outbox'], 'readwrite');
      const photoStore = tx.objectStore('draftPhotos');
      const storedIds = new Set(await photoStore.index('by-account').getAllKeys(account));
      const keptIds = new Set(draft.photos.map((photo) => photo.id));
      const { photos, ...fields } = draft;
      await Promise.all([
        ...photos.filter((photo) => !storedIds.has(photo.id)).map((photo) => photoStore.put({ id: photo.id, account, photo })),
        ...[...storedIds].filter((id) => !keptIds.has(id)).map((id) => photoStore.delete(id)),
        tx.objectStore('drafts').put({ account, draft: fields, photoIds: photos.map((photo) => photo.id), updatedAt }),
        tx.done,
      ]);
    },

    async clear(account: string): Promise<void> {
      const db = await fieldDatabase();
      const tx: DraftTransaction = db.transaction(['drafts', 'draftPhotos', 'outbox'], 'readwrite');
      await Promise.all([clearIn(tx, account), tx.done]);
    },
  };
}

export type DraftStore = ReturnType<typeof createDraftStore>;

function browserQuickCopies(): QuickCopies | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    // Reading `localStorage` itself throws where storage is blocked.
    return null;
  }
}

/** This page's drafts. */
export const drafts = createDraftStore(browserQuickCopies());
