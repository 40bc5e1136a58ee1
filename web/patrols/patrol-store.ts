import type { DBSchema, IDBPDatabase } from 'idb';
import { openDB } from 'idb';

/** The patrol a phone is recording (or has recorded and not yet fully sent), one per account. */
export interface StoredPatrol {
  account: string;
  /** Generated when the worker tapped 开始巡查: the server's start is idempotent on it. */
  clientId: string;
  /** The server's id, once the start reached it. */
  serverId: string | null;
  startedAt: number;
  /** When the worker tapped 结束巡查 (epoch ms); null while recording. */
  endedAt: number | null;
  /** True once the server has the end. */
  endSent: boolean;
  /** The page was alive and recording at this time (epoch ms): after a reload the gap starts here. */
  aliveAt: number;
  /** Metres along the phone's own accurate fixes, shown until the server's figure comes back. */
  localDistanceM: number;
  /** The server's figures after the last batch. */
  server: { distanceM: number; cellsWalked: number } | null;
  /** Client ids of reports made during the patrol (outbox items), and which of them are linked on the server. */
  reportClientIds: string[];
  linkedReportIds: string[];
}

/** One fix as measured, waiting to be sent (or sent, until the patrol is over). */
export interface StoredFix {
  clientFixId: string;
  patrolClientId: string;
  fixedAt: number;
  lng: number;
  lat: number;
  accuracyM: number;
  speedMps: number | null;
  sent: 0 | 1;
}

export interface StoredGap {
  clientGapId: string;
  patrolClientId: string;
  startedAt: number;
  endedAt: number;
  cause: string;
  sent: 0 | 1;
}

interface PatrolDb extends DBSchema {
  patrols: { key: string; value: StoredPatrol };
  fixes: { key: string; value: StoredFix; indexes: { 'by-patrol-sent': [string, number] } };
  gaps: { key: string; value: StoredGap; indexes: { 'by-patrol-sent': [string, number] } };
}

let opened: Promise<IDBPDatabase<PatrolDb>> | null = null;

/**
 * The patrol store on the phone, apart from the field page's outbox database (web/field/field-db.ts)
 * so that neither one's upgrades wait for the other: fixes survive a reload, a killed tab and a dead
 * spell, and leave only once the server has them and the patrol is over.
 */
function patrolDatabase(): Promise<IDBPDatabase<PatrolDb>> {
  opened ??= openDB<PatrolDb>('grid-command-patrols', 1, {
    upgrade(db) {
      db.createObjectStore('patrols', { keyPath: 'account' });
      db.createObjectStore('fixes', { keyPath: 'clientFixId' }).createIndex('by-patrol-sent', ['patrolClientId', 'sent']);
      db.createObjectStore('gaps', { keyPath: 'clientGapId' }).createIndex('by-patrol-sent', ['patrolClientId', 'sent']);
    },
  });
  return opened;
}

export const patrolStore = {
  async current(account: string): Promise<StoredPatrol | undefined> {
    return (await patrolDatabase()).get('patrols', account);
  },
  async save(patrol: StoredPatrol): Promise<void> {
    await (await patrolDatabase()).put('patrols', patrol);
  },
  async addFix(fix: StoredFix, patrol: StoredPatrol): Promise<void> {
    const tx = (await patrolDatabase()).transaction(['fixes', 'patrols'], 'readwrite');
    await Promise.all([tx.objectStore('fixes').put(fix), tx.objectStore('patrols').put(patrol), tx.done]);
  },
  async addGap(gap: StoredGap): Promise<void> {
    await (await patrolDatabase()).put('gaps', gap);
  },
  async unsent(patrolClientId: string, limit: number): Promise<{ fixes: StoredFix[]; gaps: StoredGap[] }> {
    const db = await patrolDatabase();
    const range = IDBKeyRange.only([patrolClientId, 0]);
    const [fixes, gaps] = await Promise.all([
      db.getAllFromIndex('fixes', 'by-patrol-sent', range, limit),
      db.getAllFromIndex('gaps', 'by-patrol-sent', range),
    ]);
    return { fixes: fixes.sort((a, b) => a.fixedAt - b.fixedAt), gaps };
  },
  async countUnsent(patrolClientId: string): Promise<number> {
    return (await patrolDatabase()).countFromIndex('fixes', 'by-patrol-sent', IDBKeyRange.only([patrolClientId, 0]));
  },
  async markSent(fixIds: readonly string[], gapIds: readonly string[]): Promise<void> {
    const tx = (await patrolDatabase()).transaction(['fixes', 'gaps'], 'readwrite');
    for (const id of fixIds) {
      const fix = await tx.objectStore('fixes').get(id);
      if (fix) await tx.objectStore('fixes').put({ ...fix, sent: 1 });
    }
    for (const id of gapIds) {
      const gap = await tx.objectStore('gaps').get(id);
      if (gap) await tx.objectStore('gaps').put({ ...gap, sent: 1 });
    }
    await tx.done;
  },
  /** Forgets a patrol the server has in full: its fixes, gaps and record. */
  async forget(patrol: StoredPatrol): Promise<void> {
    const db = await patrolDatabase();
    const tx = db.transaction(['patrols', 'fixes', 'gaps'], 'readwrite');
    for (const store of ['fixes', 'gaps'] as const) {
      const index = tx.objectStore(store).index('by-patrol-sent');
      for (const sent of [0, 1]) {
        for (const key of await index.getAllKeys(IDBKeyRange.only([patrol.clientId, sent])))
          await tx.objectStore(store).delete(key);
      }
    }
    await tx.objectStore('patrols').delete(patrol.account);
    await tx.done;
  },
};
