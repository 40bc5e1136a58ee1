/**
 * The special-population heatmap (issue 17) at the source study's scale: visits over the last 12
 * months per 3 km hexagon for the whole county, as the county commander's wall screen asks for it,
 * through the route (session, scope, row-level security, the suppression of suppression.ts, JSON)
 * against the very SQL text and parameters of its atoms sent straight to the driver as the owner
 * (atomsSql in api/special-heatmap/repository.ts): the floor for that answer. Alternating, in one
 * run, on a generated register of 3,000 entries (denser in the urban core) with 30,000 and then
 * 300,000 visits.
 *
 * Run alone: `DATABASE_URL=postgres://… tsx tests/bench/special-heatmap.ts` (a fresh database
 * `gcc_bench_special` on that server, seeded with the full county), or without DATABASE_URL on an
 * embedded database in a temporary folder. run.ts runs it as `BENCH_ONLY=special`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { createAccountAsSystem } from '../../api/accounts/service.ts';
import { createApp } from '../../api/app.ts';
import { type Database, openEmbeddedDatabase, openPostgresDatabase } from '../../api/db/client.ts';
import { seedIfEmpty } from '../../api/seed/service.ts';
import { atomsSql } from '../../api/special-heatmap/repository.ts';
import { HEX_SIZES_M } from '../../geo/hexagons.ts';
import { TestBrowser } from '../integration/support/sessions.ts';
import { alternateCalls, type LoadResult } from './load.ts';

/** Calls per path; each path's figure is over all of them, the two interleaved call by call. */
const CALLS = 30;
const PEOPLE = 3_000;
const SEED = 20_240_511;
const USER = 'bench-special';
const PASSWORD = 'bench-special-2026';

export interface SpecialHeatmapResult {
  visits: number;
  units: number;
  raw: LoadResult;
  route: LoadResult;
  what: string;
}

/** The register: PEOPLE entries, two in three in the urban core (壁州街道, 诺江镇), the rest anywhere in the county. */
async function insertRegister(db: Database): Promise<void> {
  for (const urban of [true, false]) {
    await db.rows(sql`
      INSERT INTO special_people (id, category, name, household_code, area_code, risk_level, registered_on, next_due_on, synthetic)
      SELECT 'BENCH-' || n, (ARRAY['severe_mental_illness','drug_rehabilitation','released_prisoner','community_correction','rental_house'])[1 + n % 5],
        '基准对象' || n, h.code, h.cell_code, CASE WHEN n % 5 = 0 THEN n % 6 END, '2024-01-01', current_date - (n % 120), true
      FROM generate_series(1, ${PEOPLE}::int) n
      JOIN (SELECT code, cell_code, row_number() OVER (ORDER BY code) - 1 AS rn, count(*) OVER () AS total FROM households
            WHERE ${urban ? sql`cell_code ^@ '511921001' OR cell_code ^@ '511921100'` : sql`true`}) h
        ON h.rn = (n::bigint * 7919) % h.total
      WHERE (n % 3 = 0) = ${!urban}`);
  }
}

/** `count` more visits over the last 12 months, spread over the register. */
async function insertVisits(db: Database, from: number, count: number): Promise<void> {
  await db.rows(sql`
    INSERT INTO special_visits (id, client_id, person_id, category, area_code, visitor_id, visitor_name, visited_at, mode, outcome, synthetic)
    SELECT 'BV-' || n, 'bv-' || n, p.id, p.category, p.area_code, 'bench', '基准网格员',
      now() - ((n::bigint * 104729) % (365 * 24 * 60)) * interval '1 minute', 'home', 'seen_stable', true
    FROM generate_series(${from}::int, ${from + count - 1}::int) n
    JOIN special_people p ON p.id = 'BENCH-' || (1 + n % ${PEOPLE}::int)`);
}

