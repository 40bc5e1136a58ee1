import type {
  ExpressionSpecification,
  FilterSpecification,
  LayerSpecification,
  SourceSpecification,
  StyleSpecification,
} from 'maplibre-gl';
import type { TileLayerName } from '../api-client.ts';
import { tileJsonUrl } from '../api-client.ts';
import { MAP_FONT_BOLD, MAP_FONT_REGULAR, mapFontFaces } from '../fonts.ts';
import { CELL_LABEL_MIN_ZOOM, GRID_LABEL_MIN_ZOOM } from './area-labels.ts';
import type { TiledLevel } from './area-levels.ts';
import { AREA_PALETTE, bandOf, HOUSEHOLD_LABEL_MIN_ZOOM, HOUSEHOLD_MIN_ZOOM, LEVEL_BANDS, MAP_COLORS } from './area-levels.ts';

/** GeoJSON source of the areas' label points, filled from the API (one label per area; see area-labels.ts). */
export const LABEL_SOURCE = 'area-labels';

const fillLayerId = (level: TiledLevel) => `${level}-fill`;
export const HOUSEHOLD_LAYER = 'household-circle';

/** Ids of the layers whose features can be clicked, deepest level first. */
export const CLICKABLE_LAYERS = [HOUSEHOLD_LAYER, ...[...LEVEL_BANDS].reverse().map((band) => fillLayerId(band.level))];

const TILED_LAYERS: readonly TileLayerName[] = ['township', 'village', 'grid', 'cell', 'household'];

/** What the account may see on the map: households only for roles with households.view. */
export interface LayerAccess {
  households: boolean;
}

/**
 * One vector source per tile layer; `promoteId: 'code'` makes the area code the feature id for
 * feature-state. Without household access there is no household source, so its tiles are never asked for.
 */
function areaSources(access: LayerAccess): Record<string, SourceSpecification> {
  const sources: Record<string, SourceSpecification> = {};
  for (const layer of TILED_LAYERS) {
    if (layer === 'household' && !access.households) continue;
    sources[layer] = { type: 'vector', url: tileJsonUrl(layer), promoteId: 'code' };
  }
  sources[LABEL_SOURCE] = { type: 'geojson', data: { type: 'FeatureCollection', features: [] }, promoteId: 'code' };
  return sources;
}

const hovered: ExpressionSpecification = ['boolean', ['feature-state', 'hover'], false];
const selected: ExpressionSpecification = ['boolean', ['feature-state', 'selected'], false];

/**
 * A palette colour picked from the last three digits of the area code. The digits are scrambled
 * first (× 37 mod 97): consecutive codes still get different colours, and so do codes that differ
 * by a multiple of the palette length, such as a community 001 and its neighbour village 209.
 */
function paletteColor(): ExpressionSpecification {
  const code: ExpressionSpecification = ['to-string', ['get', 'code']];
  const digits: ExpressionSpecification = ['to-number', ['slice', code, ['-', ['length', code], 3]], 0];
  const index: ExpressionSpecification = ['%', ['%', ['*', digits, 37], 97], AREA_PALETTE.length];
  const cases = AREA_PALETTE.slice(0, -1).flatMap((color, position) => [position, color]);
  return ['match', index, ...cases, AREA_PALETTE[AREA_PALETTE.length - 1]] as unknown as ExpressionSpecification;
}

function fillLayer(level: TiledLevel): LayerSpecification {
  const band = bandOf(level);
  return {
    id: fillLayerId(level),
    type: 'fill',
    source: level,
    'source-layer': level,
    minzoom: band.from,
    maxzoom: band.to,
    paint: {
      'fill-color': paletteColor(),
      'fill-opacity': ['case', hovered, 0.8, selected, 0.62, 0.44],
    },
  };
}

function boundaryLayer(
  level: TiledLevel,
  minzoom: number,
  color: string,
  widths: [number, number],
  opacity: number,
): LayerSpecification {
  return {
    id: `${level}-line`,
    type: 'line',
    source: level,
    'source-layer': level,
    minzoom,
    layout: { 'line-join': 'round' },
    paint: {
      'line-color': color,
      'line-opacity': opacity,
      'line-width': ['interpolate', ['linear'], ['zoom'], minzoom, widths[0], 16, widths[1]],
    },
  };
}

