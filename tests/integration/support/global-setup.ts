import pg from 'pg';

/**
 * On PostgreSQL each run creates its own `gcc_test_<run>_*` database (see test-database.ts); the
 * worker cannot always drop it on exit, so the run's end drops this run's databases here, and
 * only this run's: another run on the same server keeps its own.
 */
async function dropTestDatabases(run: string): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [
      `gcc\\_test\\_${run}\\_%`,
    ]);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

export default function setup() {
  // Inherited by the test workers, which are started after this runs.
  const run = `${process.pid}${Date.now().toString(36)}`;
  process.env.GCC_TEST_RUN = run;
  return () => dropTestDatabases(run);
}
