/**
 * Task lines at county scale (issue 19): a notice to every cell and grid of the full reference
 * county (7,709 cells and 561 grids), dispatched through the tasks service (the task, its 8,270
 * targets and one live event per target, in one transaction) against the raw SQL insert of the same
 * task and target rows as the owner (the floor), alternating, round by round; then, over HTTP on
 * loopback, one more dispatch and the acknowledgement of every target by its simulated informant or
 * grid worker (one session each, CONCURRENCY requests at a time), the reach curve's 100% time, and
 * the cost of the live map's and the reach curve's reads on those 8,270 targets.
 *
 * The app runs in this process (createApp on @hono/node-server, demo off) so the embedded database
 * can be measured the same way as PostgreSQL: the load's client shares the event loop with the
 * server, so the HTTP figures are a floor for the server, not a client's view. `BENCH_ONLY=tasks
 * npm run bench`: the embedded database, and PostgreSQL too when DATABASE_URL is set.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { createApp } from '../../api/app.ts';
import type { Principal } from '../../api/app-env.ts';
import { type Database, openEmbeddedDatabase, openPostgresDatabase } from '../../api/db/client.ts';
import { seedIfEmpty } from '../../api/seed/service.ts';
import { tasksService } from '../../api/tasks/service.ts';
import { REACH_MARK_MINUTES } from '../../api/vocabulary/task-monitor.ts';

const COUNTY = '511921';
const ROUNDS = 3;
const CONCURRENCY = 16;

interface TasksBenchResult {
  engine: string;
  targets: number;
  raw: number[];
  service: number[];
  httpDispatchMs: number;
  /** Null where the branch has no acknowledgement route yet (tasks-core's inbox). */
  acknowledge: { requests: number; seconds: number; p50Ms: number; p99Ms: number; failures: number } | null;
  /** The reach curve's minute of 100% acknowledged, and the wall time from dispatch to the last acknowledgement. */
  fullAtMinute: number | null;
  lastAckSeconds: number;
  reads: { targetsMs: number; reachMs: number };
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const quantile = (sorted: readonly number[], fraction: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? Number.NaN;

const benchPrincipal: Principal = {
  accountId: 'bench-commander',
  username: 'bench-commander',
  displayName: '基准测试指挥长',
  role: 'county_commander',
  scopeCode: COUNTY,
  departmentCode: null,
  sessionId: 'bench',
  csrfToken: 'bench-csrf-commander',
};

const notice = (clientId: string) => ({
  clientId,
  lineCode: 'emergency',
  kind: 'notice' as const,
  title: '基准测试：全县通知',
  body: '请查收并确认。',
  perHousehold: false,
  areaCode: COUNTY,
  deadline: new Date(Date.now() + 86_400_000),
  escalateAfterMinutes: 60,
});

/** The floor: the same task and target rows, straight in, as the owner, in one transaction. */
async function rawInsert(db: Database, id: string): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.rows(sql`
      INSERT INTO tasks (id, line_code, kind, title, body, area_code, deadline, escalate_after_minutes, owner_id, owner_name, client_id)
      VALUES (${id}, 'emergency', 'notice', '基准测试：原始插入', '', ${COUNTY}, now() + interval '1 day', 60, 'bench-raw', 'bench', ${id})`);
    const [row] = await tx.rows<{ n: number }>(sql`
      WITH targets AS (
        INSERT INTO task_targets (task_id, target_kind, area_code, person_id, department_code)
        SELECT ${id}, a.level, a.code,
          (SELECT p.id FROM people p
            WHERE p.area_code = a.code AND p.role = CASE a.level WHEN 'cell' THEN 'cell_informant' ELSE 'grid_worker' END
            ORDER BY p.id LIMIT 1),
          NULL
        FROM areas a WHERE a.level IN ('cell', 'grid') AND a.code ^@ ${COUNTY}
        RETURNING id
      )
      SELECT count(*)::int AS n FROM targets`);
    return row?.n ?? 0;
  });
}

/**
 * An account and a live session for the bench's commander and for every cell's informant and
 * every grid's worker, written straight in (8,271 argon2 sign-ins would cost minutes and measure
 * nothing of tasks). The session token of area X is `bench-token-X`, its CSRF token `bench-csrf-X`.
 */