function hoverLayer(level: TiledLevel): LayerSpecification {
  const band = bandOf(level);
  return {
    id: `${level}-hover`,
    type: 'line',
    source: level,
    'source-layer': level,
    minzoom: band.from,
    maxzoom: band.to,
    paint: { 'line-color': MAP_COLORS.hover, 'line-width': 2.5, 'line-opacity': ['case', hovered, 0.95, 0] },
  };
}

export const selectionLayerIds = (level: TiledLevel) => [`${level}-selection-glow`, `${level}-selection-line`];

/**
 * A glow and a crisp line around the selected area, drawn through feature-state `selected`.
 * Hidden until an area of this level is selected, so that no tiles load for them otherwise.
 */
function selectionLayers(level: TiledLevel): LayerSpecification[] {
  const { selectionFrom } = bandOf(level);
  const common = {
    source: level,
    'source-layer': level,
    minzoom: selectionFrom,
    layout: { 'line-join': 'round' as const, visibility: 'none' as const },
  };
  return [
    {
      id: `${level}-selection-glow`,
      type: 'line',
      ...common,
      paint: { 'line-color': MAP_COLORS.selection, 'line-width': 14, 'line-blur': 9, 'line-opacity': ['case', selected, 0.5, 0] },
    },
    {
      id: `${level}-selection-line`,
      type: 'line',
      ...common,
      paint: { 'line-color': MAP_COLORS.selection, 'line-width': 3.5, 'line-opacity': ['case', selected, 1, 0] },
    },
  ];
}

const labelPaint = {
  'text-color': ['case', selected, MAP_COLORS.selection, MAP_COLORS.labelText] as ExpressionSpecification,
  'text-halo-color': MAP_COLORS.labelHalo,
  'text-halo-width': 1.8,
  'text-halo-blur': 0.4,
};

function labelLayer(options: {
  id: string;
  source: string;
  sourceLayer?: string;
  filter?: FilterSpecification;
  minzoom: number;
  maxzoom: number;
  font: string;
  sizes: [zoom: number, size: number][];
}): LayerSpecification {
  return {
    id: options.id,
    type: 'symbol',
    source: options.source,
    ...(options.sourceLayer ? { 'source-layer': options.sourceLayer } : {}),
    ...(options.filter ? { filter: options.filter } : {}),
    minzoom: options.minzoom,
    maxzoom: options.maxzoom,
    layout: {
      'symbol-placement': 'point',
      'text-field': ['get', 'name'],
      'text-font': [options.font],
      'text-size': ['interpolate', ['linear'], ['zoom'], ...options.sizes.flat()] as ExpressionSpecification,
      'text-max-width': 7,
      'text-padding': 4,
      // Just below the label point, where the selection beacon stands.
      'text-anchor': 'top',
      'text-offset': [0, 0.55],
      'text-letter-spacing': 0.04,
    },
    paint: labelPaint,
  };
}

/**
 * The county outline without a county layer: a wide glowing line around every township, then
 * an opaque land fill over it, so only the outer half of the line (outside the county) shows.
 * Only the built-in basemap has these; over an external basemap the land would hide it.
 */
function countyLayers(): LayerSpecification[] {
  return [
    { id: 'background', type: 'background', paint: { 'background-color': MAP_COLORS.background } },
    {
      id: 'county-glow',
      type: 'line',
      source: 'township',
      'source-layer': 'township',
      paint: { 'line-color': MAP_COLORS.countyGlow, 'line-width': 18, 'line-blur': 12, 'line-opacity': 0.55 },
    },
    {
      id: 'county-edge',
      type: 'line',
      source: 'township',
      'source-layer': 'township',
      paint: { 'line-color': MAP_COLORS.countyEdge, 'line-width': 5 },
    },
    {
      id: 'land',
      type: 'fill',
      source: 'township',
      'source-layer': 'township',
      paint: { 'fill-color': MAP_COLORS.land, 'fill-antialias': false },
    },
  ];
}

