import type { MapboxOverlay } from '@deck.gl/mapbox';
import type { Polygon, Position } from 'geojson';
import type { GeoJSONSource, MapGeoJSONFeature, MapMouseEvent, StyleSpecification } from 'maplibre-gl';
import './maplibre-setup.ts';
import { Map as MapLibreMap, NavigationControl } from 'maplibre-gl';
import type { AreaChild, Bbox } from '../api-client.ts';
import { handleError } from '../handle-error.ts';
import { DetailLabels, labelFeatures } from './area-labels.ts';
import type { LayerAccess } from './area-layers.ts';
import {
  builtInStyle,
  CLICKABLE_LAYERS,
  HOUSEHOLD_LAYER,
  LABEL_SOURCE,
  selectionLayerIds,
  withAreaLayers,
} from './area-layers.ts';
import { isTiledLevel, LEVEL_BANDS, levelOfCode, MAP_MAX_ZOOM, MAP_MIN_ZOOM } from './area-levels.ts';
import type { CaseLayerData, CaseMarker } from './case-markers.ts';
import { caseLayerData, LIVE_CASES_LAYER } from './case-markers.ts';
import { ControlZoneLayer } from './control-zone-layer.ts';
import type { DeckOverlay } from './deck-overlay.ts';
import type { Insets, ScreenRect } from './free-area.ts';
import { endSessionOnUnauthorized, isRequestFor } from './map-errors.ts';
import type { PatrolPoint } from './patrol-layer.ts';

declare global {
  interface Window {
    /** The map, for the browser tests and for debugging from the console. */
    __map?: MapLibreMap;
    /** The deck.gl overlay, for the browser tests (picking) and for debugging. */
    __deckOverlay?: MapboxOverlay;
  }
}

export interface CommandMapOptions {
  container: HTMLElement;
  /** An external MapLibre style to draw under the project's layers; null for the built-in basemap. */
  basemapStyleUrl: string | null;
  /** Where to look when the URL names no view: the account's scope, [west, south, east, north]. */
  initialBbox: Bbox | null;
  /** Layers the account may see (households need households.view). */
  access: LayerAccess;
  /** MapLibre keeps `map=zoom/lat/lng` in this hash parameter. */
  hashParam: string;
  onAreaClick: (code: string) => void;
  onZoomChange: (zoom: number) => void;
  /** A live case's dot was clicked. */
  onCaseClick?: (id: string) => void;
  /** The control zone being edited changed: its vertices so far, [lng, lat]. */
  onZoneEdit?: (vertices: Position[]) => void;
}

interface FeatureRef {
  source: string;
  sourceLayer?: string;
  id: string | number;
}

/** Milliseconds of one beacon pulse, from the label point out to the widest ring. */
const PULSE_PERIOD_MS = 1800;
/** The beacon needs no more than 30 frames a second; the rest of the frame budget stays with the map. */
const PULSE_FRAME_MS = 1000 / 30;
const PREFERS_REDUCED_MOTION = window.matchMedia('(prefers-reduced-motion: reduce)');

/**
 * The command view's map: MapLibre draws the areas from the project's vector tiles; deck.gl draws
 * the selection beacon and the household density on top. React talks to it through these methods
 * and hears back through the callbacks.
 */
export class CommandMap {
  readonly map: MapLibreMap;
  /** Null until the deck.gl chunk has loaded. */
  private deck: DeckOverlay | null = null;
  private destroyed = false;
  private hovered: FeatureRef | null = null;
  private selectedCode: string | null = null;
  private selectedLabelPoint: Position | null = null;
  private heatmapVillages: AreaChild[] | null = null;
  /** Townships and villages, labelled from the start. */
  private countyLabels: AreaChild[] = [];
  /** Grids and cells, labelled as they come into view. */
  private readonly detailLabels: DetailLabels;
  private animationFrame = 0;
  private zoomFrame = 0;
  private lastOverlayFrame = 0;
  /** True once the style (with its sources) is in place; tiles may still be loading. */
  private styleReady = false;
  /** Open cases, drawn by deck.gl; the selected one on top. */
  private cases: CaseLayerData = caseLayerData([], null);
  private caseMarkers: CaseMarker[] = [];
  private selectedCaseId: string | null = null;
  private patrols: readonly PatrolPoint[] = []; // workers on patrol now (web/patrols/use-live-patrols.ts)
  /** The selected case's control zone, and its editor. */
  readonly controlZone: ControlZoneLayer;
  /** Whether the user dragged, scrolled or zoomed the map since the last fit: framing then leaves the view alone. */
  private movedByHand = false;

