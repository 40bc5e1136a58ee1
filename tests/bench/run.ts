/**
 * `npm run bench`: tile serving against the floor of raw PostGIS, measured in one run in
 * alternating rounds (on PostgreSQL also the same SQL with its result sent as bytes, and a bare
 * Node http + pg server running it as the API server does, for what the HTTP hop alone costs on
 * this machine, where the load, Node and PostgreSQL share its cores); then
 * point-in-polygon assignment against its raw SQL (assignment.ts) and the delivery of a new
 * report to 1,000 live streams against a bare Node SSE broadcast (live.ts); then page loads on a
 * throttled rural link in Chromium (pages.ts). `BENCH_ONLY=pages` runs the page loads alone,
 * `BENCH_ONLY=tiles` everything else.
 *
 * With DATABASE_URL it benchmarks PostgreSQL + PostGIS (in a fresh database `gcc_bench` on
 * that server) and then the embedded database, so the two can be compared; without it, the
 * embedded database only, and it says so. Each engine is seeded with the full reference county.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { createAccountAsSystem } from '../../api/accounts/service.ts';
import { type Database, defaultReadConnections, openEmbeddedDatabase, openPostgresDatabase } from '../../api/db/client.ts';
import { selectBytes } from '../../api/db/copy-out.ts';
import { inlineParameters } from '../../api/db/literal.ts';
import { TILE_LAYERS } from '../../api/tiles/layers.ts';
import { mvtQuery, tilesRepository } from '../../api/tiles/repository.ts';
import { type ServerProcess, startServer } from '../support/server-process.ts';
import { type AssignmentResult, assignmentTargets, benchAssignment, printAssignment } from './assignment.ts';
import { FLOOR_POOL_OPTIONS, startBareServer } from './bare-process.ts';
import { KeepAliveClient } from './http-client.ts';
import { benchLiveDelivery, type LiveDeliveryResult, liveDeliveryTargets, printLiveDelivery } from './live.ts';
import { type LoadResult, runLoad } from './load.ts';
import { benchPageLoads, pageLoadTargets, printPageLoads } from './pages.ts';

interface TileRequest {
  layer: string;
  z: number;
  x: number;
  y: number;
}

const URBAN_CORE: [number, number] = [107.245, 31.912];

function tileOf(lng: number, lat: number, z: number): [number, number] {
  const n = 2 ** z;
  const latRad = (lat * Math.PI) / 180;
  return [
    Math.floor(((lng + 180) / 360) * n),
    Math.floor(((1 - Math.log(Math.tan(latRad) + 1 / Math.cos(latRad)) / Math.PI) / 2) * n),
  ];
}

/** The county at z8-z10 (every tile over its bounds, every area layer) and the urban core from z11 to z16. */
function tileList(bbox: [number, number, number, number]): TileRequest[] {
  const tiles: TileRequest[] = [];
  for (const z of [8, 9, 10]) {
    const [xMin, yMin] = tileOf(bbox[0], bbox[3], z);
    const [xMax, yMax] = tileOf(bbox[2], bbox[1], z);
    for (let x = xMin; x <= xMax; x++) {
      for (let y = yMin; y <= yMax; y++)
        for (const layer of ['township', 'village', 'grid', 'cell']) tiles.push({ layer, z, x, y });
    }
  }
  for (let z = 11; z <= 16; z++) {
    const [cx, cy] = tileOf(URBAN_CORE[0], URBAN_CORE[1], z);
    for (const [dx, dy] of [
      [0, 0],
      [1, 0],
      [0, 1],
      [1, 1],
    ] as const) {
      for (const layer of ['village', 'grid', 'cell', 'household']) {
        if (z >= (TILE_LAYERS[layer]?.minzoom ?? 0)) tiles.push({ layer, z, x: cx + dx, y: cy + dy });
      }
    }
  }
  return tiles;
}

const BENCH_USER = 'bench';
const BENCH_PASSWORD = 'bench-pass-2024';
/** Session cookies per server URL: every tile request is signed in, as the web client's are. */
const sessions = new Map<string, string>();

