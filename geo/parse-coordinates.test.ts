import { describe, expect, it } from 'vitest';
import { parseCoordinates } from './parse-coordinates';

describe('parseCoordinates', () => {
  it.each([
    ['106.92,31.91', 106.92, 31.91, 'lng-lat'],
    ['31.91, 106.92', 106.92, 31.91, 'lat-lng'],
    ['106.92 31.91', 106.92, 31.91, 'lng-lat'],
    ['  31.912345\t106.923456  ', 106.923456, 31.912345, 'lat-lng'],
    // Full-width digits and comma from a Chinese keyboard.
    ['１０６．９２，３１．９１', 106.92, 31.91, 'lng-lat'],
    ['106.92，31.91', 106.92, 31.91, 'lng-lat'],
    ['31.91、106.92', 106.92, 31.91, 'lat-lng'],
    // Hemisphere marks decide the order.
    ['31.91N 106.92E', 106.92, 31.91, 'lat-lng'],
    ['E106.92, N31.91', 106.92, 31.91, 'lng-lat'],
    ['北纬31.91 东经106.92', 106.92, 31.91, 'lat-lng'],
    ['东经106.92°，北纬31.91°', 106.92, 31.91, 'lng-lat'],
    // Degrees, minutes, seconds.
    [`31°54'36"N 106°55'12"E`, 106.92, 31.91, 'lat-lng'],
    ['北纬31°54′36″ 东经106°55′12″', 106.92, 31.91, 'lat-lng'],
    ['31度54分36秒, 106度55分12秒', 106.92, 31.91, 'lat-lng'],
    // Labelled pairs, as some apps copy them.
    ['lat: 31.91, lng: 106.92', 106.92, 31.91, 'lat-lng'],
    ['lon=106.92&lat=31.91', 106.92, 31.91, 'lng-lat'],
  ] as const)('%s → [%f, %f]', (text, lng, lat, order) => {
    const parsed = parseCoordinates(text);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.position[0]).toBeCloseTo(lng, 9);
    expect(parsed.position[1]).toBeCloseTo(lat, 9);
    expect(parsed.order).toBe(order);
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['106.92', 'not-a-pair'],
    ['106.92, 31.91, 15', 'not-a-pair'],
    ['abc, def', 'not-a-pair'],
    // Paris, London: real coordinates, but no order puts them in China.
    ['2.35, 48.86', 'not-in-china'],
    ['-0.12, 51.5', 'not-in-china'],
    // Southern and western marks put a Chinese-looking pair outside China.
    ['31.91S 106.92E', 'not-in-china'],
    [`31°61'00"N 106°55'12"E`, 'bad-angle'],
    ['31.91N 106.92N', 'bad-angle'],
    ['200.5N 106.92E', 'bad-angle'],
  ] as const)('%j is refused as %s', (text, reason) => {
    expect(parseCoordinates(text)).toEqual({ ok: false, reason });
  });
});
