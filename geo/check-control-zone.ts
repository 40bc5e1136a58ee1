import { area, kinks } from '@turf/turf';
import type { Polygon, Position } from 'geojson';

/** What an officer may draw as a control zone: at most this many vertices (all rings together)... */
export const MAX_CONTROL_ZONE_VERTICES = 500;
/** ...and less than this area, in m² (100 km²: larger than any single hazard's reach in the county). */
const MAX_CONTROL_ZONE_AREA_M2 = 100_000_000;

export type ControlZoneProblem =
  | { reason: 'not-a-polygon' }
  | { reason: 'bad-position'; ring: number; index: number }
  | { reason: 'ring-too-short'; ring: number; positions: number }
  | { reason: 'ring-not-closed'; ring: number }
  | { reason: 'too-many-vertices'; vertices: number; max: number }
  | { reason: 'self-intersecting'; at: Position[] }
  | { reason: 'empty' }
  | { reason: 'too-large'; areaM2: number; maxAreaM2: number };

export type ControlZoneCheck =
  | { ok: true; polygon: Polygon; vertices: number; areaM2: number }
  | { ok: false; problem: ControlZoneProblem };

function isPosition(value: unknown): value is [number, number] {
  if (!Array.isArray(value) || value.length < 2 || value.length > 3) return false;
  const [lng, lat] = value as unknown[];
  return (
    typeof lng === 'number' &&
    typeof lat === 'number' &&
    Number.isFinite(lng) &&
    Number.isFinite(lat) &&
    Math.abs(lng) <= 180 &&
    Math.abs(lat) <= 90
  );
}

/**
 * Checks a control zone drawn on the map before it is stored: a GeoJSON Polygon of [lng, lat]
 * WGS84 positions whose rings are closed (first position repeated last) with at least three
 * distinct corners, at most MAX_CONTROL_ZONE_VERTICES vertices, no edge crossing another, and a
 * geodesic area above zero and below MAX_CONTROL_ZONE_AREA_M2. The database still runs
 * ST_IsValid (holes outside the shell and the like) and checks that the zone touches the county.
 */
export function checkControlZone(value: unknown): ControlZoneCheck {
  const candidate = value as { type?: unknown; coordinates?: unknown } | null;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    candidate.type !== 'Polygon' ||
    !Array.isArray(candidate.coordinates) ||
    candidate.coordinates.length === 0
  ) {
    return { ok: false, problem: { reason: 'not-a-polygon' } };
  }
  const rings: [number, number][][] = [];
  let vertices = 0;
  for (const [ringIndex, ring] of (candidate.coordinates as unknown[]).entries()) {
    if (!Array.isArray(ring)) return { ok: false, problem: { reason: 'not-a-polygon' } };
    for (const [index, position] of ring.entries()) {
      if (!isPosition(position)) return { ok: false, problem: { reason: 'bad-position', ring: ringIndex, index } };
    }
    const positions = ring as [number, number][];
    if (positions.length < 4)
      return { ok: false, problem: { reason: 'ring-too-short', ring: ringIndex, positions: positions.length } };
    const first = positions[0]!;
    const last = positions[positions.length - 1]!;
    if (first[0] !== last[0] || first[1] !== last[1])
      return { ok: false, problem: { reason: 'ring-not-closed', ring: ringIndex } };
    vertices += positions.length - 1;
    rings.push(positions.map(([lng, lat]) => [lng, lat]));
  }
  if (vertices > MAX_CONTROL_ZONE_VERTICES) {
    return { ok: false, problem: { reason: 'too-many-vertices', vertices, max: MAX_CONTROL_ZONE_VERTICES } };
  }
  const polygon: Polygon = { type: 'Polygon', coordinates: rings };
  const crossings = kinks(polygon).features.map((feature) => feature.geometry.coordinates);
  if (crossings.length > 0) return { ok: false, problem: { reason: 'self-intersecting', at: crossings.slice(0, 10) } };
  const areaM2 = area(polygon);
  if (!(areaM2 > 0)) return { ok: false, problem: { reason: 'empty' } };
  if (areaM2 >= MAX_CONTROL_ZONE_AREA_M2) {
    return { ok: false, problem: { reason: 'too-large', areaM2: Math.round(areaM2), maxAreaM2: MAX_CONTROL_ZONE_AREA_M2 } };
  }
  return { ok: true, polygon, vertices, areaM2 };
}
