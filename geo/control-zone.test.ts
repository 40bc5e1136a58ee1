import { area, booleanPointInPolygon, distance } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { CONTROL_ZONE_STEPS, defaultControlZone } from './control-zone';
import type { LngLat } from './types';

const CENTER: LngLat = [107.1489604, 32.4555139];

describe('defaultControlZone', () => {
  it.each([50, 300, 500])('draws a closed circle of %i m around the report', (radiusM) => {
    const zone = defaultControlZone(CENTER, radiusM);
    const ring = zone.coordinates[0]!;
    expect(zone.coordinates).toHaveLength(1);
    expect(ring).toHaveLength(CONTROL_ZONE_STEPS + 1);
    expect(ring[0]).toEqual(ring[ring.length - 1]);
    for (const position of ring) {
      expect(distance(CENTER, position, { units: 'meters' })).toEqual(expect.closeTo(radiusM, 0));
    }
    expect(booleanPointInPolygon(CENTER, zone)).toBe(true);
    // A 64-gon holds 99.8% of its circle's area.
    expect(area(zone) / (Math.PI * radiusM ** 2)).toEqual(expect.closeTo(0.998, 2));
  });

  it('rounds to 1e-7 degrees', () => {
    for (const [lng, lat] of defaultControlZone(CENTER, 300).coordinates[0]!) {
      expect(Math.round(lng! * 1e7) / 1e7).toBe(lng);
      expect(Math.round(lat! * 1e7) / 1e7).toBe(lat);
    }
  });

  it.each([0, -5, Number.NaN, Number.POSITIVE_INFINITY])('refuses a radius of %s', (radiusM) => {
    expect(() => defaultControlZone(CENTER, radiusM)).toThrow(/radius/);
  });
});
