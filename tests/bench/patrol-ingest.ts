import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { copyIn } from '../../api/db/copy-in.ts';
import { partitionName } from '../../api/patrols/repository.ts';
import { asColumns } from '../integration/support/patrol-batches.ts';
import { signInOverHttp } from '../support/http-sign-in.ts';
import type { ServerProcess } from '../support/server-process.ts';
import { startBareServer } from './bare-process.ts';
import { WORKER_PASSWORD } from './patrol-fixture.ts';

/** A signed-in grid worker with a patrol of their own, out now. */
interface Walker {
  username: string;
  areaCode: string;
  cookie: string;
  csrfToken: string;
  patrolId: string;
  /** Where their walk starts: the label point of their grid. */
  start: [number, number];
}

export interface BatchIngestResult {
  clients: number;
  batchSize: number;
  fixesPerRound: number;
  rounds: number;
  /** Median over the rounds, fixes per second. */
  httpPerSecond: number;
  copyPerSecond: number;
  /** Median over the rounds: from the last acknowledgement until the server had derived every cell walked (ms). */
  settledAfterMs: number;
}

export interface SteadyStreamResult {
  workers: number;
  seconds: number;
  /** Acknowledgements of the API server and of the bare Node endpoint, in milliseconds. */
  server: Percentiles;
  bare: Percentiles;
}

interface Percentiles {
  count: number;
  /** Answered 503 with Retry-After (the server's gate of batches, api/patrols/upload-gate.ts): the phone keeps them. */
  shed: number;
  failed: number;
  p50: number;
  p99: number;
  max: number;
}

const BATCH_SIZE = 500;
const BATCH_CLIENTS = 8;
const BATCHES_PER_CLIENT = 10;
const BATCH_ROUNDS = 3;
const STREAM_SECONDS = 60;
/** Fix time between two fixes of the batch rounds: 15,000 fixes a walker fit in the 110 minutes before now. */
const BATCH_STEP_MS = 250;
/** About 1 m/s east, in degrees of longitude at 32° N, per second of fix time. */
const DEGREES_PER_SECOND = 1 / 94_500;

async function post(
  url: string,
  body: unknown,
  session?: { cookie: string; csrfToken: string },
): Promise<{ status: number; json: unknown }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Origin: new URL(url).origin,
      ...(session ? { Cookie: session.cookie, 'X-CSRF-Token': session.csrfToken } : {}),
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}

/** Runs `tasks` with at most `limit` at once. */
async function inParallel<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await task(items[next++]!);
    }),
  );
}

/** The first `count` grid workers of the bench (by grid code), signed in over HTTP, each with a patrol started two hours ago. */
async function walkers(server: ServerProcess, databaseUrl: string, count: number): Promise<Walker[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const { rows } = await client.query<{ username: string; areaCode: string; lng: number; lat: number }>(
    `SELECT a.username, a.scope_code AS "areaCode", ST_X(g.label_point) AS lng, ST_Y(g.label_point) AS lat
     FROM accounts a JOIN areas g ON g.code = a.scope_code
     WHERE a.id LIKE 'bench-worker-%' ORDER BY a.scope_code LIMIT $1`,
    [count],
  );
  await client.end();
  const signedIn: Walker[] = [];
  await inParallel(rows, 4, async (row) => {
    const session = await signInOverHttp(server.url, row.username, WORKER_PASSWORD);
    const started = await post(
      `${server.url}/api/patrols`,
      { clientId: randomUUID(), startedAt: new Date(Date.now() - 2 * 3_600_000).toISOString() },
      session,
    );
    if (started.status !== 201) throw new Error(`start of a patrol: ${started.status} ${JSON.stringify(started.json)}`);
    signedIn.push({
      ...row,
      ...session,
      patrolId: (started.json as { patrol: { id: string } }).patrol.id,
      start: [row.lng, row.lat],
    });
  });
  return signedIn;
}

/**
 * Removes the patrols the ingest benches started through the API (ids the server gave, not the
 * fixture's `bench-…`), with their fixes, cells walked, gaps and linked reports: each run starts
 * from the fixture as it was built, instead of on the walks every earlier run left (5 million
 * positions over a few dozen runs).
 */
async function forgetIngestWalks(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>(
      `SELECT id FROM patrols WHERE worker_id LIKE 'bench-worker-%' AND id NOT LIKE 'bench-%'`,
    );
    if (rows.length > 0)
      await forget(
        client,
        rows.map((row) => row.id),
      );
    await vacuumRecentDays(client);
  } finally {
    await client.end();
  }
}

