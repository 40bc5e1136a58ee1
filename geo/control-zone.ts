import { circle } from '@turf/turf';
import type { Polygon } from 'geojson';
import { roundDegrees } from './label-point';
import type { LngLat } from './types';

/** Vertices of the default circle: 64 keeps the ring within 0.2% of a true circle at any radius. */
export const CONTROL_ZONE_STEPS = 64;

/**
 * The default control zone around a report: a geodesic circle of `radiusM` metres around
 * `center` ([lng, lat], WGS84), as a closed GeoJSON Polygon rounded to 1e-7° (about 1 cm).
 * An officer can replace it with a drawn polygon (see checkControlZone).
 */
export function defaultControlZone(center: LngLat, radiusM: number, steps = CONTROL_ZONE_STEPS): Polygon {
  if (!(radiusM > 0) || !Number.isFinite(radiusM)) throw new Error(`control zone radius must be positive metres: ${radiusM}`);
  const ring = circle([center[0], center[1]], radiusM, { steps, units: 'meters' }).geometry.coordinates[0]!;
  const rounded = ring.map(([lng, lat]) => [roundDegrees(lng!), roundDegrees(lat!)]);
  rounded[rounded.length - 1] = [...rounded[0]!];
  return { type: 'Polygon', coordinates: [rounded] };
}
