import { isWithinScope } from '../../geo/area-codes.ts';
import { type PreparedGround, prepareGround, walkPatrol } from '../../geo/plan-patrol-walk.ts';
import { createRandomStream, type RandomStream } from '../../geo/seeded-random.ts';
import type { Principal } from '../app-env.ts';
import { isWorkingDay } from '../cases/working-time.ts';
import type { Database } from '../db/client.ts';
import type { GeohazardsService } from '../geohazards/service.ts';
import type { PatrolsService } from '../patrols/service.ts';
import { collectDue, inBatches, type LivePatrol, setOutLive, uploadPending, type WalkingScope } from './live-patrol.ts';
import { monitorRounds } from './monitor-rounds.ts';
import { type WalkerGround, walkersRepository } from './walkers-repository.ts';

/**
 * `on`: every grid worker and geohazard monitor of the county walks in office hours, and those of a
 * running drill's scope at any hour (a demonstration at night is alive too); `drills`: only while a
 * drill runs; `off`: nobody walks.
 */
type WalkersMode = 'on' | 'drills' | 'off';

export interface WalkersOptions {
  mode: WalkersMode;
  seed: number;
  /** How often (ms) the walkers look at the clock. */
  tickMs: number;
  /** The walkers' time; a test may run it fast, but never ahead of the real one (the service refuses future fixes). */
  clock: () => Date;
  /** Length of a patrol, minutes, drawn per patrol. */
  patrolMinutes: readonly [number, number];
  /** Rest between two patrols of a worker, minutes. */
  restMinutes: readonly [number, number];
  /** Seconds between two uploads of a walker's phone. */
  uploadSeconds: readonly [number, number];
  /** Walkers who may start set out over this many seconds, not all in the same tick. */
  startSpreadSeconds: number;
}

export const DEFAULT_WALKERS: Omit<WalkersOptions, 'mode' | 'seed'> = {
  tickMs: 1_000,
  clock: () => new Date(),
  patrolMinutes: [60, 180],
  restMinutes: [10, 40],
  uploadSeconds: [10, 30],
  startSpreadSeconds: 120,
};

/**
 * Seconds between two uploads of a walker's phone on the embedded database, which runs every
 * statement on the server's one thread: every grid worker and monitor of the county out at once
 * (a county drill) uploading every 10-30 s kept it busy enough that any request waited a second.
 * The live map still hears of each walker well within a minute.
 */
export const EMBEDDED_UPLOAD_SECONDS: readonly [number, number] = [30, 50];

/** A phone sends a fix every 5 s. */
const LIVE_FIX_INTERVAL_MS = 5_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
/** Office hours in Shanghai minutes after midnight, as api/cases/working-time.ts counts them. */
const OFFICE_PERIODS = [
  [8 * 60 + 30, 12 * 60],
  [14 * 60, 17 * 60 + 30],
] as const;

/**
 * When today's office hours end (ms) if `instant` falls in them on a working day, Asia/Shanghai;
 * null outside them.
 */
function officeHoursEnd(instant: Date): number | null {
  if (!isWorkingDay(instant)) return null;
  const local = new Date(instant.getTime() + SHANGHAI_OFFSET_MS);
  const minutes = local.getUTCHours() * 60 + local.getUTCMinutes();
  if (!OFFICE_PERIODS.some(([start, end]) => minutes >= start && minutes < end)) return null;
  const lastEnd = OFFICE_PERIODS[OFFICE_PERIODS.length - 1]![1];
  return instant.getTime() + (lastEnd - minutes) * 60_000 - local.getUTCSeconds() * 1000 - local.getUTCMilliseconds();
}

/** The next midnight in Asia/Shanghai: a drill walks its scope until then at most. */
function shanghaiMidnightAfter(instant: Date): number {
  const local = instant.getTime() + SHANGHAI_OFFSET_MS;
  return local - (local % 86_400_000) + 86_400_000 - SHANGHAI_OFFSET_MS;
}

interface Walker {
  ground: WalkerGround;
  prepared: PreparedGround;
  principal: Principal;
  random: RandomStream;
  patrols: number;
  patrol: LivePatrol | null;
  /** Not before this (ms) does the walker set out again; null until it first may. */
  restUntilMs: number | null;
}

/**
 * The demo's walkers: every grid worker in a walking scope starts a patrol, walks its grid
 * (geo/plan-patrol-walk.ts), uploads a batch of fixes every 10-30 s and ends after 1-3 h, then
 * rests and sets out again, all through the patrols service as a phone does (start, upload, end),
 * so live events, flags and distances follow. The geohazard monitors of the same scopes walk their
 * rounds in the same tick (monitor-rounds.ts). Kept in this process, like drills.
 */
