import { sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.ts';
import type { WithIsoTimes } from '../db/iso-time.ts';
import type { timeLimits } from '../db/schema.ts';
import type { TimeLimit } from './default-time-limits.ts';

/** A row of `time_limits`: the limit in the domain's words, and who last set it when (ISO text). */
export type TimeLimitRow = TimeLimit & WithIsoTimes<Pick<typeof timeLimits.$inferSelect, 'updatedAt' | 'updatedBy'>>;

/** The `time_limits` table: read by every case command (through `stageDueAt`), edited by admins. */
export function timeLimitsRepository(db: Queryable) {
  return {
    list(): Promise<TimeLimitRow[]> {
      return db.rows<TimeLimitRow>(sql`
        SELECT type, urgency, stage, amount, unit, clock,
          to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "updatedAt", updated_by AS "updatedBy"
        FROM time_limits ORDER BY stage, type, urgency`);
    },

    /** The row for the case's own type, else the `*` row; undefined when neither exists. */
    async lookup(
      type: string,
      urgencyKey: string,
      stage: string,
    ): Promise<Pick<TimeLimit, 'amount' | 'unit' | 'clock'> | undefined> {
      const [row] = await db.rows<Pick<TimeLimit, 'amount' | 'unit' | 'clock'>>(sql`
        SELECT amount, unit, clock FROM time_limits
        WHERE stage = ${stage} AND urgency = ${urgencyKey} AND type IN (${type}, '*')
        ORDER BY (type = '*') LIMIT 1`);
      return row;
    },

    async upsert(limit: TimeLimit, updatedBy: string | null): Promise<void> {
      await db.rows(sql`
        INSERT INTO time_limits (type, urgency, stage, amount, unit, clock, updated_at, updated_by)
        VALUES (${limit.type}, ${limit.urgency}, ${limit.stage}, ${limit.amount}, ${limit.unit}, ${limit.clock}, now(), ${updatedBy})
        ON CONFLICT (type, urgency, stage) DO UPDATE
          SET amount = EXCLUDED.amount, unit = EXCLUDED.unit, clock = EXCLUDED.clock, updated_at = now(),
            updated_by = EXCLUDED.updated_by`);
    },

    /** Writes the rows that are missing; never overwrites an existing one, edited or not. */
    async insertMissing(limits: readonly TimeLimit[]): Promise<void> {
      if (limits.length === 0) return;
      await db.rows(sql`
        INSERT INTO time_limits (type, urgency, stage, amount, unit, clock)
        SELECT type, urgency, stage, amount, unit, clock
        FROM jsonb_to_recordset(${JSON.stringify(limits)}::jsonb)
          AS r(type text, urgency text, stage text, amount int, unit text, clock text)
        ON CONFLICT (type, urgency, stage) DO NOTHING`);
    },
  };
}
