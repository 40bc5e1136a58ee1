import type { Principal } from '../app-env.ts';
import { authRepository } from '../auth/repository.ts';
import type { Database, Queryable } from '../db/client.ts';
import type { AuditEntry, AuditFilter } from './contracts.ts';
import { type AuditRow, auditRepository } from './repository.ts';

/** The most rows one export holds; a narrower filter gets the rest. */
const EXPORT_LIMIT = 50_000;

export interface AuditContext {
  principal: Principal;
  ip: string | null;
  userAgent: string | null;
}

/** Records that `principal` read or exported personal data; entries are filed under the area they concern. */
export function recordRead(
  db: Queryable,
  context: AuditContext,
  entry: { action: string; targetType: string; targetId: string; scopeCode: string; details?: unknown },
) {
  return authRepository(db).insertAudit({
    actorId: context.principal.accountId,
    actorUsername: context.principal.username,
    actorRole: context.principal.role,
    outcome: 'ok',
    ip: context.ip,
    userAgent: context.userAgent,
    ...entry,
  });
}

function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  // A leading = + - @ would be a formula in a spreadsheet: quote it as text.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** An entry as it leaves the server: the time as ISO 8601 in UTC, to the millisecond. */
function entryOf(row: AuditRow): AuditEntry {
  return { ...row, at: row.at.toISOString() };
}

const CSV_COLUMNS: (keyof AuditRow)[] = [
  'at',
  'actorUsername',
  'actorRole',
  'action',
  'outcome',
  'targetType',
  'targetId',
  'scopeCode',
  'ip',
  'userAgent',
  'details',
];

export function auditService(owner: Database) {
  return {
    async list(scoped: Queryable, filter: AuditFilter, page: number, pageSize: number) {
      const repository = auditRepository(scoped);
      const [rows, total] = await Promise.all([
        repository.list(filter, pageSize, (page - 1) * pageSize),
        repository.count(filter),
      ]);
      return { entries: rows.map(entryOf), total, page, pageSize };
    },

    /** The filtered log as CSV (UTF-8 with BOM, so spreadsheet programs read the Chinese), and an audit entry for the export itself. */
    async exportCsv(scoped: Queryable, filter: AuditFilter, context: AuditContext): Promise<{ csv: string; rows: number }> {
      const entries = (await auditRepository(scoped).list(filter, EXPORT_LIMIT, 0)).map(entryOf);
      const lines = [
        CSV_COLUMNS.join(','),
        ...entries.map((entry) => CSV_COLUMNS.map((column) => csvCell(entry[column])).join(',')),
      ];
      await recordRead(owner, context, {
        action: 'audit.export',
        targetType: 'audit_log',
        targetId: 'export',
        scopeCode: context.principal.scopeCode,
        details: { rows: entries.length, filter },
      });
      return { csv: `\uFEFF${lines.join('\r\n')}\r\n`, rows: entries.length };
    },
  };
}

export type AuditService = ReturnType<typeof auditService>;
