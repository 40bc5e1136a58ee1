import { sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.ts';
import type { accounts, auditLog, sessions } from '../db/schema.ts';
import { SESSIONS_CHANNEL } from './session-cache.ts';

type Account = typeof accounts.$inferSelect;

/** What signing in reads of an account. */
export type AccountRow = Pick<
  Account,
  'id' | 'username' | 'displayName' | 'role' | 'scopeCode' | 'departmentCode' | 'passwordHash' | 'demo' | 'disabledAt'
>;

/** A session with the account it signs in, as every request checks it. */
export type SessionRow = Omit<AccountRow, 'id' | 'passwordHash'> &
  Pick<
    typeof sessions.$inferSelect,
    'tokenHash' | 'accountId' | 'csrfToken' | 'expiresAt' | 'lastSeenAt' | 'revokedAt' | 'createdAt'
  > &
  Pick<Account, 'passwordChangedAt'>;

type AuditInsert = typeof auditLog.$inferInsert;

/** An entry to append to `audit_log`: who and from where always said (null when unknown); `at` and `id` are the database's. */
export type AuditEntry = Required<Pick<AuditInsert, 'actorId' | 'actorUsername' | 'actorRole' | 'ip' | 'userAgent'>> &
  Pick<AuditInsert, 'action' | 'scopeCode' | 'targetType' | 'targetId' | 'details'> & { outcome: 'ok' | 'denied' | 'failed' };

const accountColumns = sql`a.id, a.username, a.display_name AS "displayName", a.role, a.scope_code AS "scopeCode",
  a.department_code AS "departmentCode", a.password_hash AS "passwordHash", a.demo, a.disabled_at AS "disabledAt"`;

/** Sign-in bookkeeping, run as the owner: it has to find accounts before anyone's scope is known. */
export function authRepository(db: Queryable) {
  return {
    async findAccountByUsername(username: string): Promise<AccountRow | undefined> {
      const [row] = await db.rows<AccountRow>(sql`SELECT ${accountColumns} FROM accounts a WHERE a.username = ${username}`);
      return row;
    },

    async insertSession(session: {
      tokenHash: string;
      accountId: string;
      csrfToken: string;
      expiresAt: Date;
      ip: string | null;
      userAgent: string | null;
    }) {
      await db.rows(sql`
        INSERT INTO sessions (token_hash, account_id, csrf_token, expires_at, ip, user_agent)
        VALUES (${session.tokenHash}, ${session.accountId}, ${session.csrfToken}, ${session.expiresAt.toISOString()}::timestamptz, ${session.ip}, ${session.userAgent})`);
    },

    async findSession(tokenHash: string): Promise<SessionRow | undefined> {
      const [row] = await db.rows<SessionRow>(sql`
        SELECT s.token_hash AS "tokenHash", s.account_id AS "accountId", s.csrf_token AS "csrfToken", s.expires_at AS "expiresAt",
               s.last_seen_at AS "lastSeenAt", s.revoked_at AS "revokedAt", s.created_at AS "createdAt",
               a.username, a.display_name AS "displayName", a.role, a.scope_code AS "scopeCode",
               a.department_code AS "departmentCode", a.demo,
               a.disabled_at AS "disabledAt", a.password_changed_at AS "passwordChangedAt"
        FROM sessions s JOIN accounts a ON a.id = s.account_id
        WHERE s.token_hash = ${tokenHash}`);
      return row;
    },

    async touchSession(tokenHash: string): Promise<void> {
      await db.rows(sql`UPDATE sessions SET last_seen_at = now() WHERE token_hash = ${tokenHash}`);
    },

    /** Ends one session; every API process forgets it when the transaction commits (SESSIONS_CHANNEL). */
    async revokeSession(tokenHash: string): Promise<void> {
      await db.rows(sql`UPDATE sessions SET revoked_at = now() WHERE token_hash = ${tokenHash} AND revoked_at IS NULL`);
      await db.rows(sql`SELECT pg_notify(${SESSIONS_CHANNEL}, ${JSON.stringify({ tokenHash })})`);
    },

    /** Ends every session of an account; every API process forgets them when the transaction commits. */
    async revokeAccountSessions(accountId: string): Promise<number> {
      const rows = await db.rows(sql`
        UPDATE sessions SET revoked_at = now() WHERE account_id = ${accountId} AND revoked_at IS NULL RETURNING token_hash`);
      await db.rows(sql`SELECT pg_notify(${SESSIONS_CHANNEL}, ${JSON.stringify({ accountId })})`);
      return rows.length;
    },

    /** Failed sign-ins in the window, for this username and for this address, each since its last success. */
    async recentFailures(
      username: string,
      ip: string | null,
      windowMinutes: number,
    ): Promise<{ forAccount: number; forAddress: number }> {
      const [row] = await db.rows<{ forAccount: number; forAddress: number }>(sql`
        WITH recent AS (
          SELECT action, target_id, ip, at FROM audit_log
          WHERE action IN ('auth.login', 'auth.login_failed') AND at > now() - make_interval(mins => ${windowMinutes}::int)
        )
        SELECT
          (SELECT count(*)::int FROM recent f WHERE f.action = 'auth.login_failed' AND f.target_id = ${username}
             AND f.at > COALESCE((SELECT max(at) FROM recent s WHERE s.action = 'auth.login' AND s.target_id = ${username}), '-infinity'))
            AS "forAccount",
          (SELECT count(*)::int FROM recent f WHERE f.action = 'auth.login_failed' AND f.ip IS NOT DISTINCT FROM ${ip}) AS "forAddress"`);
      return row ?? { forAccount: 0, forAddress: 0 };
    },

    async insertAudit(entry: AuditEntry): Promise<void> {
      await db.rows(sql`
        INSERT INTO audit_log (actor_id, actor_username, actor_role, action, outcome, target_type, target_id, scope_code, ip, user_agent, details)
        VALUES (${entry.actorId}, ${entry.actorUsername}, ${entry.actorRole}, ${entry.action}, ${entry.outcome},
                ${entry.targetType ?? null}, ${entry.targetId ?? null}, ${entry.scopeCode}, ${entry.ip}, ${entry.userAgent},
                ${entry.details === undefined ? null : JSON.stringify(entry.details)}::jsonb)`);
    },

    async countAccounts(): Promise<number> {
      const [row] = await db.rows<{ count: number }>(sql`SELECT count(*)::int AS count FROM accounts`);
      return row?.count ?? 0;
    },
  };
}
