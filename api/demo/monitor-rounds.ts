import { isWithinScope } from '../../geo/area-codes.ts';
import { createRandomStream, type RandomStream } from '../../geo/seeded-random.ts';
import type { LngLat } from '../../geo/types.ts';
import type { Principal } from '../app-env.ts';
import { planRound, roundFixes } from '../geohazards/demo-rounds.ts';
import { type GeohazardsService, shanghaiDay } from '../geohazards/service.ts';
import type { PatrolsService } from '../patrols/service.ts';
import { collectDue, inBatches, type LivePatrol, setOutLive, uploadPending, type WalkingScope } from './live-patrol.ts';

/** A phone sends a fix every 5 s. */
const LIVE_FIX_INTERVAL_S = 5;
/** A round sets out at least this long (ms) after the time that makes it count apart from the one before: the walk to the point is not the same each time. */
const ROUND_MARGIN_MS = 5 * 60_000;
/** How often (clock ms) the register is read again, so points written after the first read (the demo writes them once the server is up) get walked. */
const REGISTER_REFRESH_MS = 10 * 60_000;

interface Monitor {
  monitorId: string;
  principal: Principal;
  /** The monitor's cell, where their rounds are filed and whose scopes make them walk. */
  areaCode: string;
  home: LngLat;
  pointIds: string[];
  points: LngLat[];
  random: RandomStream;
  rounds: number;
  round: LivePatrol | null;
  /** Rounds the rule still asks today after the one out. */
  owedAfter: number;
  /** Not before this (ms) does the monitor set out again; null until they first may. */
  dueMs: number | null;
}

export interface MonitorRoundsOptions {
  seed: number;
  /** Seconds between two uploads of a monitor's phone. */
  uploadSeconds: readonly [number, number];
  /** Monitors who may start set out over this many seconds, not all in the same tick. */
  startSpreadSeconds: number;
}

/** The next midnight in Asia/Shanghai after `ms`: a new day, a new count against the rule. */
function nextShanghaiMidnight(ms: number): number {
  return new Date(`${shanghaiDay(new Date(ms))}T00:00:00+08:00`).getTime() + 86_400_000;
}

/**
 * The demo's geohazard monitors walking live: each monitor (a cell's informant) goes from home to
 * their point(s), looks around and comes back (api/geohazards/demo-rounds.ts), a fix every 5 s,
 * uploading through the patrols service as a phone does, so the point's count for today rises as
 * they pass it. Before setting out a monitor asks the geohazards service what the rule in force
 * still asks of their points today, and stays home when it asks nothing more; the rounds left are
 * spread over the rest of the scope's walking hours. Stepped by the walkers' tick (walkers.ts),
 * with its scopes and its concurrency.
 */
