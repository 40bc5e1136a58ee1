/**
 * `npm run bench`: tile serving against the floor of raw PostGIS, measured in one run in
 * alternating rounds (on PostgreSQL also the same SQL with its result sent as bytes, and a bare
 * Node http + pg server running it as the API server does, for what the HTTP hop alone costs on
 * this machine, where the load, Node and PostgreSQL share its cores); then
 * point-in-polygon assignment against its raw SQL (assignment.ts) and the delivery of a new
 * report to 1,000 live streams against a bare Node SSE broadcast (live.ts); then page loads on a
 * throttled rural link in Chromium (pages.ts). `BENCH_ONLY=pages` runs the page loads alone,
 * `BENCH_ONLY=tiles` the engines, `BENCH_ONLY=patrols` patrol tracks at county scale (patrols.ts),
 * `BENCH_ONLY=special` the special-population heatmap (special-heatmap.ts), `BENCH_ONLY=review` the county's review (review.ts),
 * `BENCH_ONLY=tasks` a notice to every cell and grid of the county and its acknowledgement (tasks.ts).
 *
 * With DATABASE_URL it benchmarks PostgreSQL + PostGIS (in a fresh database `gcc_bench` on
 * that server) and then the embedded database, so the two can be compared; without it, the
 * embedded database only, and it says so. Each engine is seeded with the full reference county.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PgDialect } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { defaultReadConnections, openEmbeddedDatabase, openPostgresDatabase } from '../../api/db/client.ts';
import { selectBytes } from '../../api/db/copy-out.ts';
import { inlineParameters } from '../../api/db/literal.ts';
import { TILE_LAYERS } from '../../api/tiles/layers.ts';
import { mvtQuery, tilesRepository } from '../../api/tiles/repository.ts';
import { startServer } from '../support/server-process.ts';
import { benchAssignment } from './assignment.ts';
import { FLOOR_POOL_OPTIONS, startBareServer } from './bare-process.ts';
import { type EngineResult, printEngine, printTargets } from './engine-report.ts';
import { benchLiveDelivery } from './live.ts';
import { type LoadResult, runLoad } from './load.ts';
import { benchPageLoads, pageLoadTargets, printPageLoads } from './pages.ts';
import { benchPatrolCoverage } from './patrol-coverage.ts';
import { benchPatrols, patrolTargets, printPatrols } from './patrols.ts';
import { benchReviewEngines, reviewTargets } from './review.ts';
import { alternate, JIT_WARMUP_PASSES, measureServer, medianRound, ROUNDS, UNCACHED_PASSES, WARM_PASSES } from './rounds.ts';
import { benchSpecialHeatmap, printSpecialHeatmap, specialHeatmapTargets } from './special-heatmap.ts';
import { benchSpecialOverdueEngines } from './special-overdue.ts';
import { benchTasksEngines, tasksTargets } from './tasks.ts';
import {
  BENCH_PASSWORD,
  BENCH_USER,
  countyBbox,
  ensureBenchAccount,
  httpTask,
  largestTiles,
  signIn,
  type TileRequest,
  tileList,
  URBAN_CORE,
} from './tile-requests.ts';

/** The database the PostgreSQL section seeds: `gcc_bench` on the server DATABASE_URL names. */
function benchDatabaseUrl(postgresUrl: string): string {
  const url = new URL(postgresUrl);
  url.pathname = '/gcc_bench';
  return url.toString();
}

/**
 * `postgresSeeded`: for the PGlite section, whether the PostgreSQL section ran before it in this
 * run (its database is then there to measure beside PGlite, see EngineResult.postgresBeside).
 */
