import { circle } from '@turf/turf';
import type { Feature, FeatureCollection, Point, Polygon } from 'geojson';
import type { GeoJSONSource, LayerSpecification, MapMouseEvent, StyleSpecification } from 'maplibre-gl';
import '../map/maplibre-setup.ts';
import { Map as MapLibreMap, NavigationControl } from 'maplibre-gl';
import type { AreaChild, Bbox } from '../api-client.ts';
import { areaChildren } from '../areas/area-queries.ts';
import { DetailLabels, labelFeatures } from '../map/area-labels.ts';
import { builtInStyle, LABEL_SOURCE, selectionLayerIds } from '../map/area-layers.ts';
import { isTiledLevel, levelOfCode, MAP_MAX_ZOOM, MAP_MIN_ZOOM } from '../map/area-levels.ts';
import { endSessionOnUnauthorized } from '../map/map-errors.ts';

declare global {
  interface Window {
    /** The field page's map, for the browser tests and for debugging from the console. */
    __fieldMap?: MapLibreMap;
  }
}

const PLACE_SOURCE = 'report-place';
/** Zoom to show a place at: the cell around it and its neighbours, with their names. */
const PLACE_ZOOM = 14.5;
/** The outline of the account's own area (its cell, grid, village or township), so the reporter sees where it ends. */
const SCOPE_OUTLINE = { glow: '#f6b73c', line: '#b35c00' } as const;

/**
 * The command map's style (the project's own tiles and fonts, nothing from outside) redrawn for a
 * phone in sunlight: a pale ground, the same area colours lighter, dark lines and dark labels on a
 * white halo, and the account's own area outlined in orange. Households are left out: the reporter
 * needs the cells, and each household tile read is an audited look at personal data.
 */
function sunlightStyle(scopeCode: string): StyleSpecification {
  const style = builtInStyle({ households: false });
  const scopeLevel = levelOfCode(scopeCode);
  const scopeOutline = isTiledLevel(scopeLevel) ? selectionLayerIds(scopeLevel) : [];
  const layers = style.layers.map((layer): LayerSpecification => {
    if (layer.type === 'line' && scopeOutline.includes(layer.id)) {
      const glow = layer.id.endsWith('-glow');
      return {
        ...layer,
        layout: { ...layer.layout, visibility: 'visible' },
        paint: { ...layer.paint, 'line-color': glow ? SCOPE_OUTLINE.glow : SCOPE_OUTLINE.line },
      } as LayerSpecification;
    }
    if (layer.id === 'background') return { ...layer, paint: { 'background-color': '#dfe6ee' } } as LayerSpecification;
    if (layer.id === 'land') return { ...layer, paint: { ...layer.paint, 'fill-color': '#f8f6f0' } } as LayerSpecification;
    if (layer.id === 'county-glow')
      return { ...layer, paint: { ...layer.paint, 'line-color': '#2f6db0', 'line-opacity': 0.3 } } as LayerSpecification;
    if (layer.id === 'county-edge')
      return { ...layer, paint: { ...layer.paint, 'line-color': '#1f4f86', 'line-width': 3 } } as LayerSpecification;
    if (layer.type === 'fill' && layer.id.endsWith('-fill')) {
      return { ...layer, paint: { ...layer.paint, 'fill-opacity': 0.26 } } as LayerSpecification;
    }
    if (layer.type === 'line' && layer.id.endsWith('-line') && !layer.id.includes('selection')) {
      return { ...layer, paint: { ...layer.paint, 'line-color': '#34465e' } } as LayerSpecification;
    }
    if (layer.type === 'line' && layer.id.endsWith('-hover'))
      return { ...layer, layout: { visibility: 'none' } } as LayerSpecification;
    if (layer.type === 'symbol') {
      return {
        ...layer,
        paint: { ...layer.paint, 'text-color': '#17212e', 'text-halo-color': '#ffffff', 'text-halo-width': 2 },
      } as LayerSpecification;
    }
    return layer;
  });
  return {
    ...style,
    name: 'grid-command-field',
    sources: {
      ...style.sources,
      [PLACE_SOURCE]: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
    },
    layers: [
      ...layers,
      {
        id: 'place-accuracy-fill',
        type: 'fill',
        source: PLACE_SOURCE,
        filter: ['==', ['geometry-type'], 'Polygon'],
        paint: { 'fill-color': '#1a73e8', 'fill-opacity': 0.14 },
      },
      {
        id: 'place-accuracy-line',
        type: 'line',
        source: PLACE_SOURCE,
        filter: ['==', ['geometry-type'], 'Polygon'],
        paint: { 'line-color': '#1a73e8', 'line-width': 1.5, 'line-opacity': 0.8 },
      },
      {
        id: 'place-point',
        type: 'circle',
        source: PLACE_SOURCE,
        filter: ['==', ['geometry-type'], 'Point'],
        paint: {
          'circle-color': '#d93025',
          'circle-radius': 9,
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 3,
        },
      },
    ],
  };
}

function placeFeatures(position: [number, number] | null, accuracyM: number | null): FeatureCollection<Point | Polygon> {
  if (!position) return { type: 'FeatureCollection', features: [] };
  const features: Feature<Point | Polygon>[] = [];
  if (accuracyM !== null && accuracyM > 0) features.push(circle(position, accuracyM / 1000, { steps: 64, units: 'kilometers' }));
  features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: position }, properties: {} });
  return { type: 'FeatureCollection', features };
}