export function demoWalkers(db: Database, patrols: PatrolsService, geohazards: GeohazardsService, options: WalkersOptions) {
  const drillScopes = new Set<string>();
  /** Uploads run one at a time on the embedded database, which queues them anyway; a few at once on PostgreSQL. */
  const concurrency = db.engine === 'pglite' ? 1 : 4;
  let walkers: Walker[] | null = null;
  const monitors = monitorRounds(patrols, geohazards, options);
  let timer: NodeJS.Timeout | null = null;
  let ticking: Promise<void> | null = null;
  let stopped = false;

  async function load(): Promise<Walker[]> {
    walkers ??= (await walkersRepository(db).grounds('')).map((ground) => ({
      ground,
      prepared: prepareGround(ground),
      principal: {
        accountId: ground.workerId,
        username: ground.workerId,
        displayName: ground.workerName,
        role: 'grid_worker',
        scopeCode: ground.gridCode,
        departmentCode: null,
        sessionId: '',
        csrfToken: '',
      },
      random: createRandomStream(options.seed, `walker:${ground.gridCode}`),
      patrols: 0,
      patrol: null,
      restUntilMs: null,
    }));
    return walkers;
  }

  const between = (stream: RandomStream, [min, max]: readonly [number, number]) => stream.uniform(min, max);

  /** The drills' scopes until midnight, and in mode `on` the whole county until the end of office hours. */
  function walkingScopes(now: Date): WalkingScope[] {
    const scopes = [...drillScopes].map((scopeCode) => ({ scopeCode, untilMs: shanghaiMidnightAfter(now) }));
    const officeEnd = options.mode === 'on' ? officeHoursEnd(now) : null;
    if (officeEnd !== null) scopes.push({ scopeCode: '', untilMs: officeEnd });
    return scopes;
  }

  async function setOut(walker: Walker, nowMs: number): Promise<void> {
    const walk = createRandomStream(options.seed + walker.patrols, `walk:${walker.ground.gridCode}`);
    walker.patrols += 1;
    const durationMs = between(walker.random, options.patrolMinutes) * 60_000;
    walker.patrol = await setOutLive(patrols, walker.principal, {
      clientId: `walker-${walker.ground.gridCode}-${nowMs}`,
      startMs: nowMs,
      endsAtMs: nowMs + durationMs,
      firstUploadMs: nowMs + between(walker.random, options.uploadSeconds) * 1000,
      fixes: walkPatrol(walker.prepared, walk, { startMs: nowMs, durationMs, fixIntervalMs: LIVE_FIX_INTERVAL_MS }),
    });
  }

  async function step(walker: Walker, nowMs: number, walking: boolean): Promise<void> {
    const patrol = walker.patrol;
    if (!patrol) {
      if (!walking) {
        walker.restUntilMs = null;
        return;
      }
      walker.restUntilMs ??= nowMs + walker.random.uniform(0, options.startSpreadSeconds) * 1000;
      if (nowMs >= walker.restUntilMs) await setOut(walker, nowMs);
      return;
    }
    collectDue(patrol, walking ? Math.min(nowMs, patrol.endsAtMs) : nowMs);
    const over = !walking || nowMs >= patrol.endsAtMs || !patrol.next;
    if (over || nowMs >= patrol.nextUploadMs) {
      await uploadPending(patrols, patrol);
      patrol.nextUploadMs = nowMs + between(walker.random, options.uploadSeconds) * 1000;
    }
    if (!over) return;
    await patrols.end(walker.principal, patrol.id, new Date(Math.min(nowMs, patrol.endsAtMs)));
    walker.patrol = null;
    walker.restUntilMs = nowMs + between(walker.random, options.restMinutes) * 60_000;
  }

  async function tick(): Promise<void> {
    const now = options.clock();
    const scopes = walkingScopes(now);
    // A monitor's trouble (the register unreadable) never keeps the grid workers home.
    await monitors
      .tick(now.getTime(), scopes, concurrency)
      .catch((error: unknown) => console.error('demo monitors failed:', error));
    // Nobody has walked yet and nobody may: the grids need not even be read.
    if (scopes.length === 0 && !walkers) return;
    const all = await load();
    const walksIn = (walker: Walker) => scopes.some((scope) => isWithinScope(walker.ground.gridCode, scope.scopeCode));
    // Walkers out of every walking scope still need their patrol ended; the rest need nothing.
    const due = all.filter((walker) => walker.patrol || walksIn(walker));
    await inBatches(due, concurrency, (walker) =>
      step(walker, now.getTime(), walksIn(walker)).catch((error: unknown) => {
        console.error(`demo walker of grid ${walker.ground.gridCode} stumbled:`, error);
        walker.patrol = null;
      }),
    );
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      ticking = tick()
        .catch((error: unknown) => console.error('demo walkers failed:', error))
        .finally(() => {
          ticking = null;
          schedule();
        });
    }, options.tickMs);
    timer.unref();
  }

  return {
    /** Starts looking at the clock; nothing walks when the mode is off. */
    start(): void {
      if (options.mode === 'off' || timer) return;
      schedule();
    },

    /** A drill started in `scopeCode`: its grid workers and geohazard monitors walk at any hour while it runs. */
    drillStarted(scopeCode: string): void {
      if (options.mode !== 'off') drillScopes.add(scopeCode);
    },

    /** The drill of `scopeCode` ended: its walkers end their patrols at the next tick unless office hours keep them out. */
    drillStopped(scopeCode: string): void {
      drillScopes.delete(scopeCode);
    },

    /** How many walkers (grid workers and monitors) are out on patrol now. */
    out(): number {
      return (walkers ?? []).filter((walker) => walker.patrol).length + monitors.out();
    },

    /** Stops walking: the last tick finishes, then every patrol out uploads what it has and ends. */
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      await ticking;
      const nowMs = options.clock().getTime();
      for (const walker of walkers ?? []) {
        if (!walker.patrol) continue;
        await step(walker, nowMs, false).catch(() => {
          walker.patrol = null;
        });
      }
      await monitors.stop(nowMs);
    },
  };
}

export type DemoWalkers = ReturnType<typeof demoWalkers>;
