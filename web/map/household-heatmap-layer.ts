import { HeatmapLayer } from '@deck.gl/aggregation-layers';
import type { Layer } from '@deck.gl/core';
import type { AreaChild } from '../api-client.ts';

const HOUSEHOLD_HEATMAP_LAYER = 'household-heatmap';

/** Above this zoom the village-level points are too far apart to read as a density; households show as points instead. */
export const HEATMAP_MAX_ZOOM = 12.5;

/** Deep blue (sparse) to warm red (dense), transparent at the low end so the map shows through. */
const DENSITY_COLORS: [number, number, number, number][] = [
  [24, 64, 140, 0],
  [40, 120, 200, 130],
  [80, 190, 210, 170],
  [250, 230, 120, 200],
  [250, 150, 70, 220],
  [230, 60, 50, 235],
];

/**
 * Household density: each village or community's label point weighted by the square root of its
 * households, so that the dense urban core does not wash the countryside out of the colour scale.
 */
export function householdHeatmapLayer(villages: AreaChild[]): Layer {
  return new HeatmapLayer<AreaChild>({
    id: HOUSEHOLD_HEATMAP_LAYER,
    data: villages,
    getPosition: (village) => village.labelPoint,
    getWeight: (village) => Math.sqrt(village.households),
    radiusPixels: 60,
    intensity: 3,
    threshold: 0.03,
    colorRange: DENSITY_COLORS,
    opacity: 0.75,
    debounceTimeout: 100,
  });
}
