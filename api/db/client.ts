import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { type SQL, sql } from 'drizzle-orm';
import { drizzle as drizzleNodePostgres } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePostgres } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { slimPostgis } from './postgis-bundle.ts';
import * as schema from './schema.ts';

export type Orm = PgDatabase<PgQueryResultHKT, typeof schema>;

/**
 * One handle on the database, whichever engine is behind it. Repositories write SQL with
 * drizzle's `sql` template (parameters are always bound) and read plain row objects.
 */
export interface Database {
  /** `pglite` is the embedded database (no ST_AsMVT); `postgres` is PostgreSQL + PostGIS. */
  readonly engine: 'pglite' | 'postgres';
  readonly orm: Orm;
  rows<Row>(query: SQL): Promise<Row[]>;
  /** Runs `work` in one transaction: everything it writes lands, or nothing does. */
  transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Anything that runs a query and returns rows: the database, a transaction, a scoped handle. */
export type Queryable = Pick<Database, 'rows'>;

export interface Transaction {
  readonly orm: Orm;
  rows<Row>(query: SQL): Promise<Row[]>;
}

const MIGRATIONS_FOLDER = resolve(import.meta.dirname, '../../migrations');
/** Where derived install artefacts (the slim PostGIS bundle) are kept, as build tools do. */
const CACHE_FOLDER = resolve(import.meta.dirname, '../../node_modules/.cache/grid-command-center');

/**
 * True when the newest migration in migrations/ is already applied, so a restart can skip the
 * migrator (on the embedded database it costs about a second of round trips into WASM).
 */
async function upToDate(orm: Orm): Promise<boolean> {
  const journal = JSON.parse(readFileSync(resolve(MIGRATIONS_FOLDER, 'meta/_journal.json'), 'utf8')) as {
    entries: { when: number }[];
  };
  const newest = Math.max(...journal.entries.map((entry) => entry.when));
  try {
    const result = await orm.execute(sql`SELECT max(created_at)::text AS applied FROM drizzle.__drizzle_migrations`);
    return Number(rowsOf<{ applied: string | null }>(result)[0]?.applied) === newest;
  } catch {
    return false;
  }
}

function rowsOf<Row>(result: unknown): Row[] {
  return (result as { rows: Row[] }).rows;
}

function wrap(engine: Database['engine'], orm: Orm, close: () => Promise<void>): Database {
  return {
    engine,
    orm,
    rows: async <Row>(query: SQL) => rowsOf<Row>(await orm.execute(query)),
    transaction: (work) =>
      orm.transaction((tx) =>
        work({ orm: tx as unknown as Orm, rows: async <Row>(query: SQL) => rowsOf<Row>(await tx.execute(query)) }),
      ),
    close,
  };
}

/** Opens (creating if needed) the embedded PGlite + PostGIS database in `dataDir`, or in memory for `memory://`. */
export async function openEmbeddedDatabase(dataDir: string): Promise<Database> {
  const inMemory = dataDir === 'memory://';
  if (!inMemory) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create({
    dataDir: inMemory ? undefined : resolve(dataDir, 'pglite'),
    extensions: { postgis: slimPostgis(CACHE_FOLDER) },
  });
  const orm = drizzlePglite({ client, schema }) as unknown as Orm;
  if (!(await upToDate(orm))) await migratePglite(orm as never, { migrationsFolder: MIGRATIONS_FOLDER });
  return wrap('pglite', orm, () => client.close());
}

/** Connects to PostgreSQL + PostGIS through a `pg` pool. */
export async function openPostgresDatabase(url: string, poolSize = 10): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // PostGIS returns bytea for ST_AsMVT; pg gives it as a Buffer, which is what we want.
  const orm = drizzleNodePostgres({ client: pool, schema }) as unknown as Orm;
  await migrateNodePostgres(orm as never, { migrationsFolder: MIGRATIONS_FOLDER });
  return wrap('postgres', orm, () => pool.end());
}

/** The database the configuration asks for: PostgreSQL when a URL is given, else the embedded one. */
export function openDatabase(config: { DATABASE_URL?: string | undefined; DATA_DIR: string }): Promise<Database> {
  return config.DATABASE_URL ? openPostgresDatabase(config.DATABASE_URL) : openEmbeddedDatabase(config.DATA_DIR);
}
