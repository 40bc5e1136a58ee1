import type { DBSchema, IDBPDatabase } from 'idb';
import { openDB } from 'idb';
import type { OutboxItem } from './outbox-item.ts';
import type { StoredPhoto } from './photos.ts';
import type { DraftFields } from './report-draft.ts';

/** The draft's fields; its photos are stored apart, so that each keystroke does not rewrite them. */
interface DraftRecord {
  account: string;
  draft: DraftFields;
  /** The draft's photos, in order (ids in `draftPhotos`). */
  photoIds: string[];
  /** When the form was changed to this (epoch ms): the newer of this and the page's quick copy wins. */
  updatedAt: number;
}

interface DraftPhotoRecord {
  id: string;
  account: string;
  photo: StoredPhoto;
}

/**
 * The field page's store on the phone: the outbox (reports waiting to be sent, and the ones sent
 * lately) and each account's draft. One database, so that a report enters the outbox and its draft
 * leaves in one transaction.
 */
export interface FieldDb extends DBSchema {
  outbox: { key: string; value: OutboxItem; indexes: { 'by-created': number } };
  drafts: { key: string; value: DraftRecord };
  draftPhotos: { key: string; value: DraftPhotoRecord; indexes: { 'by-account': string } };
}

const DB_NAME = 'grid-command-field';

let opened: Promise<IDBPDatabase<FieldDb>> | null = null;

/** Opens the field database once per page (creating it on first use). */
export function fieldDatabase(): Promise<IDBPDatabase<FieldDb>> {
  opened ??= openDB<FieldDb>(DB_NAME, 1, {
    upgrade(db) {
      const outbox = db.createObjectStore('outbox', { keyPath: 'clientId' });
      outbox.createIndex('by-created', 'createdAt');
      db.createObjectStore('drafts', { keyPath: 'account' });
      db.createObjectStore('draftPhotos', { keyPath: 'id' }).createIndex('by-account', 'account');
    },
  });
  return opened;
}
