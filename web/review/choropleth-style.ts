import type { ExpressionSpecification, StyleSpecification } from 'maplibre-gl';
import type { TileLayerName } from '../api-client.ts';
import { MAP_FONT_BOLD, MAP_FONT_REGULAR } from '../fonts.ts';
import { areaFillStyle } from '../map/area-fill-style.ts';
import { CLASS_COLORS, NO_DATA_COLOR } from './review-format.ts';
import type { ReviewTheme } from './review-theme.ts';

/** GeoJSON source of the children's label points: name and figure, filled from the review. */
export const CHOROPLETH_LABELS = 'review-labels';
/** Feature-state key holding an area's class (0 best to 4 worst, -1 no figure). */
export const CLASS_STATE = 'reviewClass';
export const CHOROPLETH_FILL = 'review-fill';

/** The labels' ink and halo; the ground is the desk maps' (map/area-fill-style.ts). */
const LABEL_INK: Record<ReviewTheme, { text: string; halo: string }> = {
  light: { text: '#111a26', halo: '#ffffff' },
  dark: { text: '#f4f7fc', halo: '#03060c' },
};

const areaClass: ExpressionSpecification = ['coalesce', ['feature-state', CLASS_STATE], -1];

/**
 * The review's map: the county's townships as ground, the children of the reviewed area filled
 * by their class of the chosen KPI (through feature-state by code, so a new KPI recolours without
 * new tiles), their outlines, the reviewed area's outline, and each child's name with its figure.
 * Only the project's own tiles and self-hosted fonts: nothing leaves the machine.
 */
export function choroplethStyle(theme: ReviewTheme, parentCode: string, childLevel: TileLayerName): StyleSpecification {
  const ink = LABEL_INK[theme];
  const colours = CLASS_COLORS.flatMap((colour, index) => [index, colour]);
  return areaFillStyle({
    name: `grid-command-review-${theme}`,
    theme,
    areaCode: parentCode,
    fillLevel: childLevel,
    fill: {
      id: CHOROPLETH_FILL,
      color: ['match', areaClass, ...colours, NO_DATA_COLOR] as unknown as ExpressionSpecification,
      opacity: ['case', ['boolean', ['feature-state', 'hover'], false], 0.95, 0.78],
    },
    fillLine: { id: 'review-child-line', width: 1.5 },
    areaLine: { id: 'review-parent-line', width: 3 },
    overlay: {
      source: CHOROPLETH_LABELS,
      layer: {
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
        paint: { 'text-color': ink.text, 'text-halo-color': ink.halo, 'text-halo-width': 1.8 },
      },
    },
  });
}