/**
 * VACUUM and ANALYZE the day partitions the ingest benches write to (the last three hours'): the
 * rows an earlier run or round deleted are dead tuples there, and autovacuum, woken by them at
 * some moment of a round, put up to three times as much of PostgreSQL's CPU on that round.
 */
async function vacuumRecentDays(client: pg.Client): Promise<void> {
  const days = new Set([0, 1, 2, 3].map((hours) => partitionName(new Date(Date.now() - hours * 3_600_000))));
  for (const name of days) {
    const { rows } = await client.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [name]);
    if (rows[0]!.present) await client.query(`VACUUM (ANALYZE) ${name}`);
  }
}

async function forget(client: pg.Client, ids: string[]): Promise<void> {
  try {
    await client.query('BEGIN');
    for (const table of ['patrol_positions', 'patrol_cells', 'patrol_gaps', 'patrol_reports']) {
      await client.query(`DELETE FROM ${table} WHERE patrol_id = ANY($1::text[])`, [ids]);
    }
    await client.query('DELETE FROM patrols WHERE id = ANY($1::text[])', [ids]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

/** Fix `index` of a walk east from `start` at 1 m/s, one every `stepMs` of fix time from `from`. */
function fixAt(start: [number, number], from: number, index: number, id: string, stepMs = 1_000) {
  return {
    clientFixId: id,
    fixedAt: new Date(from + index * stepMs).toISOString(),
    lng: start[0] + (index * stepMs * DEGREES_PER_SECOND) / 1_000,
    lat: start[1],
    accuracyM: 6,
    speedMps: 1,
  };
}

function percentiles(latencies: number[], shed: number, failed: number): Percentiles {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (share: number) => sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? 0;
  return { count: sorted.length, shed, failed, p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? 0 };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * Waits until the server has derived the cells walked of every batch `team` sent (the marks the
 * batches leave, migrations/0015, are cleared): the acknowledgement comes before that. Returns
 * how long that took, in ms.
 */
async function untilSettled(pool: pg.Pool, team: readonly Walker[]): Promise<number> {
  const started = performance.now();
  const ids = team.map((walker) => walker.patrolId);
  for (;;) {
    const { rows } = await pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM patrols WHERE id = ANY($1::text[]) AND cells_from IS NOT NULL',
      [ids],
    );
    if (rows[0]!.n === 0) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Fixes through the HTTP batch endpoint against raw COPY into the same table, in alternating
 * rounds: 8 workers at once, each sending 10 batches of 500 fixes (a phone back from a dead spell);
 * the floor copies the same number of rows, in COPYs of 500 rows, over 8 connections. The server
 * derives the cells walked after the acknowledgements (its settler runs during the round, on the
 * same cores); how long it took after the last one is measured too.
 */
export async function benchBatchIngest(server: ServerProcess, databaseUrl: string): Promise<BatchIngestResult> {
  await forgetIngestWalks(databaseUrl);
  const team = await walkers(server, databaseUrl, BATCH_CLIENTS);
  const pool = new pg.Pool({ connectionString: databaseUrl, max: BATCH_CLIENTS });
  const from = Date.now() - 110 * 60_000;
  const http: number[] = [];
  const copy: number[] = [];
  const settled: number[] = [];
  const fixesPerRound = BATCH_CLIENTS * BATCHES_PER_CLIENT * BATCH_SIZE;
  try {
    for (let round = 0; round < BATCH_ROUNDS; round++) {
      let started = performance.now();
      await Promise.all(
        team.map(async (walker) => {
          for (let batch = 0; batch < BATCHES_PER_CLIENT; batch++) {
            const first = (round * BATCHES_PER_CLIENT + batch) * BATCH_SIZE;
            const fixes = Array.from({ length: BATCH_SIZE }, (_, offset) =>
              fixAt(walker.start, from, first + offset, `r${round}-${first + offset}`, BATCH_STEP_MS),
            );
            const answer = await post(
              `${server.url}/api/patrols/${walker.patrolId}/positions`,
              { fixes: asColumns(fixes) },
              walker,
            );
            const stored = (answer.json as { stored?: number } | null)?.stored;
            if (answer.status !== 200 || stored !== BATCH_SIZE) {
              throw new Error(`batch upload: ${answer.status} ${JSON.stringify(answer.json).slice(0, 300)}`);
            }
          }
        }),
      );
      http.push(fixesPerRound / ((performance.now() - started) / 1000));
      settled.push(await untilSettled(pool, team));

      started = performance.now();
      const received = new Date().toISOString();
      await Promise.all(
        team.map(async (walker) => {
          const connection = await pool.connect();
          try {
            for (let batch = 0; batch < BATCHES_PER_CLIENT; batch++) {
              const first = (round * BATCHES_PER_CLIENT + batch) * BATCH_SIZE;
              let rows = '';
              for (let offset = 0; offset < BATCH_SIZE; offset++) {
                const fix = fixAt(walker.start, from, first + offset, `c${round}-${first + offset}`, BATCH_STEP_MS);
                rows += `copy-${walker.patrolId}\t${fix.clientFixId}\t${walker.areaCode}\t${fix.fixedAt}\t${received}\tSRID=4326;POINT(${fix.lng} ${fix.lat})\t${fix.accuracyM}\t${fix.speedMps}\n`;
              }
              await copyIn(
                connection,
                'patrol_positions',
                ['patrol_id', 'client_fix_id', 'area_code', 'fixed_at', 'received_at', 'location', 'accuracy_m', 'speed_mps'],
                Buffer.from(rows),
              );
            }
          } finally {
            connection.release();
          }
        }),
      );
      copy.push(fixesPerRound / ((performance.now() - started) / 1000));
    }
  } finally {
    await pool.query(`DELETE FROM patrol_positions WHERE patrol_id LIKE 'copy-%' AND fixed_at >= $1`, [
      new Date(from).toISOString(),
    ]);
    await pool.end();
    await forgetIngestWalks(databaseUrl);
  }
  return {
    clients: BATCH_CLIENTS,
    batchSize: BATCH_SIZE,
    fixesPerRound,
    rounds: BATCH_ROUNDS,
    httpPerSecond: median(http),
    copyPerSecond: median(copy),
    settledAfterMs: median(settled),
  };
}

/**
 * Every grid worker of the county sends one fix a second for a minute, spread evenly over each
 * second, to the API server and then to a bare Node endpoint writing the same rows
 * (bare-fixes.ts): the acknowledgement's p50, p99 and worst, and how many failed.
 */
export async function benchSteadyStream(
  server: ServerProcess,
  databaseUrl: string,
  workers: number,
): Promise<SteadyStreamResult> {
  await forgetIngestWalks(databaseUrl);
  const team = await walkers(server, databaseUrl, workers);
  const serverStream = await stream(team, (walker, fixes) =>
    post(`${server.url}/api/patrols/${walker.patrolId}/positions`, { fixes }, walker),
  );
  const bare = await startBareServer('tests/bench/bare-fixes.ts', { BARE_DATABASE_URL: databaseUrl });
  try {
    const bareStream = await stream(team, (walker, fixes) =>
      post(`${bare.url}/fixes/bare-${walker.patrolId}/${walker.areaCode}`, { fixes }),
    );
    return { workers: team.length, seconds: STREAM_SECONDS, server: serverStream, bare: bareStream };
  } finally {
    await bare.stop();
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(`DELETE FROM patrol_positions WHERE patrol_id LIKE 'bare-%' AND fixed_at >= now() - interval '1 day'`);
    await client.end();
    await forgetIngestWalks(databaseUrl);
  }
}

async function stream(
  team: readonly Walker[],
  send: (walker: Walker, fixes: ReturnType<typeof fixAt>[]) => Promise<{ status: number }>,
): Promise<Percentiles> {
  const latencies: number[] = [];
  let shed = 0;
  let failed = 0;
  const start = performance.now() + 200;
  const from = Date.now();
  const sends: Promise<void>[] = [];
  for (let second = 0; second < STREAM_SECONDS; second++) {
    for (const [index, walker] of team.entries()) {
      const due = start + second * 1_000 + (index * 1_000) / team.length;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      const sent = performance.now();
      sends.push(
        send(walker, [fixAt(walker.start, from, second, `s${second}-${randomUUID().slice(0, 8)}`)]).then(
          (answer) => {
            if (answer.status === 200) latencies.push(performance.now() - sent);
            else if (answer.status === 503) shed++;
            else failed++;
          },
          () => {
            failed++;
          },
        ),
      );
    }
  }
  await Promise.all(sends);
  return percentiles(latencies, shed, failed);
}
