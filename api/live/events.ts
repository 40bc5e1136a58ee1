import { sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.ts';

/** What happened; the web client switches on it. */
export type LiveEventType =
  | 'report.created'
  | 'case.changed'
  | 'case.escalated'
  | 'case.merged'
  | 'alert.sent'
  | 'alert.acknowledged'
  | 'drill.changed';

/**
 * A case as every live consumer sees it: enough to draw it on the map and in a list and to
 * decide whether to flash. Events about a case carry this shape in `payload.case`.
 */
export interface LiveCase {
  id: string;
  caseNumber: string;
  type: string;
  urgency: 'normal' | 'urgent';
  state: string;
  /** [lng, lat], WGS84. */
  position: [number, number];
  cellCode: string;
  townshipCode: string;
  reportedAt: string;
  dueAt: string | null;
  takenAt: string | null;
  source: string;
  description: string;
}

export interface NewLiveEvent {
  type: LiveEventType;
  /** The cell (or area) the event concerns: it reaches accounts whose scope is a prefix of it. */
  scopeCode: string;
  payload: Record<string, unknown>;
}

/**
 * Advisory lock key held (shared) by every transaction that appends to the live log, from before
 * it takes an id until it ends. Ids are taken in one order and committed in another, so a reader
 * can see id 11 while 10 is still in flight; when the hub (hub.ts) can take this key exclusively,
 * no appender is in flight, and an id still missing is one that rolled back. (The transaction
 * id taken at the same moment gives the hub a second proof, from snapshots: repository.ts.)
 */
export const LIVE_APPEND_LOCK = 1_734_569_078;

/**
 * Appends an event to the live log in the caller's transaction, as the owner (the log is not
 * writable by the scoped role): if the command rolls back, nobody hears of it. A trigger
 * (migrations/0005) notifies every API process listening on `gcc_live` at commit.
 */
export async function appendLiveEvent(tx: Queryable, event: NewLiveEvent): Promise<number> {
  await tx.rows(sql`SELECT pg_current_xact_id(), pg_advisory_xact_lock_shared(${LIVE_APPEND_LOCK}::bigint)`);
  const [row] = await tx.rows<{ id: string | number }>(sql`
    INSERT INTO live_events (type, scope_code, payload)
    VALUES (${event.type}, ${event.scopeCode}, ${JSON.stringify(event.payload)}::jsonb)
    RETURNING id`);
  return Number(row!.id);
}
