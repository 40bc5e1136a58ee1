import type { FeatureCollection, Point } from 'geojson';
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { AreaChild } from '../api-client.ts';
import { areaChildren, inBatches } from '../areas/area-queries.ts';
import { handleError } from '../handle-error.ts';

/**
 * Area labels come from the API's label points, one per area, rather than from the polygons in
 * the tiles, which MapLibre would label once per tile a polygon crosses. Townships and villages
 * load with the county; grids and cells load for the villages and grids in view as the map
 * zooms in.
 */

/** Zoom from which the grids of the villages in view are labelled, and the cells of the grids in view. */
export const GRID_LABEL_MIN_ZOOM = 12;
export const CELL_LABEL_MIN_ZOOM = 14;
/** Start loading a level's labels half a zoom before they show. */
const PREFETCH_ZOOMS = 0.5;
/** At most this many parents are asked for their children per map move. */
const MAX_PARENTS_PER_MOVE = 40;

export interface AreaLabelProperties {
  code: string;
  name: string;
  level: string;
}

export function labelFeatures(areas: Iterable<AreaChild>): FeatureCollection<Point, AreaLabelProperties> {
  return {
    type: 'FeatureCollection',
    features: Array.from(areas, (area) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: area.labelPoint },
      properties: { code: area.code, name: area.name, level: area.level },
    })),
  };
}

/**
 * Grid and cell labels for what is in view: when the map settles at grid zoom, the children of the
 * villages in the loaded tiles are fetched (once each), and at cell zoom those of the grids.
 */
export class DetailLabels {
  private readonly childrenOf = new Map<string, AreaChild[] | 'loading'>();
  private destroyed = false;

  constructor(
    private readonly map: MapLibreMap,
    private readonly onChange: () => void,
  ) {
    map.on('idle', this.update);
  }

  destroy(): void {
    this.map.off('idle', this.update);
    this.destroyed = true;
  }

  /** Every grid and cell loaded so far. */
  *areas(): Generator<AreaChild> {
    for (const children of this.childrenOf.values()) if (children !== 'loading') yield* children;
  }

  private update = () => {
    const zoom = this.map.getZoom();
    const parents = new Set<string>();
    if (zoom >= GRID_LABEL_MIN_ZOOM - PREFETCH_ZOOMS) this.codesInTiles('village', parents);
    if (zoom >= CELL_LABEL_MIN_ZOOM - PREFETCH_ZOOMS) this.codesInTiles('grid', parents);
    const missing = [...parents].filter((code) => !this.childrenOf.has(code)).slice(0, MAX_PARENTS_PER_MOVE);
    if (missing.length === 0) return;
    for (const code of missing) this.childrenOf.set(code, 'loading');
    inBatches(missing, async (code) => {
      try {
        this.childrenOf.set(code, await areaChildren(code));
      } catch (error) {
        this.childrenOf.delete(code);
        throw error;
      }
    })
      .then(() => {
        if (!this.destroyed) this.onChange();
      })
      .catch(handleError);
  };

  private codesInTiles(level: 'village' | 'grid', into: Set<string>): void {
    if (!this.map.getSource(level)) return;
    for (const feature of this.map.querySourceFeatures(level, { sourceLayer: level })) {
      const code = feature.properties.code;
      if (typeof code === 'string') into.add(code);
    }
  }
}
