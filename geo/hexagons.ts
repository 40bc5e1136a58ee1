import type { LngLat } from './types.ts';

/**
 * A fixed hexagon grid over the county for aggregates (issue 17): pointy-top hexagons in a plane
 * (equirectangular about a fixed latitude, metres), identified by axial coordinates `q:r`. The grid
 * never moves with a request: its origin, projection and sizes are constants, so two requests that
 * name the same hexagon always mean the same ground.
 */
const EARTH_RADIUS_M = 6_371_008.8;
/** The projection's standard latitude (the reference county lies at 31.5-32.5°N). */
const STANDARD_LATITUDE = 32;
const COS_LAT = Math.cos((STANDARD_LATITUDE * Math.PI) / 180);
const SQRT3 = Math.sqrt(3);

/** The fixed sizes (circumradius in metres), chosen by zoom; aggregate-only readers get one (see suppression.ts). */
export const HEX_SIZES_M = { small: 1_000, medium: 3_000, large: 9_000 } as const;
export type HexSize = keyof typeof HEX_SIZES_M;

function project([lng, lat]: LngLat): [x: number, y: number] {
  return [((lng * Math.PI) / 180) * EARTH_RADIUS_M * COS_LAT, ((lat * Math.PI) / 180) * EARTH_RADIUS_M];
}

function unproject(x: number, y: number): LngLat {
  return [((x / (EARTH_RADIUS_M * COS_LAT)) * 180) / Math.PI, ((y / EARTH_RADIUS_M) * 180) / Math.PI];
}

/** The hexagon of `size` holding `point`: its id `q:r`. */
export function hexagonOf(point: LngLat, size: HexSize): string {
  const radius = HEX_SIZES_M[size];
  const [x, y] = project(point);
  const q = ((SQRT3 / 3) * x - y / 3) / radius;
  const r = ((2 / 3) * y) / radius;
  // Cube rounding: round each coordinate, then fix the one that moved most.
  const s = -q - r;
  let rq = Math.round(q);
  let rr = Math.round(r);
  const rs = Math.round(s);
  const dq = Math.abs(rq - q);
  const dr = Math.abs(rr - r);
  const ds = Math.abs(rs - s);
  if (dq > dr && dq > ds) rq = -rr - rs;
  else if (dr > ds) rr = -rq - rs;
  return `${rq}:${rr}`;
}

/** The hexagon's ring, closed, `[lng, lat]`, counter-clockwise. */
export function hexagonRing(id: string, size: HexSize): LngLat[] {
  const [q, r] = id.split(':').map(Number) as [number, number];
  const radius = HEX_SIZES_M[size];
  const cx = radius * SQRT3 * (q + r / 2);
  const cy = radius * 1.5 * r;
  const ring: LngLat[] = [];
  for (let corner = 0; corner <= 6; corner++) {
    const angle = (Math.PI / 180) * (60 * (corner % 6) - 30);
    ring.push(unproject(cx + radius * Math.cos(angle), cy + radius * Math.sin(angle)));
  }
  return ring;
}
