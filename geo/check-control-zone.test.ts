import type { Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { checkControlZone, MAX_CONTROL_ZONE_VERTICES } from './check-control-zone';
import { defaultControlZone } from './control-zone';

/** A square of `sideDeg` degrees with its south-west corner at 王坪村. */
function square(sideDeg: number): Position[] {
  const [x, y] = [107.14, 32.45];
  return [
    [x, y],
    [x + sideDeg, y],
    [x + sideDeg, y + sideDeg],
    [x, y + sideDeg],
    [x, y],
  ];
}

describe('checkControlZone', () => {
  it('accepts a drawn square with its vertex count and geodesic area', () => {
    const result = checkControlZone({ type: 'Polygon', coordinates: [square(0.01)] });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.vertices).toBe(4);
    // 0.01° is about 1.11 km north-south and 0.94 km east-west at 32.45°N.
    expect(result.areaM2 / 1e6).toEqual(expect.closeTo(1.04, 1));
  });

  it('accepts the default circle', () => {
    expect(checkControlZone(defaultControlZone([107.15, 32.45], 300)).ok).toBe(true);
  });

  it.each([
    ['null', null, 'not-a-polygon'],
    ['a point', { type: 'Point', coordinates: [107, 32] }, 'not-a-polygon'],
    ['a multipolygon', { type: 'MultiPolygon', coordinates: [[square(0.01)]] }, 'not-a-polygon'],
    ['no rings', { type: 'Polygon', coordinates: [] }, 'not-a-polygon'],
    ['a string position', { type: 'Polygon', coordinates: [[...square(0.01).slice(0, 4), ['107', '32']]] }, 'bad-position'],
    [
      'a latitude beyond 90',
      {
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1, 91],
            [1, 0],
            [0, 0],
          ],
        ],
      },
      'bad-position',
    ],
    ['a ring of three positions', { type: 'Polygon', coordinates: [square(0.01).slice(0, 3)] }, 'ring-too-short'],
    ['an open ring', { type: 'Polygon', coordinates: [square(0.01).slice(0, 4)] }, 'ring-not-closed'],
    [
      'a bow tie',
      {
        type: 'Polygon',
        coordinates: [
          [
            [107.14, 32.45],
            [107.15, 32.46],
            [107.15, 32.45],
            [107.14, 32.46],
            [107.14, 32.45],
          ],
        ],
      },
      'self-intersecting',
    ],
    [
      'a flat ring',
      {
        type: 'Polygon',
        coordinates: [
          [
            [107.14, 32.45],
            [107.15, 32.45],
            [107.14, 32.45],
            [107.14, 32.45],
          ],
        ],
      },
      'empty',
    ],
    ['a square of 0.1° (about 105 km²)', { type: 'Polygon', coordinates: [square(0.1)] }, 'too-large'],
  ])('refuses %s', (_name, value, reason) => {
    const result = checkControlZone(value);
    expect(result.ok ? null : result.problem.reason).toBe(reason);
  });

  it(`refuses more than ${MAX_CONTROL_ZONE_VERTICES} vertices and accepts exactly that many`, () => {
    const [lng, lat] = [107.15, 32.45];
    const ringOf = (corners: number) => {
      const ring = Array.from({ length: corners }, (_, i) => {
        const angle = (2 * Math.PI * i) / corners;
        return [lng + 0.01 * Math.cos(angle), lat + 0.01 * Math.sin(angle)];
      });
      return [...ring, ring[0]!];
    };
    expect(checkControlZone({ type: 'Polygon', coordinates: [ringOf(MAX_CONTROL_ZONE_VERTICES)] }).ok).toBe(true);
    const tooMany = checkControlZone({ type: 'Polygon', coordinates: [ringOf(MAX_CONTROL_ZONE_VERTICES + 1)] });
    expect(tooMany.ok ? null : tooMany.problem).toEqual({
      reason: 'too-many-vertices',
      vertices: MAX_CONTROL_ZONE_VERTICES + 1,
      max: MAX_CONTROL_ZONE_VERTICES,
    });
  });
});
