import { destination } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { decodeTrack, encodeTrack } from './encode-track';
import { findStops } from './find-stops';
import { positionOnTrack } from './position-on-track';
import { simplifyTrack } from './simplify-track';
import { type TimedTrack, timedTrackLength } from './timed-track';
import type { LngLat } from './types';

const START: LngLat = [107.1489604, 32.4555139];
const at = (metres: number, bearing: number): LngLat =>
  destination(START, metres, bearing, { units: 'meters' }).geometry.coordinates as LngLat;

function trackOf(points: { position: LngLat; seconds: number }[]): TimedTrack {
  return {
    lngE6: Int32Array.from(points, (point) => Math.round(point.position[0] * 1e6)),
    latE6: Int32Array.from(points, (point) => Math.round(point.position[1] * 1e6)),
    seconds: Int32Array.from(points, (point) => point.seconds),
  };
}

/** An L: 300 m east, then 200 m north, a fix every 5 s at 1.2 m/s, with ±1 m of GPS wobble. */
const walk = trackOf(
  Array.from({ length: 84 }, (_, index) => {
    const metres = index * 6;
    const wobble = index % 2 === 0 ? 1 : -1;
    const position = metres <= 300 ? at(metres, 90) : destination(at(300, 90), metres - 300, 0).geometry.coordinates;
    return {
      position: destination(position as LngLat, Math.abs(wobble), wobble > 0 ? 0 : 180, { units: 'meters' }).geometry
        .coordinates as LngLat,
      seconds: 3600 + index * 5,
    };
  }),
);

describe('simplifyTrack', () => {
  it('keeps the ends and the corner, drops the wobble, and times stay increasing', () => {
    const kept = simplifyTrack(walk, 3);
    expect(kept[0]).toBe(0);
    expect(kept.at(-1)).toBe(walk.seconds.length - 1);
    expect(kept.length).toBeLessThan(6);
    expect(kept).toContain(50);
    for (let index = 1; index < kept.length; index++)
      expect(walk.seconds[kept[index]!]!).toBeGreaterThan(walk.seconds[kept[index - 1]!]!);
  });

  it('keeps both ends of a stop halfway along a straight street, so playback does not glide through it', () => {
    const street = trackOf([
      ...Array.from({ length: 21 }, (_, index) => ({ position: at(index * 5, 0), seconds: index * 5 })),
      ...Array.from({ length: 60 }, (_, index) => ({ position: at(100, 0), seconds: 105 + index * 5 })),
      ...Array.from({ length: 40 }, (_, index) => ({ position: at(105 + index * 5, 0), seconds: 405 + index * 5 })),
    ]);
    const kept = [...simplifyTrack(street, 3)].map((index) => street.seconds[index]);
    expect(kept[0]).toBe(0);
    expect(kept.at(-1)).toBe(600);
    // Arrived at 100 m by 100 s, left it at 400 s: fixes within 10 s of both are kept.
    expect(kept.some((seconds) => seconds! >= 95 && seconds! <= 110)).toBe(true);
    expect(kept.some((seconds) => seconds! >= 395 && seconds! <= 410)).toBe(true);
    expect(kept.length).toBeLessThan(8);
  });

  it('keeps every wobbling fix of the east leg when the tolerance is below the wobble', () => {
    expect([...simplifyTrack(walk, 0.5)].filter((index) => index <= 50)).toHaveLength(51);
  });
});

describe('encodeTrack', () => {
  it('round-trips positions at 1e-6 degrees and seconds', () => {
    const kept = Int32Array.from(walk.seconds.keys());
    const { path, seconds } = decodeTrack(encodeTrack(walk, kept));
    expect(seconds).toEqual([...walk.seconds]);
    expect(path[10]![0]).toEqual(expect.closeTo(walk.lngE6[10]! / 1e6, 7));
    expect(path[10]![1]).toEqual(expect.closeTo(walk.latE6[10]! / 1e6, 7));
  });
});

describe('findStops', () => {
  it('finds a stay of four minutes within a few metres, and not a walk', () => {
    const stay = Array.from({ length: 49 }, (_, index) => ({
      position: at(3 + (index % 3) * 2, index * 40),
      seconds: 1000 + index * 5,
    }));
    const track = trackOf([
      ...Array.from({ length: 20 }, (_, index) => ({ position: at(300 - index * 6, 270), seconds: 900 + index * 5 })),
      ...stay,
      ...Array.from({ length: 20 }, (_, index) => ({ position: at(40 + index * 6, 0), seconds: 1250 + index * 5 })),
    ]);
    const stops = findStops(track);
    expect(stops).toHaveLength(1);
    expect(stops[0]!.toS - stops[0]!.fromS).toBeGreaterThanOrEqual(240);
    expect(stops[0]!.toS).toBe(1240);
    expect(findStops(walk)).toEqual([]);
  });

  it('measures the walk fix to fix', () => {
    const straight = trackOf(Array.from({ length: 11 }, (_, index) => ({ position: at(index * 10, 90), seconds: index })));
    expect(timedTrackLength(straight)).toEqual(expect.closeTo(100, 0));
  });
});

describe('positionOnTrack', () => {
  const track = decodeTrack(encodeTrack(walk, Int32Array.from([0, 50, 83])));
  it('interpolates between fixes by time, and stands on a fix at its time', () => {
    expect(positionOnTrack(track, 3600)).toEqual(track.path[0]);
    expect(positionOnTrack(track, 3600 + 250)).toEqual(track.path[1]);
    const halfway = positionOnTrack(track, 3600 + 125)!;
    expect(halfway[0]).toEqual(expect.closeTo((track.path[0]![0] + track.path[1]![0]) / 2, 9));
    expect(halfway[1]).toEqual(expect.closeTo((track.path[0]![1] + track.path[1]![1]) / 2, 9));
    expect(positionOnTrack(track, 3600 + 83 * 5)).toEqual(track.path[2]);
  });

  it('claims no position before the first fix or after the last', () => {
    expect(positionOnTrack(track, 3599)).toBeNull();
    expect(positionOnTrack(track, 3600 + 83 * 5 + 1)).toBeNull();
    expect(positionOnTrack({ path: [], seconds: [] }, 3600)).toBeNull();
  });
});