export interface FieldMapOptions {
  container: HTMLElement;
  /** Where to look first: [west, south, east, north]; null leaves the view for `fitBbox`. */
  initialBbox: Bbox | null;
  /** A place already chosen (a restored draft): the map opens on it. WGS84 [lng, lat]. */
  initialPlace: [number, number] | null;
  /** The account's scope: the villages of its township are labelled. */
  scopeCode: string;
  /** A tap on the map, at [lng, lat] WGS84. */
  onTap: (position: [number, number]) => void;
}

/**
 * The small map of the report form: the areas and their names from the project's own tiles,
 * a tap places the report, and the chosen place shows as a red point with the phone's accuracy
 * circle around it. Without network the tiles stay blank, and a tap still places the point.
 */
export class FieldMap {
  readonly map: MapLibreMap;
  private readonly detailLabels: DetailLabels;
  private destroyed = false;
  private countyLabels: AreaChild[] = [];
  private place: { position: [number, number] | null; accuracyM: number | null } = { position: null, accuracyM: null };
  private styleReady = false;

  constructor(private readonly options: FieldMapOptions) {
    const { container, initialBbox, initialPlace } = options;
    this.map = new MapLibreMap({
      container,
      style: sunlightStyle(options.scopeCode),
      minZoom: MAP_MIN_ZOOM,
      maxZoom: MAP_MAX_ZOOM,
      ...(initialPlace
        ? { center: initialPlace, zoom: PLACE_ZOOM }
        : initialBbox
          ? { bounds: initialBbox, fitBoundsOptions: { padding: 16 } }
          : {}),
      attributionControl: false,
      dragRotate: false,
      pitchWithRotate: false,
    });
    this.map.touchZoomRotate.disableRotation();
    this.map.keyboard.disableRotation();
    this.map.addControl(new NavigationControl({ showCompass: false }), 'bottom-right');
    this.detailLabels = new DetailLabels(this.map, () => this.applyLabels());
    window.__fieldMap = this.map;
    this.map.on('click', (event: MapMouseEvent) => options.onTap([event.lngLat.lng, event.lngLat.lat]));
    this.map.on('load', () => {
      this.styleReady = true;
      this.applyLabels();
      this.applyPlace();
      const scopeLevel = levelOfCode(options.scopeCode);
      if (isTiledLevel(scopeLevel)) {
        this.map.setFeatureState({ source: scopeLevel, sourceLayer: scopeLevel, id: options.scopeCode }, { selected: true });
      }
    });
    this.map.on('error', (event) => {
      // Tiles missing offline are expected here (the form works without them); only a lost session matters.
      endSessionOnUnauthorized(event.error);
    });
    this.map.once('idle', () => {
      document.documentElement.dataset.fieldMapReady = 'true';
    });
    this.loadAreaLabels().catch(() => {
      // Offline: the areas stay unnamed until the next visit.
    });
  }

  destroy(): void {
    this.destroyed = true;
    this.detailLabels.destroy();
    delete document.documentElement.dataset.fieldMapReady;
    if (window.__fieldMap === this.map) delete window.__fieldMap;
    this.map.remove();
  }

  /** Shows the chosen place (WGS84) and the accuracy circle, or clears them. */
  setPlace(position: [number, number] | null, accuracyM: number | null): void {
    this.place = { position, accuracyM };
    this.applyPlace();
  }

  /** Brings a place into view, wide enough for its accuracy circle. */
  showPlace(position: [number, number], accuracyM: number | null): void {
    const instant = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    if (accuracyM !== null && accuracyM > 150) {
      const [west, south, east, north] = circleBbox(position, accuracyM);
      this.map.fitBounds(
        [
          [west, south],
          [east, north],
        ],
        { padding: 24, maxZoom: PLACE_ZOOM, duration: instant ? 0 : 800 },
      );
      return;
    }
    this.map.easeTo({ center: position, zoom: Math.max(this.map.getZoom(), PLACE_ZOOM), duration: instant ? 0 : 800 });
  }

  fitBbox([west, south, east, north]: Bbox): void {
    this.map.fitBounds(
      [
        [west, south],
        [east, north],
      ],
      { padding: 16, duration: 0 },
    );
  }

  private applyPlace(): void {
    if (!this.styleReady) return;
    this.map.getSource<GeoJSONSource>(PLACE_SOURCE)?.setData(placeFeatures(this.place.position, this.place.accuracyM));
  }

  /** Townships of the county and the villages of the account's township; grids and cells follow as they come into view. */
  private async loadAreaLabels(): Promise<void> {
    const { scopeCode } = this.options;
    const townships = await areaChildren(scopeCode.slice(0, 6), true);
    const villages = scopeCode.length >= 9 ? await areaChildren(scopeCode.slice(0, 9), true) : [];
    if (this.destroyed) return;
    this.countyLabels = [...townships, ...villages];
    this.applyLabels();
  }

  private applyLabels(): void {
    if (!this.styleReady) return;
    const areas = [...this.countyLabels, ...this.detailLabels.areas()];
    this.map.getSource<GeoJSONSource>(LABEL_SOURCE)?.setData(labelFeatures(areas));
  }
}

/** [west, south, east, north] of a circle of `radiusM` metres around [lng, lat]. */
function circleBbox([lng, lat]: [number, number], radiusM: number): Bbox {
  const dLat = radiusM / 111_320;
  const dLng = radiusM / (111_320 * Math.cos((lat * Math.PI) / 180));
  return [lng - dLng, lat - dLat, lng + dLng, lat + dLat];
}
