import { gzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { createAccountAsSystem } from '../../api/accounts/service.ts';
import type { Database } from '../../api/db/client.ts';
import { TILE_LAYERS } from '../../api/tiles/layers.ts';
import { tileOf } from '../integration/support/tiles.ts';
import { signInOverHttp } from '../support/http-sign-in.ts';
import type { ServerProcess } from '../support/server-process.ts';
import { KeepAliveClient } from './http-client.ts';

export interface TileRequest {
  layer: string;
  z: number;
  x: number;
  y: number;
}

export const URBAN_CORE: [number, number] = [107.245, 31.912];

/** The county at z8-z10 (every tile over its bounds, every area layer) and the urban core from z11 to z16. */
export function tileList(bbox: [number, number, number, number]): TileRequest[] {
  const tiles: TileRequest[] = [];
  for (const z of [8, 9, 10]) {
    const { x: xMin, y: yMin } = tileOf(bbox[0], bbox[3], z);
    const { x: xMax, y: yMax } = tileOf(bbox[2], bbox[1], z);
    for (let x = xMin; x <= xMax; x++) {
      for (let y = yMin; y <= yMax; y++)
        for (const layer of ['township', 'village', 'grid', 'cell']) tiles.push({ layer, z, x, y });
    }
  }
  for (let z = 11; z <= 16; z++) {
    const { x: cx, y: cy } = tileOf(URBAN_CORE[0], URBAN_CORE[1], z);
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

export const BENCH_USER = 'bench';
export const BENCH_PASSWORD = 'bench-pass-2024';
/** Session cookies per server URL: every tile request is signed in, as the web client's are. */
const sessions = new Map<string, string>();

export async function signIn(server: ServerProcess): Promise<void> {
  const { cookie } = await signInOverHttp(server.url, BENCH_USER, BENCH_PASSWORD);
  sessions.set(server.url, cookie);
}

/** A county-wide account for the benchmark, created while no server holds the database. */
export async function ensureBenchAccount(open: () => Promise<Database>): Promise<void> {
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
export const httpTask =
  (server: Pick<ServerProcess, 'url'>, { acceptGzip = true } = {}) =>
  async (tile: TileRequest) =>
    (await getTile(server, tile, false, acceptGzip)) !== null;

export async function largestTiles(server: ServerProcess, tiles: TileRequest[]) {
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

export async function countyBbox(open: () => Promise<Database>): Promise<[number, number, number, number]> {
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
