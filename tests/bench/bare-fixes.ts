import { createServer } from 'node:http';
import pg from 'pg';
import { FLOOR_POOL_OPTIONS } from './bare-process.ts';

/**
 * The bare reference for fix uploads: node:http and a pg pool, nothing else. POST
 * /fixes/<patrolId>/<areaCode> with `{fixes: [{clientFixId, fixedAt, lng, lat, accuracyM, speedMps}]}`
 * writes the same rows the API server writes (into the same table, skipping one already there)
 * and answers how many it stored: no session, no validation, no flags, no live event. What the
 * API server's acknowledgement costs beyond this is the price of the product's work.
 */
const pool = new pg.Pool({ connectionString: process.env.BARE_DATABASE_URL, max: 8, ...FLOOR_POOL_OPTIONS });

interface BareFix {
  clientFixId: string;
  fixedAt: string;
  lng: number;
  lat: number;
  accuracyM: number;
  speedMps: number | null;
}

const server = createServer((request, response) => {
  const [, route, patrolId, areaCode] = (request.url ?? '').split('/');
  if (request.method !== 'POST' || route !== 'fixes' || !patrolId || !areaCode) {
    response.writeHead(404).end();
    return;
  }
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', async () => {
    try {
      const { fixes } = JSON.parse(Buffer.concat(chunks).toString()) as { fixes: BareFix[] };
      const result = await pool.query(
        `INSERT INTO patrol_positions (patrol_id, client_fix_id, area_code, fixed_at, location, accuracy_m, speed_mps)
         SELECT $1, f.id, $2, f.at, ST_SetSRID(ST_MakePoint(f.lng, f.lat), 4326), f.accuracy, f.speed
         FROM unnest($3::text[], $4::timestamptz[], $5::float8[], $6::float8[], $7::float8[], $8::float8[])
           AS f(id, at, lng, lat, accuracy, speed)
         ON CONFLICT DO NOTHING`,
        [
          patrolId,
          areaCode,
          fixes.map((fix) => fix.clientFixId),
          fixes.map((fix) => fix.fixedAt),
          fixes.map((fix) => fix.lng),
          fixes.map((fix) => fix.lat),
          fixes.map((fix) => fix.accuracyM),
          fixes.map((fix) => fix.speedMps),
        ],
      );
      const body = JSON.stringify({ stored: result.rowCount });
      response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }).end(body);
    } catch (error) {
      response.writeHead(500).end(String(error));
    }
  });
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 }));
});

process.on('SIGTERM', () => {
  server.close();
  void pool.end().then(() => process.exit(0));
});
