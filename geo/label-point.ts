import type { MultiPolygon, Position } from 'geojson';
import type { PlaneProjection } from './plane-projection';
import { ringSignedArea } from './plane-rings';
import { poleOfInaccessibility } from './pole-of-inaccessibility';

/**
 * A point for an area's label: the pole of inaccessibility of its largest polygon, the point farthest from the
 * boundary (to within 1% of the polygon's size), so the label sits well inside even a crescent-shaped area.
 *
 * @returns [lng, lat] rounded to 1e-7°, and its distance to the boundary in km.
 */
export function labelPoint(geometry: MultiPolygon, projection: PlaneProjection): { position: Position; insetKm: number } {
  let largest: number[][] = [];
  let largestArea = -1;
  for (const polygon of geometry.coordinates) {
    const rings = polygon.map((ring) => ring.slice(0, -1).flatMap((position) => projection.toPlane(position)));
    const area = ringSignedArea(rings[0] ?? []);
    if (area > largestArea) {
      largestArea = area;
      largest = rings;
    }
  }
  const precision = Math.max(0.0005, Math.sqrt(Math.max(largestArea, 0)) / 100);
  const pole = poleOfInaccessibility(largest, precision);
  const [lng, lat] = projection.toLngLat(pole.x, pole.y);
  return { position: [roundDegrees(lng), roundDegrees(lat)], insetKm: pole.distance };
}

/** Rounds degrees to 7 decimals (about 1 cm), the precision of every coordinate the generator writes. */
export function roundDegrees(degrees: number): number {
  return Math.round(degrees * 1e7) / 1e7;
}
