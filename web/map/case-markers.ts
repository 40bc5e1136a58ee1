/**
 * Id of the deck.gl layer of open cases (live-cases-layer.ts), here so the map can pick it without
 * loading deck.gl; the lists, legend and case pages share the lights below the same way.
 */
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

export type Rgb = [number, number, number];

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