  constructor(private readonly options: CommandMapOptions) {
    const { container, basemapStyleUrl, initialBbox, access } = options;
    this.map = new MapLibreMap({
      container,
      style: basemapStyleUrl ?? builtInStyle(access),
      ...(basemapStyleUrl ? { transformStyle: (_previous, next: StyleSpecification) => withAreaLayers(next, access) } : {}),
      hash: options.hashParam,
      minZoom: MAP_MIN_ZOOM,
      maxZoom: MAP_MAX_ZOOM,
      ...(initialBbox
        ? { bounds: initialBbox, fitBoundsOptions: { padding: { top: 110, right: 40, bottom: 40, left: 40 } } }
        : {}),
      attributionControl: false,
      dragRotate: false,
      pitchWithRotate: false,
      fadeDuration: 200,
    });
    this.map.touchZoomRotate.disableRotation();
    this.map.keyboard.disableRotation();
    this.map.addControl(new NavigationControl({ showCompass: false }), 'bottom-right');
    this.detailLabels = new DetailLabels(this.map, () => this.applyLabels());
    this.controlZone = new ControlZoneLayer(this.map, (vertices) => this.options.onZoneEdit?.(vertices));
    window.__map = this.map;
    import('./deck-overlay.ts')
      .then(({ attachDeckOverlay }) => {
        if (this.destroyed) return;
        this.deck = attachDeckOverlay(this.map);
        window.__deckOverlay = this.deck.overlay;
        this.renderOverlay();
      })
      .catch(handleError);

    this.map.on('mousemove', this.onMouseMove);
    this.map.on('mouseout', this.clearHover);
    this.map.on('click', this.onClick);
    this.map.on('zoom', this.onZoom);
    // MapLibre gives a move that a gesture started its originalEvent; fits and eases come without one.
    this.map.on('movestart', (event) => {
      if (event.originalEvent) this.movedByHand = true;
    });
    this.map.on('load', this.applyState);
    this.map.on('error', (event) => {
      if (endSessionOnUnauthorized(event.error)) return;
      handleError(event.error);
      // An external basemap that cannot be fetched must not leave the room without a map.
      if (basemapStyleUrl && !this.styleReady && isRequestFor(event.error, basemapStyleUrl)) {
        this.map.setStyle(builtInStyle(access), { diff: false, transformStyle: undefined });
      }
    });
    this.map.once('idle', () => {
      document.documentElement.dataset.mapReady = 'true';
    });
    options.onZoomChange(this.map.getZoom());
  }

  destroy(): void {
    this.destroyed = true;
    cancelAnimationFrame(this.animationFrame);
    cancelAnimationFrame(this.zoomFrame);
    this.detailLabels.destroy();
    this.controlZone.destroy();
    delete document.documentElement.dataset.mapReady;
    if (window.__map === this.map) delete window.__map;
    if (this.deck && window.__deckOverlay === this.deck.overlay) delete window.__deckOverlay;
    this.map.remove();
  }

  /** Outlines the area (feature-state `selected`) and puts the beacon on its label point once known. */
  setSelection(code: string | null, labelPoint: Position | null): void {
    if (code !== this.selectedCode) {
      this.paintSelection(this.selectedCode, false);
      this.selectedCode = code;
      this.paintSelection(code, true);
    }
    this.selectedLabelPoint = code ? labelPoint : null;
    this.renderOverlay();
  }

  /**
   * Flies to [west, south, east, north], leaving `padding` pixels free (the panels over the map,
   * see web/command/map-framing.ts); `animate: false` jumps.
   */
  fitBbox(bbox: Bbox, padding: Insets, options: { animate?: boolean } = {}): void {
    const [west, south, east, north] = bbox;
    this.movedByHand = false;
    const animate = (options.animate ?? true) && !PREFERS_REDUCED_MOTION.matches;
    this.map.fitBounds(
      [
        [west, south],
        [east, north],
      ],
      { padding, maxZoom: 17, duration: animate ? 1400 : 0, essential: true },
    );
  }