async function benchEngine(
  engine: 'postgres' | 'pglite',
  postgresUrl: string | undefined,
  postgresSeeded = false,
): Promise<EngineResult> {
  let storage: Record<string, string | undefined>;
  let cleanup: () => Promise<void>;
  let benchUrl = '';
  if (engine === 'postgres') {
    if (!postgresUrl) throw new Error('postgres bench needs DATABASE_URL');
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    await admin.query('DROP DATABASE IF EXISTS gcc_bench WITH (FORCE)');
    await admin.query('CREATE DATABASE gcc_bench');
    await admin.end();
    benchUrl = benchDatabaseUrl(postgresUrl);
    storage = { DATABASE_URL: benchUrl };
    cleanup = async () => {};
  } else {
    const dataDir = mkdtempSync(join(tmpdir(), 'gcc-bench-'));
    storage = { DATABASE_URL: undefined, DATA_DIR: dataDir };
    cleanup = async () => rmSync(dataDir, { recursive: true, force: true });
  }
  const base = { ...storage, COUNTY_PRESET: 'full' };
  console.log(`\n[${engine}] first start: migrate and seed the full county…`);
  const first = await startServer({ ...base, TILE_CACHE_ENTRIES: '0' });
  const firstRss = first.peakRssMiB();
  await first.stop();
  const open = () => (engine === 'postgres' ? openPostgresDatabase(benchUrl) : openEmbeddedDatabase(storage.DATA_DIR!));
  await ensureBenchAccount(open);
  const tiles = tileList(await countyBbox(open));
  console.log(`[${engine}] first start ${(first.readyMs / 1000).toFixed(1)} s; ${tiles.length} tiles in the list`);

  const assignmentDb = await open();
  const assignment = await benchAssignment(assignmentDb).finally(() => assignmentDb.close());
  const coverageDb = await open();
  const patrolCoverage = await benchPatrolCoverage(coverageDb).finally(() => coverageDb.close());

  let raw: EngineResult['raw'];
  let bare: EngineResult['bare'];
  let rawCopy: EngineResult['rawCopy'];
  let rawAdmitted: EngineResult['rawAdmitted'];
  let cpu: EngineResult['cpu'];
  /** PostgreSQL: the raw SQL on its pool, kept for the warm rounds, and how to close that pool. */
  let floor: { task: (tile: TileRequest) => Promise<boolean>; close: () => Promise<void> } | undefined;
  let coldResult: EngineResult['cold'];
  let postgresBeside: LoadResult | undefined;
  let secondStartMs: number;
  let sizes: EngineResult['largestTiles'];
  let coldRss: number;
  if (engine === 'postgres') {
    const dialect = new PgDialect();
    const statements = tiles.map((tile) => dialect.sqlToQuery(mvtQuery(TILE_LAYERS[tile.layer]!, tile.z, tile.x, tile.y)));
    const pool = new pg.Pool({ connectionString: benchUrl, max: 8, ...FLOOR_POOL_OPTIONS });
    const statementOf = new Map(tiles.map((tile, index) => [tile, statements[index]!]));
    const rawTask = async (tile: TileRequest) => {
      const statement = statementOf.get(tile)!;
      return (await pool.query(statement.sql, statement.params)).rowCount === 1;
    };
    const inlined = new Map(
      tiles.map((tile) => [tile, inlineParameters(mvtQuery(TILE_LAYERS[tile.layer]!, tile.z, tile.x, tile.y))]),
    );
    const copyOver = (copyPool: pg.Pool) => async (tile: TileRequest) => {
      const client = await copyPool.connect();
      try {
        await selectBytes(client, inlined.get(tile)!);
        return true;
      } finally {
        client.release();
      }
    };
    const admittedConnections = defaultReadConnections();
    const admittedPool = new pg.Pool({
      connectionString: benchUrl,
      max: admittedConnections,
      ...FLOOR_POOL_OPTIONS,
    });
    const bareServer = await startBareServer('tests/bench/bare-tiles.ts', { BARE_DATABASE_URL: benchUrl });
    const cold = await startServer({ ...base, TILE_CACHE_ENTRIES: '0' });
    secondStartMs = cold.readyMs;
    console.log(`[${engine}] second start ${(secondStartMs / 1000).toFixed(1)} s`);
    await signIn(cold);
    const paths = {
      raw: { task: rawTask },
      rawCopy: { task: copyOver(pool) },
      rawAdmitted: { task: copyOver(admittedPool) },
      bare: { task: httpTask(bareServer), pid: bareServer.pid },
      server: { task: httpTask(cold), pid: cold.pid },
    };
    for (const { task } of Object.values(paths)) await runLoad(tiles, 8, task, JIT_WARMUP_PASSES);
    const c1 = await alternate(paths, tiles, 1);
    const c8 = await alternate(paths, tiles, 8);
    cpu = {
      raw: c8.raw.cpu,
      rawCopy: c8.rawCopy.cpu,
      rawAdmitted: c8.rawAdmitted.cpu,
      bare: c8.bare.cpu,
      server: c8.server.cpu,
    };
    raw = { c1: c1.raw, c8: c8.raw, what: 'ST_AsMVT SQL over pg' };
    rawCopy = { c1: c1.rawCopy, c8: c8.rawCopy };
    rawAdmitted = { c1: c1.rawAdmitted, c8: c8.rawAdmitted, connections: admittedConnections };
    bare = { c1: c1.bare, c8: c8.bare };
    coldResult = { c1: c1.server, c8: c8.server };
    sizes = await largestTiles(cold, tiles);
    coldRss = cold.peakRssMiB();
    await Promise.all([cold.stop(), bareServer.stop(), admittedPool.end()]);
    floor = { task: rawTask, close: () => pool.end() };
  } else {
    // PGlite admits one process, so its floor is measured in this process while no server holds
    // the data folder: the rounds alternate by closing one and starting the other.
    const rounds: { raw: LoadResult[][]; server: LoadResult[][]; postgres: LoadResult[] } = {
      raw: [[], []],
      server: [[], []],
      postgres: [],
    };
    secondStartMs = 0;
    sizes = [];
    coldRss = 0;
    const postgresServer =
      postgresSeeded && postgresUrl
        ? await startServer({ DATABASE_URL: benchDatabaseUrl(postgresUrl), COUNTY_PRESET: 'full', TILE_CACHE_ENTRIES: '0' })
        : null;
    if (postgresServer) {
      await signIn(postgresServer);
      await runLoad(tiles, 8, httpTask(postgresServer), JIT_WARMUP_PASSES);
    }
    for (let round = 0; round < ROUNDS; round++) {
      const db = await openEmbeddedDatabase(storage.DATA_DIR!);
      const repository = tilesRepository(db);
      const task = async (tile: TileRequest) =>
        Array.isArray(await repository.features(TILE_LAYERS[tile.layer]!, tile.z, tile.x, tile.y));
      await runLoad(tiles, 8, task, JIT_WARMUP_PASSES);
      rounds.raw[0]!.push(await runLoad(tiles, 1, task, UNCACHED_PASSES));
      rounds.raw[1]!.push(await runLoad(tiles, 8, task, UNCACHED_PASSES));
      await db.close();
      const cold = await startServer({ ...base, TILE_CACHE_ENTRIES: '0' });
      if (round === 0) {
        secondStartMs = cold.readyMs;
        console.log(`[${engine}] second start ${(secondStartMs / 1000).toFixed(1)} s`);
      }
      await signIn(cold);
      await runLoad(tiles, 8, httpTask(cold), JIT_WARMUP_PASSES);
      rounds.server[0]!.push(await runLoad(tiles, 1, httpTask(cold), UNCACHED_PASSES));
      rounds.server[1]!.push(await runLoad(tiles, 8, httpTask(cold), UNCACHED_PASSES));
      if (round === ROUNDS - 1) sizes = await largestTiles(cold, tiles);
      coldRss = Math.max(coldRss, cold.peakRssMiB());
      await cold.stop();
      if (postgresServer) rounds.postgres.push(await runLoad(tiles, 8, httpTask(postgresServer), UNCACHED_PASSES));
    }
    await postgresServer?.stop();
    if (postgresServer) postgresBeside = medianRound(rounds.postgres);
    raw = {
      c1: medianRound(rounds.raw[0]!),
      c8: medianRound(rounds.raw[1]!),
      what: 'tile-cut SQL in-process (no ST_AsMVT in PGlite)',
    };
    coldResult = { c1: medianRound(rounds.server[0]!), c8: medianRound(rounds.server[1]!) };
  }
  console.log(
    `[${engine}] 8 clients: raw SQL ${raw.c8.perSecond.toFixed(0)} tiles/s` +
      (bare ? `, bare Node ${bare.c8.perSecond.toFixed(0)}` : '') +
      `, server uncached ${coldResult.c8.perSecond.toFixed(0)}`,
  );

  const warm = await startServer({ ...base, TILE_CACHE_ENTRIES: '50000' });
  await signIn(warm);
  // Fills the cache, then gives V8 time to compile the hot path: the first few thousand warm
  // requests of a fresh process run at a third of the speed of the later ones.
  await runLoad(tiles, 8, httpTask(warm), JIT_WARMUP_PASSES * 2);
  let warmResult: EngineResult['warm'];
  let warmFloor: EngineResult['warmFloor'];
  let warmIdentity: EngineResult['warmIdentity'];
  if (floor) {
    const warmPaths = {
      raw: { task: floor.task },
      warm: { task: httpTask(warm), passes: WARM_PASSES },
      warmIdentity: { task: httpTask(warm, { acceptGzip: false }), passes: WARM_PASSES },
    };
    const c1 = await alternate(warmPaths, tiles, 1);
    const c8 = await alternate(warmPaths, tiles, 8);
    warmResult = { c1: c1.warm, c8: c8.warm };
    warmIdentity = { c1: c1.warmIdentity, c8: c8.warmIdentity };
    warmFloor = { c1: c1.raw, c8: c8.raw };
    await floor.close();
  } else {
    warmResult = await measureServer(warm, tiles, WARM_PASSES);
    warmIdentity = await measureServer(warm, tiles, WARM_PASSES, { acceptGzip: false });
  }
  const warmRss = warm.peakRssMiB();
  console.log(`[${engine}] live delivery: 1,000 event streams on the server and on a bare Node SSE server…`);
  const live = await benchLiveDelivery({
    serverUrl: warm.url,
    username: BENCH_USER,
    password: BENCH_PASSWORD,
    point: URBAN_CORE,
  });
  await warm.stop();
  await cleanup();
  return {
    engine,
    firstStartMs: first.readyMs,
    secondStartMs,
    peakRssMiB: Math.max(firstRss, coldRss, warmRss),
    raw,
    ...(rawCopy ? { rawCopy } : {}),
    ...(rawAdmitted ? { rawAdmitted } : {}),
    ...(bare ? { bare } : {}),
    ...(warmFloor ? { warmFloor } : {}),
    ...(postgresBeside ? { postgresBeside } : {}),
    ...(cpu ? { cpu } : {}),
    cold: coldResult,
    warm: warmResult,
    warmIdentity,
    largestTiles: sizes,
    tileCount: tiles.length,
    assignment,
    patrolCoverage,
    live,
  };
}

