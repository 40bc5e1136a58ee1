import type { ExpressionSpecification, LayerSpecification, SourceSpecification, StyleSpecification } from 'maplibre-gl';
import type { TileLayerName } from '../api-client.ts';
import { tileJsonUrl } from '../api-client.ts';
import { mapFontFaces } from '../fonts.ts';

/** The desk pages' map themes (the review's light or dark, which the tasks page shares). */
type DeskMapTheme = 'light' | 'dark';

/** The ground under a desk map's fill: sea, the county's land, township lines, fill outlines and the area's outline. */
const DESK_MAP_GROUND: Record<DeskMapTheme, { background: string; land: string; line: string; outline: string }> = {
  light: { background: '#e6ebf1', land: '#f7f8fa', line: '#ffffff', outline: '#233246' },
  dark: { background: '#060a12', land: '#0f1829', line: '#0b1220', outline: '#c9d7ee' },
};

/** The level whose layer outlines an area of this code's length; null for the county (no layer of its own). */
function levelOf(code: string): TileLayerName | null {
  switch (code.length) {
    case 9:
      return 'township';
    case 12:
      return 'village';
    case 15:
      return 'grid';
    case 18:
      return 'cell';
    default:
      return null;
  }
}

/** `['==', code's first n digits, areaCode]`: the features inside the area only. */
function under(areaCode: string): ExpressionSpecification {
  return ['==', ['slice', ['to-string', ['get', 'code']], 0, areaCode.length], areaCode];
}

/** A desk map: which area, which level fills it, how, and what is drawn over it. */
export interface AreaFillStyle {
  /** The style's name. */
  name: string;
  theme: DeskMapTheme;
  /** The area whose features at `fillLevel` are filled, and whose own outline is drawn over them. */
  areaCode: string;
  fillLevel: TileLayerName;
  /** The fill layer: its id, and its colour and opacity (from feature-state, by code). */
  fill: { id: string; color: ExpressionSpecification; opacity: number | ExpressionSpecification };
  /** The filled features' outlines. */
  fillLine: { id: string; width: number };
  /** The area's own outline (not drawn for the county). */
  areaLine: { id: string; width: number };
  /** A GeoJSON source of the page's own (labels, points), empty at first, and the layer drawn from it on top. */
  overlay: { source: string; layer: LayerSpecification };
}

/**
 * The style of a desk page's map: the county's townships as ground, the area's features at one
 * level filled through feature-state by code (so new figures or a live event recolour without new
 * tiles), their outlines, the area's outline, and the page's overlay on top. Only the project's
 * own tiles and self-hosted fonts: nothing leaves the machine.
 */
export function areaFillStyle(spec: AreaFillStyle): StyleSpecification {
  const ground = DESK_MAP_GROUND[spec.theme];
  const areaLevel = levelOf(spec.areaCode);
  const tiled = new Set<TileLayerName>(['township', spec.fillLevel, ...(areaLevel ? [areaLevel] : [])]);
  const sources: Record<string, SourceSpecification> = {};
  for (const layer of tiled) sources[layer] = { type: 'vector', url: tileJsonUrl(layer), promoteId: 'code' };
  sources[spec.overlay.source] = { type: 'geojson', data: { type: 'FeatureCollection', features: [] } };
  return {
    version: 8,
    name: spec.name,
    'font-faces': mapFontFaces(),
    sources,
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': ground.background } },
      { id: 'land', type: 'fill', source: 'township', 'source-layer': 'township', paint: { 'fill-color': ground.land } },
      {
        id: 'township-ground-line',
        type: 'line',
        source: 'township',
        'source-layer': 'township',
        paint: { 'line-color': ground.outline, 'line-opacity': 0.35, 'line-width': 1 },
      },
      {
        id: spec.fill.id,
        type: 'fill',
        source: spec.fillLevel,
        'source-layer': spec.fillLevel,
        filter: under(spec.areaCode),
        paint: { 'fill-color': spec.fill.color, 'fill-opacity': spec.fill.opacity },
      },
      {
        id: spec.fillLine.id,
        type: 'line',
        source: spec.fillLevel,
        'source-layer': spec.fillLevel,
        filter: under(spec.areaCode),
        paint: { 'line-color': ground.line, 'line-width': spec.fillLine.width },
      },
      ...(areaLevel
        ? [
            {
              id: spec.areaLine.id,
              type: 'line' as const,
              source: areaLevel,
              'source-layer': areaLevel,
              filter: ['==', ['to-string', ['get', 'code']], spec.areaCode] as ExpressionSpecification,
              paint: { 'line-color': ground.outline, 'line-width': spec.areaLine.width },
            },
          ]
        : []),
      spec.overlay.layer,
    ],
  };
}
