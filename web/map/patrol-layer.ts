import type { Layer } from '@deck.gl/core';
import { ScatterplotLayer } from '@deck.gl/layers';
import { freshnessOf } from '../../api/vocabulary/patrols.ts';
import { PATROL_FRESHNESS_COLORS } from './patrol-colors.ts';

/** A worker on patrol as the command map draws them: where their latest valid fix was, and when. */
export interface PatrolPoint {
  id: string;
  workerName: string;
  /** [lng, lat] WGS84. */
  position: [number, number];
  /** Epoch ms of the fix. */
  fixedAtMs: number;
}

const PATROL_LAYER = 'patrols-now';

/** One dot per worker out now, coloured by the age of their fix at `nowMs`, with a dark rim for the wall screen. */
export function patrolLayers(points: readonly PatrolPoint[], nowMs: number): Layer[] {
  return [
    new ScatterplotLayer<PatrolPoint>({
      id: PATROL_LAYER,
      data: points,
      getPosition: (point) => point.position,
      getFillColor: (point) => PATROL_FRESHNESS_COLORS[freshnessOf((nowMs - point.fixedAtMs) / 1000)],
      getLineColor: [3, 6, 12],
      stroked: true,
      lineWidthUnits: 'pixels',
      getLineWidth: 2,
      radiusUnits: 'pixels',
      getRadius: 9,
      updateTriggers: { getFillColor: Math.floor(nowMs / 15_000) },
      // Pickable for the browser tests, which find a worker's dot where it should be; no click handler reads it.
      pickable: true,
    }),
  ];
}
