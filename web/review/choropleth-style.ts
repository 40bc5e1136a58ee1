import type { ExpressionSpecification, StyleSpecification } from 'maplibre-gl';
import type { TileLayerName } from '../api-client.ts';
import { tileJsonUrl } from '../api-client.ts';
import { MAP_FONT_BOLD, MAP_FONT_REGULAR, mapFontFaces } from '../fonts.ts';
import { CLASS_COLORS, NO_DATA_COLOR } from './review-format.ts';
import type { ReviewTheme } from './review-theme.ts';

/** GeoJSON source of the children's label points: name and figure, filled from the review. */
export const CHOROPLETH_LABELS = 'review-labels';
/** Feature-state key holding an area's class (0 best to 4 worst, -1 no figure). */
export const CLASS_STATE = 'reviewClass';
export const CHOROPLETH_FILL = 'review-fill';

const GROUND: Record<
  ReviewTheme,
  { background: string; land: string; line: string; outline: string; text: string; halo: string }
> = {
  light: { background: '#e6ebf1', land: '#f7f8fa', line: '#ffffff', outline: '#233246', text: '#111a26', halo: '#ffffff' },
  dark: { background: '#060a12', land: '#0f1829', line: '#0b1220', outline: '#c9d7ee', text: '#f4f7fc', halo: '#03060c' },
};

const areaClass: ExpressionSpecification = ['coalesce', ['feature-state', CLASS_STATE], -1];

/** `['==', code's first n digits, parent]`: the features of the parent's children only. */
function under(parentCode: string): ExpressionSpecification {
  return ['==', ['slice', ['to-string', ['get', 'code']], 0, parentCode.length], parentCode];
}

/**
 * The review's map: the county's townships as ground, the children of the reviewed area filled
 * by their class of the chosen KPI (through feature-state by code, so a new KPI recolours without
 * new tiles), their outlines, the reviewed area's outline, and each child's name with its figure.
 * Only the project's own tiles and self-hosted fonts: nothing leaves the machine.
 */
export function choroplethStyle(theme: ReviewTheme, parentCode: string, childLevel: TileLayerName): StyleSpecification {
  const ground = GROUND[theme];
  const parentLevel: TileLayerName | null =
    parentCode.length === 9 ? 'township' : parentCode.length === 12 ? 'village' : parentCode.length === 15 ? 'grid' : null;
  const tiled = new Set<TileLayerName>(['township', childLevel, ...(parentLevel ? [parentLevel] : [])]);
  const sources: StyleSpecification['sources'] = {};
  for (const layer of tiled) sources[layer] = { type: 'vector', url: tileJsonUrl(layer), promoteId: 'code' };
  sources[CHOROPLETH_LABELS] = { type: 'geojson', data: { type: 'FeatureCollection', features: [] } };
  const colours = CLASS_COLORS.flatMap((colour, index) => [index, colour]);
  return {
    version: 8,
    name: `grid-command-review-${theme}`,
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
        id: CHOROPLETH_FILL,
        type: 'fill',
        source: childLevel,
        'source-layer': childLevel,
        filter: under(parentCode),
        paint: {
          'fill-color': ['match', areaClass, ...colours, NO_DATA_COLOR] as unknown as ExpressionSpecification,
          'fill-opacity': ['case', ['boolean', ['feature-state', 'hover'], false], 0.95, 0.78],
        },
      },
      {
        id: 'review-child-line',
        type: 'line',
        source: childLevel,
        'source-layer': childLevel,
        filter: under(parentCode),
        paint: { 'line-color': ground.line, 'line-width': 1.5 },
      },
      ...(parentLevel
        ? [
            {
              id: 'review-parent-line',
              type: 'line' as const,
              source: parentLevel,
              'source-layer': parentLevel,
              filter: ['==', ['to-string', ['get', 'code']], parentCode] as ExpressionSpecification,
              paint: { 'line-color': ground.outline, 'line-width': 3 },
            },
          ]
        : []),
      {
        id: 'review-label',
        type: 'symbol',
        source: CHOROPLETH_LABELS,
        layout: {
          'text-field': [
            'format',
            ['get', 'name'],
            { 'text-font': ['literal', [MAP_FONT_BOLD]] },
            '\n',
            {},
            ['get', 'figure'],
            {},
          ],
          'text-font': [MAP_FONT_REGULAR],
          'text-size': 13,
          'text-max-width': 8,
          'text-padding': 2,
        },
        paint: { 'text-color': ground.text, 'text-halo-color': ground.halo, 'text-halo-width': 1.8 },
      },
    ],
  };
}
