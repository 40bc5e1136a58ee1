import { mkdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { type SQL, sql } from 'drizzle-orm';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { drizzle as drizzleNodePostgres } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePostgres } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { copyIn } from './copy-in.ts';
import { selectBytes } from './copy-out.ts';
import { inlineParameters } from './literal.ts';
import { PostgresListener } from './notifications.ts';
import { pgliteScopedRows } from './pglite-scoped.ts';
import { slimPostgis } from './postgis-bundle.ts';
import * as schema from './schema.ts';
import { applySettings, type ReaderSettings, settingsKey } from './scoped.ts';

type Orm = PgDatabase<PgQueryResultHKT, typeof schema>;

/**
 * One handle on the database, whichever engine is behind it. Repositories write SQL with
 * drizzle's `sql` template (parameters are bound; only the embedded database's scoped reads
 * write text and numbers as quoted literals, see pglite-scoped.ts) and read plain row objects.
 */
export interface Database {
  /** `pglite` is the embedded database (no ST_AsMVT); `postgres` is PostgreSQL + PostGIS. */
  readonly engine: 'pglite' | 'postgres';
  readonly orm: Orm;
  rows<Row>(query: SQL): Promise<Row[]>;
  /** Runs `work` with the query builder as the owner (see Queryable.read). */
  read<T>(work: (orm: Orm) => Promise<T>): Promise<T>;
  /** Runs `work` in one transaction: everything it writes lands, or nothing does. */
  transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T>;
  /**
   * Runs one statement as the scoped role with the reader's settings (see scoped.ts) in one
   * round trip: on PostgreSQL over connections that keep the role, on the embedded database in
   * one message with the settings (pglite-scoped.ts).
   */
  scopedRows?<Row>(settings: ReaderSettings, query: SQL): Promise<Row[]>;
  /** Runs `work` with the query builder as scopedRows reads (PostgreSQL: one pooled connection in the scope). */
  scopedRead?<T>(settings: ReaderSettings, work: (orm: Orm) => Promise<T>): Promise<T>;
  /**
   * The one bytea value `query` yields, read as scopedRows reads, as bytes: null for no row or
   * NULL. PostgreSQL only, where it travels as a binary COPY rather than as hex (copy-out.ts).
   * The parameters must be text or finite numbers (literal.ts).
   */
  scopedBytes?(settings: ReaderSettings, query: SQL): Promise<Uint8Array | null>;
  /**
   * Calls `onNotify` with the payload of every NOTIFY on `channel` until the returned function
   * is called. On PostgreSQL one connection of its own listens (a pooled one would lose its
   * LISTENs) and comes back by itself if it drops; `onResync` then says notifications may have
   * been missed while it was away.
   */
  listen(channel: string, onNotify: (payload: string) => void, onResync?: () => void): Promise<() => Promise<void>>;
  /** Runs `hook` first when close() is called, while the database still answers; returns its remover. */
  onClose(hook: () => Promise<void>): () => void;
  /** Runs the onClose hooks, then ends every connection. Calling it again waits for the same close. */
  close(): Promise<void>;
}

/** Anything that runs a query and returns rows: the database, a transaction, a scoped handle. */
export interface Queryable {
  rows<Row>(query: SQL): Promise<Row[]>;
  /**
   * Runs `work` with drizzle's query builder on this handle (the tables of schema.ts, rows typed
   * and mapped from them), cut to the handle's scope like `rows`. Every query `work` makes runs on
   * one connection in one scope; `work` must not open a transaction of its own. On the embedded
   * database a scoped `read` is a short transaction (four calls into WASM, not one): hot paths
   * such as tiles keep to `rows`.
   */
  read<T>(work: (orm: Orm) => Promise<T>): Promise<T>;
  /** Where the engine offers it (a scoped handle on PostgreSQL): one bytea value as bytes, see Database.scopedBytes. */
  bytes?(query: SQL): Promise<Uint8Array | null>;
}