async function signIn(server: ServerProcess): Promise<void> {
  const response = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: server.url },
    body: JSON.stringify({ username: BENCH_USER, password: BENCH_PASSWORD }),
  });
  if (response.status !== 200) throw new Error(`bench sign-in failed: ${response.status} ${await response.text()}`);
  sessions.set(
    server.url,
    response.headers
      .getSetCookie()
      .map((cookie) => cookie.split(';')[0])
      .join('; '),
  );
}

/** A county-wide account for the benchmark, created while no server holds the database. */
async function ensureBenchAccount(open: () => Promise<Database>): Promise<void> {
  const db = await open();
  try {
    const [row] = await db.rows<{ count: number }>(
      sql`SELECT count(*)::int AS count FROM accounts WHERE username = ${BENCH_USER}`,
    );
    if (!row?.count) {
      await createAccountAsSystem(db, {
        username: BENCH_USER,
        displayName: '基准测试',
        role: 'county_commander',
        scopeCode: '511921',
        password: BENCH_PASSWORD,
      });
    }
  } finally {
    await db.close();
  }
}

/**
 * One keep-alive client per server, as a browser keeps its connections (see http-client.ts for
 * why not node:http's: the load generator shares the cores with the server it measures).
 */
const clients = new Map<string, KeepAliveClient>();

/**
 * GETs one tile on the server's keep-alive client. `keep` collects the body; without it the body
 * is only counted, as the load needs no more, and keeping every body costs this process (which
 * shares the cores with the server) a copy of each. Resolves to the body (empty for 204), the
 * byte count, or null for any other status or a failed request. `acceptGzip` sends
 * `Accept-Encoding: gzip`, as every browser does (the count is then of the bytes on the wire).
 */
function getTile(server: Pick<ServerProcess, 'url'>, tile: TileRequest, keep: true): Promise<Uint8Array | null>;
function getTile(server: Pick<ServerProcess, 'url'>, tile: TileRequest, keep: false, acceptGzip: boolean): Promise<number | null>;
async function getTile(
  server: Pick<ServerProcess, 'url'>,
  tile: TileRequest,
  keep: boolean,
  acceptGzip = false,
): Promise<Uint8Array | number | null> {
  let client = clients.get(server.url);
  if (!client) {
    client = KeepAliveClient.of(server.url);
    clients.set(server.url, client);
  }
  const cookie = sessions.get(server.url);
  const headers = `${cookie ? `Cookie: ${cookie}\r\n` : ''}${acceptGzip ? 'Accept-Encoding: gzip\r\n' : ''}`;
  try {
    const { status, bytes, body } = await client.get(`/tiles/${tile.layer}/${tile.z}/${tile.x}/${tile.y}.mvt`, headers, keep);
    if (status !== 200 && status !== 204) return null;
    return keep ? (body ?? Buffer.alloc(0)) : bytes;
  } catch {
    return null;
  }
}

/**
 * Tile requests as the map's browser sends them: with `Accept-Encoding: gzip`, so a cached tile
 * goes out in the gzip the cache keeps beside it (an uncached tile is sent as it is either way).
 * `acceptGzip: false` asks for the tile as it is, as a client without gzip would.
 */
const httpTask =
  (server: Pick<ServerProcess, 'url'>, { acceptGzip = true } = {}) =>
  async (tile: TileRequest) =>
    (await getTile(server, tile, false, acceptGzip)) !== null;