async function benchSessions(db: Database): Promise<void> {
  await db.rows(sql`
    INSERT INTO accounts (id, username, display_name, role, scope_code, password_hash)
    SELECT 'bench-' || code, 'bench-' || code, '基准' || code, CASE level WHEN 'cell' THEN 'cell_informant' ELSE 'grid_worker' END,
      code, 'not-a-hash'
    FROM areas WHERE level IN ('cell', 'grid')
    UNION ALL SELECT 'bench-commander', 'bench-commander', ${benchPrincipal.displayName}, 'county_commander', ${COUNTY}, 'not-a-hash'
    ON CONFLICT DO NOTHING`);
  await db.rows(sql`
    INSERT INTO sessions (token_hash, account_id, csrf_token, expires_at)
    SELECT encode(sha256(convert_to('bench-token-' || substr(id, 7), 'UTF8')), 'hex'), id, 'bench-csrf-' || substr(id, 7),
      now() + interval '1 day'
    FROM accounts WHERE id ^@ 'bench-'
    ON CONFLICT DO NOTHING`);
}

async function benchEngine(db: Database): Promise<TasksBenchResult> {
  console.log(`[${db.engine}] tasks: seeding the full county…`);
  await seedIfEmpty(db, { seed: 1, preset: 'full' });
  await db.rows(sql`ANALYZE`);
  const tasks = tasksService(db);
  const times = { raw: [] as number[], service: [] as number[] };
  let targets = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const order: ('raw' | 'service')[] = round % 2 === 0 ? ['raw', 'service'] : ['service', 'raw'];
    for (const path of order) {
      const started = performance.now();
      const count =
        path === 'raw'
          ? await rawInsert(db, `bench-raw-${Date.now()}-${round}`)
          : await tasks
              .dispatch(benchPrincipal, notice(`bench-${Date.now()}-${round}`))
              .then((sent) => ('targets' in sent ? sent.targets : 0));
      times[path].push(performance.now() - started);
      if (targets !== 0 && count !== targets) throw new Error(`${path} wrote ${count} targets, the other ${targets}`);
      targets = count;
    }
  }
  console.log(`[${db.engine}] dispatch ${median(times.service).toFixed(0)} ms, raw insert ${median(times.raw).toFixed(0)} ms`);

  await benchSessions(db);
  const app = await createApp({
    db,
    env: { TILE_CACHE_ENTRIES: 0, BASEMAP_STYLE_URL: undefined, DEMO_WALKERS: 'off' },
    dataset: { seed: 1, preset: 'full', seededAt: '' },
    demo: false,
    settleCells: false,
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const request = (area: string, method: string, path: string, body?: unknown) =>
    fetch(`${base}${path}`, {
      method,
      headers: {
        Cookie: `gcc_session=bench-token-${area}`,
        'X-CSRF-Token': `bench-csrf-${area}`,
        Origin: base,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  try {
    const dispatchStarted = performance.now();
    const dispatched = await request('commander', 'POST', '/api/tasks', {
      ...notice(`bench-http-${Date.now()}`),
      deadline: new Date(Date.now() + 86_400_000).toISOString(),
    });
    const httpDispatchMs = performance.now() - dispatchStarted;
    if (dispatched.status !== 201) throw new Error(`dispatch over HTTP: ${dispatched.status} ${await dispatched.text()}`);
    const { task } = (await dispatched.json()) as { task: { id: string } };
    const rows = await db.rows<{ id: number; areaCode: string }>(sql`
      SELECT id::int AS id, area_code AS "areaCode" FROM task_targets WHERE task_id = ${task.id} ORDER BY id`);
    const latencies: number[] = [];
    let failures = 0;
    let next = 0;
    const probe = await request('commander', 'POST', '/api/tasks/targets/0/acknowledge', { clientId: 'bench-probe' });
    const routeMissing = probe.status === 404 && ((await probe.json()) as { error: { code: string } }).error.code === 'not_found';
    if (routeMissing) next = rows.length;
    const ackStarted = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < rows.length) {
          const target = rows[next++]!;
          const started = performance.now();
          const response = await request(target.areaCode, 'POST', `/api/tasks/targets/${target.id}/acknowledge`, {
            clientId: `bench-ack-${target.id}`,
          });
          await response.arrayBuffer();
          latencies.push(performance.now() - started);
          if (response.status >= 300) failures++;
        }
      }),
    );
    const ackSeconds = (performance.now() - ackStarted) / 1000;
    const timed = async (path: string) => {
      await (await request('commander', 'GET', path)).arrayBuffer();
      const samples: number[] = [];
      for (let call = 0; call < 5; call++) {
        const started = performance.now();
        const response = await request('commander', 'GET', path);
        await response.arrayBuffer();
        samples.push(performance.now() - started);
      }
      return median(samples);
    };
    const reach = (await (await request('commander', 'GET', `/api/tasks/${task.id}/reach`)).json()) as {
      fullAt: { acknowledged: number | null };
    };
    const [last] = await db.rows<{ seconds: number }>(sql`
      SELECT extract(epoch FROM (max(t.acknowledged_at) - k.dispatched_at))::float8 AS seconds
      FROM task_targets t JOIN tasks k ON k.id = t.task_id WHERE t.task_id = ${task.id} GROUP BY k.dispatched_at`);
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      engine: db.engine,
      targets,
      raw: times.raw,
      service: times.service,
      httpDispatchMs,
      acknowledge: routeMissing
        ? null
        : {
            requests: latencies.length,
            seconds: ackSeconds,
            p50Ms: quantile(sorted, 0.5),
            p99Ms: quantile(sorted, 0.99),
            failures,
          },
      fullAtMinute: reach.fullAt.acknowledged,
      lastAckSeconds: last?.seconds ?? Number.NaN,
      reads: { targetsMs: await timed(`/api/tasks/${task.id}/targets`), reachMs: await timed(`/api/tasks/${task.id}/reach`) },
    };
  } finally {
    await new Promise((resolve) => server.close(resolve));
    await app.close();
  }
}

