import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { yieldToRequestsInBackground } from '../db/yield-to-requests.ts';

const DAY_MS = 86_400_000;

/**
 * Events deleted per transaction: each batch is short, so no appender or reader waits long for
 * it, and a county-wide task's 8,270 events go in two.
 */
const LIVE_RETENTION_BATCH = 5_000;

export interface LiveRetentionOptions {
  /** Events older than this many days are removed (LIVE_RETENTION_DAYS). */
  retentionDays: number;
  batchSize?: number;
  now?: () => Date;
}

/**
 * The live log's retention: the events older than the retention period are deleted, oldest first,
 * in batches of their own transactions (the log's guard lets a delete through only in one that
 * names itself this sweep: migrations/0022). The newest event is always kept, whatever its age,
 * so the log's oldest id tells a reconnecting browser whether events after its Last-Event-ID
 * were removed (api/live/service.ts), and a restarted hub knows where the ids stand.
 */
export function liveRetention(owner: Database, options: LiveRetentionOptions) {
  const batchSize = options.batchSize ?? LIVE_RETENTION_BATCH;
  const now = options.now ?? (() => new Date());
  return {
    async apply(): Promise<{ cutoff: string; deleted: number }> {
      const cutoff = new Date(now().getTime() - options.retentionDays * DAY_MS).toISOString();
      let deleted = 0;
      for (;;) {
        const removed = await owner.transaction(async (tx) => {
          await tx.rows(sql`SELECT set_config('gcc.retention', 'live_events', true)`);
          const [row] = await tx.rows<{ removed: number }>(sql`
            WITH gone AS (
              DELETE FROM live_events WHERE id IN (
                SELECT id FROM live_events
                WHERE at < ${cutoff}::timestamptz AND id < (SELECT max(id) FROM live_events)
                ORDER BY at LIMIT ${batchSize})
              RETURNING 1)
            SELECT count(*)::int AS removed FROM gone`);
          return row?.removed ?? 0;
        });
        deleted += removed;
        if (removed < batchSize) return { cutoff, deleted };
        await yieldToRequestsInBackground();
      }
    },
  };
}
