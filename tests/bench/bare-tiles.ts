/**
 * A reference for what the HTTP hop alone costs: a bare Node http server that answers
 * GET /tiles/{layer}/{z}/{x}/{y}.mvt with the very ST_AsMVT statement the API server runs
 * (api/tiles/repository.ts mvtQuery), read as the API server reads it (binary COPY, see
 * api/db/copy-out.ts) over a pg pool of as many connections as the API server's scoped reads
 * (api/db/client.ts defaultReadConnections), and nothing else: no sign-in, no scope, no validation,
 * no cache, no ETag. Started by tests/bench/run.ts in a process of its own, as
 * the API server is, with BARE_DATABASE_URL; prints `{"port": …}` once listening.
 */
import http from 'node:http';
import pg from 'pg';
import { defaultReadConnections } from '../../api/db/client.ts';
import { selectBytes } from '../../api/db/copy-out.ts';
import { inlineParameters } from '../../api/db/literal.ts';
import { TILE_LAYERS } from '../../api/tiles/layers.ts';
import { mvtQuery } from '../../api/tiles/repository.ts';
import { FLOOR_POOL_OPTIONS } from './bare-process.ts';

const url = process.env.BARE_DATABASE_URL;
if (!url) throw new Error('bare-tiles.ts needs BARE_DATABASE_URL');
const pool = new pg.Pool({ connectionString: url, max: defaultReadConnections(), ...FLOOR_POOL_OPTIONS });
const PATH = /^\/tiles\/(\w+)\/(\d+)\/(\d+)\/(\d+)\.mvt$/;

const server = http.createServer(async (request, response) => {
  const match = PATH.exec(request.url ?? '');
  const layer = match ? TILE_LAYERS[match[1] as string] : undefined;
  if (!match || !layer) {
    response.writeHead(404).end();
    return;
  }
  const client = await pool.connect().catch(() => null);
  if (!client) {
    response.writeHead(503).end();
    return;
  }
  try {
    const body = await selectBytes(
      client,
      inlineParameters(mvtQuery(layer, Number(match[2]), Number(match[3]), Number(match[4]))),
    );
    if (!body || body.length === 0) {
      response.writeHead(204).end();
      return;
    }
    response.writeHead(200, { 'Content-Type': 'application/vnd.mapbox-vector-tile' }).end(body);
  } catch (error) {
    console.error(error);
    response.writeHead(500).end();
  } finally {
    client.release();
  }
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 }));
});

process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => pool.end().then(() => process.exit(0)));
});