async function measure(db: Database, app: Awaited<ReturnType<typeof createApp>>, visits: number): Promise<SpecialHeatmapResult> {
  const now = new Date(Date.now() + 8 * 3_600_000);
  const month = (offset: number) =>
    new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1)).toISOString().slice(0, 7);
  const [from, to] = [month(-11), month(0)];
  const next = month(1);
  const statement = new PgDialect().sqlToQuery(
    atomsSql({
      measure: 'visits',
      areaCode: '511921',
      cutToArea: false,
      hexRadiusM: HEX_SIZES_M.medium,
      fromInstant: `${from}-01T00:00:00+08:00`,
      toInstant: `${next}-01T00:00:00+08:00`,
      fromDay: `${from}-01`,
      toDay: `${next}-01`,
      today: new Date().toISOString().slice(0, 10),
    }),
  );
  const driver = (db.orm as unknown as { $client: { query(text: string, params: unknown[]): Promise<{ rows: unknown[] }> } })
    .$client;
  const browser = new TestBrowser(app);
  const signedIn = await browser.signIn(USER, PASSWORD);
  if (signedIn.status !== 200) throw new Error(`sign-in failed: ${signedIn.status}`);
  const path = `/api/special/heatmap?measure=visits&from=${from}&to=${to}&area=511921&unit=hex&size=medium`;
  let units = 0;
  const paths = {
    raw: async () => (await driver.query(statement.sql, statement.params)).rows.length,
    route: async () => {
      const response = await browser.get(path);
      if (response.status !== 200) throw new Error(`route answered ${response.status}: ${await response.text()}`);
      units = ((await response.json()) as { units: unknown[] }).units.length;
      return units;
    },
  };
  const times = await alternateCalls(paths, CALLS, 3);
  return {
    visits,
    units,
    raw: times.raw,
    route: times.route,
    what: db.engine === 'postgres' ? 'pg Pool.query' : 'PGlite.query',
  };
}

/** Seeds a fresh database with the full county and the register, and measures at 30,000 and 300,000 visits. */
export async function benchSpecialHeatmap(postgresUrl: string | undefined): Promise<SpecialHeatmapResult[]> {
  let db: Database;
  let cleanup: () => Promise<void>;
  if (postgresUrl) {
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    await admin.query('DROP DATABASE IF EXISTS gcc_bench_special WITH (FORCE)');
    await admin.query('CREATE DATABASE gcc_bench_special');
    await admin.end();
    const url = new URL(postgresUrl);
    url.pathname = '/gcc_bench_special';
    db = await openPostgresDatabase(url.toString());
    cleanup = async () => {};
  } else {
    const dataDir = mkdtempSync(join(tmpdir(), 'gcc-bench-special-'));
    db = await openEmbeddedDatabase(dataDir);
    cleanup = async () => rmSync(dataDir, { recursive: true, force: true });
  }
  try {
    console.log(`[${db.engine}] seeding the full county and a register of ${PEOPLE} entries…`);
    await seedIfEmpty(db, { seed: SEED, preset: 'full' });
    await createAccountAsSystem(db, {
      username: USER,
      displayName: '基准测试',
      role: 'county_commander',
      scopeCode: '511921',
      password: PASSWORD,
    });
    await insertRegister(db);
    const app = await createApp({
      db,
      env: { TILE_CACHE_ENTRIES: 0, BASEMAP_STYLE_URL: undefined },
      dataset: { seed: SEED, preset: 'full', seededAt: '' },
      demo: false,
      settleCells: false,
    });
    const results: SpecialHeatmapResult[] = [];
    try {
      await insertVisits(db, 1, 30_000);
      await db.rows(sql`ANALYZE special_visits`);
      results.push(await measure(db, app, 30_000));
      await insertVisits(db, 30_001, 270_000);
      await db.rows(sql`ANALYZE special_visits`);
      results.push(await measure(db, app, 300_000));
    } finally {
      await app.close();
    }
    return results;
  } finally {
    await db.close();
    await cleanup();
  }
}

const fmt = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

export function printSpecialHeatmap(results: readonly SpecialHeatmapResult[]): void {
  console.log('\n### special-population visit heatmap, county, 12 months, 3 km hexagons (county commander)\n');
  console.log('| visits | path | calls | p50 ms | p99 ms | time ratio to raw SQL |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const result of results) {
    const row = (name: string, load: LoadResult) =>
      console.log(
        `| ${result.visits} | ${name} | ${load.requests} | ${fmt(load.p50Ms, 2)} | ${fmt(load.p99Ms, 2)} | ${fmt(load.p50Ms / result.raw.p50Ms, 2)}x |`,
      );
    row(`raw SQL (${result.what}, owner)`, result.raw);
    row(`route (${result.units} hexagons, suppressed)`, result.route);
  }
}

/** Target rows for run.ts's table: [target, measured, met]. */
export function specialHeatmapTargets(engine: string, results: readonly SpecialHeatmapResult[]): [string, string, boolean][] {
  return results.map((result) => {
    const ratio = result.route.p50Ms / result.raw.p50Ms;
    return [
      `${engine}: the visit heatmap of ${result.visits} visits through the route within 1.2x of its raw SQL (p50)`,
      `${fmt(ratio, 2)}x`,
      ratio <= 1.2,
    ];
  });
}

if (import.meta.filename === process.argv[1]) {
  const results = await benchSpecialHeatmap(process.env.DATABASE_URL || undefined);
  printSpecialHeatmap(results);
  for (const [target, measured, met] of specialHeatmapTargets(process.env.DATABASE_URL ? 'postgres' : 'pglite', results))
    console.log(`${met ? '✓' : '✗'} ${target}: ${measured}`);
}
