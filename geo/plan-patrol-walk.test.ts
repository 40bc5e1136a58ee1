import { booleanPointInPolygon, distance } from '@turf/turf';
import type { MultiPolygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { flagFixes } from './flag-fixes';
import { type PatrolGround, type PlannedFix, prepareGround, WALK, walkPatrol } from './plan-patrol-walk';
import { createRandomStream } from './seeded-random';
import type { LngLat } from './types';

/**
 * An L-shaped grid about 1.5 km a side (non-convex: the straight line between the arms' ends
 * leaves it), with cells' label points along both arms and the start at the corner.
 */
const L_GRID: MultiPolygon = {
  type: 'MultiPolygon',
  coordinates: [
    [
      [
        [107.2, 31.9],
        [107.216, 31.9],
        [107.216, 31.904],
        [107.205, 31.904],
        [107.205, 31.914],
        [107.2, 31.914],
        [107.2, 31.9],
      ],
    ],
  ],
};
const GROUND: PatrolGround = Object.freeze({
  grid: L_GRID,
  start: [107.2025, 31.902] as LngLat,
  stops: [
    [107.214, 31.902],
    [107.209, 31.9015],
    [107.2025, 31.908],
    [107.2025, 31.9125],
    [107.2065, 31.9025],
  ] as LngLat[],
});
const START = Date.UTC(2026, 10, 30, 1, 0);
const TWO_HOURS = 2 * 3_600_000;

function walk(seed: number, fixIntervalMs = 5_000, durationMs = TWO_HOURS): PlannedFix[] {
  return [...walkPatrol(prepareGround(GROUND), createRandomStream(seed, 'walk'), { startMs: START, durationMs, fixIntervalMs })];
}

const metres = (a: LngLat, b: LngLat) => distance(a, b, { units: 'meters' });

describe('a planned patrol walk', () => {
  const fixes = walk(1);

  it('is the same for the same seed and differs for another', () => {
    expect(JSON.stringify(walk(1))).toBe(JSON.stringify(fixes));
    expect(JSON.stringify(walk(2))).not.toBe(JSON.stringify(fixes));
  });

  it('sends a fix every 5 s over the whole patrol, in time order', () => {
    const regular = fixes.filter((fix) => fix.kind !== 'jump');
    expect(regular).toHaveLength(TWO_HOURS / 5_000 + 1);
    expect(regular.map((fix) => fix.fixedAtMs)).toEqual(regular.map((_, index) => START + index * 5_000));
    for (let index = 1; index < fixes.length; index++)
      expect(fixes[index]!.fixedAtMs).toBeGreaterThan(fixes[index - 1]!.fixedAtMs);
  });

  it.each([1, 2, 3, 4, 5])('keeps every position inside the grid (seed %i)', (seed) => {
    const outside = walk(seed).filter((fix) => !booleanPointInPolygon(fix.position, L_GRID));
    expect(outside).toEqual([]);
  });

  it('walks at walking speed between fixes (good fixes, noise aside)', () => {
    const good = fixes.filter((fix) => fix.kind === 'ok');
    const speeds: number[] = [];
    for (let index = 1; index < good.length; index++) {
      const seconds = (good[index]!.fixedAtMs - good[index - 1]!.fixedAtMs) / 1000;
      if (seconds !== 5) continue;
      speeds.push(metres(good[index - 1]!.position, good[index]!.position) / seconds);
    }
    const moving = speeds.filter((speed) => speed > 0.7);
    // Noise of 3 m per fix adds at most ~ 4 m/s in the odd 5 s step; the median is the walk.
    const median = [...moving].sort((a, b) => a - b)[Math.floor(moving.length / 2)]!;
    expect(median).toBeGreaterThanOrEqual(WALK.speedMps[0] - 0.3);
    expect(median).toBeLessThanOrEqual(WALK.speedMps[1] + 0.6);
    // The reported speed is the leg's, 0 while standing.
    const reported = good.map((fix) => fix.speedMps).filter((speed) => speed > 0);
    expect(Math.min(...reported)).toBeGreaterThan(0.5);
    expect(Math.max(...reported)).toBeLessThan(2);
  });

  it('pauses at cells for visits of 2 to 10 minutes', () => {
    const standing: number[] = [];
    let run = 0;
    for (const fix of fixes.filter((f) => f.kind !== 'jump')) {
      if (fix.speedMps === 0) run += 1;
      else {
        if (run > 0) standing.push(run * 5);
        run = 0;
      }
    }
    if (run > 0) standing.push(run * 5);
    const visits = standing.filter((seconds) => seconds >= 60);
    expect(visits.length).toBeGreaterThan(0);
    for (const seconds of visits) {
      expect(seconds).toBeGreaterThanOrEqual(120 - 5);
      expect(seconds).toBeLessThanOrEqual(600 + 5);
    }
  });

  it('visits the cells, not only the start', () => {
    const near = GROUND.stops.filter((stop) => fixes.some((fix) => fix.kind === 'ok' && metres(fix.position, stop) < 20));
    expect(near.length).toBeGreaterThanOrEqual(4);
  });

  it('brings poor fixes and jumps, which the jump filter flags exactly', () => {
    const several = [1, 2, 3, 4, 5, 6].map((seed) => walk(seed));
    const all = several.flat();
    expect(all.filter((fix) => fix.kind === 'poor').length).toBeGreaterThan(0);
    expect(all.filter((fix) => fix.kind === 'jump').length).toBeGreaterThan(0);
    for (const patrol of several) {
      const flags = flagFixes(
        patrol.map((fix) => ({ fixedAtMs: fix.fixedAtMs, position: fix.position, accuracyM: fix.accuracyM })),
        null,
      );
      const kinds = flags.map((flag) => (flag.poorAccuracy ? 'poor' : flag.jump ? 'jump' : 'ok'));
      expect(kinds).toEqual(patrol.map((fix) => fix.kind));
    }
  });

  it('keeps the jump filter honest at a coarse interval too (stored history, a fix a minute)', () => {
    const coarse = [1, 2, 3, 4, 5, 6].map((seed) => walk(seed, 60_000, 10 * TWO_HOURS));
    for (const patrol of coarse) {
      const flags = flagFixes(
        patrol.map((fix) => ({ fixedAtMs: fix.fixedAtMs, position: fix.position, accuracyM: fix.accuracyM })),
        null,
      );
      expect(flags.map((flag) => (flag.poorAccuracy ? 'poor' : flag.jump ? 'jump' : 'ok'))).toEqual(
        patrol.map((fix) => fix.kind),
      );
    }
    expect(coarse.flat().some((fix) => fix.kind === 'jump')).toBe(true);
  });
});
