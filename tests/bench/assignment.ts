/**
 * Point-in-polygon assignment, as the server does it for every report (the reports
 * repository's locateCell, through the app's database handle), next to the very same SQL text
 * and parameters sent straight to the driver: the floor for that query.
 */
import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Database } from '../../api/db/client.ts';
import { reportsRepository } from '../../api/reports/repository.ts';
import type { LngLat } from '../../geo/types.ts';
import { type LoadResult, runLoad } from './load.ts';

export interface AssignmentResult {
  points: number;
  /** Points the server placed in a cell (each one of them should be: they are all inside the county). */
  assigned: number;
  raw: { c1: LoadResult; c8: LoadResult };
  server: { c1: LoadResult; c8: LoadResult };
  what: string;
}

/** Random points inside the county outline, the same ones every run (PostGIS's seeded generator). */
async function randomPointsInCounty(db: Database, count: number): Promise<LngLat[]> {
  // A few extra: over a MultiPolygon the generator shares the count among the parts and rounds.
  const rows = await db.rows<{ lng: number; lat: number }>(sql`
    SELECT ST_X(p.geom) AS lng, ST_Y(p.geom) AS lat
    FROM areas c, ST_Dump(ST_GeneratePoints(c.geom, ${count + 10}::int, 20240511)) AS p
    WHERE c.level = 'county'`);
  return rows.slice(0, count).map((row) => [row.lng, row.lat] as LngLat);
}

/** The SQL locateCell sends for a point, captured by running it over a handle that only records. */
function locateCellStatement(point: LngLat): { sql: string; params: unknown[] } {
  const dialect = new PgDialect();
  let captured: { sql: string; params: unknown[] } | undefined;
  void reportsRepository({
    rows: async (query) => {
      captured = dialect.sqlToQuery(query);
      return [];
    },
    read: () => Promise.reject(new Error('locateCell reads raw SQL only')),
  }).locateCell(point);
  if (!captured) throw new Error('locateCell sent no query');
  return captured;
}

function summary(latencies: number[], failures: number): LoadResult {
  const sorted = [...latencies].sort((a, b) => a - b);
  const seconds = sorted.reduce((sum, ms) => sum + ms, 0) / 1000;
  const at = (fraction: number) => sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? Number.NaN;
  return { requests: sorted.length, seconds, perSecond: sorted.length / seconds, p50Ms: at(0.5), p99Ms: at(0.99), failures };
}

/**
 * One caller: each point goes through both paths in turn (which goes first alternates), so a
 * busy moment of the machine costs both alike; throughput is points per second of query time.
 */
async function interleaved(
  count: number,
  passes: number,
  raw: (index: number) => Promise<boolean>,
  server: (index: number) => Promise<boolean>,
): Promise<{ raw: LoadResult; server: LoadResult }> {
  const times = { raw: [] as number[], server: [] as number[] };
  const failures = { raw: 0, server: 0 };
  const timed = async (path: 'raw' | 'server', index: number) => {
    const started = performance.now();
    const ok = await (path === 'raw' ? raw : server)(index);
    times[path].push(performance.now() - started);
    if (!ok) failures[path]++;
  };
  for (let pass = 0; pass < passes; pass++) {
    for (let index = 0; index < count; index++) {
      const first = (index + pass) % 2 === 0 ? 'raw' : 'server';
      await timed(first, index);
      await timed(first === 'raw' ? 'server' : 'raw', index);
    }
  }
  return { raw: summary(times.raw, failures.raw), server: summary(times.server, failures.server) };
}

/**
 * Times locateCell (drizzle over the app's pool, or over PGlite) against its own SQL on the
 * driver underneath the same handle: one caller interleaved point by point (the target), and 8
 * concurrent callers, each path run twice in turn and its better run kept.
 */
export async function benchAssignment(db: Database, count = 2_000): Promise<AssignmentResult> {
  const points = await randomPointsInCounty(db, count);
  const statements = points.map(locateCellStatement);
  // drizzle keeps the driver's client as $client: a pg Pool, or the PGlite instance; both have query(text, params).
  const driver = (db.orm as unknown as { $client: { query(text: string, params: unknown[]): Promise<{ rows: unknown[] }> } })
    .$client;
  const indexes = points.map((_, index) => index);
  const repository = reportsRepository(db);
  const server = async (index: number) => (await repository.locateCell(points[index]!)) !== undefined;
  const raw = async (index: number) => (await driver.query(statements[index]!.sql, statements[index]!.params)).rows.length === 1;

  let assigned = 0;
  for (const index of indexes) if (await server(index)) assigned++;
  await runLoad(indexes, 1, raw);
  const single = await interleaved(points.length, 2, raw, server);
  const best = (a: LoadResult, b: LoadResult) => (a.perSecond >= b.perSecond ? a : b);
  const rawC8 = [await runLoad(indexes, 8, raw)];
  const serverC8 = [await runLoad(indexes, 8, server)];
  rawC8.push(await runLoad(indexes, 8, raw));
  serverC8.push(await runLoad(indexes, 8, server));
  return {
    points: points.length,
    assigned,
    raw: { c1: single.raw, c8: best(rawC8[0]!, rawC8[1]!) },
    server: { c1: single.server, c8: best(serverC8[0]!, serverC8[1]!) },
    what: db.engine === 'postgres' ? 'pg Pool.query' : 'PGlite.query',
  };
}

const fmt = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

export function printAssignment(result: AssignmentResult): void {
  console.log(`\n### point-in-polygon assignment (${result.points} random points in the county, ${result.assigned} assigned)\n`);
  console.log('| path | clients | points/s | p50 ms | p99 ms | failures | time ratio to raw SQL |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  const row = (name: string, clients: 1 | 8, load: LoadResult, floor: LoadResult) =>
    console.log(
      `| ${name} | ${clients} | ${fmt(load.perSecond, 0)} | ${fmt(load.p50Ms, 2)} | ${fmt(load.p99Ms, 2)} | ${load.failures} | ${fmt(floor.perSecond / load.perSecond, 2)}x |`,
    );
  row(`raw SQL (${result.what})`, 1, result.raw.c1, result.raw.c1);
  row(`raw SQL (${result.what})`, 8, result.raw.c8, result.raw.c8);
  row('server (reports repository locateCell)', 1, result.server.c1, result.raw.c1);
  row('server (reports repository locateCell)', 8, result.server.c8, result.raw.c8);
}

/** Target rows for run.ts's table: [target, measured, met]. */
export function assignmentTargets(engine: string, result: AssignmentResult): [string, string, boolean][] {
  const ratio = result.raw.c1.perSecond / result.server.c1.perSecond;
  return [
    [`${engine}: assignment within 1.2x of its raw SQL (1 client)`, `${fmt(ratio, 2)}x`, ratio <= 1.2],
    [
      `${engine}: every random point in the county assigned a cell`,
      `${result.assigned}/${result.points}`,
      result.assigned === result.points,
    ],
  ];
}
