import { distance } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { type Datum, fromWgs84, isDatum, toWgs84 } from './convert-datum';
import type { LngLat } from './types';

/** 王坪村 (沙溪镇) and the county seat, [lng, lat] WGS84. */
const PLACES: [string, LngLat][] = [
  ['王坪村', [107.1489604, 32.4555139]],
  ['壁州街道', [107.2435, 31.9117]],
];

describe('toWgs84', () => {
  it('returns WGS84 input bit for bit', () => {
    const position: LngLat = [107.14896041234567, 32.45551391234567];
    expect(toWgs84(position, 'wgs84')).toEqual(position);
  });

  it.each(PLACES.flatMap(([name, position]) => (['gcj02', 'bd09'] as Datum[]).map((datum) => [name, datum, position] as const)))(
    '%s written in %s comes back to its WGS84 point within a millimetre',
    (_name, datum, position) => {
      const written = fromWgs84(position, datum);
      // The offset datums are hundreds of metres off inside China: converting matters.
      expect(distance(position, [written[0], written[1]], { units: 'meters' })).toBeGreaterThan(100);
      const back = toWgs84(written, datum);
      expect(back[0]).toEqual(expect.closeTo(position[0], 8));
      expect(back[1]).toEqual(expect.closeTo(position[1], 8));
      expect(distance(position, back, { units: 'meters' })).toBeLessThan(0.001);
    },
  );

  it('moves a GCJ-02 point in China south-west, towards WGS84', () => {
    const [lng, lat] = toWgs84([107.1536076, 32.4533973], 'gcj02');
    expect(lng).toEqual(expect.closeTo(107.14896, 4));
    expect(lat).toEqual(expect.closeTo(32.45551, 4));
  });

  it('leaves points outside China alone, as the offset datums only apply inside it', () => {
    expect(toWgs84([2.3522, 48.8566], 'gcj02')).toEqual([2.3522, 48.8566]);
  });
});

describe('isDatum', () => {
  it.each([
    ['wgs84', true],
    ['gcj02', true],
    ['bd09', true],
    ['WGS84', false],
    ['bd09mc', false],
    ['', false],
  ])('%j: %s', (value, expected) => {
    expect(isDatum(value)).toBe(expected);
  });
});
