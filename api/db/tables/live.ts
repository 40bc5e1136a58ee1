import { sql } from 'drizzle-orm';
import { bigserial, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The live event log: append-only, until the retention sweep removes events older than
 * LIVE_RETENTION_DAYS (migrations/0022, api/live/retention.ts). Each row is one thing that happened (a report, a state
 * change, an escalation, an alert); its id is the SSE event id, so a client that reconnects
 * with Last-Event-ID gets every row after it. `scope_code` is the cell the event concerns:
 * a browser receives it only when its account's scope is a prefix of it.
 */
export const liveEvents = pgTable(
  'live_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    /** report.created, case.changed, case.escalated, alert.sent, alert.acknowledged, session.revoked, ... */
    type: text('type').notNull(),
    scopeCode: text('scope_code').notNull(),
    payload: jsonb('payload').notNull(),
    departmentCodes: text('department_codes').array(), // the departments that saw its case (0009); null: no case
  },
  (table) => [
    index('live_events_scope_idx').using('btree', sql`${table.scopeCode} text_pattern_ops`),
    // Retention (api/live/retention.ts) finds the events past their time by it.
    index('live_events_at_idx').on(table.at),
  ],
);