  /** True when the user moved the map by hand (drag, wheel, pinch, keys) since the last fit or `forgetHandMoves`. */
  movedByHandSinceFit(): boolean {
    return this.movedByHand;
  }

  forgetHandMoves(): void {
    this.movedByHand = false;
  }

  /** Where [west, south, east, north] lies on the screen now, in pixels of the map's container. */
  screenBoundsOf([west, south, east, north]: Bbox): ScreenRect {
    const northWest = this.map.project([west, north]);
    const southEast = this.map.project([east, south]);
    return {
      left: Math.min(northWest.x, southEast.x),
      top: Math.min(northWest.y, southEast.y),
      right: Math.max(northWest.x, southEast.x),
      bottom: Math.max(northWest.y, southEast.y),
    };
  }

  /** The map's container on the page (CSS pixels): obstacles are measured against it. */
  containerRect(): DOMRect {
    return this.map.getContainer().getBoundingClientRect();
  }

  /** Whether a camera animation (a fit, an ease, a gesture's inertia) is running. */
  isMoving(): boolean {
    return this.map.isMoving();
  }

  zoomTo(zoom: number): void {
    this.map.easeTo({ zoom, duration: PREFERS_REDUCED_MOTION.matches ? 0 : 600 });
  }

  /** Labels the townships and villages (grids and cells follow by themselves as they come into view). */
  setCountyLabels(areas: AreaChild[]): void {
    this.countyLabels = areas;
    this.applyLabels();
  }

  /** Shows the household density of the given villages, or hides it with null. */
  setHeatmap(villages: AreaChild[] | null): void {
    this.heatmapVillages = villages;
    this.renderOverlay();
  }

  /** The open cases to draw; flashing ones pulse until taken. */
  /** Workers on patrol now, coloured by the age of their fix. */
  setPatrols(points: readonly PatrolPoint[]): void {
    this.patrols = points;
    this.renderOverlay();
  }

  setCases(markers: CaseMarker[]): void {
    this.caseMarkers = markers;
    this.cases = caseLayerData(markers, this.selectedCaseId);
    this.renderOverlay();
  }

  /** Marks the case whose panel is open (white outline, drawn on top), and shows its control zone. */
  setSelectedCase(id: string | null, zone: Polygon | null): void {
    if (id !== this.selectedCaseId) {
      this.selectedCaseId = id;
      this.cases = caseLayerData(this.caseMarkers, id);
      this.renderOverlay();
    }
    if (this.controlZone.editMode() === 'view' || !id) this.controlZone.show(id ? zone : null);
  }

  /**
   * Centres a point in the part of the map the panels leave free (`padding`, pixels), zooming in
   * to `minZoom` if the map is further out. An offset, not MapLibre's camera padding, which would
   * stay and shift every later fit.
   */
  showPoint([lng, lat]: [number, number], minZoom: number, padding: Insets): void {
    this.movedByHand = false;
    this.map.easeTo({
      center: [lng, lat],
      zoom: Math.max(this.map.getZoom(), minZoom),
      offset: [(padding.left - padding.right) / 2, (padding.top - padding.bottom) / 2],
      duration: PREFERS_REDUCED_MOTION.matches ? 0 : 900,
      essential: true,
    });
  }

  private applyState = () => {
    this.styleReady = true;
    this.applyLabels();
    this.paintSelection(this.selectedCode, true);
  };

  private applyLabels(): void {
    if (!this.styleReady) return;
    const areas = [...this.countyLabels, ...this.detailLabels.areas()];
    this.map.getSource<GeoJSONSource>(LABEL_SOURCE)?.setData(labelFeatures(areas));
    // Feature-state survives setData, but set it again in case the selected label just arrived.
    this.paintSelection(this.selectedCode, true);
  }

