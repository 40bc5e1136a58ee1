import { destination } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { flagFixes, type TrackFix, trackLength } from './flag-fixes';
import type { LngLat } from './types';

const START: LngLat = [107.1489604, 32.4555139];
/** The point `metres` east of START. */
const east = (metres: number): LngLat => destination(START, metres, 90, { units: 'meters' }).geometry.coordinates as LngLat;
const fix = (seconds: number, metresEast: number, accuracyM = 5): TrackFix => ({
  fixedAtMs: Date.UTC(2026, 5, 1, 1, 0, seconds),
  position: east(metresEast),
  accuracyM,
});
const flags = (fixes: TrackFix[]) =>
  flagFixes(fixes, null).map((flag) => (flag.poorAccuracy ? 'poor' : flag.jump ? 'jump' : 'ok'));

describe('flagFixes', () => {
  it('passes a walk at 1.4 m/s', () => {
    expect(flags([fix(0, 0), fix(5, 7), fix(10, 14), fix(15, 21)])).toEqual(['ok', 'ok', 'ok', 'ok']);
  });

  it('flags one fix 2 km off for 5 s as a jump, and the walk after it as valid', () => {
    expect(flags([fix(0, 0), fix(5, 7), fix(10, 2000), fix(15, 21)])).toEqual(['ok', 'ok', 'jump', 'ok']);
  });

  it('flags poor accuracy and never measures the next fix from it', () => {
    expect(flags([fix(0, 0), fix(5, 900, 1200), fix(10, 14)])).toEqual(['ok', 'poor', 'ok']);
  });

  it('starts from the anchor: the fix before a late batch', () => {
    const anchor = fix(0, 0);
    expect(flagFixes([fix(5, 3000)], anchor)[0]).toEqual({ poorAccuracy: false, jump: true });
    expect(flagFixes([fix(5, 7)], anchor)[0]).toEqual({ poorAccuracy: false, jump: false });
  });

  it('does not count the distance both accuracies explain', () => {
    // 90 m in 1 s is 90 m/s, but each fix is sure only to 45 m.
    expect(flags([fix(0, 0, 45), fix(1, 90, 45)])).toEqual(['ok', 'ok']);
  });
});

describe('trackLength', () => {
  it('adds the legs of a track, in metres', () => {
    expect(trackLength([east(0), east(100), east(250)])).toEqual(expect.closeTo(250, 3));
    expect(trackLength([east(0)])).toBe(0);
  });
});
