/**
 * A township's 30-day patrol coverage (issue 16): the coverage service as the route runs it (over
 * the township commander's scoped handle, row-level security on areas and patrol_cells, names
 * joined, totals summed) against the very same SQL text and parameters sent straight to the
 * driver as the owner (childCoverageSql in api/patrols/coverage-repository.ts): the floor for
 * that answer. Alternating, in one run, on whatever positions the database holds; when the
 * derived cell-days are missing for the positions there, it rebuilds them first and says how
 * long that took.
 *
 * Run alone: `DATABASE_URL=postgres://… tsx tests/bench/patrol-coverage.ts` (or DATA_DIR=… for an
 * embedded database); run.ts can call benchPatrolCoverage with its own handle.
 */
import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Principal } from '../../api/app-env.ts';
import { type Database, openEmbeddedDatabase, openPostgresDatabase } from '../../api/db/client.ts';
import { areaReader, scopedDatabase } from '../../api/db/scoped.ts';
import { countyDay, DEFAULT_COVERAGE_DISTANCE_M, patrolCellsRepository } from '../../api/patrols/cells-repository.ts';
import { childCoverageSql } from '../../api/patrols/coverage-repository.ts';
import { patrolCoverageService } from '../../api/patrols/coverage-service.ts';
import { alternateCalls, type LoadResult } from './load.ts';

const DAY_MS = 86_400_000;
/** The coverage window (days, today included), as the service counts it. */
const COVERAGE_WINDOW_DAYS = 30;
/** Calls per path; each path's figure is over all of them, the two interleaved call by call. */
const CALLS = 60;

export interface PatrolCoverageResult {
  township: string;
  positions: number;
  cellDays: number;
  /** Seconds the rebuild of the window's cell-days took, when they had to be derived first; null when they were there. */
  rebuildSeconds: number | null;
  raw: LoadResult;
  service: LoadResult;
  what: string;
}

/** The township with the most cell-days in the window, or the first township when there are none. */
async function busiestTownship(db: Database, asOf: string): Promise<string> {
  const [busiest] = await db.rows<{ code: string }>(sql`
    SELECT left(cell_code, 9) AS code FROM patrol_cells
    WHERE day > ${asOf}::date - ${COVERAGE_WINDOW_DAYS}::int AND day <= ${asOf}::date
    GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`);
  if (busiest) return busiest.code;
  const [first] = await db.rows<{ code: string }>(sql`SELECT code FROM areas WHERE level = 'township' ORDER BY code LIMIT 1`);
  if (!first) throw new Error('no township in the database: seed it first');
  return first.code;
}

export async function benchPatrolCoverage(db: Database, now = new Date()): Promise<PatrolCoverageResult> {
  const asOf = countyDay(now);
  const [counts] = await db.rows<{ positions: number; cellDays: number }>(sql`
    SELECT (SELECT count(*) FROM patrol_positions)::int AS positions,
      (SELECT count(*) FROM patrol_cells WHERE day > ${asOf}::date - ${COVERAGE_WINDOW_DAYS}::int)::int AS "cellDays"`);
  let rebuildSeconds: number | null = null;
  let cellDays = counts?.cellDays ?? 0;
  if (cellDays === 0 && (counts?.positions ?? 0) > 0) {
    const started = performance.now();
    const from = countyDay(new Date(now.getTime() - (COVERAGE_WINDOW_DAYS - 1) * DAY_MS));
    cellDays = await db.transaction((tx) => patrolCellsRepository(tx).rebuildDays(from, asOf, DEFAULT_COVERAGE_DISTANCE_M));
    rebuildSeconds = (performance.now() - started) / 1000;
  }
  const township = await busiestTownship(db, asOf);

  const statement = new PgDialect().sqlToQuery(childCoverageSql(township, asOf));
  // drizzle keeps the driver's client as $client: a pg Pool, or the PGlite instance; both have query(text, params).
  const driver = (db.orm as unknown as { $client: { query(text: string, params: unknown[]): Promise<{ rows: unknown[] }> } })
    .$client;
  const reader = scopedDatabase(db, areaReader(township));
  const commander: Principal = {
    accountId: 'bench',
    username: 'bench',
    displayName: 'bench',
    role: 'township_commander',
    scopeCode: township,
    departmentCode: null,
    sessionId: 'bench',
    csrfToken: 'bench',
  };
  const service = patrolCoverageService({ now: () => now });
  const paths = {
    raw: async () => (await driver.query(statement.sql, statement.params)).rows.length,
    service: async () => (await service.children(reader, commander, township)).children.length + 1,
  };
  // Both give the township and a row per village of it; warm each path up before it is timed.
  const [rawRows, serviceRows] = [await paths.raw(), await paths.service()];
  if (rawRows !== serviceRows) throw new Error(`raw SQL gave ${rawRows} rows, the service ${serviceRows}`);
  const times = await alternateCalls(paths, CALLS, 5);
  return {
    township,
    positions: counts?.positions ?? 0,
    cellDays,
    rebuildSeconds,
    raw: times.raw,
    service: times.service,
    what: db.engine === 'postgres' ? 'pg Pool.query' : 'PGlite.query',
  };
}

const fmt = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

export function printPatrolCoverage(result: PatrolCoverageResult): void {
  console.log(
    `\n### a township's 30-day patrol coverage (${result.township}; ${result.positions} positions, ${result.cellDays} cell-days in the window)\n`,
  );
  if (result.rebuildSeconds !== null)
    console.log(`cell-days rebuilt from the positions first: ${fmt(result.rebuildSeconds, 2)} s\n`);
  console.log('| path | calls | p50 ms | p99 ms | time ratio to raw SQL |');
  console.log('| --- | --- | --- | --- | --- |');
  const row = (name: string, load: LoadResult) =>
    console.log(
      `| ${name} | ${load.requests} | ${fmt(load.p50Ms, 2)} | ${fmt(load.p99Ms, 2)} | ${fmt(load.p50Ms / result.raw.p50Ms, 2)}x |`,
    );
  row(`raw SQL (${result.what}, owner)`, result.raw);
  row('service (township commander’s scoped handle)', result.service);
}

/** Target rows for run.ts's table: [target, measured, met]. */
export function patrolCoverageTargets(engine: string, result: PatrolCoverageResult): [string, string, boolean][] {
  const ratio = result.service.p50Ms / result.raw.p50Ms;
  return [
    [`${engine}: a township's 30-day coverage within 1.2x of its raw SQL (p50)`, `${fmt(ratio, 2)}x`, ratio <= 1.2],
    [
      `${engine}: a township's 30-day coverage under a second (p99, ${result.positions} positions)`,
      `${fmt(result.service.p99Ms, 1)} ms`,
      result.service.p99Ms < 1_000,
    ],
  ];
}

if (import.meta.filename === process.argv[1]) {
  const url = process.env.DATABASE_URL;
  const db = url ? await openPostgresDatabase(url) : await openEmbeddedDatabase(process.env.DATA_DIR ?? './data');
  try {
    const result = await benchPatrolCoverage(db);
    printPatrolCoverage(result);
    for (const [target, measured, met] of patrolCoverageTargets(db.engine, result))
      console.log(`${met ? '✓' : '✗'} ${target}: ${measured}`);
  } finally {
    await db.close();
  }
}
