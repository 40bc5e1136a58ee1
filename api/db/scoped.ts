import { type SQL, sql } from 'drizzle-orm';
import type { Database, Queryable, Transaction } from './client.ts';

const AREA_CODE = /^\d{6}(\d{3}){0,4}$/;

/**
 * From here to the end of the transaction (or `leaveScope`), queries run as the role
 * `gcc_scoped` with `gcc.scope` set to the area code, so PostgreSQL's row-level security
 * (migrations/0003) cuts every table to that scope.
 */
export async function enterScope(tx: Queryable, scopeCode: string): Promise<void> {
  if (!AREA_CODE.test(scopeCode)) throw new Error(`not an area code: ${scopeCode}`);
  await tx.rows(sql`SELECT set_config('role', 'gcc_scoped', true), set_config('gcc.scope', ${scopeCode}, true)`);
}

/** Back to the connection's own role inside the same transaction (for the audit log and session bookkeeping). */
export async function leaveScope(tx: Queryable): Promise<void> {
  await tx.rows(sql`SELECT set_config('role', 'none', true), set_config('gcc.scope', '', true)`);
}

/**
 * A handle whose every query is cut to the scope, in one round trip where the engine offers it
 * (Database.scopedRows), else in its own short transaction, since the settings are
 * transaction-local. This is the one place scope is applied to reads, raw SQL (`rows`) and query
 * builder (`read`) alike.
 */
export function scopedDatabase(db: Database, scopeCode: string): Queryable {
  if (!AREA_CODE.test(scopeCode)) throw new Error(`not an area code: ${scopeCode}`);
  const { scopedRows, scopedRead, scopedBytes } = db;
  const inTransaction = <T>(work: (tx: Transaction) => Promise<T>) =>
    db.transaction(async (tx) => {
      await enterScope(tx, scopeCode);
      return work(tx);
    });
  return {
    rows: scopedRows ? (query) => scopedRows(scopeCode, query) : (query) => inTransaction((tx) => tx.rows(query)),
    read: scopedRead ? (work) => scopedRead(scopeCode, work) : (work) => inTransaction((tx) => work(tx.orm)),
    ...(scopedBytes ? { bytes: (query: SQL) => scopedBytes(scopeCode, query) } : {}),
  };
}