interface EngineResult {
  engine: 'postgres' | 'pglite';
  firstStartMs: number;
  secondStartMs: number;
  peakRssMiB: number;
  raw: { c1: LoadResult; c8: LoadResult; what: string };
  /**
   * PostgreSQL only: the same SQL with its result sent as bytes (binary COPY, as the server
   * reads it) rather than as the hex text node-postgres asks for; a lower floor, for reference.
   */
  rawCopy?: { c1: LoadResult; c8: LoadResult };
  /**
   * PostgreSQL only: the binary COPY again, through a pool of as many connections as the server
   * reads over (defaultReadConnections), so no more statements run at once than the server lets
   * in; what the database gives at that admission, for reference.
   */
  rawAdmitted?: { c1: LoadResult; c8: LoadResult; connections: number };
  /** PostgreSQL only: a bare Node http server running the same SQL (bare-tiles.ts), for what HTTP alone costs. */
  bare?: { c1: LoadResult; c8: LoadResult };
  cold: { c1: LoadResult; c8: LoadResult };
  /** Warm cache, asked as a browser asks (Accept-Encoding: gzip). */
  warm: { c1: LoadResult; c8: LoadResult };
  /** Warm cache, asked without Accept-Encoding: the tiles as they are, three to four times the bytes. */
  warmIdentity: { c1: LoadResult; c8: LoadResult };
  /**
   * PostgreSQL only: the raw SQL again, in rounds alternating with the warm cache's, which the
   * warm ratio is taken against (a floor measured minutes earlier may have met a faster spell).
   */
  warmFloor?: { c1: LoadResult; c8: LoadResult };
  /**
   * PGlite only, when PostgreSQL was measured in the same run: the PostgreSQL server (cache cold,
   * 8 clients) again, in rounds alternating with the PGlite server's, which the embedded target
   * is taken against: the PostgreSQL section ran minutes earlier, and its two cores gain more in
   * a fast spell of this machine than PGlite's one does.
   */
  postgresBeside?: LoadResult;
  /** PostgreSQL only: CPU per tile of each uncached path at 8 clients. */
  cpu?: Record<'raw' | 'rawCopy' | 'rawAdmitted' | 'bare' | 'server', CpuPerRequest>;
  largestTiles: { z: number; layer: string; raw: number; gzip: number }[];
  tileCount: number;
  assignment: AssignmentResult;
  live: LiveDeliveryResult;
}

/**
 * Rounds per path when paths alternate; each path's figure is its median round. Five rounds of
 * two passes (a few seconds each): with three rounds of one pass (under a second at 8 clients)
 * one slow spell of this shared machine could move a figure by a fifth.
 */
const ROUNDS = 5;
/** Passes over the tiles per round of an uncached path. */
const UNCACHED_PASSES = 2;
/** Passes over the tiles per measurement of the warm cache, which serves a pass in a few dozen ms. */
const WARM_PASSES = 20;
/**
 * Passes over the tiles each path serves before it is measured, cache still off, so that V8 has
 * compiled the code a long-running server runs. A fresh server spent about a fifth of its CPU
 * in V8's optimising compiler during its first passes: its CPU per tile at 8 clients fell from
 * 2.4 ms on the first pass to 0.9 on the fourth and settled near 0.5 after about fourteen (the
 * bare server's, from 1.7 to 0.3). Measured after one pass, the server was being compared
 * while still compiling.
 */
const JIT_WARMUP_PASSES = 16;

/** The round with the median throughput (its latencies come with it). */
function medianRound(results: LoadResult[]): LoadResult {
  const sorted = [...results].sort((a, b) => a.perSecond - b.perSecond);
  return sorted[Math.floor(sorted.length / 2)] as LoadResult;
}

/** Linux's USER_HZ, the unit of /proc/<pid>/stat's utime and stime. */
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU seconds a process has used so far, from /proc (Linux); 0 where it cannot be read. */
function processCpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** CPU seconds used so far by every local process named postgres (the server and its backends); 0 when none is visible. */
function postgresCpuSeconds(): number {
  let seconds = 0;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return 0;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').startsWith('postgres')) seconds += processCpuSeconds(Number(entry));
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return seconds;
}

/** Milliseconds of CPU per request over all rounds of one path: PostgreSQL's, the server's (if any) and the load's own. */
interface CpuPerRequest {
  postgresMs: number;
  serverMs: number | null;
  clientMs: number;
}

interface AlternatedPath {
  task: (tile: TileRequest) => Promise<boolean>;
  /** Passes over the tiles per round (default UNCACHED_PASSES). */
  passes?: number;
  /** The process serving the path, whose CPU is counted; none for SQL run from this process. */
  pid?: number;
}

