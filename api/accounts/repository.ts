import { and, asc, eq, isNull, like, max, or, type SQL, sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.ts';
import { accounts, areas, departments, sessions } from '../db/schema.ts';

/** A time as the API gives it: ISO 8601 in UTC to the second. */
function utcSeconds(column: SQL | typeof accounts.createdAt): SQL<string> {
  return sql<string>`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
}

/** An account as an administrator sees it: never its password hash. */
const LISTED = {
  id: accounts.id,
  username: accounts.username,
  displayName: accounts.displayName,
  role: accounts.role,
  scopeCode: accounts.scopeCode,
  scopeName: sql<string | null>`(SELECT ${areas.name} FROM ${areas} WHERE ${areas.code} = ${accounts.scopeCode})`,
  departmentCode: accounts.departmentCode,
  departmentName: sql<
    string | null
  >`(SELECT ${departments.name} FROM ${departments} WHERE ${departments.code} = ${accounts.departmentCode})`,
  demo: accounts.demo,
  disabled: sql<boolean>`${accounts.disabledAt} IS NOT NULL`,
  createdAt: utcSeconds(accounts.createdAt),
  lastSeenAt: sql<
    string | null
  >`(SELECT ${utcSeconds(max(sessions.lastSeenAt))} FROM ${sessions} WHERE ${sessions.accountId} = ${accounts.id})`,
};

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Accounts as an administrator sees them. Reads and writes go through a scoped handle or a
 * transaction inside `enterScope`, so row-level security limits both to the admin's scope.
 */
export function accountsRepository(db: Queryable) {
  return {
    list(filter: { text?: string | undefined; role?: string | undefined; includeDisabled: boolean }) {
      const text = filter.text ? `%${escapeLike(filter.text)}%` : null;
      return db.read((orm) =>
        orm
          .select(LISTED)
          .from(accounts)
          .where(
            and(
              text ? or(like(accounts.username, text.toLowerCase()), like(accounts.displayName, text)) : undefined,
              filter.role ? eq(accounts.role, filter.role) : undefined,
              filter.includeDisabled ? undefined : isNull(accounts.disabledAt),
            ),
          )
          .orderBy(asc(accounts.scopeCode), asc(accounts.username)),
      );
    },

    async find(id: string) {
      const [row] = await db.read((orm) => orm.select(LISTED).from(accounts).where(eq(accounts.id, id)));
      return row;
    },

    async usernameTaken(username: string): Promise<boolean> {
      const found = await db.read((orm) =>
        orm.select({ id: accounts.id }).from(accounts).where(eq(accounts.username, username)).limit(1),
      );
      return found.length > 0;
    },

    async insert(account: typeof accounts.$inferInsert): Promise<void> {
      await db.read((orm) => orm.insert(accounts).values(account));
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
      const { disabled, passwordHash, ...fields } = changes;
      const updated = await db.read((orm) =>
        orm
          .update(accounts)
          .set({
            ...fields,
            ...(disabled === undefined ? {} : { disabledAt: disabled ? sql`COALESCE(${accounts.disabledAt}, now())` : null }),
            ...(passwordHash === undefined ? {} : { passwordHash, passwordChangedAt: sql`now()` }),
            updatedAt: sql`now()`,
          })
          .where(eq(accounts.id, id))
          .returning({ id: accounts.id }),
      );
      return updated.length > 0;
    },

    async departmentExists(code: string): Promise<boolean> {
      const found = await db.read((orm) =>
        orm.select({ code: departments.code }).from(departments).where(eq(departments.code, code)),
      );
      return found.length > 0;
    },

    async areaExists(code: string): Promise<boolean> {
      const found = await db.read((orm) => orm.select({ code: areas.code }).from(areas).where(eq(areas.code, code)));
      return found.length > 0;
    },
  };
}