/**
 * The parts `BENCH_ONLY` may name: `tiles` (the engines: tiles, assignment, live delivery),
 * `pages` (page loads), `patrols` (patrol tracks at county scale, PostgreSQL only) or `special`
 * (the special-population heatmap at 30,000 and 300,000 visits, special-heatmap.ts, and the county's
 * overdue list of the registers on each engine, special-overdue.ts), or `review` (the county's review
 * for a year, every level, against its raw SQL on each engine, review.ts), or `tasks` (a notice to every
 * cell and grid of the full county against the raw insert of its rows, and its acknowledgement over
 * HTTP, tasks.ts).
 */
const PARTS = ['tiles', 'pages', 'patrols', 'special', 'review', 'tasks'] as const;

async function main(): Promise<void> {
  // BENCH_ONLY=pages measures the page loads alone (a small county, no full-county seed); =tiles the rest.
  const part = process.env.BENCH_ONLY || undefined;
  if (part && !PARTS.includes(part as (typeof PARTS)[number])) throw new Error(`BENCH_ONLY must be one of ${PARTS.join(', ')}`);
  const results: EngineResult[] = [];
  const postgresUrl = process.env.DATABASE_URL || undefined;
  if (part === 'patrols' && !postgresUrl) throw new Error('BENCH_ONLY=patrols needs DATABASE_URL (PostgreSQL + PostGIS)');
  if (!part || part === 'tiles') {
    if (!postgresUrl)
      console.log(
        'DATABASE_URL is not set: benchmarking the embedded database only (set it to compare with PostgreSQL + PostGIS).',
      );
    // BENCH_ENGINE=postgres (or pglite) measures one engine only, for a quicker look at one change.
    const only = process.env.BENCH_ENGINE;
    const engines = (postgresUrl ? (['postgres', 'pglite'] as const) : (['pglite'] as const)).filter(
      (engine) => !only || engine === only,
    );
    for (const engine of engines) {
      results.push(
        await benchEngine(
          engine,
          postgresUrl,
          results.some((result) => result.engine === 'postgres'),
        ),
      );
    }
  }
  const patrols = (!part || part === 'patrols') && postgresUrl ? await benchPatrols(postgresUrl) : null;
  const special = !part || part === 'special' ? await benchSpecialHeatmap(postgresUrl) : null;
  const pages = !part || part === 'pages' ? await benchPageLoads() : null;
  const review = !part || part === 'review' ? await benchReviewEngines(postgresUrl) : null;
  const tasks = !part || part === 'tasks' ? await benchTasksEngines(postgresUrl) : null;
  // Printed as each engine is measured.
  if (!part || part === 'special') await benchSpecialOverdueEngines(postgresUrl);
  for (const result of results) printEngine(result);
  if (patrols) printPatrols(patrols);
  if (special) printSpecialHeatmap(special);
  if (pages) printPageLoads(pages);
  printTargets(results, [
    ...(patrols ? patrolTargets(patrols) : []),
    ...(special ? specialHeatmapTargets(postgresUrl ? 'postgres' : 'pglite', special) : []),
    ...(pages ? pageLoadTargets(pages) : []),
    ...(review ? reviewTargets(review) : []),
    ...(tasks ? tasksTargets(tasks) : []),
  ]);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
