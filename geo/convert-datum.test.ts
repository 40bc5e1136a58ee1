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

describe('published coordinate pairs', () => {
  // wandergis/coordtransform's README: wgs84togcj02(116.404, 39.915) and gcj02towgs84(116.404, 39.915).
  it('writes WGS84 (116.404, 39.915) as GCJ-02 (116.41024449916938, 39.91640428150164)', () => {
    const [lng, lat] = fromWgs84([116.404, 39.915], 'gcj02');
    expect(lng).toEqual(expect.closeTo(116.41024449916938, 10));
    expect(lat).toEqual(expect.closeTo(39.91640428150164, 10));
  });

  it('reads GCJ-02 (116.41024449916938, 39.91640428150164) back as WGS84 (116.404, 39.915)', () => {
    const [lng, lat] = toWgs84([116.41024449916938, 39.91640428150164], 'gcj02');
    expect(lng).toEqual(expect.closeTo(116.404, 8));
    expect(lat).toEqual(expect.closeTo(39.915, 8));
  });

  it('reads GCJ-02 (116.404, 39.915) within a metre of the one-step inverse (116.39775550083061, 39.91359571849836)', () => {
    const back = toWgs84([116.404, 39.915], 'gcj02');
    expect(distance(back, [116.39775550083061, 39.91359571849836], { units: 'meters' })).toBeLessThan(1);
  });

  it('reads BD-09 as Baidu writes it from GCJ-02 (the published x_pi formula), back to WGS84', () => {
    // BD-09 from GCJ-02 as Baidu publishes it: z = r + 2e-5 sin(y·x_pi), θ = atan2(y, x) + 3e-6 cos(x·x_pi), then +0.0065, +0.006.
    const xPi = (Math.PI * 3000) / 180;
    const [gcjLng, gcjLat] = [116.41024449916938, 39.91640428150164];
    const z = Math.sqrt(gcjLng * gcjLng + gcjLat * gcjLat) + 0.00002 * Math.sin(gcjLat * xPi);
    const theta = Math.atan2(gcjLat, gcjLng) + 0.000003 * Math.cos(gcjLng * xPi);
    const bd: LngLat = [z * Math.cos(theta) + 0.0065, z * Math.sin(theta) + 0.006];
    const [lng, lat] = toWgs84(bd, 'bd09');
    expect(lng).toEqual(expect.closeTo(116.404, 7));
    expect(lat).toEqual(expect.closeTo(39.915, 7));
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
