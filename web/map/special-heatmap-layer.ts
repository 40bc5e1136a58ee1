import { HeatmapLayer } from '@deck.gl/aggregation-layers';
import type { Layer } from '@deck.gl/core';
import { PathLayer, PolygonLayer } from '@deck.gl/layers';
import { MapboxOverlay } from '@deck.gl/mapbox';
import type { IControl, Map as MapLibreMap } from 'maplibre-gl';
import { type HexSize, hexagonRing } from '../../geo/hexagons.ts';
import type { LngLat } from '../../geo/types.ts';
import { SUPPRESSED_COLOR, VALUE_COLORS } from './special-heatmap-colors.ts';

type Rgba = [number, number, number, number];

const HATCH_COLOR: Rgba = [200, 205, 214, 200];
/** Hatch lines per hexagon width. */
const HATCH_LINES = 7;

export interface HexFigure {
  unit: string;
  value: number | null;
}

interface Hexagon {
  figure: HexFigure;
  ring: LngLat[];
}

/** The colour class (0 … 4) of `value` against the largest shown value. */
function classOf(value: number, max: number): number {
  if (max <= 0) return 0;
  return Math.min(VALUE_COLORS.length - 1, Math.floor((value / max) * VALUE_COLORS.length));
}

/**
 * Diagonal segments across a convex ring (lines x − y = k, clipped): the hatching of a suppressed
 * hexagon, since deck.gl fills have no pattern without an extension.
 */
function hatchOf(ring: LngLat[]): LngLat[][] {
  const values = ring.map(([x, y]) => x - y);
  const low = Math.min(...values);
  const high = Math.max(...values);
  const segments: LngLat[][] = [];
  for (let line = 1; line < HATCH_LINES; line++) {
    const k = low + ((high - low) * line) / HATCH_LINES;
    const crossings: LngLat[] = [];
    for (let index = 0; index < ring.length - 1; index++) {
      const [ax, ay] = ring[index]!;
      const [bx, by] = ring[index + 1]!;
      const da = ax - ay - k;
      const db = bx - by - k;
      if (da === db || da * db > 0) continue;
      const t = da / (da - db);
      crossings.push([ax + (bx - ax) * t, ay + (by - ay) * t]);
    }
    if (crossings.length >= 2) segments.push([crossings[0]!, crossings[1]!]);
  }
  return segments;
}

/** The deck.gl layers of a heatmap answer: coloured hexagons, hatched grey where suppressed, and points where given. */
function heatmapLayers(figures: readonly HexFigure[], size: HexSize, points: readonly LngLat[] | null): Layer[] {
  const hexagons: Hexagon[] = figures.map((figure) => ({ figure, ring: hexagonRing(figure.unit, size) }));
  const max = Math.max(0, ...figures.map((figure) => figure.value ?? 0));
  const hatches = hexagons.filter((hexagon) => hexagon.figure.value === null).flatMap((hexagon) => hatchOf(hexagon.ring));
  const layers: Layer[] = [
    new PolygonLayer<Hexagon>({
      id: 'special-hexagons',
      data: hexagons,
      getPolygon: (hexagon) => hexagon.ring,
      getFillColor: (hexagon) =>
        hexagon.figure.value === null ? SUPPRESSED_COLOR : (VALUE_COLORS[classOf(hexagon.figure.value, max)] ?? SUPPRESSED_COLOR),
      getLineColor: [20, 24, 32, 160],
      lineWidthMinPixels: 1,
      stroked: true,
      pickable: false,
      updateTriggers: { getFillColor: [max] },
    }),
    new PathLayer<LngLat[]>({
      id: 'special-hexagon-hatches',
      data: hatches,
      getPath: (segment) => segment,
      getColor: HATCH_COLOR,
      widthMinPixels: 1.5,
    }),
  ];
  if (points && points.length > 0) {
    layers.push(
      new HeatmapLayer<LngLat>({
        id: 'special-points',
        data: points,
        getPosition: (point) => point,
        radiusPixels: 30,
        intensity: 1.5,
        threshold: 0.05,
      }),
    );
  }
  return layers;
}

/**
 * The special-population heatmap on its own deck.gl canvas over the map (`interleaved: false`, as
 * deck-overlay.ts explains), so that switching it does not touch the command overlay's frame loop.
 */
export class SpecialHeatmapOverlay {
  private readonly overlay = new MapboxOverlay({ interleaved: false, layers: [] as Layer[] });

  constructor(private readonly map: MapLibreMap) {
    map.addControl(this.overlay as unknown as IControl);
  }

  show(answer: { figures: readonly HexFigure[]; size: HexSize; points: readonly LngLat[] | null } | null): void {
    this.overlay.setProps({ layers: answer ? heatmapLayers(answer.figures, answer.size, answer.points) : [] });
  }

  remove(): void {
    this.map.removeControl(this.overlay as unknown as IControl);
  }
}
