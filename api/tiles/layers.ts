import type { AreaLevel } from '../../geo/types.ts';

/** Web Mercator half-circumference in metres (EPSG:3857 x and y run from -this to +this). */
const MERCATOR_HALF_WORLD = 20_037_508.342789244;
/** Tile coordinate units per tile side, as MVT and MapLibre expect. */
export const TILE_EXTENT = 4096;
/** Geometry kept beyond each tile edge, in tile units, so strokes do not show seams. */
export const TILE_BUFFER = 64;
/** The deepest zoom any layer is cut at (street level in the urban core); MapLibre over-zooms beyond it. */
const MAX_TILE_ZOOM = 16;

export interface TileLayer {
  name: string;
  geometry: 'polygon' | 'point';
  /** For area layers, the level in the `areas` table. */
  level?: AreaLevel;
  minzoom: number;
  maxzoom: number;
  description: string;
  /** Field name → type, as TileJSON's vector_layers lists them. */
  fields: Record<string, 'String' | 'Number' | 'Boolean'>;
}

const areaFields = {
  code: 'String',
  name: 'String',
  level: 'String',
  kind: 'String',
  population: 'Number',
  households: 'Number',
  urban: 'Boolean',
} as const;

export const TILE_LAYERS: Record<string, TileLayer> = {
  township: {
    name: 'township',
    geometry: 'polygon',
    level: 'township',
    minzoom: 0,
    maxzoom: MAX_TILE_ZOOM,
    description: '乡镇（街道） townships and streets',
    fields: areaFields,
  },
  village: {
    name: 'village',
    geometry: 'polygon',
    level: 'village',
    minzoom: 6,
    maxzoom: MAX_TILE_ZOOM,
    description: '村（社区） villages and communities',
    fields: areaFields,
  },
  grid: {
    name: 'grid',
    geometry: 'polygon',
    level: 'grid',
    minzoom: 8,
    maxzoom: MAX_TILE_ZOOM,
    description: '网格 grids',
    fields: areaFields,
  },
  cell: {
    name: 'cell',
    geometry: 'polygon',
    level: 'cell',
    minzoom: 8,
    maxzoom: MAX_TILE_ZOOM,
    description: '单元格 unit cells',
    fields: areaFields,
  },
  household: {
    name: 'household',
    geometry: 'point',
    minzoom: 12,
    maxzoom: MAX_TILE_ZOOM,
    description: '户 households (synthetic); below z15 nearby households are merged into one point with a count',
    fields: { code: 'String', name: 'String', residents: 'Number', cell_code: 'String', count: 'Number' },
  },
};

/**
 * From this zoom on, household tiles carry every household; below it, households closer than
 * `HOUSEHOLD_MERGE_UNITS` tile units (8 pixels on a 512-pixel tile) are merged into one point with a count,
 * so a tile over the dense urban core stays small.
 */
export const HOUSEHOLD_DETAIL_ZOOM = 15;
export const HOUSEHOLD_MERGE_UNITS = 64;

export const TILE_LAYER_NAMES = Object.keys(TILE_LAYERS);

/**
 * The layer of that name, or undefined. Only the table's own keys count: a name from a URL such
 * as `__proto__` or `constructor` would otherwise find Object.prototype's members.
 */
export function tileLayerNamed(name: string): TileLayer | undefined {
  return Object.hasOwn(TILE_LAYERS, name) ? TILE_LAYERS[name] : undefined;
}

/**
 * Area outlines are simplified once per zoom band (see `area_tile_geometries`). A band
 * serves the zooms from its value up to the next band's value minus one; the tolerance is
 * one tile unit at the band's deepest zoom, so nothing visible is lost.
 */
export const ZOOM_BANDS = [0, 8, 10, 12, 14] as const;

export function bandForZoom(z: number): number {
  let band: number = ZOOM_BANDS[0];
  for (const candidate of ZOOM_BANDS) if (z >= candidate) band = candidate;
  return band;
}

/** Simplification tolerance of a band in Web Mercator metres; 0 for the deepest band (no simplification). */
export function bandTolerance(band: number): number {
  const index = ZOOM_BANDS.indexOf(band as (typeof ZOOM_BANDS)[number]);
  const next = ZOOM_BANDS[index + 1];
  if (next === undefined) return 0;
  return metresPerTileUnit(next - 1);
}

export function metresPerTileUnit(z: number): number {
  return (2 * MERCATOR_HALF_WORLD) / 2 ** z / TILE_EXTENT;
}

/** The tile's bounds in Web Mercator metres: [xmin, ymin, xmax, ymax]. */
export function tileBounds(z: number, x: number, y: number): [number, number, number, number] {
  const size = (2 * MERCATOR_HALF_WORLD) / 2 ** z;
  const xmin = -MERCATOR_HALF_WORLD + x * size;
  const ymax = MERCATOR_HALF_WORLD - y * size;
  return [xmin, ymax - size, xmin + size, ymax];
}
