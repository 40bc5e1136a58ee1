import type { GeoJSONVTFeature, GeoJSONVTTile } from '@maplibre/geojson-vt';
import { fromGeojsonVt } from '@maplibre/vt-pbf';
import { TILE_EXTENT } from './layers.ts';
import type { TileFeatureRow } from './repository.ts';

/**
 * Encodes features already in tile units (from the portable SQL path) as one MVT layer.
 * Polygon rings arrive oriented for MVT; a MultiPolygon's rings are written in sequence,
 * which MVT reads back as separate polygons because each exterior ring starts a new one.
 */
export function encodeTile(layerName: string, rows: TileFeatureRow[]): Uint8Array {
  const features: GeoJSONVTFeature[] = [];
  for (const row of rows) {
    const { geometry } = row;
    if (geometry.type === 'Point') {
      features.push({ type: 1, tags: row.properties, geometry: [geometry.coordinates as [number, number]] });
      continue;
    }
    const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
    const rings = polygons.flat().filter((ring) => ring.length >= 4) as [number, number][][];
    if (rings.length > 0) features.push({ type: 3, tags: row.properties, geometry: rings });
  }
  if (features.length === 0) return new Uint8Array();
  const tile = { features } as unknown as GeoJSONVTTile;
  return fromGeojsonVt({ [layerName]: tile }, { version: 2, extent: TILE_EXTENT });
}
