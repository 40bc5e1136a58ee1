import type { Layer } from '@deck.gl/core';
import { MapboxOverlay } from '@deck.gl/mapbox';
import type { Position } from 'geojson';
import type { IControl, Map as MapLibreMap } from 'maplibre-gl';
import type { AreaChild } from '../api-client.ts';
import type { CaseLayerData } from './case-markers.ts';
import { HEATMAP_MAX_ZOOM, householdHeatmapLayer } from './household-heatmap-layer.ts';
import { liveCaseLayers } from './live-cases-layer.ts';
import { type PatrolPoint, patrolLayers } from './patrol-layer.ts';
import { selectionPulseLayers } from './selection-pulse-layer.ts';

/** What the deck.gl overlay draws this frame. */
interface OverlayState {
  zoom: number;
  /** Villages whose household density to draw, or null when the heatmap is off. */
  heatmapVillages: AreaChild[] | null;
  /** Open cases, and the phase (0 → 1) of the rings around those nobody has taken yet. */
  cases: CaseLayerData;
  casePhase: number;
  /** Workers on patrol now, under the cases. */
  patrols: readonly PatrolPoint[];
  /** The selected area's label point and the beacon's phase (0 → 1), or null with nothing selected. */
  pulse: { labelPoint: Position; phase: number } | null;
}

export interface DeckOverlay {
  overlay: MapboxOverlay;
  render: (state: OverlayState) => void;
}

/**
 * deck.gl over MapLibre, for the heavy overlays (heatmaps, tracks, live points). It draws on its
 * own canvas above the map (`interleaved: false`): deck.gl 9.4's interleaved mode reads
 * MapLibre internals that MapLibre 6 moved, and the map then never loads. This module is loaded
 * on its own, after the map, so deck.gl does not delay the first map frame.
 */
export function attachDeckOverlay(map: MapLibreMap): DeckOverlay {
  const overlay = new MapboxOverlay({ interleaved: false, layers: [] as Layer[] });
  map.addControl(overlay as unknown as IControl);
  return {
    overlay,
    render: ({ zoom, heatmapVillages, cases, casePhase, patrols, pulse }) => {
      const layers: Layer[] = [];
      if (heatmapVillages && zoom < HEATMAP_MAX_ZOOM) layers.push(householdHeatmapLayer(heatmapVillages));
      if (patrols.length > 0) layers.push(...patrolLayers(patrols, Date.now()));
      if (cases.markers.length > 0) layers.push(...liveCaseLayers(cases, casePhase));
      if (pulse) layers.push(...selectionPulseLayers(pulse.labelPoint, pulse.phase));
      overlay.setProps({ layers });
    },
  };
}
