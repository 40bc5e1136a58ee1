import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../api/db/client.ts';
import { areaReader, enterScope, type Reader, scopedDatabase } from '../../api/db/scoped.ts';
import { seededDatabase } from './support/test-database.ts';

/**
 * Every scoped connection carries its reader's account (gcc.account), whatever the role: a policy
 * keyed on gcc_account() holds for every reader, not only for department cadres. What each reader
 * sees does not change with it: the case policy reads the account only for a department cadre.
 */

let db: Database;

const commander: Reader = {
  scopeCode: '511921108',
  role: 'township_commander',
  departmentCode: null,
  accountId: 'acct-commander',
};
const informant: Reader = {
  scopeCode: '511921108209001001',
  role: 'cell_informant',
  departmentCode: null,
  accountId: 'acct-informant',
};
const cadre: Reader = { scopeCode: '511921108', role: 'department_cadre', departmentCode: 'D05', accountId: 'acct-cadre' };

const ACCOUNT_AND_CASES = sql`SELECT gcc_account() AS account, (SELECT count(*)::int FROM reports) AS cases`;

beforeAll(async () => {
  db = await seededDatabase();
}, 300_000);

describe('gcc.account in scoped connections', () => {
  it.each([commander, informant, cadre])(
    'is the account of a $role, on the scoped read path and in a transaction',
    async (reader) => {
      const [read] = await scopedDatabase(db, reader).rows<{ account: string }>(ACCOUNT_AND_CASES);
      expect(read!.account).toBe(reader.accountId);
      const inTransaction = await db.transaction(async (tx) => {
        await enterScope(tx, reader);
        const [row] = await tx.rows<{ account: string }>(ACCOUNT_AND_CASES);
        return row!.account;
      });
      expect(inTransaction).toBe(reader.accountId);
    },
  );

  it('is no account for an area reader of none', async () => {
    const [read] = await scopedDatabase(db, areaReader('511921')).rows<{ account: string }>(ACCOUNT_AND_CASES);
    expect(read!.account).toBe('-');
  });

  it('changes no reader’s cases: a commander sees its township’s, a cadre only its lines', async () => {
    const [own] = await db.rows<{ township: number; lines: number }>(sql`
      SELECT count(*)::int AS township,
             count(*) FILTER (WHERE type = ANY ((SELECT report_types FROM departments WHERE code = 'D05')::text[])
               OR assigned_department_code = 'D05' OR co_department_codes ? 'D05')::int AS lines
      FROM reports WHERE cell_code LIKE '511921108%'`);
    // The same reader switching between accounts on one connection (PostgreSQL's pool remembers settings).
    for (const accountId of ['acct-a', 'acct-b']) {
      const [seen] = await scopedDatabase(db, { ...commander, accountId }).rows<{ cases: number }>(ACCOUNT_AND_CASES);
      expect(seen!.cases).toBe(own!.township);
    }
    const [cadreSees] = await scopedDatabase(db, cadre).rows<{ cases: number }>(ACCOUNT_AND_CASES);
    expect(cadreSees!.cases).toBe(own!.lines);
  });
});