/**
 * Measures several paths over the same tiles in alternating rounds (a, b, c, a, b, c, …), so
 * that a slow spell of this machine (its cores are shared with other guests of the host, and
 * runs have differed by a quarter) falls on all of them alike; each path's figure is its median
 * round. Also counts the CPU each path costs per request, since here the load, Node and
 * PostgreSQL share two cores and throughput follows the CPU a request costs in all three.
 */
async function alternate<K extends string>(
  paths: Record<K, AlternatedPath>,
  tiles: TileRequest[],
  concurrency: number,
): Promise<Record<K, LoadResult & { cpu: CpuPerRequest }>> {
  const keys = Object.keys(paths) as K[];
  const rounds = new Map(keys.map((key) => [key, [] as LoadResult[]]));
  const cpu = new Map(keys.map((key) => [key, { postgres: 0, server: 0, client: 0, requests: 0 }]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const key of keys) {
      const { task, passes = UNCACHED_PASSES, pid } = paths[key];
      const before = { postgres: postgresCpuSeconds(), server: pid ? processCpuSeconds(pid) : 0, client: process.cpuUsage() };
      const result = await runLoad(tiles, concurrency, task, passes);
      const used = cpu.get(key)!;
      used.postgres += postgresCpuSeconds() - before.postgres;
      used.server += pid ? processCpuSeconds(pid) - before.server : 0;
      const client = process.cpuUsage(before.client);
      used.client += (client.user + client.system) / 1e6;
      used.requests += result.requests;
      rounds.get(key)!.push(result);
    }
  }
  return Object.fromEntries(
    keys.map((key) => {
      const used = cpu.get(key)!;
      const perRequest = (seconds: number) => (1000 * seconds) / used.requests;
      return [
        key,
        {
          ...medianRound(rounds.get(key)!),
          cpu: {
            postgresMs: perRequest(used.postgres),
            serverMs: paths[key].pid ? perRequest(used.server) : null,
            clientMs: perRequest(used.client),
          },
        },
      ];
    }),
  ) as Record<K, LoadResult & { cpu: CpuPerRequest }>;
}

async function measureServer(
  server: Pick<ServerProcess, 'url'>,
  tiles: TileRequest[],
  passes: number,
  options: { acceptGzip?: boolean } = {},
) {
  const task = httpTask(server, options);
  return { c1: await runLoad(tiles, 1, task, passes), c8: await runLoad(tiles, 8, task, passes) };
}

async function largestTiles(server: ServerProcess, tiles: TileRequest[]) {
  const largest = new Map<number, { z: number; layer: string; raw: number; gzip: number }>();
  for (const tile of tiles) {
    const body = await getTile(server, tile, true);
    if (!body || body.length === 0) continue;
    const current = largest.get(tile.z);
    if (!current || body.length > current.raw)
      largest.set(tile.z, { z: tile.z, layer: tile.layer, raw: body.length, gzip: gzipSync(body).length });
  }
  return [...largest.values()].sort((a, b) => a.z - b.z);
}

async function countyBbox(open: () => Promise<Database>): Promise<[number, number, number, number]> {
  const db = await open();
  try {
    const [county] = await db.rows<{ west: number; south: number; east: number; north: number }>(
      sql`SELECT ST_XMin(geom) AS west, ST_YMin(geom) AS south, ST_XMax(geom) AS east, ST_YMax(geom) AS north FROM areas WHERE level = 'county'`,
    );
    if (!county) throw new Error('no county after the first start');
    return [county.west, county.south, county.east, county.north];
  } finally {
    await db.close();
  }
}

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
    live,
  };
}

const fmt = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

