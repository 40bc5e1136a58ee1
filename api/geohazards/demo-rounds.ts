import { createPlaneProjection } from '../../geo/plane-projection.ts';
import type { RandomStream } from '../../geo/seeded-random.ts';
import type { LngLat } from '../../geo/types.ts';
import { type GeohazardRule, requiredPatrols, ruleOn } from '../vocabulary/geohazards.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** A point a monitor walks to, and where the monitor sets out from (their cell's centre). */
export interface WatchedPoint {
  id: string;
  position: LngLat;
  home: LngLat;
  monitorId: string;
  monitorName: string;
  /** The monitor's cell: their patrols are filed under it. */
  areaCode: string;
  /** A monitor who misses rounds now and then, and one of today's for sure (so some points are behind). */
  lax: boolean;
}

/** One round of a monitor: out from home to the point, a look around it, and back. */
export interface PlannedRound {
  id: string;
  pointId: string;
  monitorId: string;
  monitorName: string;
  areaCode: string;
  startedAt: Date;
  endedAt: Date;
  distanceM: number;
  fixes: { clientFixId: string; fixedAt: Date; position: LngLat; accuracyM: number; speedMps: number }[];
}

/** Walking speed of a monitor on a mountain path, m/s. */
const WALK_MPS = 1.1;
/** Minutes spent looking at the slope: cracks, bulges, fresh rockfall. */
const LOOK_MINUTES = 6;

/**
 * The rounds of the monitors of `points` on the Asia/Shanghai days from `firstDay` to the day of
 * `now`, as the rule in force each day asks (four a day in the rainy season by default), spread over
 * the daylight hours; only rounds over by `now` (or, with `inProgress`, begun by then, cut at `now`).
 * A lax monitor misses about a third of their rounds, and the last one of today. Fixes every
 * `stepS` seconds. Deterministic for a given random stream; drawn lazily, a round at a time, so
 * that a month of the county's rounds is planned in small steps between writes.
 */
export function* planRounds(
  points: readonly WatchedPoint[],
  rules: readonly GeohazardRule[],
  options: { firstDay: string; now: Date; stepS: number; random: RandomStream },
): Generator<PlannedRound> {
  const { now, stepS, random } = options;
  const today = shanghaiDayOf(now);
  for (let dayStart = new Date(`${options.firstDay}T00:00:00+08:00`).getTime(); dayStart <= now.getTime(); dayStart += DAY_MS) {
    const day = shanghaiDayOf(new Date(dayStart));
    const rule = ruleOn(rules, day);
    const perDay = rule ? requiredPatrols(rule, day) : 0;
    for (const point of points) {
      for (let slot = 0; slot < perDay; slot++) {
        // Slots spread over 07:00-19:00, each started within half an hour of its time.
        const startedAt = dayStart + (7 + (12 / perDay) * (slot + 0.5)) * HOUR_MS + random.uniform(-0.5, 0.5) * HOUR_MS;
        const skipped = point.lax && (random.next() < 0.35 || (day === today && slot === perDay - 1));
        if (skipped || startedAt > now.getTime()) continue;
        const round = walkRound(point, new Date(startedAt), stepS, random);
        if (round.endedAt.getTime() <= now.getTime()) yield round;
      }
    }
  }
}

/** A monitor's round made ready to walk: its stops in a local km plane, each leg's bow, and its length. */
export interface RoundPlan {
  plane: ReturnType<typeof createPlaneProjection>;
  /** Home, each point, home again, km east and north of home. */
  stops: readonly [number, number][];
  /** Per leg: seconds it starts, seconds it takes, and how far (share of its length) it bows sideways. */
  legs: readonly { startS: number; walkS: number; bow: number }[];
  totalS: number;
  distanceM: number;
}

/** One fix of a round: where and how the monitor's phone reports, `second` seconds after setting out. */
export interface RoundFix {
  second: number;
  fixedAtMs: number;
  position: LngLat;
  accuracyM: number;
  speedMps: number;
}

