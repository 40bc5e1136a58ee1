import type { Position } from 'geojson';
import type { LngLat } from './types';

/**
 * Kilometres east (x) and north (y) of a projection origin. The generator does its geometry in this plane so
 * that Voronoi cells and distances are not stretched by the degree grid (a degree of longitude is 15% shorter
 * than a degree of latitude at 32°N).
 */
type PlanePoint = [x: number, y: number] & { readonly __unit?: 'km' };

/** Kilometres per degree of latitude, and of longitude at the equator (WGS84, mid-latitude mean). */
const KM_PER_DEGREE_LAT = 110.574;
const KM_PER_DEGREE_LNG_AT_EQUATOR = 111.32;

/**
 * An affine map between [lng, lat] and the local km plane: x = (lng − lng0)·cos(lat0)·111.32, y = (lat − lat0)·110.574.
 * Being affine, it maps GeoJSON's straight edges to straight edges and keeps point-in-polygon answers, which
 * is what lets plane results be written back as WGS84 without re-checking them. Over a county (±50 km) the
 * scale error is below 1%; areas reported to users are measured on the sphere by turf, not here.
 */
export interface PlaneProjection {
  /** The origin, [lng, lat] in degrees. */
  readonly origin: LngLat;
  /** Kilometres per degree of longitude at the origin's latitude. */
  readonly kmPerDegreeLng: number;
  readonly kmPerDegreeLat: number;
  toPlane(position: Position): PlanePoint;
  toLngLat(x: number, y: number): LngLat;
}

export function createPlaneProjection(origin: Position): PlaneProjection {
  const [lng0, lat0] = origin;
  if (lng0 === undefined || lat0 === undefined) throw new RangeError('projection origin needs [lng, lat]');
  const kmPerDegreeLng = KM_PER_DEGREE_LNG_AT_EQUATOR * Math.cos((lat0 * Math.PI) / 180);
  return {
    origin: [lng0, lat0],
    kmPerDegreeLng,
    kmPerDegreeLat: KM_PER_DEGREE_LAT,
    toPlane: ([lng = 0, lat = 0]) => [(lng - lng0) * kmPerDegreeLng, (lat - lat0) * KM_PER_DEGREE_LAT],
    toLngLat: (x, y) => [lng0 + x / kmPerDegreeLng, lat0 + y / KM_PER_DEGREE_LAT],
  };
}