function printEngine(result: EngineResult): void {
  console.log(
    `\n## ${result.engine === 'postgres' ? 'PostgreSQL + PostGIS' : 'embedded PGlite + PostGIS'} (${result.tileCount} tiles per pass)\n`,
  );
  console.log('| path | clients | tiles/s | p50 ms | p99 ms | failures | ratio to raw SQL |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  const row = (name: string, clients: 1 | 8, load: LoadResult, against: { c1: LoadResult; c8: LoadResult } = result.raw) => {
    const floor = clients === 1 ? against.c1 : against.c8;
    console.log(
      `| ${name} | ${clients} | ${fmt(load.perSecond, 0)} | ${fmt(load.p50Ms, 2)} | ${fmt(load.p99Ms, 2)} | ${load.failures} | ${fmt(load.perSecond / floor.perSecond, 2)}x |`,
    );
  };
  row(`raw SQL (${result.raw.what})`, 1, result.raw.c1);
  row(`raw SQL (${result.raw.what})`, 8, result.raw.c8);
  if (result.rawCopy) {
    row('raw SQL, result as bytes by binary COPY', 1, result.rawCopy.c1);
    row('raw SQL, result as bytes by binary COPY', 8, result.rawCopy.c8);
  }
  if (result.rawAdmitted) {
    const name = `raw SQL by binary COPY, ${result.rawAdmitted.connections} at once (the server's read connections)`;
    row(name, 1, result.rawAdmitted.c1);
    row(name, 8, result.rawAdmitted.c8);
  }
  if (result.bare) {
    row('bare Node http + pg, same SQL (no sign-in, scope or cache)', 1, result.bare.c1);
    row('bare Node http + pg, same SQL (no sign-in, scope or cache)', 8, result.bare.c8);
  }
  row('server, cache cold', 1, result.cold.c1);
  row('server, cache cold', 8, result.cold.c8);
  if (result.warmFloor) {
    row('raw SQL again, alternating with the warm cache', 1, result.warmFloor.c1, result.warmFloor);
    row('raw SQL again, alternating with the warm cache', 8, result.warmFloor.c8, result.warmFloor);
  }
  row('server, cache warm (Accept-Encoding: gzip, as a browser asks)', 1, result.warm.c1, result.warmFloor);
  row('server, cache warm (Accept-Encoding: gzip, as a browser asks)', 8, result.warm.c8, result.warmFloor);
  row('server, cache warm, without Accept-Encoding (tiles as they are)', 1, result.warmIdentity.c1, result.warmFloor);
  row('server, cache warm, without Accept-Encoding (tiles as they are)', 8, result.warmIdentity.c8, result.warmFloor);
  if (result.postgresBeside) {
    row('PostgreSQL server, cache cold, in rounds beside the PGlite server', 8, result.postgresBeside);
  }
  if (result.cpu) {
    const ms = (value: number | null) => (value === null ? '–' : fmt(value, 2));
    console.log('\nCPU per tile at 8 clients, ms (PostgreSQL: every local postgres process; load: this process):\n');
    console.log('| path | PostgreSQL | server | load | total |\n| --- | --- | --- | --- | --- |');
    const names = {
      raw: 'raw SQL over pg',
      rawCopy: 'raw SQL by binary COPY',
      rawAdmitted: 'raw SQL by binary COPY, as many at once as the server',
      bare: 'bare Node http + pg',
      server: 'server, cache cold',
    };
    for (const [key, name] of Object.entries(names)) {
      const { postgresMs, serverMs, clientMs } = result.cpu[key as keyof typeof names];
      console.log(
        `| ${name} | ${ms(postgresMs)} | ${ms(serverMs)} | ${ms(clientMs)} | ${ms(postgresMs + (serverMs ?? 0) + clientMs)} |`,
      );
    }
  }
  console.log('\n| zoom | largest tile | raw | gzip |\n| --- | --- | --- | --- |');
  for (const tile of result.largestTiles) console.log(`| ${tile.z} | ${tile.layer} | ${kb(tile.raw)} | ${kb(tile.gzip)} |`);
  console.log(
    `\nfirst start (migrate + seed full county): ${fmt(result.firstStartMs / 1000)} s; second start: ${fmt(result.secondStartMs / 1000)} s; server peak memory: ${fmt(result.peakRssMiB, 0)} MiB`,
  );
  printAssignment(result.assignment);
  printLiveDelivery(result.live);
}

