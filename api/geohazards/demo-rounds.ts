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
 * `stepS` seconds. Deterministic for a given random stream.
 */
export function planRounds(
  points: readonly WatchedPoint[],
  rules: readonly GeohazardRule[],
  options: { firstDay: string; now: Date; stepS: number; random: RandomStream },
): PlannedRound[] {
  const { now, stepS, random } = options;
  const rounds: PlannedRound[] = [];
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
        if (round.endedAt.getTime() <= now.getTime()) rounds.push(round);
      }
    }
  }
  return rounds;
}

/** One round from home to the point and back, with a few metres of GPS noise, a fix every `stepS` seconds. */
function walkRound(point: WatchedPoint, startedAt: Date, stepS: number, random: RandomStream): PlannedRound {
  const plane = createPlaneProjection(point.home);
  const [px, py] = plane.toPlane(point.position);
  const legM = Math.hypot(px, py) * 1000;
  const legS = legM / WALK_MPS;
  const lookS = LOOK_MINUTES * 60;
  const totalS = 2 * legS + lookS;
  // A path is not a straight line: bow it sideways by up to a tenth of its length.
  const bow = random.uniform(-0.1, 0.1);
  const id = uuidOf(random);
  const fixes: PlannedRound['fixes'] = [];
  for (let second = 0; second <= totalS; second += stepS) {
    let along: number;
    if (second < legS) along = second / legS;
    else if (second < legS + lookS) along = 1;
    else along = Math.max(0, 1 - (second - legS - lookS) / legS);
    const side = bow * 4 * along * (1 - along);
    const noiseKm = (second >= legS && second < legS + lookS ? 8 : 3) / 1000;
    const x = px * along - py * side + random.normal() * noiseKm;
    const y = py * along + px * side + random.normal() * noiseKm;
    fixes.push({
      clientFixId: `${id}-${second}`,
      fixedAt: new Date(startedAt.getTime() + second * 1000),
      position: plane.toLngLat(x, y),
      accuracyM: Math.round(random.uniform(4, 15)),
      speedMps: second >= legS && second < legS + lookS ? 0.2 : WALK_MPS,
    });
  }
  return {
    id,
    pointId: point.id,
    monitorId: point.monitorId,
    monitorName: point.monitorName,
    areaCode: point.areaCode,
    startedAt,
    endedAt: new Date(startedAt.getTime() + totalS * 1000),
    distanceM: Math.round(2 * legM),
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
