import { sql } from 'drizzle-orm';
import { createAccountAsSystem } from '../accounts/service.ts';
import type { Database } from '../db/client.ts';
import type { areas as areaTable } from '../db/schema.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from './accounts.ts';

/**
 * Creates the demo accounts of the embedded demo, once: only when the database has no account
 * at all, so nothing is re-created after an administrator removed or changed one. Accounts
 * whose area is not in the loaded county (the small test county) are skipped.
 */
export async function ensureDemoAccounts(db: Database): Promise<string[]> {
  const [row] = await db.rows<{ count: number }>(sql`SELECT count(*)::int AS count FROM accounts`);
  if ((row?.count ?? 0) > 0) return [];
  const areas = new Set(
    (
      await db.rows<Pick<typeof areaTable.$inferSelect, 'code'>>(
        sql`SELECT code FROM areas WHERE code = ANY(${sql.param(DEMO_ACCOUNTS.map((account) => account.scopeCode))}::text[])`,
      )
    ).map((area) => area.code),
  );
  const created: string[] = [];
  for (const account of DEMO_ACCOUNTS) {
    if (!areas.has(account.scopeCode)) continue;
    await createAccountAsSystem(db, { ...account, password: DEMO_PASSWORD, demo: true }, { ip: null, userAgent: 'demo seed' });
    created.push(account.username);
  }
  return created;
}
