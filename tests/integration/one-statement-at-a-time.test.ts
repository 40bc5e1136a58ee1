import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database } from '../../api/db/client.ts';
import { areaReader, readerSettings } from '../../api/db/scoped.ts';
import { freshDatabase } from './support/test-database.ts';

/**
 * A Promise.all over one connection (a transaction, a scoped read) must not reach node-postgres as
 * statements started while another runs: pg 8 queues them with a deprecation warning, pg 9 refuses
 * them. The connections of a database opened after the spy call the spied query: it counts the
 * statements each connection has under way at once.
 */
describe.skipIf(!process.env.DATABASE_URL)('one statement at a time on a connection (PostgreSQL only)', () => {
  let db: Database;
  const underWay = new Map<pg.Client, number>();
  let most = 0;

  beforeAll(async () => {
    const query = pg.Client.prototype.query;
    vi.spyOn(pg.Client.prototype, 'query').mockImplementation(function (this: pg.Client, ...args: unknown[]) {
      const result = (query as (...a: unknown[]) => unknown).apply(this, args);
      if (!(result instanceof Promise)) return result as never;
      underWay.set(this, (underWay.get(this) ?? 0) + 1);
      most = Math.max(most, underWay.get(this)!);
      return result.finally(() => underWay.set(this, underWay.get(this)! - 1)) as never;
    });
    db = await freshDatabase();
  });

  afterAll(async () => {
    vi.restoreAllMocks();
    await db?.close();
  });

  const sleeps = (run: (query: ReturnType<typeof sql>) => Promise<unknown>) =>
    Promise.all(Array.from({ length: 6 }, (_, index) => run(sql`SELECT pg_sleep(0.01), ${index}::int AS n`)));

  it('a transaction runs its statements one after another, in the order asked, each answered', async () => {
    most = 0;
    const answers = await db.transaction((tx) => sleeps((query) => tx.rows<{ n: number }>(query)));
    expect(answers.map((rows) => (rows as { n: number }[])[0]!.n)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(most).toBe(1);
  });

  it('so does one scoped read, and a failed statement does not stop the ones after it', async () => {
    most = 0;
    const settings = readerSettings(areaReader('511921'));
    const outcomes = await db.scopedRead!(settings, (orm) =>
      Promise.allSettled([orm.execute(sql`SELECT 1 AS n`), orm.execute(sql`SELECT 1 / 0 AS n`), orm.execute(sql`SELECT 3 AS n`)]),
    );
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(most).toBe(1);
  });
});
