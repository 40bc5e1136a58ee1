import { type SQL, sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.ts';

export interface AuditFilter {
  action?: string | undefined;
  actor?: string | undefined;
  outcome?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

export interface AuditRow {
  id: number;
  at: string;
  actorUsername: string | null;
  actorRole: string | null;
  action: string;
  outcome: string;
  targetType: string | null;
  targetId: string | null;
  scopeCode: string;
  ip: string | null;
  userAgent: string | null;
  details: unknown;
}

function whereOf(filter: AuditFilter): SQL {
  const conditions: SQL[] = [sql`true`];
  if (filter.action) conditions.push(sql`action LIKE ${`${filter.action.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`);
  if (filter.actor) conditions.push(sql`actor_username = ${filter.actor.toLowerCase()}`);
  if (filter.outcome) conditions.push(sql`outcome = ${filter.outcome}`);
  if (filter.from) conditions.push(sql`at >= ${filter.from.toISOString()}::timestamptz`);
  if (filter.to) conditions.push(sql`at < ${filter.to.toISOString()}::timestamptz`);
  return sql.join(conditions, sql` AND `);
}

const columns = sql`id::int AS id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, actor_username AS "actorUsername",
  actor_role AS "actorRole", action, outcome, target_type AS "targetType", target_id AS "targetId", scope_code AS "scopeCode",
  ip, user_agent AS "userAgent", details`;

/** Reads of the audit log; run through the scoped handle, so each reader sees the entries of their scope. */
export function auditRepository(db: Queryable) {
  return {
    list(filter: AuditFilter, limit: number, offset: number): Promise<AuditRow[]> {
      return db.rows<AuditRow>(
        sql`SELECT ${columns} FROM audit_log WHERE ${whereOf(filter)} ORDER BY at DESC, id DESC LIMIT ${limit} OFFSET ${offset}`,
      );
    },
    async count(filter: AuditFilter): Promise<number> {
      const [row] = await db.rows<{ count: number }>(sql`SELECT count(*)::int AS count FROM audit_log WHERE ${whereOf(filter)}`);
      return row?.count ?? 0;
    },
  };
}
