import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openPostgresDatabase } from '../../api/db/client.ts';
import { areaReader, readerSettings } from '../../api/db/scoped.ts';
import { freshDatabase } from './support/test-database.ts';

const COUNTY = readerSettings(areaReader('511921'));

/**
 * PostgreSQL ends connections the process did not ask to end: a restart, an administrator's
 * pg_terminate_backend, idle_session_timeout, a dropped network path. The process must live on
 * (an 'error' event nobody hears ends it, which vitest reports as an unhandled error) and the next
 * statement must find a working connection. On a database of its own: the backends ended here are
 * every one of that database.
 */
describe.skipIf(!process.env.DATABASE_URL)('connections PostgreSQL ends (PostgreSQL only: PGlite has none to lose)', () => {
  let db: Database;
  let admin: pg.Client;
  let name: string;

  beforeAll(async () => {
    db = await freshDatabase();
    [{ name } = { name: '' }] = await db.rows<{ name: string }>(sql`SELECT current_database() AS name`);
    admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.end();
    await db?.close();
  });

  /** Ends every backend of the test's database, as an administrator would; returns how many. */
  async function endBackends(): Promise<number> {
    const { rows } = await admin.query<{ ended: number }>(
      'SELECT count(pg_terminate_backend(pid))::int AS ended FROM pg_stat_activity WHERE datname = $1',
      [name],
    );
    // The 'error' event of an idle connection comes when its socket reads the server's goodbye.
    await new Promise((resolve) => setTimeout(resolve, 300));
    return rows[0]!.ended;
  }

  it('reads again as the owner and as a scoped reader after their idle connections were ended', async () => {
    await Promise.all([db.rows(sql`SELECT 1`), db.scopedRows!(COUNTY, sql`SELECT 1`)]);
    expect(await endBackends()).toBeGreaterThanOrEqual(2);
    expect(await db.rows<{ n: number }>(sql`SELECT 2 AS n`)).toEqual([{ n: 2 }]);
    expect(await db.scopedRows!<{ scope: string }>(COUNTY, sql`SELECT current_setting('gcc.scope') AS scope`)).toEqual([
      { scope: '511921' },
    ]);
  });

  it('fails the transaction whose connection was ended between its statements, and the next one runs', async () => {
    const failed = db.transaction(async (tx) => {
      await tx.rows(sql`SELECT 1`);
      await endBackends();
      await tx.rows(sql`SELECT 2`);
    });
    await expect(failed).rejects.toThrow();
    expect(await db.transaction((tx) => tx.rows<{ n: number }>(sql`SELECT 3 AS n`))).toEqual([{ n: 3 }]);
  });

  it('says it is closed once its connections are gone, so a database dropped WITH (FORCE) right after has no backend of it to end', async () => {
    const other = `${name}_closing`;
    await admin.query(`CREATE DATABASE ${other}`);
    try {
      const url = new URL(process.env.DATABASE_URL!);
      url.pathname = `/${other}`;
      for (let round = 0; round < 3; round++) {
        const closing = await openPostgresDatabase(url.toString(), 4);
        await Promise.all([
          ...Array.from({ length: 6 }, () => closing.rows(sql`SELECT pg_sleep(0.01)`)),
          ...Array.from({ length: 4 }, () => closing.scopedRows!(COUNTY, sql`SELECT pg_sleep(0.01)`)),
        ]);
        await closing.close();
        const { rows } = await admin.query<{ left: number }>(
          'SELECT count(*)::int AS left FROM pg_stat_activity WHERE datname = $1',
          [other],
        );
        expect(rows[0]!.left).toBe(0);
      }
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${other} WITH (FORCE)`);
    }
  });
});