export interface Transaction extends Queryable {
  readonly orm: Orm;
  /**
   * Where the engine offers it (PostgreSQL): `COPY table (columns) FROM STDIN (FORMAT binary)` of
   * `rows`, a stream of binary-copy.ts, in this transaction. A row the table refuses fails the
   * COPY whole, and with it the transaction.
   */
  copyIn?(table: string, columns: readonly string[], rows: Buffer): Promise<void>;
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

/** The connection a drizzle node-postgres transaction runs on (its session's client), to COPY on. */
function connectionOf(tx: unknown): pg.ClientBase | undefined {
  const client = (tx as { session?: { client?: unknown } }).session?.client;
  return client instanceof pg.Client ? client : undefined;
}

function wrap(engine: Database['engine'], orm: Orm, listen: Database['listen'], closeConnections: () => Promise<void>): Database {
  const closeHooks = new Set<() => Promise<void>>();
  let closing: Promise<void> | undefined;
  return {
    engine,
    orm,
    rows: async <Row>(query: SQL) => rowsOf<Row>(await orm.execute(query)),
    read: (work) => work(orm),
    transaction: (work) =>
      orm.transaction((tx) => {
        const txOrm = tx as unknown as Orm;
        const connection = engine === 'postgres' ? connectionOf(tx) : undefined;
        return work({
          orm: txOrm,
          rows: async <Row>(query: SQL) => rowsOf<Row>(await tx.execute(query)),
          read: (reading) => reading(txOrm),
          ...(connection ? { copyIn: (table, columns, rows) => copyIn(connection, table, columns, rows, 'binary') } : {}),
        });
      }),
    listen,
    onClose: (hook) => {
      closeHooks.add(hook);
      return () => closeHooks.delete(hook);
    },
    close: () => {
      closing ??= (async () => {
        for (const hook of [...closeHooks]) {
          await hook().catch((error: unknown) => console.error('while closing the database:', error));
        }
        await closeConnections();
      })();
      return closing;
    },
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
  const listen: Database['listen'] = async (channel, onNotify) => {
    const unlisten = await client.listen(channel, onNotify);
    return () => unlisten();
  };
  const database = wrap('pglite', orm, listen, () => client.close());
  const inTransaction = <Row>(settings: ReaderSettings, query: SQL) =>
    database.transaction(async (tx) => {
      await applySettings(tx, settings);
      return tx.rows<Row>(query);
    });
  return { ...database, scopedRows: pgliteScopedRows(client, inTransaction) };
}

/**
 * Scoped reads on PostgreSQL: a pool of its own whose connections switch to the role
 * `gcc_scoped` for good, each remembering the settings it last set (scope, department, account:
 * all three, so a connection a department cadre used answers the next account in that account's
 * own settings, and the other way round). A read then costs one round trip (two when the settings
 * change) instead of BEGIN, set_config, the query and COMMIT; a connection of this pool can never
 * run as the owner, so a missed scope cannot widen a read.
 */
function scopedReadPool(url: string, poolSize: number) {
  // Kept open while idle (node-postgres would close them after 10 s): a new connection is a new
  // backend, which loads PostGIS and reads the catalog again before its first tile. Rounds of
  // the tile list 15 s apart went from 195–257 to 290–369 tiles/s at 8 clients when they stayed
  // open (three runs each); the server's own CPU per tile did not change, PostgreSQL's did.
  const { pool, end } = ownedPool({ connectionString: url, max: poolSize, idleTimeoutMillis: 0 }, 'scoped reads');
  const settingsOf = new WeakMap<pg.PoolClient, string>();
  const orms = new WeakMap<pg.PoolClient, Orm>();

  async function withScope<T>(settings: ReaderSettings, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    const key = settingsKey(settings);
    let broken = false;
    try {
      if (settingsOf.get(client) !== key) {
        settingsOf.delete(client);
        // JIT off: a policy's sub-plan (a case step is visible with its case, 0009) is costed for
        // every row although its OR short-circuits, so a county-wide scoped read of the case tables
        // passed jit_above_cost and spent seconds compiling a statement that runs in 0.2 s.
        await client.query(
          `SELECT set_config('role', 'gcc_scoped', false), set_config('gcc.scope', $1, false),
                  set_config('gcc.department', $2, false), set_config('gcc.account', $3, false), set_config('jit', 'off', false)`,
          [settings.scope, settings.department, settings.account],
        );
        settingsOf.set(client, key);
      }
      return await work(client);
    } catch (error) {
      // A failed statement leaves no transaction open, but a lost connection must not be reused.
      const cause = error instanceof DrizzleQueryError ? error.cause : error;
      broken = !(cause instanceof pg.DatabaseError);
      throw error;
    } finally {
      client.release(broken);
    }
  }

  function ormOf(client: pg.PoolClient): Orm {
    let orm = orms.get(client);
    if (!orm) {
      orm = drizzleNodePostgres({ client, schema }) as unknown as Orm;
      orms.set(client, orm);
    }
    return orm;
  }

  return {
    rows: <Row>(settings: ReaderSettings, query: SQL): Promise<Row[]> =>
      withScope(settings, async (client) => rowsOf<Row>(await ormOf(client).execute(query))),
    read: <T>(settings: ReaderSettings, work: (orm: Orm) => Promise<T>): Promise<T> =>
      withScope(settings, (client) => work(ormOf(client))),
    bytes: (settings: ReaderSettings, query: SQL): Promise<Uint8Array | null> =>
      withScope(settings, (client) => selectBytes(client, inlineParameters(query))),
    end,
  };
}

/** How long closing waits for the connections a pool asked to end to be gone. */
const CLOSE_WAIT_MS = 5_000;

/**
 * A node-postgres pool that neither ends the process on a lost connection nor says it is closed
 * before its connections are.
 *
 * A connection that fails (PostgreSQL restarted, an administrator or idle_session_timeout ended
 * its backend, the network dropped it) is an 'error' event, and an 'error' event nobody listens to
 * ends the process. While the connection is idle the event is the pool's, which has already let it
 * go and opens a new one for the next query: that is only told. While it is checked out the event
 * is the connection's own: the statement running fails with it (or the next one fails, "not
 * queryable"), which its caller hears, and the pool drops a connection that is no longer queryable
 * when it comes back.
 *
 * `pool.end()` resolves once it has asked its connections to end, not once they have: a database
 * dropped WITH (FORCE) right after (the tests' databases are) had its backends say goodbye to
 * connections still ending, an 'error' each. `end` here waits for every one to be gone.
 */
function ownedPool(config: pg.PoolConfig, name: string): { pool: pg.Pool; end(): Promise<void> } {
  const pool = new pg.Pool(config);
  const open = new Set<pg.PoolClient>();
  let allGone: (() => void) | undefined;
  pool.on('connect', (client) => {
    open.add(client);
    client.on('error', () => {});
    oneStatementAtATime(client);
  });
  pool.on('remove', (client) => {
    open.delete(client as pg.PoolClient);
    if (open.size === 0) allGone?.();
  });
  pool.on('error', (error) =>
    console.error(`database: an idle connection of the ${name} pool was lost (${error.message}); the next query opens a new one`),
  );
  return {
    pool,
    end: async () => {
      const gone = new Promise<void>((resolve) => {
        allGone = resolve;
      });
      await pool.end();
      if (open.size === 0) return;
      // Bounded all the same: a close that never ends would hold a stopping process forever.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([gone, new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_WAIT_MS)))]);
      clearTimeout(timer);
    },
  };
}

/**
 * Has a connection run one statement at a time, in the order they were asked for: a caller that
 * starts several at once on one connection (a Promise.all in a transaction, or in one scoped
 * `read`) has the later ones wait here for the earlier. node-postgres queues them itself for now,
 * with a deprecation warning on every process that does; pg 9 will refuse them. Callback and
 * submittable queries (the pool's own, COPY) go straight through.
 */
function oneStatementAtATime(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  let previous: Promise<unknown> = Promise.resolve();
  client.query = ((...args: unknown[]) => {
    const first = args[0] as { submit?: unknown } | null | undefined;
    if (typeof args.at(-1) === 'function' || typeof first?.submit === 'function') return query(...args);
    const result = previous.then(() => query(...args));
    previous = result.catch(() => {});
    return result;
  }) as typeof client.query;
}

/** Connections of the owner's pool (writes, sign-in, migrations). */
const OWNER_CONNECTIONS = 10;

/**
 * Scoped reads let into the database at once unless configured: twice this machine's cores,
 * which suits a database on the same machine. More statements than that at once only make its
 * backends take turns on the cores: on this project's 2-core machine the tile SQL served 7–24%
 * more tiles per second through 4 connections than through 8, with 8 callers either way
 * (`npm run bench` prints both).
 */
export function defaultReadConnections(): number {
  return 2 * availableParallelism();
}

/**
 * Connects to PostgreSQL + PostGIS through a `pg` pool for the owner and one for scoped reads of
 * `readConnections` connections.
 */
export async function openPostgresDatabase(url: string, readConnections = defaultReadConnections()): Promise<Database> {
  const { pool, end } = ownedPool({ connectionString: url, max: OWNER_CONNECTIONS }, 'owner');
  // PostGIS returns bytea for ST_AsMVT; pg gives it as a Buffer, which is what we want.
  const orm = drizzleNodePostgres({ client: pool, schema }) as unknown as Orm;
  await migrateNodePostgres(orm as never, { migrationsFolder: MIGRATIONS_FOLDER });
  const scoped = scopedReadPool(url, readConnections);
  const listener = new PostgresListener(url);
  const listen: Database['listen'] = (channel, onNotify, onResync) =>
    listener.listen(channel, { notify: onNotify, ...(onResync ? { resync: onResync } : {}) });
  const database = wrap('postgres', orm, listen, async () => {
    await listener.close();
    await Promise.all([end(), scoped.end()]);
  });
  return { ...database, scopedRows: scoped.rows, scopedRead: scoped.read, scopedBytes: scoped.bytes };
}

/** The database the configuration asks for: PostgreSQL when a URL is given, else the embedded one. */
export function openDatabase(config: {
  DATABASE_URL?: string | undefined;
  DATABASE_READ_CONNECTIONS?: number | undefined;
  DATA_DIR: string;
}): Promise<Database> {
  return config.DATABASE_URL
    ? openPostgresDatabase(config.DATABASE_URL, config.DATABASE_READ_CONNECTIONS)
    : openEmbeddedDatabase(config.DATA_DIR);
}