/**
 * A round from `home` to each of `points` in turn and back, a look around each point; a path is not a
 * straight line, so each leg bows sideways by up to a tenth of its length.
 */
export function planRound(home: LngLat, points: readonly LngLat[], random: RandomStream): RoundPlan {
  const plane = createPlaneProjection(home);
  const stops: [number, number][] = [[0, 0], ...points.map((point) => plane.toPlane(point) as [number, number]), [0, 0]];
  const legs: RoundPlan['legs'][number][] = [];
  let at = 0;
  let metres = 0;
  for (let leg = 0; leg < stops.length - 1; leg++) {
    const [ax, ay] = stops[leg]!;
    const [bx, by] = stops[leg + 1]!;
    const legM = Math.hypot(bx - ax, by - ay) * 1000;
    const walkS = legM / WALK_MPS;
    legs.push({ startS: at, walkS, bow: random.uniform(-0.1, 0.1) });
    metres += legM;
    // A look around every point, not at home.
    at += walkS + (leg < stops.length - 2 ? LOOK_MINUTES * 60 : 0);
  }
  return { plane, stops, legs, totalS: at, distanceM: Math.round(metres) };
}

/**
 * The fixes of `plan` walked from `startMs`, one every `stepS` seconds, with a few metres of GPS noise
 * (more while looking around a point), lazily: the live demo walks them as the clock goes
 * (api/demo/monitor-rounds.ts), the history collects them (walkRound).
 */
export function* roundFixes(plan: RoundPlan, startMs: number, stepS: number, random: RandomStream): Generator<RoundFix> {
  let leg = 0;
  for (let second = 0; second <= plan.totalS; second += stepS) {
    while (leg < plan.legs.length - 1 && second >= plan.legs[leg + 1]!.startS) leg += 1;
    const { startS, walkS, bow } = plan.legs[leg]!;
    const [ax, ay] = plan.stops[leg]!;
    const [bx, by] = plan.stops[leg + 1]!;
    // Past the end of a leg is a look around its point, except at home after the last one.
    const looking = leg < plan.legs.length - 1 && second >= startS + walkS;
    const along = walkS === 0 ? 1 : Math.min(1, (second - startS) / walkS);
    const side = bow * 4 * along * (1 - along);
    const noiseKm = (looking ? 8 : 3) / 1000;
    const [dx, dy] = [bx - ax, by - ay];
    const x = ax + dx * along - dy * side + random.normal() * noiseKm;
    const y = ay + dy * along + dx * side + random.normal() * noiseKm;
    yield {
      second,
      fixedAtMs: startMs + second * 1000,
      position: plan.plane.toLngLat(x, y),
      accuracyM: Math.round(random.uniform(4, 15)),
      speedMps: looking ? 0.2 : WALK_MPS,
    };
  }
}

/** One round from home to the point and back, a fix every `stepS` seconds, collected for the history. */
function walkRound(point: WatchedPoint, startedAt: Date, stepS: number, random: RandomStream): PlannedRound {
  const plan = planRound(point.home, [point.position], random);
  const id = uuidOf(random);
  const fixes = [...roundFixes(plan, startedAt.getTime(), stepS, random)].map((fix) => ({
    clientFixId: `${id}-${fix.second}`,
    fixedAt: new Date(fix.fixedAtMs),
    position: fix.position,
    accuracyM: fix.accuracyM,
    speedMps: fix.speedMps,
  }));
  return {
    id,
    pointId: point.id,
    monitorId: point.monitorId,
    monitorName: point.monitorName,
    areaCode: point.areaCode,
    startedAt,
    endedAt: new Date(startedAt.getTime() + plan.totalS * 1000),
    distanceM: plan.distanceM,
    fixes,
  };
}

function shanghaiDayOf(instant: Date): string {
  return new Date(instant.getTime() + 8 * HOUR_MS).toISOString().slice(0, 10);
}

function uuidOf(random: RandomStream): string {
  const hex = Array.from({ length: 32 }, () => random.integer(0, 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-b${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
