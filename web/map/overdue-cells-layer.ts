import type { ExpressionSpecification, Map as MapLibreMap } from 'maplibre-gl';
import { RISK_COLOURS, type RiskColour } from '../../api/vocabulary/special-populations.ts';

const OVERDUE_LAYER = 'special-overdue-fill';
const OVERDUE_MIN_ZOOM = 9;
const STATE_KEY = 'overdueRisk';
const CELL = { source: 'cell', sourceLayer: 'cell' } as const;
const BOUNDARY_LAYERS = ['township-line', 'village-line', 'grid-line', 'cell-line'];
const riskState: ExpressionSpecification = ['coalesce', ['feature-state', STATE_KEY], ''];

/**
 * Cells coloured by their worst overdue entry's risk (red, yellow, blue), for readers with personal
 * access: like the patrol coverage mode, the colours reach the cell tiles as feature-state by code.
 */
export class OverdueCellsLayer {
  private shown = new Set<string>();

  constructor(private readonly map: MapLibreMap) {}

  show(cells: ReadonlyMap<string, RiskColour> | null): void {
    if (!this.map.getSource(CELL.source)) return;
    for (const code of this.shown) if (!cells?.has(code)) this.map.removeFeatureState({ ...CELL, id: code }, STATE_KEY);
    if (!cells) {
      this.shown.clear();
      if (this.map.getLayer(OVERDUE_LAYER)) this.map.removeLayer(OVERDUE_LAYER);
      return;
    }
    for (const [code, risk] of cells) this.map.setFeatureState({ ...CELL, id: code }, { [STATE_KEY]: risk });
    this.shown = new Set(cells.keys());
    if (this.map.getLayer(OVERDUE_LAYER)) return;
    this.map.addLayer(
      {
        id: OVERDUE_LAYER,
        type: 'fill',
        source: CELL.source,
        'source-layer': CELL.sourceLayer,
        minzoom: OVERDUE_MIN_ZOOM,
        paint: {
          'fill-color': [
            'match',
            riskState,
            'red',
            RISK_COLOURS.red.hex,
            'yellow',
            RISK_COLOURS.yellow.hex,
            'blue',
            RISK_COLOURS.blue.hex,
            'rgba(0,0,0,0)',
          ],
          'fill-opacity': 0.7,
        },
      },
      BOUNDARY_LAYERS.find((id) => this.map.getLayer(id)),
    );
  }
}