function printTargets(results: EngineResult[], pageTargets: [string, string, boolean][]): void {
  const postgres = results.find((result) => result.engine === 'postgres');
  const pglite = results.find((result) => result.engine === 'pglite');
  const checks: [string, string, boolean][] = [];
  if (postgres) {
    const coldRatio = postgres.cold.c8.perSecond / postgres.raw.c8.perSecond;
    const warmRatio = postgres.warm.c8.perSecond / (postgres.warmFloor ?? postgres.raw).c8.perSecond;
    checks.push(['PostgreSQL cold cache, 8 clients ≥ 0.9x raw ST_AsMVT', `${fmt(coldRatio, 3)}x`, coldRatio >= 0.9]);
    if (postgres.rawCopy) {
      const copyRatio = postgres.cold.c8.perSecond / postgres.rawCopy.c8.perSecond;
      checks.push([
        'PostgreSQL cold cache, 8 clients ≥ 0.9x raw ST_AsMVT with its result by binary COPY (the lower floor)',
        `${fmt(copyRatio, 3)}x`,
        copyRatio >= 0.9,
      ]);
    }
    const identityRatio = postgres.warmIdentity.c8.perSecond / (postgres.warmFloor ?? postgres.raw).c8.perSecond;
    checks.push([
      'PostgreSQL warm cache, 8 clients ≥ 20x raw ST_AsMVT (asked as a browser asks, gzip)',
      `${fmt(warmRatio, 1)}x (${fmt(identityRatio, 1)}x without Accept-Encoding)`,
      warmRatio >= 20,
    ]);
  }
  if (postgres && pglite) {
    const beside = pglite.postgresBeside;
    const slower = (beside ?? postgres.cold.c8).perSecond / pglite.cold.c8.perSecond;
    checks.push([
      `embedded uncached ≤ 3x slower than PostgreSQL uncached (8 clients${beside ? ', measured in alternating rounds' : ''})`,
      `${fmt(slower, 2)}x slower`,
      slower <= 3,
    ]);
  }
  for (const result of results) {
    const z8 = result.largestTiles.find((tile) => tile.z === 8);
    if (z8) checks.push([`${result.engine}: largest z8 tile ≤ 300 KB gzipped`, kb(z8.gzip), z8.gzip <= 300 * 1024]);
    checks.push([
      `${result.engine}: first start with full seed ≤ 120 s`,
      `${fmt(result.firstStartMs / 1000)} s`,
      result.firstStartMs <= 120_000,
    ]);
    checks.push([
      `${result.engine}: second start ≤ 10 s`,
      `${fmt(result.secondStartMs / 1000)} s`,
      result.secondStartMs <= 10_000,
    ]);
  }
  if (pglite) checks.push(['embedded server memory < 1.5 GB', `${fmt(pglite.peakRssMiB, 0)} MiB`, pglite.peakRssMiB < 1536]);
  console.log('\n## targets\n\n| target | measured | met |\n| --- | --- | --- |');
  for (const result of results) {
    checks.push(...assignmentTargets(result.engine, result.assignment), ...liveDeliveryTargets(result.engine, result.live));
  }
  checks.push(...pageTargets);
  for (const [target, measured, met] of checks) console.log(`| ${target} | ${measured} | ${met ? 'yes' : 'NO'} |`);
}

/** The parts `BENCH_ONLY` may name: `tiles` (the engines: tiles, assignment, live delivery) or `pages` (page loads). */
const PARTS = ['tiles', 'pages'] as const;

async function main(): Promise<void> {
  // BENCH_ONLY=pages measures the page loads alone (a small county, no full-county seed); =tiles the rest.
  const part = process.env.BENCH_ONLY || undefined;
  if (part && !PARTS.includes(part as (typeof PARTS)[number])) throw new Error(`BENCH_ONLY must be one of ${PARTS.join(', ')}`);
  const results: EngineResult[] = [];
  if (part !== 'pages') {
    const postgresUrl = process.env.DATABASE_URL || undefined;
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
  const pages = part === 'tiles' ? null : await benchPageLoads();
  for (const result of results) printEngine(result);
  if (pages) printPageLoads(pages);
  printTargets(results, pages ? pageLoadTargets(pages) : []);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
