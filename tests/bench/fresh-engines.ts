import pg from 'pg';
import { type Database, openEmbeddedDatabase, openPostgresDatabase } from '../../api/db/client.ts';
import { seedIfEmpty } from '../../api/seed/service.ts';

/**
 * Runs `bench` on a fresh embedded database of the small generated county, then, when
 * `postgresUrl` names a server, on a fresh PostgreSQL database of its own there (`gcc_bench_<name>_…`,
 * dropped after), printing each result as it comes: the loop the review and overdue benches share.
 */
export async function onFreshEngines<Result>(
  name: string,
  postgresUrl: string | undefined,
  bench: (db: Database) => Promise<Result>,
  print: (result: Result) => void,
): Promise<Result[]> {
  const results: Result[] = [];
  const run = async (db: Database) => {
    await seedIfEmpty(db, { seed: 7, preset: 'small' });
    const result = await bench(db);
    print(result);
    results.push(result);
  };
  const embedded = await openEmbeddedDatabase('memory://');
  try {
    await run(embedded);
  } finally {
    await embedded.close();
  }
  if (!postgresUrl) return results;
  const database = `gcc_bench_${name}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const target = new URL(postgresUrl);
  target.pathname = `/${database}`;
  const db = await openPostgresDatabase(target.toString());
  try {
    await run(db);
  } finally {
    await db.close();
    // Let the pools' idle connections end before the drop would terminate them (an unhandled pool error).
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
  return results;
}
