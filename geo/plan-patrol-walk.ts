import { booleanPointInPolygon, distance } from '@turf/turf';
import type { MultiPolygon } from 'geojson';
import type { RandomStream } from './seeded-random';
import type { LngLat } from './types';

/**
 * Where a grid worker walks: the grid's outline, its label point (where a patrol sets out) and the
 * label points of its cells (where the households are, so where a worker calls in).
 */
export interface PatrolGround {
  grid: MultiPolygon;
  /** The grid's label point, [lng, lat]: inside the grid by construction. */
  start: LngLat;
  /** The cells' label points, [lng, lat]. */
  stops: readonly LngLat[];
}

/** What a planned fix is meant to be, so tests can check the jump filter flags exactly these. */
type PlannedFixKind = 'ok' | 'poor' | 'jump';

/** One position the walker's phone reports. */
export interface PlannedFix {
  /** Fix time, ms since the epoch. */
  fixedAtMs: number;
  /** WGS84 [lng, lat], noise included; always inside the grid. */
  position: LngLat;
  /** Metres, as a phone reports it. */
  accuracyM: number;
  /** Metres per second as the phone reports it (0 while standing). */
  speedMps: number;
  kind: PlannedFixKind;
}

/** How walkers behave; the defaults are a grid worker on foot with a phone in a pocket. */
export const WALK = {
  /** Walking speed, m/s, drawn per leg. */
  speedMps: [1.0, 1.5],
  /** Share of cells where the worker stops for a visit, and how long (ms). */
  visitShare: 0.45,
  visitMs: [2 * 60_000, 10 * 60_000],
  /** One standard deviation of the GPS noise of a good fix, metres. */
  noiseM: 3,
  /** Accuracy a good fix reports, metres. */
  accuracyM: [4, 15],
  /** Share of fixes with poor accuracy (indoors, under a slope), and what they report (m). */
  poorShare: 0.02,
  poorAccuracyM: [60, 250],
  /** Share of fixes followed by a GPS jump: a fix a few seconds later at a far point of the grid. */
  jumpShare: 0.004,
  /** A jump lands at least this far (m) from the walker, so 40 m/s cannot explain it in 5 s. */
  jumpMinM: 320,
} as const;

/** Metres between two samples when checking that a straight leg stays in the grid. */
const LEG_SAMPLE_M = 15;
const METRES_PER_DEGREE = 111_320;

/** A ground made ready for many walks: which straight legs between its points stay inside the grid. */
export interface PreparedGround {
  ground: PatrolGround;
  /** Point 0 is the start, 1.. are the stops. */
  points: readonly LngLat[];
  inside(position: LngLat): boolean;
  /** Whether the straight leg from point `from` to point `to` stays inside the grid (memoised). */
  legInside(from: number, to: number): boolean;
}

/** Linear interpolation in degrees: at a grid's size (a few km at most) a straight line on the map. */
function between(from: LngLat, to: LngLat, share: number): LngLat {
  return [from[0] + (to[0] - from[0]) * share, from[1] + (to[1] - from[1]) * share];
}

/** `position` moved `east` and `north` metres. */
function offset(position: LngLat, east: number, north: number): LngLat {
  const lat = position[1] + north / METRES_PER_DEGREE;
  const lng = position[0] + east / (METRES_PER_DEGREE * Math.cos((position[1] * Math.PI) / 180));
  return [lng, lat];
}

export function prepareGround(ground: PatrolGround): PreparedGround {
  const points = [ground.start, ...ground.stops];
  const inside = (position: LngLat) => booleanPointInPolygon(position, ground.grid);
  const legs = new Map<number, boolean>();
  return {
    ground,
    points,
    inside,
    legInside(from, to) {
      const key = Math.min(from, to) * 65_536 + Math.max(from, to);
      const known = legs.get(key);
      if (known !== undefined) return known;
      const a = points[from]!;
      const b = points[to]!;
      const samples = Math.min(400, Math.ceil(distance(a, b, { units: 'meters' }) / LEG_SAMPLE_M));
      let ok = true;
      for (let sample = 0; sample <= samples && ok; sample++) ok = inside(between(a, b, samples === 0 ? 0 : sample / samples));
      legs.set(key, ok);
      return ok;
    },
  };
}

/** One straight stretch of the walk, or a stop when `from` and `to` are the same point. */
interface Stretch {
  from: LngLat;
  to: LngLat;
  startMs: number;
  endMs: number;
  speedMps: number;
}

/**
 * Plans the walk as it goes: from the current point to a next cell in a shuffled round of the
 * grid's cells, straight when that leg stays inside the grid, through the grid's start point when
 * it does not, skipping a cell neither reaches; a visit (2-10 min) at some cells.
 */
