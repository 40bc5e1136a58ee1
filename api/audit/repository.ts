import { and, count, desc, eq, gte, like, lt, type SQL } from 'drizzle-orm';
import type { Queryable } from '../db/client.ts';
import { auditLog } from '../db/schema.ts';
import type { AuditFilter } from './contracts.ts';

/** What a reader of the log sees of an entry: every column but the actor's account id. */
const ENTRY = {
  id: auditLog.id,
  at: auditLog.at,
  actorUsername: auditLog.actorUsername,
  actorRole: auditLog.actorRole,
  action: auditLog.action,
  outcome: auditLog.outcome,
  targetType: auditLog.targetType,
  targetId: auditLog.targetId,
  scopeCode: auditLog.scopeCode,
  ip: auditLog.ip,
  userAgent: auditLog.userAgent,
  details: auditLog.details,
};

function whereOf(filter: AuditFilter): SQL | undefined {
  return and(
    filter.action ? like(auditLog.action, `${filter.action.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) : undefined,
    filter.actor ? eq(auditLog.actorUsername, filter.actor.toLowerCase()) : undefined,
    filter.outcome ? eq(auditLog.outcome, filter.outcome) : undefined,
    filter.from ? gte(auditLog.at, filter.from) : undefined,
    filter.to ? lt(auditLog.at, filter.to) : undefined,
  );
}

/** Reads of the audit log; run through the scoped handle, so each reader sees the entries of their scope. */
export function auditRepository(db: Queryable) {
  return {
    list(filter: AuditFilter, limit: number, offset: number) {
      return db.read((orm) =>
        orm
          .select(ENTRY)
          .from(auditLog)
          .where(whereOf(filter))
          .orderBy(desc(auditLog.at), desc(auditLog.id))
          .limit(limit)
          .offset(offset),
      );
    },
    async count(filter: AuditFilter): Promise<number> {
      const [row] = await db.read((orm) => orm.select({ total: count() }).from(auditLog).where(whereOf(filter)));
      return row?.total ?? 0;
    },
  };
}

/** An entry as the log's table holds it (types from api/db/schema.ts). */
export type AuditRow = Awaited<ReturnType<ReturnType<typeof auditRepository>['list']>>[number];