/** Household points and, closer in, their addresses. */
function householdLayers(): LayerSpecification[] {
  return [
    {
      id: HOUSEHOLD_LAYER,
      type: 'circle',
      source: 'household',
      'source-layer': 'household',
      minzoom: HOUSEHOLD_MIN_ZOOM,
      paint: {
        'circle-color': MAP_COLORS.household,
        'circle-radius': ['interpolate', ['linear'], ['zoom'], HOUSEHOLD_MIN_ZOOM, 2.5, 18, 7],
        'circle-stroke-color': MAP_COLORS.labelHalo,
        'circle-stroke-width': 1,
        'circle-opacity': ['case', hovered, 1, 0.9],
      },
    },
    labelLayer({
      id: 'household-label',
      source: 'household',
      sourceLayer: 'household',
      minzoom: HOUSEHOLD_LABEL_MIN_ZOOM,
      maxzoom: 24,
      font: MAP_FONT_REGULAR,
      sizes: [
        [HOUSEHOLD_LABEL_MIN_ZOOM, 11],
        [19, 13],
      ],
    }),
  ];
}

/** Fills, boundaries, hover, selection, households (if the account may see them) and labels of the management levels. */
function areaLayers(access: LayerAccess): LayerSpecification[] {
  const levels = LEVEL_BANDS.map((band) => band.level);
  return [
    ...levels.map(fillLayer),
    boundaryLayer('cell', bandOf('cell').from, MAP_COLORS.cellLine, [0.6, 1.2], 0.45),
    boundaryLayer('grid', bandOf('grid').from - 0.5, MAP_COLORS.gridLine, [0.9, 2], 0.6),
    boundaryLayer('village', bandOf('village').from - 0.5, MAP_COLORS.villageLine, [1, 2.6], 0.7),
    boundaryLayer('township', 0, MAP_COLORS.townshipLine, [1.2, 4], 0.9),
    ...levels.map(hoverLayer),
    ...levels.flatMap(selectionLayers),
    ...(access.households ? householdLayers() : []),
    labelLayer({
      id: 'cell-label',
      source: LABEL_SOURCE,
      filter: ['==', ['get', 'level'], 'cell'],
      minzoom: CELL_LABEL_MIN_ZOOM,
      maxzoom: 24,
      font: MAP_FONT_REGULAR,
      sizes: [
        [CELL_LABEL_MIN_ZOOM, 12],
        [17, 15],
      ],
    }),
    labelLayer({
      id: 'grid-label',
      source: LABEL_SOURCE,
      filter: ['==', ['get', 'level'], 'grid'],
      minzoom: GRID_LABEL_MIN_ZOOM,
      maxzoom: CELL_LABEL_MIN_ZOOM,
      font: MAP_FONT_REGULAR,
      sizes: [
        [GRID_LABEL_MIN_ZOOM, 13],
        [CELL_LABEL_MIN_ZOOM, 16],
      ],
    }),
    labelLayer({
      id: 'village-label',
      source: LABEL_SOURCE,
      filter: ['==', ['get', 'level'], 'village'],
      minzoom: 9.5,
      maxzoom: 12.5,
      font: MAP_FONT_REGULAR,
      sizes: [
        [9.5, 13],
        [12, 17],
      ],
    }),
    labelLayer({
      id: 'township-label',
      source: LABEL_SOURCE,
      filter: ['==', ['get', 'level'], 'township'],
      minzoom: 0,
      maxzoom: 11,
      font: MAP_FONT_BOLD,
      sizes: [
        [7, 14],
        [9, 19],
        [11, 23],
      ],
    }),
  ];
}

/** The built-in basemap: drawn only from the project's own tiles, with self-hosted fonts. Nothing leaves the machine. */
export function builtInStyle(access: LayerAccess): StyleSpecification {
  return {
    version: 8,
    name: 'grid-command-dark',
    'font-faces': mapFontFaces(),
    sources: areaSources(access),
    layers: [...countyLayers(), ...areaLayers(access)],
  };
}

/** An external basemap (configured by `basemapStyleUrl`) with the project's layers drawn on top of it. */
export function withAreaLayers(base: StyleSpecification, access: LayerAccess): StyleSpecification {
  return {
    ...base,
    'font-faces': { ...(base['font-faces'] ?? {}), ...mapFontFaces() },
    sources: { ...base.sources, ...areaSources(access) },
    layers: [...base.layers, ...areaLayers(access)],
  };
}
