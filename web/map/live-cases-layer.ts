import type { Layer } from '@deck.gl/core';
import { ScatterplotLayer } from '@deck.gl/layers';
import type { CaseLayerData, CaseMarker, Rgb } from './case-markers.ts';
import { LIGHT_COLORS, LIVE_CASES_LAYER } from './case-markers.ts';

const ALARM_COLOR: Rgb = [255, 64, 64];
const OUTLINE: Rgb = [3, 6, 12];
const SELECTED_OUTLINE: Rgb = [255, 255, 255];

/**
 * Open cases as dots coloured by their light, drawn by deck.gl above the areas. Reports that wait
 * to be taken get two rings widening out of them, half a period apart, so the room sees them
 * from afar; the selected case has a white outline and a larger dot. `phase` runs 0 → 1.
 */
export function liveCaseLayers({ markers, flashing, selectedId }: CaseLayerData, phase: number): Layer[] {
  const getPosition = (marker: CaseMarker) => marker.position;
  const layers: Layer[] = [];
  for (const [index, offset] of [0, 0.5].entries()) {
    const ringPhase = (phase + offset) % 1;
    layers.push(
      new ScatterplotLayer<CaseMarker>({
        id: `${LIVE_CASES_LAYER}-alarm-${index}`,
        data: flashing,
        getPosition,
        radiusUnits: 'pixels',
        getRadius: 9,
        radiusScale: 1 + 3 * ringPhase,
        stroked: true,
        filled: false,
        lineWidthUnits: 'pixels',
        getLineWidth: 3,
        getLineColor: ALARM_COLOR,
        opacity: 0.9 * (1 - ringPhase),
        pickable: false,
      }),
    );
  }
  layers.push(
    new ScatterplotLayer<CaseMarker>({
      id: LIVE_CASES_LAYER,
      data: markers,
      getPosition,
      radiusUnits: 'pixels',
      getRadius: (marker) => (marker.id === selectedId ? 10 : marker.flashing ? 8 : 6.5),
      stroked: true,
      lineWidthUnits: 'pixels',
      getLineWidth: (marker) => (marker.id === selectedId ? 3 : 1.5),
      getFillColor: (marker) => LIGHT_COLORS[marker.light],
      getLineColor: (marker) => (marker.id === selectedId ? SELECTED_OUTLINE : OUTLINE),
      updateTriggers: {
        getRadius: selectedId,
        getLineWidth: selectedId,
        getLineColor: selectedId,
      },
      pickable: true,
    }),
  );
  return layers;
}
