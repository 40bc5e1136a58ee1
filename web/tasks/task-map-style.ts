import type { ExpressionSpecification, StyleSpecification } from 'maplibre-gl';
import { TARGET_STATES } from '../../api/vocabulary/tasks.ts';
import type { TileLayerName } from '../api-client.ts';
import { tileJsonUrl } from '../api-client.ts';
import { mapFontFaces } from '../fonts.ts';
import type { ReviewTheme } from '../review/review-theme.ts';
import { STATES_FURTHEST_FIRST } from './state-bar.tsx';

/** Feature-state key of a cell: its target's state (pending … done), absent for a cell not targeted. */
export const TARGET_STATE_KEY = 'targetState';
const TASK_CELL_FILL = 'task-cell-fill';
/** GeoJSON source and layer of the collected locations (results' `location`), [lng, lat] WGS84. */
export const TASK_LOCATIONS = 'task-locations';

const GROUND: Record<ReviewTheme, { background: string; land: string; line: string; outline: string; untargeted: string }> = {
  light: { background: '#e6ebf1', land: '#f7f8fa', line: '#ffffff', outline: '#233246', untargeted: '#d8dee8' },
  dark: { background: '#060a12', land: '#0f1829', line: '#0b1220', outline: '#c9d7ee', untargeted: '#1b2740' },
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

/** `['==', code's first n digits, areaCode]`: the features inside the task's area only. */
function under(areaCode: string): ExpressionSpecification {
  return ['==', ['slice', ['to-string', ['get', 'code']], 0, areaCode.length], areaCode];
}

/**
 * The monitor's map: the county's townships as ground, the task area's cells filled by their
 * target's state (feature-state by code, so a live event recolours one cell without new tiles),
 * the area's outline and the collected locations as points. Only the project's own tiles and
 * self-hosted fonts: nothing leaves the machine.
 */
export function taskMapStyle(theme: ReviewTheme, areaCode: string): StyleSpecification {
  const ground = GROUND[theme];
  const areaLevel = levelOf(areaCode);
  const tiled = new Set<TileLayerName>(['township', 'cell', ...(areaLevel ? [areaLevel] : [])]);
  const sources: StyleSpecification['sources'] = {};
  for (const layer of tiled) sources[layer] = { type: 'vector', url: tileJsonUrl(layer), promoteId: 'code' };
  sources[TASK_LOCATIONS] = { type: 'geojson', data: { type: 'FeatureCollection', features: [] } };
  const colours = STATES_FURTHEST_FIRST.flatMap((state) => [state, TARGET_STATES[state].hex]);
  return {
    version: 8,
    name: `grid-command-task-${theme}`,
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
        id: TASK_CELL_FILL,
        type: 'fill',
        source: 'cell',
        'source-layer': 'cell',
        filter: under(areaCode),
        paint: {
          'fill-color': [
            'match',
            ['coalesce', ['feature-state', TARGET_STATE_KEY], 'none'],
            ...colours,
            ground.untargeted,
          ] as unknown as ExpressionSpecification,
          'fill-opacity': 0.85,
        },
      },
      {
        id: 'task-cell-line',
        type: 'line',
        source: 'cell',
        'source-layer': 'cell',
        filter: under(areaCode),
        paint: { 'line-color': ground.line, 'line-width': 0.6 },
      },
      ...(areaLevel
        ? [
            {
              id: 'task-area-line',
              type: 'line' as const,
              source: areaLevel,
              'source-layer': areaLevel,
              filter: ['==', ['to-string', ['get', 'code']], areaCode] as ExpressionSpecification,
              paint: { 'line-color': ground.outline, 'line-width': 2.5 },
            },
          ]
        : []),
      {
        id: TASK_LOCATIONS,
        type: 'circle',
        source: TASK_LOCATIONS,
        paint: {
          'circle-radius': 5,
          'circle-color': '#ff3d71',
          'circle-stroke-color': theme === 'light' ? '#ffffff' : '#03060c',
          'circle-stroke-width': 1.5,
        },
      },
    ],
  };
}