export function monitorRounds(patrols: PatrolsService, geohazards: GeohazardsService, options: MonitorRoundsOptions) {
  let monitors: Monitor[] = [];
  let reloadAtMs = Number.NEGATIVE_INFINITY;
  const between = (stream: RandomStream, [min, max]: readonly [number, number]) => stream.uniform(min, max);

  /** Reads the register, keeping the monitors already known (and their round out) as they are. */
  async function load(nowMs: number): Promise<Monitor[]> {
    if (nowMs < reloadAtMs) return monitors;
    const register = await geohazards.watchedPoints();
    reloadAtMs = nowMs + REGISTER_REFRESH_MS;
    const known = new Map(monitors.map((monitor) => [monitor.monitorId, monitor]));
    const byMonitor = new Map<string, typeof register>();
    for (const point of register) {
      byMonitor.set(point.monitorId, [...(byMonitor.get(point.monitorId) ?? []), point]);
    }
    monitors = [...byMonitor].map(([monitorId, points]) => {
      const first = points[0]!;
      const monitor = known.get(monitorId) ?? {
        monitorId,
        principal: {
          accountId: monitorId,
          username: monitorId,
          displayName: first.monitorName,
          role: 'cell_informant' as const,
          scopeCode: first.areaCode,
          departmentCode: null,
          sessionId: '',
          csrfToken: '',
        },
        areaCode: first.areaCode,
        home: first.home,
        pointIds: [],
        points: [],
        random: createRandomStream(options.seed, `monitor:${monitorId}`),
        rounds: 0,
        round: null,
        owedAfter: 0,
        dueMs: null,
      };
      monitor.pointIds = points.map((point) => point.id);
      monitor.points = points.map((point) => point.position);
      return monitor;
    });
    return monitors;
  }

  async function setOut(monitor: Monitor, nowMs: number, untilMs: number): Promise<void> {
    const { owed, apartMs } = await geohazards.owedOn(monitor.pointIds, shanghaiDay(new Date(nowMs)));
    if (owed === 0) {
      monitor.dueMs = nextShanghaiMidnight(nowMs);
      return;
    }
    const walk = createRandomStream(options.seed + monitor.rounds, `round:${monitor.monitorId}`);
    monitor.rounds += 1;
    const plan = planRound(monitor.home, monitor.points, walk);
    monitor.owedAfter = owed - 1;
    monitor.round = await setOutLive(patrols, monitor.principal, {
      clientId: `walker-monitor-${monitor.monitorId}-${nowMs}`,
      startMs: nowMs,
      endsAtMs: nowMs + plan.totalS * 1000,
      firstUploadMs: nowMs + between(monitor.random, options.uploadSeconds) * 1000,
      fixes: roundFixes(plan, nowMs, LIVE_FIX_INTERVAL_S, walk),
    });
    if (monitor.owedAfter === 0) {
      monitor.dueMs = nextShanghaiMidnight(nowMs);
      return;
    }
    // Rounds left are spread over what is left of the walking hours, and never so close that two count as one.
    const endsAtMs = monitor.round.endsAtMs;
    const spread = monitor.random.uniform(0.5, 1) * (Math.max(0, untilMs - endsAtMs) / (monitor.owedAfter + 1));
    monitor.dueMs = Math.max(endsAtMs + spread, nowMs + apartMs + ROUND_MARGIN_MS);
  }

  async function step(monitor: Monitor, nowMs: number, untilMs: number | null): Promise<void> {
    const walking = untilMs !== null;
    const round = monitor.round;
    if (!round) {
      if (!walking) {
        monitor.dueMs = null;
        return;
      }
      monitor.dueMs ??= nowMs + monitor.random.uniform(0, options.startSpreadSeconds) * 1000;
      if (nowMs >= monitor.dueMs) await setOut(monitor, nowMs, untilMs);
      return;
    }
    collectDue(round, nowMs);
    const over = !walking || !round.next;
    if (over || nowMs >= round.nextUploadMs) {
      await uploadPending(patrols, round);
      round.nextUploadMs = nowMs + between(monitor.random, options.uploadSeconds) * 1000;
    }
    if (!over) return;
    await patrols.end(monitor.principal, round.id, new Date(Math.min(nowMs, round.endsAtMs)));
    monitor.round = null;
  }

  /** Until when `monitor` may walk: the latest end of the walking scopes holding their cell, or null when none does. */
  function walkingUntil(monitor: Monitor, scopes: readonly WalkingScope[]): number | null {
    const holding = scopes.filter((scope) => isWithinScope(monitor.areaCode, scope.scopeCode));
    return holding.length === 0 ? null : Math.max(...holding.map((scope) => scope.untilMs));
  }

  return {
    /** One step of every monitor in a walking scope or out on a round, `concurrency` at a time. */
    async tick(nowMs: number, scopes: readonly WalkingScope[], concurrency: number): Promise<void> {
      // Nobody may walk and nobody is out: the register need not even be read.
      if (scopes.length === 0 && !monitors.some((monitor) => monitor.round)) return;
      const all = await load(nowMs);
      const due = all.filter((monitor) => monitor.round || walkingUntil(monitor, scopes) !== null);
      await inBatches(due, concurrency, (monitor) =>
        step(monitor, nowMs, walkingUntil(monitor, scopes)).catch((error: unknown) => {
          console.error(`demo monitor ${monitor.monitorId} stumbled:`, error);
          monitor.round = null;
        }),
      );
    },

    /** Ends every round out: what it has is uploaded first. */
    async stop(nowMs: number): Promise<void> {
      for (const monitor of monitors) {
        if (!monitor.round) continue;
        await step(monitor, nowMs, null).catch(() => {
          monitor.round = null;
        });
      }
    },

    /** How many monitors are out on a round now. */
    out(): number {
      return monitors.filter((monitor) => monitor.round).length;
    },
  };
}