  /**
   * Sets feature-state `selected` on the area in its level's tiles and on its label point, and
   * shows the outline layers of that level only.
   */
  private paintSelection(code: string | null, selected: boolean): void {
    if (!this.styleReady) return;
    const level = code ? levelOfCode(code) : null;
    if (selected) {
      for (const band of LEVEL_BANDS) {
        const visibility = band.level === level ? 'visible' : 'none';
        for (const id of selectionLayerIds(band.level)) this.map.setLayoutProperty(id, 'visibility', visibility);
      }
    }
    if (!code) return;
    if (isTiledLevel(level)) this.map.setFeatureState({ source: level, sourceLayer: level, id: code }, { selected });
    this.map.setFeatureState({ source: LABEL_SOURCE, id: code }, { selected });
  }

  /**
   * deck.gl layers: the density below, then the live cases, the beacon on top; the beacon and the
   * alarm rings of reports nobody has taken animate.
   */
  private renderOverlay = () => {
    cancelAnimationFrame(this.animationFrame);
    if (!this.deck) return;
    this.lastOverlayFrame = performance.now();
    const labelPoint = this.selectedLabelPoint;
    const animate = (labelPoint !== null || this.cases.flashing.length > 0) && !PREFERS_REDUCED_MOTION.matches;
    const phase = animate ? (this.lastOverlayFrame % PULSE_PERIOD_MS) / PULSE_PERIOD_MS : 0.3;
    this.deck.render({
      zoom: this.map.getZoom(),
      heatmapVillages: this.heatmapVillages,
      cases: this.cases,
      casePhase: phase,
      patrols: this.patrols,
      pulse: labelPoint ? { labelPoint, phase } : null,
    });
    if (animate) this.animationFrame = requestAnimationFrame(this.nextPulseFrame);
  };

  private nextPulseFrame = (now: number) => {
    if (now - this.lastOverlayFrame >= PULSE_FRAME_MS) this.renderOverlay();
    else this.animationFrame = requestAnimationFrame(this.nextPulseFrame);
  };

  private featureAt(event: MapMouseEvent): MapGeoJSONFeature | undefined {
    if (!this.styleReady) return undefined;
    const layers = CLICKABLE_LAYERS.filter((id) => this.map.getLayer(id));
    return this.map.queryRenderedFeatures(event.point, { layers })[0];
  }

  /** The live case whose dot is under the pointer, if any. */
  private caseAt(event: MapMouseEvent): string | null {
    if (!this.deck || this.cases.markers.length === 0) return null;
    const picked = this.deck.overlay.pickObject({ x: event.point.x, y: event.point.y, radius: 6, layerIds: [LIVE_CASES_LAYER] });
    const marker = picked?.object as CaseMarker | undefined;
    return marker?.id ?? null;
  }

  private onMouseMove = (event: MapMouseEvent) => {
    if (this.caseAt(event)) {
      this.clearHover();
      this.map.getCanvas().style.cursor = 'pointer';
      return;
    }
    const feature = this.featureAt(event);
    const next: FeatureRef | null =
      feature?.id === undefined ? null : { source: feature.source, sourceLayer: feature.sourceLayer, id: feature.id };
    if (next && this.hovered && next.id === this.hovered.id && next.source === this.hovered.source) return;
    this.clearHover();
    this.map.getCanvas().style.cursor = next ? 'pointer' : '';
    if (!next) return;
    this.hovered = next;
    this.map.setFeatureState(next, { hover: true });
  };

  private clearHover = () => {
    if (!this.hovered) return;
    if (this.map.getSource(this.hovered.source)) this.map.setFeatureState(this.hovered, { hover: false });
    this.hovered = null;
    this.map.getCanvas().style.cursor = '';
  };

  private onClick = (event: MapMouseEvent) => {
    if (this.controlZone.handleClick(event.lngLat)) return;
    const caseId = this.caseAt(event);
    if (caseId) {
      this.options.onCaseClick?.(caseId);
      return;
    }
    const feature = this.featureAt(event);
    if (!feature) return;
    const code = feature.layer.id === HOUSEHOLD_LAYER ? feature.properties.cell_code : feature.properties.code;
    if (typeof code === 'string' && code) this.options.onAreaClick(code);
  };

  private onZoom = () => {
    cancelAnimationFrame(this.zoomFrame);
    this.zoomFrame = requestAnimationFrame(() => {
      this.options.onZoomChange(this.map.getZoom());
      if (this.heatmapVillages && !this.selectedLabelPoint && this.cases.flashing.length === 0) this.renderOverlay();
    });
  };
}
