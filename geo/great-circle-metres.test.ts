import { describe, expect, it } from 'vitest';
import { greatCircleMetres } from './great-circle-metres.ts';
import type { LngLat } from './types';

describe('greatCircleMetres', () => {
  it.each([
    ['the same point', [107.245, 31.912], [107.245, 31.912], 0],
    ['0.001° of latitude', [107.245, 31.912], [107.245, 31.913], 111.195],
    ['0.001° of longitude at 31.912°N', [107.245, 31.912], [107.246, 31.912], 94.389],
  ] satisfies [string, LngLat, LngLat, number][])('%s', (_name, a, b, metres) => {
    expect(greatCircleMetres(a, b)).toBeCloseTo(metres, 2);
  });
});
