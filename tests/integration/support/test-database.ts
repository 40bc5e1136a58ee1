import { sql } from 'drizzle-orm';
import pg from 'pg';
import { createApp } from '../../../api/app.ts';
import { type Database, openEmbeddedDatabase, openPostgresDatabase } from '../../../api/db/client.ts';
import type { UploadGateLimits } from '../../../api/patrols/upload-gate.ts';
import { seedIfEmpty } from '../../../api/seed/service.ts';
import { ensureTestAccounts } from './sessions.ts';

/** The seed every integration test uses: the small 4-township county. */
const TEST_SEED = 7;

/**
 * A fresh, empty database for one test run: in-memory PGlite, or a new database on the
 * PostgreSQL server named by DATABASE_URL (dropped when the run ends). The suite runs
 * test files in one process (vitest `isolate: false`), so the expensive start happens once.
 */
export async function freshDatabase(): Promise<Database> {
  const url = process.env.DATABASE_URL;
  if (!url) return openEmbeddedDatabase('memory://');
  const run = process.env.GCC_TEST_RUN ?? String(process.pid);
  const name = `gcc_test_${run}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const target = new URL(url);
  target.pathname = `/${name}`;
  const db = await openPostgresDatabase(target.toString());
  const close = db.close;
  return {
    ...db,
    close: async () => {
      await close();
      const dropper = new pg.Client({ connectionString: url });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

let seeded: Promise<Database> | undefined;

/** The shared, seeded small county. Tests may read it freely; tests that write must clean up or use their own rows. */
export function seededDatabase(): Promise<Database> {
  seeded ??= (async () => {
    const db = await freshDatabase();
    await seedIfEmpty(db, { seed: TEST_SEED, preset: 'small' });
    await ensureTestAccounts(db);
    return db;
  })();
  return seeded;
}

/**
 * The real Hono app over the shared seeded database; requests go through `app.request` (no socket
 * needed). `webRoot`: a folder to serve as the built web client.
 */
export async function testApp(options: { tileCacheEntries?: number; webRoot?: string; uploadGate?: UploadGateLimits } = {}) {
  const db = await seededDatabase();
  const [meta] = await db.rows<{ seed: string; seeded_at: string }>(sql`
    SELECT max(value) FILTER (WHERE key = 'seed') AS seed, max(value) FILTER (WHERE key = 'seeded_at') AS seeded_at FROM dataset_meta`);
  const app = await createApp({
    db,
    env: { TILE_CACHE_ENTRIES: options.tileCacheEntries ?? 1000, BASEMAP_STYLE_URL: undefined },
    dataset: { seed: Number(meta?.seed), preset: 'small', seededAt: meta?.seeded_at ?? '' },
    demo: false,
    // Tests settle patrols' cells walked where they read them (support/patrols.ts).
    settleCells: false,
    ...(options.webRoot ? { webRoot: options.webRoot } : {}),
    ...(options.uploadGate ? { uploadGate: options.uploadGate } : {}),
  });
  return { app, db };
}
