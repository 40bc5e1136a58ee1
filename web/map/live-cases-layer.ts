import type { Layer } from '@deck.gl/core';
import { ScatterplotLayer } from '@deck.gl/layers';

export const LIVE_CASES_LAYER = 'live-cases';

/** Time-limit light of an open case; `none` while no clock runs. */
export type CaseLight = 'green' | 'yellow' | 'red' | 'none';

/** One open case on the map. */
export interface CaseMarker {
  id: string;
  /** [lng, lat], WGS84. */
  position: [number, number];
  light: CaseLight;
  /** An urgent or landslide report nobody has taken yet: it pulses until someone does. */
  flashing: boolean;
}

type Rgb = [number, number, number];

/** The traffic light as drawn, bright enough on the dark basemap; shared with the list and the legend. */
export const LIGHT_COLORS: Record<CaseLight, Rgb> = {
  green: [62, 207, 120],
  yellow: [255, 196, 38],
  red: [255, 77, 90],
  none: [150, 170, 200],
};

export function lightCss(light: CaseLight): string {
  const [r, g, b] = LIGHT_COLORS[light];
  return `rgb(${r}, ${g}, ${b})`;
}

const ALARM_COLOR: Rgb = [255, 64, 64];
const OUTLINE: Rgb = [3, 6, 12];
const SELECTED_OUTLINE: Rgb = [255, 255, 255];

/** The markers as the layers draw them, computed once per change (not per animation frame). */
export interface CaseLayerData {
  /** Every marker, the selected one last so it is drawn on top of its neighbours. */
  markers: CaseMarker[];
  flashing: CaseMarker[];
  selectedId: string | null;
}

export function caseLayerData(markers: CaseMarker[], selectedId: string | null): CaseLayerData {
  const ordered = selectedId
    ? [...markers.filter((marker) => marker.id !== selectedId), ...markers.filter((marker) => marker.id === selectedId)]
    : markers;
  return { markers: ordered, flashing: markers.filter((marker) => marker.flashing), selectedId };
}

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
