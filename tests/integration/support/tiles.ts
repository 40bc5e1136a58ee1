import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';

/** The XYZ tile containing [lng, lat] at zoom z. */
export function tileOf(lng: number, lat: number, z: number): { z: number; x: number; y: number } {
  const n = 2 ** z;
  const x = Math.floor(((lng + 180) / 360) * n);
  const latRad = (lat * Math.PI) / 180;
  const y = Math.floor(((1 - Math.log(Math.tan(latRad) + 1 / Math.cos(latRad)) / Math.PI) / 2) * n);
  return { z, x, y };
}

export function decodeTile(bytes: ArrayBuffer | Uint8Array): VectorTile {
  return new VectorTile(new PbfReader(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)));
}

/** Every feature of one layer as GeoJSON in degrees, with its properties. */
export function layerFeatures(tile: VectorTile, layerName: string, address: { z: number; x: number; y: number }) {
  const layer = tile.layers[layerName];
  if (!layer) return [];
  return Array.from({ length: layer.length }, (_, index) => {
    const feature = layer.feature(index).toGeoJSON(address.x, address.y, address.z);
    return { ...feature, properties: feature.properties ?? {} };
  });
}

/** Signed ring area in tile units (MVT: exterior rings positive, with y pointing down). */
export function ringArea(ring: { x: number; y: number }[]): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[j]!;
    const b = ring[i]!;
    sum += (a.x - b.x) * (a.y + b.y);
  }
  return sum / 2;
}
