import type { Layer } from '@deck.gl/core';
import { ScatterplotLayer } from '@deck.gl/layers';
import type { Position } from 'geojson';

const SELECTION_PULSE_LAYER = 'selection-pulse';

interface PulsePoint {
  /** [lng, lat] of the selected area's label point. */
  position: Position;
}

const CORE_COLOR: [number, number, number] = [255, 210, 74];
const HALO_COLOR: [number, number, number] = [3, 6, 12];

/**
 * A beacon on the selected area's label point, so the eye finds it on a wall screen from across
 * the room: a solid core and a ring that widens and fades once per period. `phase` runs 0 → 1.
 */
export function selectionPulseLayers(labelPoint: Position, phase: number): Layer[] {
  const data: PulsePoint[] = [{ position: labelPoint }];
  const getPosition = (point: PulsePoint) => point.position as [number, number];
  return [
    new ScatterplotLayer<PulsePoint>({
      id: `${SELECTION_PULSE_LAYER}-ring`,
      data,
      getPosition,
      radiusUnits: 'pixels',
      getRadius: 10,
      radiusScale: 1 + 3.2 * phase,
      stroked: true,
      filled: false,
      lineWidthUnits: 'pixels',
      getLineWidth: 3,
      getLineColor: CORE_COLOR,
      opacity: 0.95 * (1 - phase),
      pickable: false,
    }),
    new ScatterplotLayer<PulsePoint>({
      id: SELECTION_PULSE_LAYER,
      data,
      getPosition,
      radiusUnits: 'pixels',
      getRadius: 7,
      stroked: true,
      lineWidthUnits: 'pixels',
      getLineWidth: 2,
      getFillColor: CORE_COLOR,
      getLineColor: HALO_COLOR,
      pickable: true,
    }),
  ];
}
