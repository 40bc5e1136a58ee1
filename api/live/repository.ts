import { sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.ts';
import type { liveEvents } from '../db/schema.ts';
import { LIVE_APPEND_LOCK } from './events.ts';

type LiveEvent = typeof liveEvents.$inferSelect;

/** One row of the live log as the hub and the replay read it. */
export type LiveEventRow = Pick<LiveEvent, 'id' | 'at' | 'type' | 'scopeCode'> & {
  /** The payload as JSON text, straight from jsonb: it goes into the SSE frame without a parse. */
  payloadJson: string;
  /** For an event about a case, the departments whose cadres may hear of it; null for an event about no case. */
  departmentCodes: Readonly<NonNullable<LiveEvent['departmentCodes']>> | null;
};

/** A row as the two drivers give it (bigint as text or number, time as Date or text), before toRow. */
type RawRow = Pick<LiveEventRow, 'type' | 'scopeCode' | 'payloadJson'> & {
  id: string | number | null;
  at: Date | string;
  departmentCodes: string | null;
};

const toRow = (raw: RawRow): LiveEventRow => ({
  id: Number(raw.id),
  at: raw.at instanceof Date ? raw.at : new Date(raw.at),
  type: raw.type,
  scopeCode: raw.scopeCode,
  payloadJson: raw.payloadJson,
  departmentCodes: raw.departmentCodes === null ? null : raw.departmentCodes.split(',').filter(Boolean),
});

/** Department codes travel as one comma-separated text (D01,D02), which both drivers read alike. */
const columns = sql`id, at, type, scope_code AS "scopeCode", payload::text AS "payloadJson",
  array_to_string(department_codes, ',') AS "departmentCodes"`;

/**
 * The transaction ids of the snapshot a statement read in: every transaction below `xmin` had
 * ended; `xmax` is one past the highest that had ended. A transaction still running may hold an
 * id at or above `xmax`: see appendersXidBound.
 */
export interface Snapshot {
  xmin: bigint;
  xmax: bigint;
}

interface RawSnapshot {
  xmin: string;
  xmax: string;
}

const toSnapshot = (raw: RawSnapshot): Snapshot => ({ xmin: BigInt(raw.xmin), xmax: BigInt(raw.xmax) });

/** One statement reads the rows and its own snapshot (pg_current_snapshot() is the statement's). */
const snapshotSource = sql`(SELECT pg_current_snapshot() AS snapshot) AS s`;
const snapshotColumns = sql`pg_snapshot_xmin(s.snapshot)::text AS xmin, pg_snapshot_xmax(s.snapshot)::text AS xmax`;

/** A bigint[] literal of ids (integers only, so nothing to escape). */
const idArray = (ids: readonly number[]) => `{${ids.map((id) => Math.trunc(id)).join(',')}}`;

/**
 * The live log. The hub reads it as the owner (it serves every scope, then filters per
 * browser); a replay reads it through the browser's scoped handle, so row-level security cuts it.
 */
export function liveRepository(db: Pick<Queryable, 'rows'>) {
  return {
    /**
     * The ids of the newest `lookback` rows, with the snapshot they were read in: at start, the
     * hub watches the missing ones among them, in case their transactions are still in flight.
     */
    async recentIds(lookback: number): Promise<{ ids: number[]; snapshot: Snapshot }> {
      const rows = await db.rows<{ id: string | number | null } & RawSnapshot>(sql`
        SELECT ${snapshotColumns}, e.id FROM ${snapshotSource}
        LEFT JOIN LATERAL (
          SELECT id FROM live_events WHERE id > (SELECT coalesce(max(id), 0) - ${lookback} FROM live_events)
        ) e ON true`);
      return { ids: rows.flatMap((row) => (row.id === null ? [] : [Number(row.id)])), snapshot: toSnapshot(rows[0]!) };
    },

    /**
     * Rows after `after` in id order (at most `limit`), plus any of `watched` (ids at or below
     * `after` that were missing when last read) that have appeared since; with the snapshot
     * they were read in.
     */
    async after(after: number, watched: readonly number[], limit: number): Promise<{ rows: LiveEventRow[]; snapshot: Snapshot }> {
      const fresh = sql`SELECT ${columns} FROM live_events WHERE id > ${after} ORDER BY id LIMIT ${limit}`;
      const events =
        watched.length === 0
          ? fresh
          : sql`(${fresh}) UNION ALL (SELECT ${columns} FROM live_events
               WHERE id = ANY(${idArray(watched)}::bigint[]) AND id <= ${after})`;
      const raw = await db.rows<RawRow & RawSnapshot>(sql`
        SELECT ${snapshotColumns}, e.* FROM ${snapshotSource} LEFT JOIN LATERAL (${events}) e ON true`);
      const rows = raw.flatMap((row) => (row.id === null ? [] : [toRow(row)])).sort((a, b) => a.id - b.id);
      return { rows, snapshot: toSnapshot(raw[0]!) };
    },

    /**
     * A transaction id above that of every appender in flight (every holder of LIVE_APPEND_LOCK),
     * and at least `snapshot.xmax`. An event id seen missing in a read belongs to an appender
     * that held the lock at that read, or to one that has ended; called after the read, this is
     * above its transaction id, so once a later read's `xmin` reaches it that transaction has
     * ended and the read would have seen its row. The read's own `xmax` is not enough: it is one
     * past the highest transaction that had *ended*, and a command that wrote before appending
     * took its transaction id earlier than others that took their event ids first.
     */
    async appendersXidBound(snapshot: Snapshot): Promise<bigint> {
      // pg_locks gives 32-bit transaction ids; each is placed in the epoch nearest the current
      // snapshot's xmax (a running transaction is far less than 2^31 ids away from it).
      const [row] = await db.rows<{ bound: string | null }>(sql`
        SELECT max(r.xmax + (x.transactionid::text::bigint - r.xmax % 4294967296 + 6442450944) % 4294967296 - 2147483648 + 1)::text AS bound
        FROM (SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS xmax) r,
             pg_locks a JOIN pg_locks x ON x.virtualtransaction = a.virtualtransaction
        WHERE a.locktype = 'advisory' AND a.granted AND a.classid = 0 AND a.objid = ${LIVE_APPEND_LOCK}::bigint::oid
          AND a.objsubid = 1 AND x.locktype = 'transactionid' AND x.mode = 'ExclusiveLock' AND x.granted`);
      const bound = row?.bound ? BigInt(row.bound) : 0n;
      return bound > snapshot.xmax ? bound : snapshot.xmax;
    },

    /**
     * True when no transaction is between appending an event and ending (see LIVE_APPEND_LOCK).
     * Its own statement, before the read it vouches for: a transaction that ends after this has
     * committed in time for that read's snapshot.
     */
    async noAppenderInFlight(): Promise<boolean> {
      const [row] = await db.rows<{ quiet: boolean }>(
        sql`SELECT pg_try_advisory_xact_lock(${LIVE_APPEND_LOCK}::bigint) AS quiet`,
      );
      return row?.quiet === true;
    },

    /**
     * The oldest id in the whole log (the owner's read), or null when it is empty: retention
     * (retention.ts) removed every event below it.
     */
    async oldestId(): Promise<number | null> {
      const [row] = await db.rows<{ id: string | number | null }>(sql`SELECT min(id) AS id FROM live_events`);
      return row?.id == null ? null : Number(row.id);
    },

    /**
     * What a browser missed: rows after `after` up to `upTo`, newer than `maxAgeHours`, at most
     * `limit` of the newest, oldest first. `complete` is false when rows were left out for age or
     * number, so the browser knows to reload its lists instead of trusting the replay.
     */
    async missed(
      after: number,
      upTo: number,
      limits: { maxAgeHours: number; limit: number },
    ): Promise<{ rows: LiveEventRow[]; complete: boolean }> {
      if (upTo <= after) return { rows: [], complete: true };
      const newest = await db.rows<RawRow>(sql`
        SELECT ${columns} FROM live_events
        WHERE id > ${after} AND id <= ${upTo} AND at > now() - make_interval(hours => ${limits.maxAgeHours}::int)
        ORDER BY id DESC LIMIT ${limits.limit + 1}`);
      const rows = newest.slice(0, limits.limit).map(toRow).reverse();
      if (newest.length > limits.limit) return { rows, complete: false };
      const [older] = await db.rows<{ found: boolean }>(sql`
        SELECT EXISTS (
          SELECT 1 FROM live_events
          WHERE id > ${after} AND id <= ${upTo} AND at <= now() - make_interval(hours => ${limits.maxAgeHours}::int)
        ) AS found`);
      return { rows, complete: older?.found !== true };
    },
  };
}
