import { OpenAPIHono } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { accountsRoutes } from './accounts/routes.ts';
import { accountsService } from './accounts/service.ts';
import type { AppEnv } from './app-env.ts';
import { areasRoutes } from './areas/routes.ts';
import { auditRoutes } from './audit/routes.ts';
import { auditService } from './audit/service.ts';
import { authenticate, csrfProtection, publicAccess } from './auth/middleware.ts';
import { authRoutes } from './auth/routes.ts';
import { authService } from './auth/service.ts';
import { SessionCache } from './auth/session-cache.ts';
import { ensureDefaultTimeLimits } from './cases/deadlines.ts';
import { duplicatesRoutes } from './cases/duplicates/routes.ts';
import { evaluationsRoutes } from './cases/evaluations/routes.ts';
import { evaluationsService } from './cases/evaluations/service.ts';
import { impactRoutes } from './cases/impact/routes.ts';
import { myWorkRoutes } from './cases/my-work-routes.ts';
import { myWorkService } from './cases/my-work-service.ts';
import { casePhotosRoutes } from './cases/photos/routes.ts';
import { casesRoutes } from './cases/routes.ts';
import { casesService } from './cases/service.ts';
import { dutySummaryRoutes } from './cases/summary-routes.ts';
import { dutySummaryService } from './cases/summary-service.ts';
import { timeLimitsService } from './cases/time-limits-service.ts';
import { workStatesOf } from './cases/workflow.ts';
import { configRoutes } from './config/routes.ts';
import type { Database } from './db/client.ts';
import type { accounts } from './db/schema.ts';
import { isDataException, sqlFailureOf } from './db/sql-state.ts';
import type { DemoPatrolsState } from './demo/demo-patrols.ts';
import { drillService } from './demo/drill.ts';
import { drillRoutes } from './demo/routes.ts';
import type { DemoRegisterState } from './demo/special-register-service.ts';
import { DEFAULT_WALKERS, demoWalkers, EMBEDDED_UPLOAD_SECONDS, type WalkersOptions } from './demo/walkers.ts';
import { departmentsRoutes } from './departments/routes.ts';
import { renderApiPage } from './docs/page.ts';
import type { Env } from './env.ts';
import { AppError, badRequest, errorBody, languageOf } from './errors.ts';
import { geohazardsRoutes } from './geohazards/routes.ts';
import { geohazardsService } from './geohazards/service.ts';
import { healthRoutes } from './health/routes.ts';
import { bodyLimits } from './http/body-limits.ts';
import { refuseUnstorableText } from './http/unstorable-text.ts';
import { LiveHub } from './live/hub.ts';
import { liveRetention } from './live/retention.ts';
import { liveRoutes } from './live/routes.ts';
import { liveService } from './live/service.ts';
import { validationHook } from './openapi.ts';
import { startCellsSettler } from './patrols/cells-settler.ts';
import { patrolCoverageRoutes } from './patrols/coverage-routes.ts';
import { patrolCoverageService } from './patrols/coverage-service.ts';
import { nearbyPatrolsRoutes } from './patrols/nearby/routes.ts';
import { nearbyPatrolsService } from './patrols/nearby/service.ts';
import { playbackRoutes } from './patrols/playback-routes.ts';
import { playbackService } from './patrols/playback-service.ts';
import { patrolsRoutes } from './patrols/routes.ts';
import { patrolsService } from './patrols/service.ts';
import { DEFAULT_UPLOAD_GATE, type UploadGateLimits, uploadGate } from './patrols/upload-gate.ts';
import { providersRoutes } from './providers/routes.ts';
import { providersService } from './providers/service.ts';
import { reportsRoutes } from './reports/routes.ts';
import { reportsService } from './reports/service.ts';
import { reviewExports } from './review/export-service.ts';
import { reviewRoutes } from './review/routes.ts';
import { reviewService } from './review/service.ts';
import type { DatasetInfo } from './seed/service.ts';
import { accessGrantsService } from './special-heatmap/access-service.ts';
import { specialHeatmapRoutes } from './special-heatmap/routes.ts';
import { specialHeatmapService } from './special-heatmap/service.ts';
import { specialSummaryService } from './special-heatmap/summary.ts';
import { specialPopulationsRoutes } from './special-populations/routes.ts';
import { specialPopulationsService } from './special-populations/service.ts';
import { specialVisitsRoutes } from './special-visits/routes.ts';
import { specialVisitsService } from './special-visits/service.ts';
import { drillTaskRoutes } from './task-monitor/drill-routes.ts';
import { drillTasksService } from './task-monitor/drill-tasks.ts';
import { taskMonitorRoutes } from './task-monitor/routes.ts';
import { taskMonitorService } from './task-monitor/service.ts';
import { taskInboxRoutes } from './tasks/inbox-routes.ts';
import { taskInboxService } from './tasks/inbox-service.ts';
import { tasksRoutes } from './tasks/routes.ts';
import { tasksService } from './tasks/service.ts';
import { tilesRoutes } from './tiles/routes.ts';
import { tilesService } from './tiles/service.ts';
import { webClient } from './web-client/static-files.ts';
import { commendationsService } from './workforce/commendations.ts';
import { reviewWorkerAssessment } from './workforce/review-assessment.ts';
import { workforceRoutes } from './workforce/routes.ts';
import { workforceService } from './workforce/service.ts';
import { workerSurveysService } from './workforce/surveys.ts';

