import gcoord, { type CRSTypes } from 'gcoord';
import type { LngLat } from './types';

/**
 * The datums a phone may give a position in: `wgs84` (GPS; CGCS2000 agrees with it to within
 * centimetres), `gcj02` (the offset national datum of 高德, 腾讯 and most Chinese map apps) and
 * `bd09` (百度's further offset of GCJ-02). The two offset datums are hundreds of metres off
 * WGS84 inside China: enough to put a report in the wrong cell.
 */
export const DATUMS = ['wgs84', 'gcj02', 'bd09'] as const;
export type Datum = (typeof DATUMS)[number];

/** [lng, lat] in degrees as written in `D`; the brand keeps a GCJ-02 pair from passing for WGS84. */
export type DatumPosition<D extends Datum> = readonly [lng: number, lat: number] & { readonly __datum?: D };

const CRS: Record<Datum, CRSTypes> = { wgs84: gcoord.WGS84, gcj02: gcoord.GCJ02, bd09: gcoord.BD09 };

export function isDatum(value: string): value is Datum {
  return (DATUMS as readonly string[]).includes(value);
}

/** Refinement steps at most, and the residual (degrees, about 0.1 mm) at which they stop. */
const REFINE_STEPS = 4;
const REFINE_TOLERANCE_DEG = 1e-9;

/**
 * The WGS84 position of a [lng, lat] pair given in `datum`. WGS84 input is returned as is (bit for
 * bit, so a point on a cell boundary stays on it). GCJ-02 and BD-09 are defined by their forward
 * formulas from WGS84; gcoord's inverse is within a few centimetres (BD-09: about 6 cm), and a few
 * fixed-point steps against the forward formula bring it within 1e-9°. Outside China the offset
 * datums equal WGS84, as gcoord treats them.
 */
export function toWgs84(position: DatumPosition<Datum>, datum: Datum): LngLat {
  if (datum === 'wgs84') return [position[0], position[1]];
  const [startLng, startLat] = gcoord.transform([position[0], position[1]], CRS[datum], gcoord.WGS84);
  let lng = startLng!;
  let lat = startLat!;
  for (let step = 0; step < REFINE_STEPS; step++) {
    const [forwardLng, forwardLat] = gcoord.transform([lng, lat], gcoord.WGS84, CRS[datum]);
    const errorLng = forwardLng! - position[0];
    const errorLat = forwardLat! - position[1];
    if (Math.abs(errorLng) < REFINE_TOLERANCE_DEG && Math.abs(errorLat) < REFINE_TOLERANCE_DEG) break;
    lng -= errorLng;
    lat -= errorLat;
  }
  return [lng, lat];
}

/** The inverse of toWgs84: how a map app in `datum` would write the WGS84 position. */
export function fromWgs84<D extends Datum>(position: LngLat, datum: D): DatumPosition<D> {
  if (datum === 'wgs84') return [position[0], position[1]];
  const [lng, lat] = gcoord.transform([position[0], position[1]], gcoord.WGS84, CRS[datum]);
  return [lng!, lat!];
}
