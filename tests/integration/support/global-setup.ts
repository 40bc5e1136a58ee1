import pg from 'pg';

/**
 * On PostgreSQL each run creates its own `gcc_test_*` database (see test-database.ts); the
 * worker cannot always drop it on exit, so the run's end drops them here.
 */
async function dropTestDatabases(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE 'gcc\\_test\\_%'",
    );
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

export default function setup() {
  return dropTestDatabases;
}