export interface AppDependencies {
  db: Database;
  env: Pick<Env, 'BASEMAP_STYLE_URL' | 'TILE_CACHE_ENTRIES'> &
    Partial<Pick<Env, 'PATROL_RETENTION_DAYS' | 'LIVE_RETENTION_DAYS' | 'PATROL_COVERAGE_DISTANCE_M' | 'DEMO_WALKERS'>>;
  dataset: DatasetInfo;
  /** The embedded demo: the login page lists the demo accounts. */
  demo: boolean;
  /** Folder of the built web client (dist/web); omitted in API-only tests. */
  webRoot?: string;
  /** The demo walkers' pace (tests run them fast); their mode comes from env.DEMO_WALKERS. */
  walkers?: Partial<Omit<WalkersOptions, 'mode' | 'seed'>>;
  /** Where the embedded demo's past patrols stand, written after the server is ready (api/demo/demo-patrols.ts); /healthz says it. */
  demoPatrols?: () => DemoPatrolsState | undefined;
  /** Where the embedded demo's register of special populations stands, written after the patrols (api/demo/special-register-service.ts). */
  demoRegister?: () => DemoRegisterState | undefined;
  /**
   * Whether the app derives patrols' cells walked after their batches by itself (default yes).
   * Integration tests say no and settle where they read, so that no settling of the app's runs
   * between a test's batch and its own settler (with another coverage distance).
   */
  settleCells?: boolean;
  /** How many batches of fixes run and wait at once (api/patrols/upload-gate.ts); tests make it small. */
  uploadGate?: UploadGateLimits;
}

type Bbox = [number, number, number, number];

async function countyFacts(db: Database): Promise<{ code: string; name: string; bbox: Bbox }> {
  const [county] = await db.rows<{ code: string; name: string; west: number; south: number; east: number; north: number }>(sql`
    SELECT code, name, ST_XMin(geom) AS west, ST_YMin(geom) AS south, ST_XMax(geom) AS east, ST_YMax(geom) AS north
    FROM areas WHERE level = 'county' ORDER BY code LIMIT 1`);
  if (!county) throw new Error('no county in the database: seed or import one first');
  return { code: county.code, name: county.name, bbox: [county.west, county.south, county.east, county.north] };
}

/** Our error for a 4xx that Hono raised itself while reading the request. */
function clientErrorOf(error: HTTPException): AppError {
  if (error.status === 415) {
    return new AppError(415, 'unsupported_media_type', {
      zh: '请求的内容类型不受支持，请发送 JSON',
      en: 'Unsupported content type; send JSON',
    });
  }
  if (error.status === 413) {
    return new AppError(413, 'request_too_large', { zh: '请求内容过大', en: 'The request is too large' });
  }
  return new AppError(error.status as ContentfulStatusCode, 'malformed_request', {
    zh: `请求格式不正确：${error.message}`,
    en: `Malformed request: ${error.message}`,
  });
}

/**
 * Patrol partitions and retention, and the live log's retention, are kept up at start and then
 * every hour: a day's partition is there a week before it is needed.
 */
const UPKEEP_MS = 3_600_000;

