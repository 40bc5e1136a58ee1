import { resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { startEscalationTimer } from './cases/escalation.ts';
import { openDatabase } from './db/client.ts';
import { LEAKPROOF_ADVICE, spatialIndexUsableUnderScope } from './db/leakproof.ts';
import { type DemoPatrolsState, writeDemoPatrols } from './demo/demo-patrols.ts';
import { ensureDemoAccounts } from './demo/ensure-accounts.ts';
import { ensureDemoProviders } from './demo/providers.ts';
import { ensureDemoHistory } from './demo/service.ts';
import { type DemoRegisterState, writeDemoRegister } from './demo/special-register-service.ts';
import { EnvError, parseEnv } from './env.ts';
import { seedIfEmpty } from './seed/service.ts';
import { startTaskSweepTimer } from './task-monitor/escalation.ts';
import { ensureWebClient, type WebClientState } from './web-client/build.ts';

/**
 * The node adapter passes the connection (`env.incoming`) as the second argument; the app reads
 * the client's address from it (audit log, per-address sign-in limit), so it must travel along.
 */
type FetchHandler = (request: Request, env: unknown) => Response | Promise<Response>;

/** While migrating and seeding, every request gets 503 with what is happening, so `npm start` prints an address at once. */
function startingHandler(step: () => string): FetchHandler {
  return (request) => {
    const body = { status: 'starting', step: step() };
    const wantsHtml = (request.headers.get('Accept') ?? '').includes('text/html');
    if (!wantsHtml) return Response.json(body, { status: 503, headers: { 'Retry-After': '2' } });
    return new Response(
      `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="2"><title>正在启动…</title>
<body style="background:#0b1220;color:#dbe4f3;font:20px system-ui,sans-serif;display:grid;place-items:center;height:100vh;margin:0">
<p>网格化管理指挥中心正在启动：${body.step}…</p></body>`,
      { status: 503, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Retry-After': '2' } },
    );
  };
}

const STEP_LABELS: Record<string, string> = {
  opening: '打开数据库 opening the database',
  generating: '生成通江县网格数据 generating the county',
  writing: '写入数据库 writing the county',
  tiles: '准备瓦片数据 preparing the tile data',
  web: '构建网页客户端 building the web client',
  ready: '就绪 ready',
};

const ROOT = resolve(import.meta.dirname, '..');

function describeWebClient(state: WebClientState): string | null {
  switch (state.status) {
    case 'current':
      return null;
    case 'built':
      return `web client: built in ${state.seconds.toFixed(1)} s (${state.reason})`;
    case 'as-is':
      return `web client: serving dist/web as it is (${state.reason})`;
    case 'failed':
      return `web client: the build failed (${state.reason}); pages answer 503 until it is fixed\n${state.output}`;
  }
}

async function main(): Promise<void> {
  const startedAt = performance.now();
  const env = parseEnv();
  // The client builds in a child process while the database opens and seeds.
  const webClient = ensureWebClient({
    root: ROOT,
    onBuild: (reason) => console.log(`web client: building (${reason})…`),
  }).catch((error: unknown): WebClientState => ({ status: 'failed', reason: String(error), output: '' }));
  let step = 'opening';
  let handler: FetchHandler = startingHandler(() => STEP_LABELS[step] ?? step);
  const server = serve({ fetch: (request, env) => handler(request, env), port: env.PORT, hostname: env.HOST }, (info) => {
    console.log(`网格化管理指挥中心 listening on http://${info.address === '::' ? 'localhost' : info.address}:${info.port}`);
  });

  const db = await openDatabase(env);
  console.log(
    db.engine === 'pglite' ? `embedded PostGIS (PGlite) in ${resolve(env.DATA_DIR)}` : 'PostgreSQL + PostGIS from DATABASE_URL',
  );
  if (!(await spatialIndexUsableUnderScope(db))) console.warn(`warning: ${LEAKPROOF_ADVICE}`);
  const { seeded, dataset } = await seedIfEmpty(db, {
    seed: env.SEED,
    preset: env.COUNTY_PRESET,
    onProgress: (next) => {
      step = next;
      console.log(`seed: ${STEP_LABELS[next] ?? next}`);
    },
  });
  // The embedded database is the demo: it gets demo accounts. PostgreSQL gets none (npm run user:create).
  const demo = db.engine === 'pglite';
  if (demo) {
    const created = await ensureDemoAccounts(db);
    if (created.length > 0) console.log(`demo accounts (password in README and on the login page): ${created.join(', ')}`);
    const history = await ensureDemoHistory(db, { seed: dataset.seed });
    if (history > 0) console.log(`demo history: ${history} cases over the last year`);
    const providers = await ensureDemoProviders(db, { seed: dataset.seed });
    if (providers > 0) console.log(`demo service providers: ${providers}`);
  }
  step = 'web';
  const webState = await webClient;
  const webReport = describeWebClient(webState);
  if (webReport) (webState.status === 'failed' ? console.error : console.log)(webReport);
  let demoPatrols: DemoPatrolsState | undefined;
  let demoRegister: DemoRegisterState | undefined;
  const app = await createApp({
    db,
    env,
    dataset,
    demo,
    webRoot: resolve(ROOT, 'dist/web'),
    demoPatrols: () => demoPatrols,
    demoRegister: () => demoRegister,
  });
  // Overdue cases go one level up, checked every minute (once per deadline, even with several processes).
  const stopEscalation = startEscalationTimer(db);
  // Silent task targets go up to their grid worker, then their grid chief; tasks past their deadline close.
  const stopTaskSweep = startTaskSweepTimer(db);
  handler = (request, connection) => app.fetch(request, connection as never);
  step = 'ready';
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
  console.log(
    `ready in ${seconds} s (${seeded ? `seeded the ${dataset.preset} county, seed ${dataset.seed}` : `data set from ${dataset.seededAt}`})`,
  );
  const stopWriting = new AbortController();
  if (demo) {
    // The demo's past patrols (a minute or two on the full county) are written while it serves.
    // Then the register of special populations with its year of visits (about 20 s on the full county).
    demoPatrols = 'writing';
    demoRegister = 'writing';
    writeDemoPatrols(db, {
      seed: dataset.seed,
      coverageDistanceM: env.PATROL_COVERAGE_DISTANCE_M,
      signal: stopWriting.signal,
    })
      .then(
        (line) => {
          demoPatrols = 'written';
          if (line) console.log(line);
        },
        (error: unknown) => {
          demoPatrols = 'failed';
          console.error('demo patrols: not written', error);
        },
      )
      .then(() => writeDemoRegister(db, { seed: dataset.seed, signal: stopWriting.signal }))
      .then(
        (line) => {
          demoRegister = 'written';
          if (line) console.log(line);
        },
        (error: unknown) => {
          demoRegister = 'failed';
          console.error('demo register: not written', error);
        },
      );
  }

  const shutdown = () => {
    stopWriting.abort();
    stopEscalation();
    stopTaskSweep();
    server.close();
    // Live streams never end by themselves: end them (each gets `event: end`), give the last
    // bytes a moment to leave, then drop whatever connection is left and close the database.
    void app
      .close()
      .then(() => new Promise((flushed) => setTimeout(flushed, 100)))
      .finally(() => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        return db.close().finally(() => process.exit(0));
      });
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof EnvError ? error.message : error);
  process.exit(1);
});