const fmt = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

function printTasks(result: TasksBenchResult): void {
  const raw = median(result.raw);
  const service = median(result.service);
  console.log(
    `\n### [${result.engine}] a notice to every cell and grid of the full county (${result.targets} targets; median of ${ROUNDS} rounds)\n`,
  );
  console.log('| path | ms | µs per target | time ratio to raw SQL |');
  console.log('| --- | --- | --- | --- |');
  console.log(
    `| raw SQL insert of the task and target rows (owner, one transaction) | ${fmt(raw)} | ${fmt((raw * 1000) / result.targets)} | 1.00x |`,
  );
  console.log(
    `| tasks service dispatch (checks, task, targets, one live event per target) | ${fmt(service)} | ${fmt((service * 1000) / result.targets)} | ${fmt(service / raw, 2)}x |`,
  );
  console.log(
    `| POST /api/tasks over HTTP (the same, plus the session and the answer) | ${fmt(result.httpDispatchMs)} | | ${fmt(result.httpDispatchMs / raw, 2)}x |`,
  );
  const ack = result.acknowledge;
  if (!ack) console.log('\nno acknowledgement route on this branch (POST /api/tasks/targets/{id}/acknowledge): not measured');
  else
    console.log(
      `\nacknowledgement by ${ack.requests} simulated informants and grid workers over HTTP, ${CONCURRENCY} at a time: ` +
        `${fmt(ack.seconds, 1)} s (${fmt(ack.requests / ack.seconds)} /s), p50 ${fmt(ack.p50Ms, 1)} ms, p99 ${fmt(ack.p99Ms, 1)} ms, ${ack.failures} failed; ` +
        `reach curve 100% acknowledged at minute ${result.fullAtMinute ?? 'never'} (last acknowledgement ${fmt(result.lastAckSeconds, 1)} s after dispatch)`,
    );
  console.log(
    `reads on ${result.targets} targets (median of 5): GET targets ${fmt(result.reads.targetsMs, 1)} ms, GET reach ${fmt(result.reads.reachMs, 1)} ms`,
  );
}

/** Target rows for run.ts's table: [target, measured, met]. */
export function tasksTargets(results: readonly TasksBenchResult[]): [string, string, boolean][] {
  return results.flatMap((result): [string, string, boolean][] =>
    result.acknowledge === null
      ? []
      : [
          [
            `${result.engine}: every cell and grid of the county acknowledged within the study's hour (reach curve 100%)`,
            result.fullAtMinute === null ? 'never' : `minute ${result.fullAtMinute}`,
            result.fullAtMinute !== null && result.fullAtMinute <= REACH_MARK_MINUTES,
          ],
        ],
  );
}

/**
 * The embedded database, and PostgreSQL (a fresh database, dropped after) when DATABASE_URL names
 * one; `BENCH_ENGINE=postgres` (or `pglite`) measures one of them only.
 */
export async function benchTasksEngines(postgresUrl: string | undefined): Promise<TasksBenchResult[]> {
  const results: TasksBenchResult[] = [];
  const only = process.env.BENCH_ENGINE;
  if (only !== 'postgres') {
    const embedded = await openEmbeddedDatabase('memory://');
    try {
      results.push(await benchEngine(embedded));
      printTasks(results.at(-1)!);
    } finally {
      await embedded.close();
    }
  }
  if (!postgresUrl || only === 'pglite') return results;
  const name = `gcc_bench_tasks_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const target = new URL(postgresUrl);
  target.pathname = `/${name}`;
  const db = await openPostgresDatabase(target.toString());
  try {
    results.push(await benchEngine(db));
    printTasks(results.at(-1)!);
  } finally {
    await db.close();
    // As review.ts: the pools' last connections close a moment after close(); forcing them out first
    // raised an unhandled pool error after the figures were printed.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
  return results;
}
