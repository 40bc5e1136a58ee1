import { sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.ts';

export interface AccountListRow {
  id: string;
  username: string;
  displayName: string;
  role: string;
  scopeCode: string;
  scopeName: string | null;
  departmentCode: string | null;
  departmentName: string | null;
  demo: boolean;
  disabled: boolean;
  createdAt: string;
  lastSeenAt: string | null;
}

const listColumns = sql`a.id, a.username, a.display_name AS "displayName", a.role, a.scope_code AS "scopeCode",
  (SELECT name FROM areas WHERE code = a.scope_code) AS "scopeName", a.department_code AS "departmentCode",
  (SELECT name FROM departments WHERE code = a.department_code) AS "departmentName", a.demo, a.disabled_at IS NOT NULL AS disabled,
  to_char(a.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "createdAt",
  (SELECT to_char(max(s.last_seen_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') FROM sessions s WHERE s.account_id = a.id) AS "lastSeenAt"`;

/**
 * Accounts as an administrator sees them. Reads and writes go through a scoped handle or a
 * transaction inside `enterScope`, so row-level security limits both to the admin's scope.
 */
export function accountsRepository(db: Queryable) {
  return {
    list(filter: { text?: string | undefined; role?: string | undefined; includeDisabled: boolean }): Promise<AccountListRow[]> {
      const text = filter.text ? `%${filter.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
      return db.rows<AccountListRow>(sql`
        SELECT ${listColumns} FROM accounts a
        WHERE (${text}::text IS NULL OR a.username LIKE lower(${text}) OR a.display_name LIKE ${text})
          AND (${filter.role ?? null}::text IS NULL OR a.role = ${filter.role ?? null})
          AND (${filter.includeDisabled} OR a.disabled_at IS NULL)
        ORDER BY a.scope_code, a.username`);
    },

    async find(id: string): Promise<AccountListRow | undefined> {
      const [row] = await db.rows<AccountListRow>(sql`SELECT ${listColumns} FROM accounts a WHERE a.id = ${id}`);
      return row;
    },

    async usernameTaken(username: string): Promise<boolean> {
      const [row] = await db.rows<{ taken: boolean }>(
        sql`SELECT EXISTS (SELECT 1 FROM accounts WHERE username = ${username}) AS taken`,
      );
      return row?.taken ?? false;
    },

    async insert(account: {
      id: string;
      username: string;
      displayName: string;
      role: string;
      scopeCode: string;
      departmentCode: string | null;
      passwordHash: string;
      demo: boolean;
    }) {
      await db.rows(sql`
        INSERT INTO accounts (id, username, display_name, role, scope_code, department_code, password_hash, demo)
        VALUES (${account.id}, ${account.username}, ${account.displayName}, ${account.role}, ${account.scopeCode},
                ${account.departmentCode}, ${account.passwordHash}, ${account.demo})`);
    },

    /** Updates the given fields; returns false when the account is not visible in this scope. */
    async update(
      id: string,
      changes: {
        displayName?: string;
        role?: string;
        scopeCode?: string;
        /** null clears it; undefined leaves it. */
        departmentCode?: string | null;
        disabled?: boolean;
        passwordHash?: string;
      },
    ): Promise<boolean> {
      const rows = await db.rows(sql`
        UPDATE accounts SET
          display_name = COALESCE(${changes.displayName ?? null}, display_name),
          role = COALESCE(${changes.role ?? null}, role),
          scope_code = COALESCE(${changes.scopeCode ?? null}, scope_code),
          department_code = CASE WHEN ${changes.departmentCode !== undefined} THEN ${changes.departmentCode ?? null} ELSE department_code END,
          disabled_at = CASE WHEN ${changes.disabled ?? null}::boolean IS NULL THEN disabled_at
                             WHEN ${changes.disabled ?? null}::boolean THEN COALESCE(disabled_at, now()) ELSE NULL END,
          password_hash = COALESCE(${changes.passwordHash ?? null}, password_hash),
          password_changed_at = CASE WHEN ${changes.passwordHash ?? null}::text IS NULL THEN password_changed_at ELSE now() END,
          updated_at = now()
        WHERE id = ${id} RETURNING id`);
      return rows.length > 0;
    },

    async departmentExists(code: string): Promise<boolean> {
      const [row] = await db.rows<{ found: boolean }>(
        sql`SELECT EXISTS (SELECT 1 FROM departments WHERE code = ${code}) AS found`,
      );
      return row?.found ?? false;
    },

    async areaExists(code: string): Promise<boolean> {
      const [row] = await db.rows<{ found: boolean }>(sql`SELECT EXISTS (SELECT 1 FROM areas WHERE code = ${code}) AS found`);
      return row?.found ?? false;
    },
  };
}
