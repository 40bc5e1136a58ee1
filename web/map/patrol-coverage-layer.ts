import type { ExpressionSpecification, Map as MapLibreMap } from 'maplibre-gl';

/** How long ago a cell was last patrolled, as the map's coverage mode colours it. */
export type CoverageClass = 'today' | 'week' | 'month' | 'never';
export const COVERAGE_CLASSES: readonly CoverageClass[] = ['today', 'week', 'month', 'never'];

/** Green for today through red for "nobody for a month", legible on the dark wall screen. */
export const COVERAGE_COLORS: Record<CoverageClass, string> = {
  today: '#2fbf71',
  week: '#a4cf3f',
  month: '#f0a63a',
  never: '#d9484f',
};

const COVERAGE_LAYER = 'patrol-coverage-fill';
/** Cell tiles load from zoom 8, but are heavy there: like the selection outline, start at 9. */
const COVERAGE_MIN_ZOOM = 9;
const STATE_KEY = 'coverageDays';
const CELL = { source: 'cell', sourceLayer: 'cell' } as const;
/** The area boundaries stay above the colours: the layer goes under the first of them. */
const BOUNDARY_LAYERS = ['township-line', 'village-line', 'grid-line', 'cell-line'];

/** Days read from feature-state; a cell without one was not walked in the window. */
const daysState: ExpressionSpecification = ['coalesce', ['feature-state', STATE_KEY], -1];

/**
 * The map's 巡查覆盖 mode: the cells of the vector tiles coloured by days since their last patrol.
 * The days travel as a small JSON (cell code → days) and reach the cells as feature-state by
 * code (the cell source's promoteId), so the cached cell tiles are not cut again whenever a
 * batch of fixes arrives.
 */
export class PatrolCoverageLayer {
  private shown = new Set<string>();

  constructor(private readonly map: MapLibreMap) {}

  /** Colours the cells by `days` (full cell code → days since last walked); null takes the colours away. */
  show(days: ReadonlyMap<string, number> | null): void {
    if (!this.map.getSource(CELL.source)) return;
    for (const code of this.shown) if (!days?.has(code)) this.map.removeFeatureState({ ...CELL, id: code }, STATE_KEY);
    if (!days) {
      this.shown.clear();
      if (this.map.getLayer(COVERAGE_LAYER)) this.map.removeLayer(COVERAGE_LAYER);
      return;
    }
    for (const [code, value] of days) this.map.setFeatureState({ ...CELL, id: code }, { [STATE_KEY]: value });
    this.shown = new Set(days.keys());
    if (this.map.getLayer(COVERAGE_LAYER)) return;
    const beforeId = BOUNDARY_LAYERS.find((id) => this.map.getLayer(id));
    this.map.addLayer(
      {
        id: COVERAGE_LAYER,
        type: 'fill',
        source: CELL.source,
        'source-layer': CELL.sourceLayer,
        minzoom: COVERAGE_MIN_ZOOM,
        paint: {
          'fill-color': [
            'case',
            ['==', daysState, 0],
            COVERAGE_COLORS.today,
            ['all', ['>', daysState, 0], ['<', daysState, 7]],
            COVERAGE_COLORS.week,
            ['all', ['>=', daysState, 7], ['<', daysState, 30]],
            COVERAGE_COLORS.month,
            COVERAGE_COLORS.never,
          ],
          'fill-opacity': 0.72,
        },
      },
      beforeId,
    );
  }
}
