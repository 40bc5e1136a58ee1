import type { ExpressionSpecification, StyleSpecification } from 'maplibre-gl';
import { TARGET_STATES } from '../../api/vocabulary/tasks.ts';
import { areaFillStyle } from '../map/area-fill-style.ts';
import type { ReviewTheme } from '../review/review-theme.ts';
import { STATES_FURTHEST_FIRST } from './state-bar.tsx';

/** Feature-state key of a cell: its target's state (pending … done), absent for a cell not targeted. */
export const TARGET_STATE_KEY = 'targetState';
const TASK_CELL_FILL = 'task-cell-fill';
/** GeoJSON source and layer of the collected locations (results' `location`), [lng, lat] WGS84. */
export const TASK_LOCATIONS = 'task-locations';

const UNTARGETED: Record<ReviewTheme, string> = { light: '#d8dee8', dark: '#1b2740' };

/**
 * The monitor's map: the county's townships as ground, the task area's cells filled by their
 * target's state (feature-state by code, so a live event recolours one cell without new tiles),
 * the area's outline and the collected locations as points. Only the project's own tiles and
 * self-hosted fonts: nothing leaves the machine.
 */
export function taskMapStyle(theme: ReviewTheme, areaCode: string): StyleSpecification {
  const colours = STATES_FURTHEST_FIRST.flatMap((state) => [state, TARGET_STATES[state].hex]);
  return areaFillStyle({
    name: `grid-command-task-${theme}`,
    theme,
    areaCode,
    fillLevel: 'cell',
    fill: {
      id: TASK_CELL_FILL,
      color: [
        'match',
        ['coalesce', ['feature-state', TARGET_STATE_KEY], 'none'],
        ...colours,
        UNTARGETED[theme],
      ] as unknown as ExpressionSpecification,
      opacity: 0.85,
    },
    fillLine: { id: 'task-cell-line', width: 0.6 },
    areaLine: { id: 'task-area-line', width: 2.5 },
    overlay: {
      source: TASK_LOCATIONS,
      layer: {
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
    },
  });
}
