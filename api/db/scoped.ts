import { type SQL, sql } from 'drizzle-orm';
import type { Database, Queryable, Transaction } from './client.ts';

const AREA_CODE = /^\d{6}(\d{3}){0,4}$/;
/** A county department (D01…D65) or a service provider (P001…), which takes cases as a department does. */
const DEPARTMENT_CODE = /^(D\d{2}|P\d{3})$/;
/** Stands for a department cadre's department when the account names none: no department has it, so it sees no one's lines. */
const NO_DEPARTMENT = '-';

/**
 * Who reads, as row-level security needs to know it: the area scope, and for a department cadre
 * its department and account (a cadre sees only its department's lines, what is sent to it, and
 * what it filed itself: migrations/0009). A Principal is one.
 */
export interface Reader {
  scopeCode: string;
  role: string;
  departmentCode: string | null;
  accountId: string;
}

/**
 * The settings the policies read: `gcc.scope`; `gcc.department`, empty for every account that is
 * no department cadre (the policies' short-circuit); and `gcc.account`, the reader's account for
 * every principal (empty only for an area reader of no account), so a policy keyed on
 * `gcc_account()` holds for whoever reads. Also the key under which a connection remembers what it
 * last set.
 */
export interface ReaderSettings {
  scope: string;
  department: string;
  account: string;
}

/** A reader of everything in the area `scopeCode`, of no department and no account (tests, the bench). */
export function areaReader(scopeCode: string): Reader {
  return { scopeCode, role: '', departmentCode: null, accountId: '' };
}

/** The settings for `reader`; throws on a scope or department that is no code (a bug, not input). */
export function readerSettings(reader: Reader): ReaderSettings {
  if (!AREA_CODE.test(reader.scopeCode)) throw new Error(`not an area code: ${reader.scopeCode}`);
  if (reader.role !== 'department_cadre') return { scope: reader.scopeCode, department: '', account: reader.accountId };
  const department = reader.departmentCode ?? NO_DEPARTMENT;
  if (department !== NO_DEPARTMENT && !DEPARTMENT_CODE.test(department)) throw new Error(`not a department code: ${department}`);
  return { scope: reader.scopeCode, department, account: reader.accountId };
}

/** One string naming the settings, for a connection to compare with what it last set. */
export function settingsKey(settings: ReaderSettings): string {
  return `${settings.scope}|${settings.department}|${settings.account}`;
}

/**
 * From here to the end of the transaction (or `leaveScope`), queries run as the role
 * `gcc_scoped` with the reader's settings, so PostgreSQL's row-level security (migrations/0003,
 * 0009) cuts every table to what the reader may see.
 */
export async function enterScope(tx: Queryable, reader: Reader): Promise<void> {
  await applySettings(tx, readerSettings(reader));
}

/** enterScope with the settings already worked out (the engines' transaction path). */
export async function applySettings(tx: Queryable, { scope, department, account }: ReaderSettings): Promise<void> {
  await tx.rows(sql`SELECT set_config('role', 'gcc_scoped', true), set_config('gcc.scope', ${scope}, true),
    set_config('gcc.department', ${department}, true), set_config('gcc.account', ${account}, true)`);
}

/** Back to the connection's own role inside the same transaction (for the audit log and session bookkeeping). */
export async function leaveScope(tx: Queryable): Promise<void> {
  await tx.rows(sql`SELECT set_config('role', 'none', true), set_config('gcc.scope', '', true),
    set_config('gcc.department', '', true), set_config('gcc.account', '', true)`);
}

/**
 * A handle whose every query is cut to what `reader` may see, in one round trip where the engine
 * offers it (Database.scopedRows), else in its own short transaction, since the settings are
 * transaction-local. This is the one place scope is applied to reads, raw SQL (`rows`) and query
 * builder (`read`) alike.
 */
export function scopedDatabase(db: Database, reader: Reader): Queryable {
  const settings = readerSettings(reader);
  const { scopedRows, scopedRead, scopedBytes } = db;
  const inTransaction = <T>(work: (tx: Transaction) => Promise<T>) =>
    db.transaction(async (tx) => {
      await applySettings(tx, settings);
      return work(tx);
    });
  return {
    rows: scopedRows ? (query) => scopedRows(settings, query) : (query) => inTransaction((tx) => tx.rows(query)),
    read: scopedRead ? (work) => scopedRead(settings, work) : (work) => inTransaction((tx) => work(tx.orm)),
    ...(scopedBytes ? { bytes: (query: SQL) => scopedBytes(settings, query) } : {}),
  };
}
