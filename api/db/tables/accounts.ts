import { sql } from 'drizzle-orm';
import { bigserial, boolean, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** A person who can sign in: one role, one area scope (a code prefix: that area and everything under it). */
export const accounts = pgTable(
  'accounts',
  {
    id: text('id').primaryKey(),
    /** Lower case; what the person types to sign in. */
    username: text('username').notNull().unique(),
    displayName: text('display_name').notNull(),
    /** See api/auth/permissions.ts for the roles and what each may do. */
    role: text('role').notNull(),
    scopeCode: text('scope_code').notNull(),
    /** For department cadres: the department (D01..) whose dispatched cases they act on. */
    departmentCode: text('department_code'),
    /** argon2id, PHC string. */
    passwordHash: text('password_hash').notNull(),
    /** Demo accounts exist only in the embedded demo; the login page lists them. */
    demo: boolean('demo').notNull().default(false),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('accounts_scope_idx').using('btree', sql`${table.scopeCode} text_pattern_ops`)],
);

/** A signed-in browser. The cookie holds a random token; only its SHA-256 is stored. */
export const sessions = pgTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id),
    /** Sent back by the client in X-CSRF-Token on every state-changing request. */
    csrfToken: text('csrf_token').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (table) => [index('sessions_account_idx').on(table.accountId)],
);

/**
 * Who did what, when, from where: sign-ins (and failed ones), account changes, and every read
 * or export of personal data. Append-only for the application: a trigger refuses UPDATE,
 * DELETE and TRUNCATE (migrations/0003).
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorId: text('actor_id'),
    actorUsername: text('actor_username'),
    actorRole: text('actor_role'),
    /** e.g. auth.login, auth.login_failed, account.create, people.read, households.read, audit.export */
    action: text('action').notNull(),
    /** ok | denied | failed */
    outcome: text('outcome').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    /** The area the entry concerns; admins and commanders see the entries inside their scope. */
    scopeCode: text('scope_code').notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
    details: jsonb('details'),
  },
  (table) => [
    index('audit_log_at_idx').on(table.at),
    index('audit_log_action_at_idx').on(table.action, table.at),
    index('audit_log_scope_idx').using('btree', sql`${table.scopeCode} text_pattern_ops`),
  ],
);
