import { sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.ts';
import type { TimeLimit } from './default-time-limits.ts';

export interface TimeLimitRow extends TimeLimit {
  updatedAt: string;
  updatedBy: string | null;
}

/** The `time_limits` table: read by every case command (through `stageDueAt`), edited by admins. */
export function timeLimitsRepository(db: Queryable) {
  return {
    list(): Promise<TimeLimitRow[]> {
      return db.rows<TimeLimitRow>(sql`
        SELECT type, urgency, stage, amount, unit,
          to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "updatedAt", updated_by AS "updatedBy"
        FROM time_limits ORDER BY stage, type, urgency`);
    },

    /** The row for the case's own type, else the `*` row; undefined when neither exists. */
    async lookup(type: string, urgencyKey: string, stage: string): Promise<Pick<TimeLimit, 'amount' | 'unit'> | undefined> {
      const [row] = await db.rows<Pick<TimeLimit, 'amount' | 'unit'>>(sql`
        SELECT amount, unit FROM time_limits
        WHERE stage = ${stage} AND urgency = ${urgencyKey} AND type IN (${type}, '*')
        ORDER BY (type = '*') LIMIT 1`);
      return row;
    },

    async isEmpty(): Promise<boolean> {
      const [row] = await db.rows<{ empty: boolean }>(sql`SELECT NOT EXISTS (SELECT 1 FROM time_limits) AS empty`);
      return row?.empty ?? true;
    },

    async upsert(limit: TimeLimit, updatedBy: string | null): Promise<void> {
      await db.rows(sql`
        INSERT INTO time_limits (type, urgency, stage, amount, unit, updated_at, updated_by)
        VALUES (${limit.type}, ${limit.urgency}, ${limit.stage}, ${limit.amount}, ${limit.unit}, now(), ${updatedBy})
        ON CONFLICT (type, urgency, stage) DO UPDATE
          SET amount = EXCLUDED.amount, unit = EXCLUDED.unit, updated_at = now(), updated_by = EXCLUDED.updated_by`);
    },

    /** Writes the rows that are missing; never overwrites an edited one. */
    async insertMissing(limits: readonly TimeLimit[]): Promise<void> {
      if (limits.length === 0) return;
      await db.rows(sql`
        INSERT INTO time_limits (type, urgency, stage, amount, unit)
        SELECT type, urgency, stage, amount, unit
        FROM jsonb_to_recordset(${JSON.stringify(limits)}::jsonb) AS r(type text, urgency text, stage text, amount int, unit text)
        ON CONFLICT (type, urgency, stage) DO NOTHING`);
    },
  };
}