function* stretches(prepared: PreparedGround, random: RandomStream, startMs: number): Generator<Stretch> {
  const { points } = prepared;
  let here = 0;
  let at = startMs;
  const leg = function* (to: number): Generator<Stretch> {
    const from = points[here]!;
    const target = points[to]!;
    const speedMps = random.uniform(WALK.speedMps[0], WALK.speedMps[1]);
    const metres = distance(from, target, { units: 'meters' });
    const endMs = at + (metres / speedMps) * 1000;
    yield { from, to: target, startMs: at, endMs, speedMps };
    at = endMs;
    here = to;
  };
  for (;;) {
    const round = random.shuffle(Array.from({ length: points.length - 1 }, (_, index) => index + 1));
    let moved = false;
    for (const next of round) {
      if (next === here) continue;
      if (!prepared.legInside(here, next)) {
        if (here === 0 || !prepared.legInside(here, 0) || !prepared.legInside(0, next)) continue;
        yield* leg(0);
      }
      yield* leg(next);
      moved = true;
      if (random.next() < WALK.visitShare) {
        const visitMs = random.uniform(WALK.visitMs[0], WALK.visitMs[1]);
        yield { from: points[here]!, to: points[here]!, startMs: at, endMs: at + visitMs, speedMps: 0 };
        at += visitMs;
      }
    }
    if (!moved) {
      // A grid of one cell, or none reachable: the worker stands and calls in for a while.
      const visitMs = random.uniform(WALK.visitMs[0], WALK.visitMs[1]);
      yield { from: points[here]!, to: points[here]!, startMs: at, endMs: at + visitMs, speedMps: 0 };
      at += visitMs;
    }
  }
}

/**
 * The fixes of one patrol on `ground` from `startMs` for `durationMs`, one every `fixIntervalMs`
 * (5 s live; coarser for stored history), lazily, so a live walker draws only what time has
 * reached. Good fixes carry a few metres of noise; a few have poor accuracy; rarely a jump (a fix
 * a few seconds after a good one, at a far point of the grid) follows. Every position is inside
 * the grid: noise that would leave it is dropped, and a jump lands on one of the grid's cells.
 * Deterministic for a given random stream.
 */
export function* walkPatrol(
  prepared: PreparedGround,
  random: RandomStream,
  options: { startMs: number; durationMs: number; fixIntervalMs: number },
): Generator<PlannedFix> {
  const plan = stretches(prepared, random, options.startMs);
  let stretch = plan.next().value as Stretch;
  let last: LngLat = prepared.points[0]!;
  const endMs = options.startMs + options.durationMs;
  for (let at = options.startMs; at <= endMs; at += options.fixIntervalMs) {
    while (stretch.endMs < at) stretch = plan.next().value as Stretch;
    const span = stretch.endMs - stretch.startMs;
    const truth = span > 0 ? between(stretch.from, stretch.to, (at - stretch.startMs) / span) : stretch.to;
    // Legs are checked every 15 m; a stretch that grazes the outline between two samples keeps the walker where it was.
    const here = prepared.inside(truth) ? truth : last;
    last = here;
    const poor = random.next() < WALK.poorShare;
    const spread = poor ? 10 * WALK.noiseM : WALK.noiseM;
    const noisy = offset(here, random.normal() * spread, random.normal() * spread);
    const accuracyM = poor
      ? random.uniform(WALK.poorAccuracyM[0], WALK.poorAccuracyM[1])
      : random.uniform(WALK.accuracyM[0], WALK.accuracyM[1]);
    const speedMps = stretch.speedMps > 0 ? Math.max(0, stretch.speedMps + random.normal() * 0.1) : 0;
    yield {
      fixedAtMs: at,
      position: prepared.inside(noisy) ? noisy : here,
      accuracyM: round1(accuracyM),
      speedMps: round1(speedMps),
      kind: poor ? 'poor' : 'ok',
    };
    if (poor || random.next() >= WALK.jumpShare) continue;
    const far = farthestPoint(prepared.points, here);
    if (distance(here, far, { units: 'meters' }) < WALK.jumpMinM) continue;
    const jumpAt = at + Math.min(options.fixIntervalMs - 1, random.integer(1_000, 5_000));
    if (jumpAt > endMs) continue;
    yield { fixedAtMs: jumpAt, position: far, accuracyM: round1(random.uniform(6, 15)), speedMps: 0, kind: 'jump' };
  }
}

const round1 = (value: number) => Math.round(value * 10) / 10;

function farthestPoint(points: readonly LngLat[], from: LngLat): LngLat {
  let best = points[0]!;
  let bestMetres = -1;
  for (const point of points) {
    const metres = distance(from, point, { units: 'meters' });
    if (metres > bestMetres) {
      best = point;
      bestMetres = metres;
    }
  }
  return best;
}
