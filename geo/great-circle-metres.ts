import type { LngLat } from './types';

/** The mean Earth radius turf uses, in metres. */
const EARTH_RADIUS_M = 6_371_008.8;

/**
 * Great-circle metres between two [lng, lat] WGS84 points (haversine, as turf's `distance`): what
 * the phone shows before the server measures the same pair on the spheroid (within 0.5%).
 */
export function greatCircleMetres(a: Readonly<LngLat>, b: Readonly<LngLat>): number {
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLng = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}