async function startUpkeep(
  patrols: ReturnType<typeof patrolsService>,
  liveLog: ReturnType<typeof liveRetention>,
): Promise<() => void> {
  const patrolUpkeep = async () => {
    await patrols.ensurePartitions();
    await patrols.applyRetention();
  };
  await patrolUpkeep();
  await liveLog.apply();
  // Each its own catch: a failing one does not keep the other from running.
  const timer = setInterval(() => {
    patrolUpkeep().catch((error: unknown) => console.error('patrol partitions or retention failed:', error));
    liveLog.apply().catch((error: unknown) => console.error('live event retention failed:', error));
  }, UPKEEP_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Composes every capability into one Hono app: API, tiles, OpenAPI document, and the web
 * client. Every route declares who may call it (requires / signedIn / publicAccess); the
 * access-matrix test walks the router and fails on a route that does not.
 */
export async function createApp({
  db,
  env,
  dataset,
  demo,
  webRoot,
  walkers: walkerPace,
  demoPatrols,
  demoRegister,
  settleCells = true,
  uploadGate: uploadLimits = DEFAULT_UPLOAD_GATE,
}: AppDependencies) {
  const county = await countyFacts(db);
  const sessions = new SessionCache();
  const auth = authService(db, county.code, sessions);
  await ensureDefaultTimeLimits(db);
  // The live feed's hub and the cross-process session revocations live as long as the app:
  // app.close() ends them, and so does closing the database (its hooks run first).
  const hub = new LiveHub(db);
  await hub.start();
  const live = liveService(hub, sessions);
  const stopFollowingRevocations = await sessions.followRevocations(db);
  const patrols = patrolsService(db, {
    retentionDays: env.PATROL_RETENTION_DAYS ?? 180,
    coverageDistanceM: env.PATROL_COVERAGE_DISTANCE_M,
  });
  const stopUpkeep = await startUpkeep(patrols, liveRetention(db, { retentionDays: env.LIVE_RETENTION_DAYS ?? 30 }));
  const stopCellsSettler = settleCells ? startCellsSettler(patrols) : async () => {};
  const geohazards = geohazardsService(db);
  const walkers = demoWalkers(db, patrols, geohazards, {
    ...DEFAULT_WALKERS,
    ...(db.engine === 'pglite' ? { uploadSeconds: EMBEDDED_UPLOAD_SECONDS } : {}),
    ...walkerPace,
    mode: env.DEMO_WALKERS ?? (demo ? 'on' : 'off'),
    seed: dataset.seed,
  });
  walkers.start();
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      forgetCloseHook();
      await walkers.stop();
      await live.close();
      await hub.stop();
      await stopFollowingRevocations();
      stopUpkeep();
      await stopCellsSettler();
    })();
    return closing;
  };
  const forgetCloseHook = db.onClose(close);
  const review = reviewService(db);
  const drill = drillService(db, reportsService(db), walkers);
  const tasks = tasksService(db);
  const tiles = tilesService(db, { cacheEntries: env.TILE_CACHE_ENTRIES, countyBounds: async () => county.bbox });
  const demoUsernames = async () =>
    new Set(
      (
        await db.rows<Pick<typeof accounts.$inferSelect, 'username'>>(
          sql`SELECT username FROM accounts WHERE demo AND disabled_at IS NULL`,
        )
      ).map((row) => row.username),
    );

  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.onError((error, c) => {
    const language = languageOf(c.req.header('Accept-Language'));
    if (error instanceof AppError) return c.json(errorBody(error, language), error.status);
    // Hono's own refusals (a body that is not JSON, a wrong Content-Type) are the client's mistake.
    if (error instanceof HTTPException && error.status < 500)
      return c.json(errorBody(clientErrorOf(error), language), error.status);
    const failure = sqlFailureOf(error);
    if (isDataException(failure)) {
      // Validation should have refused this value; say so in the log, and answer the client 400.
      console.warn(`a request's value reached the database and was refused (${failure?.code}): ${failure?.message}`);
      const refused = badRequest(
        'invalid_value',
        {
          zh: '输入的值无法保存：请检查字符、日期和数字的范围',
          en: 'A value cannot be stored: check its characters, dates and numbers',
        },
        { sqlState: failure?.code },
      );
      return c.json(errorBody(refused, language), 400);
    }
    console.error(error);
    const internal = new AppError(500, 'internal_error', {
      zh: '服务器内部错误，请稍后重试',
      en: 'Internal server error; please try again',
    });
    return c.json(errorBody(internal, language), 500);
  });

  app.use('*', bodyLimits);
  app.use('*', authenticate(db, auth));
  app.use('*', csrfProtection);
  app.use('*', refuseUnstorableText);

  const routes = app
    .route('/', healthRoutes(db.engine, demoPatrols, demoRegister))
    .route('/', authRoutes(auth, { demo, demoUsernames, workStatesOf }))
    .route(
      '/',
      configRoutes({
        basemapStyleUrl: env.BASEMAP_STYLE_URL ?? null,
        county,
        dataset: { seed: dataset.seed, preset: dataset.preset, synthetic: true, seededAt: dataset.seededAt },
      }),
    )
    .route('/', areasRoutes(db))
    .route('/', departmentsRoutes())
    .route('/', providersRoutes(providersService(db)))
    .route('/', drillRoutes(drill))
    .route('/', drillTaskRoutes(drillTasksService(db, drill, tasks.dispatch)))
    .route('/', tilesRoutes(tiles, db))
    .route('/', accountsRoutes(accountsService(db, sessions)))
    .route('/', auditRoutes(auditService(db)))
    .route('/', myWorkRoutes(myWorkService()))
    // Before casesRoutes: its /api/cases/{id} would take "summary" for an id.
    .route('/', dutySummaryRoutes(dutySummaryService()))
    .route('/', casesRoutes(casesService(db), timeLimitsService(db)))
    .route('/', impactRoutes(db))
    .route('/', duplicatesRoutes(db))
    .route('/', evaluationsRoutes(evaluationsService(db)))
    .route('/', casePhotosRoutes(db))
    .route('/', liveRoutes(live, auth))
    .route('/', reportsRoutes(db))
    .route('/', patrolCoverageRoutes(patrolCoverageService({ distanceM: env.PATROL_COVERAGE_DISTANCE_M })))
    .route('/', patrolsRoutes(patrols, uploadGate(uploadLimits)))
    .route('/', nearbyPatrolsRoutes(nearbyPatrolsService(db)))
    .route('/', playbackRoutes(playbackService(db)))
    .route('/', geohazardsRoutes(geohazards))
    .route('/', specialHeatmapRoutes(specialHeatmapService(db), specialSummaryService(db), accessGrantsService(db)))
    .route('/', specialPopulationsRoutes(specialPopulationsService(db)))
    .route('/', specialVisitsRoutes(specialVisitsService(db)))
    // Before tasksRoutes: its /api/tasks/{id} would take "inbox".
    .route('/', taskInboxRoutes(taskInboxService(db, async () => county.bbox)))
    .route('/', tasksRoutes(tasks))
    .route('/', reviewRoutes(review, reviewExports(db, review)))
    .route('/', taskMonitorRoutes(taskMonitorService(db)))
    .route(
      '/',
      workforceRoutes(workforceService(db), workerSurveysService(db), commendationsService(db, reviewWorkerAssessment)),
    );

  app.get('/api/openapi.json', publicAccess);
  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: '网格化管理指挥中心 Grid command center',
      version: '0.1.0',
      description: `${county.name}（${county.code}）的区划、网格、单元格与矢量瓦片。Areas, grids, cells and vector tiles of the county.`,
    },
  });
  app.get('/api/docs', publicAccess, (c) =>
    c.html(
      renderApiPage(
        app.getOpenAPI31Document({ openapi: '3.1.0', info: { title: '网格化管理指挥中心 API', version: '0.1.0' } }) as never,
      ),
    ),
  );

  app.notFound((c) => {
    const error = new AppError(404, 'not_found', { zh: `没有这个地址：${c.req.path}`, en: `Nothing at ${c.req.path}` });
    return c.json(errorBody(error, languageOf(c.req.header('Accept-Language'))), 404);
  });

  if (webRoot) {
    // The built client: precompressed files by Accept-Encoding, and the app shell for every other
    // page path. The server builds the client at start (api/web-client/build.ts); if that failed,
    // a page says so instead of a bare 404, and the log has the build's output.
    app.get('*', publicAccess, webClient(webRoot), (c, next) =>
      c.req.path.startsWith('/api/') || c.req.path.startsWith('/tiles/') || c.req.path.startsWith('/assets/')
        ? next()
        : c.html(
            `<!doctype html><meta charset="utf-8"><title>网页客户端未构建</title>
<body style="background:#0b1220;color:#dbe4f3;font:20px system-ui,sans-serif;display:grid;place-items:center;height:100vh;margin:0">
<div><p>网页客户端尚未构建：请查看服务器日志，或运行 <code>npm run build</code> 后重启。</p>
<p>The web client is not built: see the server log, or run <code>npm run build</code> and restart.</p></div></body>`,
            503,
          ),
    );
  }

  /** Ends the live streams and stops listening; the database stays open (its owner closes it). */
  return Object.assign(routes, { close });
}

export type AppType = Awaited<ReturnType<typeof createApp>>;
