import type { Feature, FeatureCollection, Point, Polygon, Position } from 'geojson';
import type {
  GeoJSONSource,
  LayerSpecification,
  MapLayerMouseEvent,
  MapLayerTouchEvent,
  Map as MapLibreMap,
  PaddingOptions,
} from 'maplibre-gl';
import { LngLatBounds } from 'maplibre-gl';

const ZONE_SOURCE = 'control-zone';
const VERTEX_SOURCE = 'control-zone-vertices';
const ZONE_FILL_LAYER = 'control-zone-fill';
const ZONE_LINE_LAYER = 'control-zone-line';
const ZONE_VERTEX_LAYER = 'control-zone-vertex';

/** A default circle arrives with many vertices; editing offers at most this many handles. */
const MAX_HANDLES = 16;
const ZONE_COLOR = '#ff5a5f';

/** What the editor is doing: showing a zone, moving its vertices, or placing new ones click by click. */
export type ZoneEditMode = 'view' | 'edit' | 'draw';

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

/** The open ring (first vertex not repeated), at most `MAX_HANDLES` evenly picked vertices. */
function handlesOf(polygon: Polygon): Position[] {
  const ring = polygon.coordinates[0] ?? [];
  const open =
    ring.length > 1 && ring[0]?.[0] === ring.at(-1)?.[0] && ring[0]?.[1] === ring.at(-1)?.[1] ? ring.slice(0, -1) : ring;
  if (open.length <= MAX_HANDLES) return open.map((position) => [position[0]!, position[1]!]);
  const step = open.length / MAX_HANDLES;
  return Array.from({ length: MAX_HANDLES }, (_, index) => {
    const position = open[Math.floor(index * step)]!;
    return [position[0]!, position[1]!];
  });
}

/** A closed GeoJSON polygon of [lng, lat] vertices; null with fewer than three. */
function polygonOf(vertices: Position[]): Polygon | null {
  if (vertices.length < 3) return null;
  const first = vertices[0]!;
  return { type: 'Polygon', coordinates: [[...vertices, [first[0]!, first[1]!]]] };
}

/**
 * The selected case's control zone on the map (MapLibre layers above the areas), and a simple
 * editor for it: drag a vertex to move it, or start afresh and click to place vertices one by
 * one. The map stays pannable while editing; only a press on a vertex drags it.
 */
export class ControlZoneLayer {
  private zone: Polygon | null = null;
  private vertices: Position[] = [];
  private mode: ZoneEditMode = 'view';
  private dragging: number | null = null;

  constructor(
    private readonly map: MapLibreMap,
    /** Hears of every change while editing: the vertices so far. */
    private readonly onEdit: (vertices: Position[]) => void,
  ) {
    // 'style.load' again after a style change (the built-in basemap replacing a failed external one).
    map.on('style.load', this.ensureLayers);
    map.on('load', this.ensureLayers);
    map.on('mousedown', ZONE_VERTEX_LAYER, this.onVertexDown);
    map.on('touchstart', ZONE_VERTEX_LAYER, this.onVertexDown);
    map.on('mouseenter', ZONE_VERTEX_LAYER, this.onVertexEnter);
    map.on('mouseleave', ZONE_VERTEX_LAYER, this.onVertexLeave);
  }

  destroy(): void {
    this.map.off('style.load', this.ensureLayers);
    this.map.off('load', this.ensureLayers);
    this.map.off('mousedown', ZONE_VERTEX_LAYER, this.onVertexDown);
    this.map.off('touchstart', ZONE_VERTEX_LAYER, this.onVertexDown);
    this.map.off('mouseenter', ZONE_VERTEX_LAYER, this.onVertexEnter);
    this.map.off('mouseleave', ZONE_VERTEX_LAYER, this.onVertexLeave);
    this.endDrag();
  }

  editMode(): ZoneEditMode {
    return this.mode;
  }

  /** Shows a zone (or none), leaving any edit. */
  show(zone: Polygon | null): void {
    this.zone = zone;
    this.mode = 'view';
    this.vertices = [];
    this.endDrag();
    this.paint();
  }

  /**
   * Edits the shown zone: its vertices become handles, and the map frames the zone (leaving
   * `padding` pixels free for the panels) so the handles are far enough apart to grab.
   */
  startEdit(padding: PaddingOptions): void {
    this.mode = 'edit';
    this.vertices = this.zone ? handlesOf(this.zone) : [];
    this.paint();
    this.onEdit(this.vertices);
    if (this.vertices.length === 0) return;
    const bounds = new LngLatBounds();
    for (const [lng, lat] of this.vertices) bounds.extend([lng!, lat!]);
    this.map.fitBounds(bounds, { padding, maxZoom: 17, duration: 0 });
  }

  /** Forgets the vertices: each click on the map now places the next one. */
  startDraw(): void {
    this.mode = 'draw';
    this.vertices = [];
    this.paint();
    this.onEdit(this.vertices);
  }

  /** Back to the zone as it was before editing. */
  cancelEdit(): void {
    this.show(this.zone);
  }

  /** The edited zone, or null with fewer than three vertices. */
  editedZone(): Polygon | null {
    return polygonOf(this.vertices);
  }

  /** A click on the map while drawing places a vertex; returns whether the click was used. */
  handleClick(lngLat: { lng: number; lat: number }): boolean {
    if (this.mode !== 'draw') return this.mode === 'edit';
    this.vertices = [...this.vertices, [lngLat.lng, lngLat.lat]];
    this.paint();
    this.onEdit(this.vertices);
    return true;
  }

  private ensureLayers = () => {
    if (this.map.getSource(ZONE_SOURCE)) return;
    this.map.addSource(ZONE_SOURCE, { type: 'geojson', data: EMPTY });
    this.map.addSource(VERTEX_SOURCE, { type: 'geojson', data: EMPTY });
    const layers: LayerSpecification[] = [
      {
        id: ZONE_FILL_LAYER,
        type: 'fill',
        source: ZONE_SOURCE,
        paint: { 'fill-color': ZONE_COLOR, 'fill-opacity': ['case', ['get', 'editing'], 0.22, 0.16] },
      },
      {
        id: ZONE_LINE_LAYER,
        type: 'line',
        source: ZONE_SOURCE,
        layout: { 'line-join': 'round' },
        paint: { 'line-color': ZONE_COLOR, 'line-width': 3, 'line-dasharray': [2, 1.2] },
      },
      {
        id: ZONE_VERTEX_LAYER,
        type: 'circle',
        source: VERTEX_SOURCE,
        paint: {
          'circle-radius': 6.5,
          'circle-color': '#ffffff',
          'circle-stroke-color': ZONE_COLOR,
          'circle-stroke-width': 3,
        },
      },
    ];
    for (const layer of layers) this.map.addLayer(layer);
    this.paint();
  };

  private paint(): void {
    const zoneSource = this.map.getSource<GeoJSONSource>(ZONE_SOURCE);
    const vertexSource = this.map.getSource<GeoJSONSource>(VERTEX_SOURCE);
    if (!zoneSource || !vertexSource) return;
    const editing = this.mode !== 'view';
    let shape: Feature | null = null;
    if (!editing && this.zone) {
      shape = { type: 'Feature', properties: { editing: false }, geometry: this.zone };
    } else if (editing && this.vertices.length >= 3) {
      shape = { type: 'Feature', properties: { editing: true }, geometry: polygonOf(this.vertices)! };
    } else if (editing && this.vertices.length === 2) {
      shape = { type: 'Feature', properties: { editing: true }, geometry: { type: 'LineString', coordinates: this.vertices } };
    }
    zoneSource.setData({ type: 'FeatureCollection', features: shape ? [shape] : [] });
    const handles: Feature<Point>[] = editing
      ? this.vertices.map((position, index) => ({
          type: 'Feature',
          id: index,
          properties: { index },
          geometry: { type: 'Point', coordinates: position },
        }))
      : [];
    vertexSource.setData({ type: 'FeatureCollection', features: handles });
    // Above everything drawn since (labels, selection outlines).
    for (const id of [ZONE_FILL_LAYER, ZONE_LINE_LAYER, ZONE_VERTEX_LAYER]) if (this.map.getLayer(id)) this.map.moveLayer(id);
  }

  private onVertexEnter = () => {
    if (this.mode !== 'view') this.map.getCanvas().style.cursor = 'move';
  };

  private onVertexLeave = () => {
    if (this.dragging === null) this.map.getCanvas().style.cursor = '';
  };

  private onVertexDown = (event: MapLayerMouseEvent | MapLayerTouchEvent) => {
    if (this.mode === 'view') return;
    const index = event.features?.[0]?.properties?.index;
    if (typeof index !== 'number') return;
    // Keeps the map from panning for this press: the vertex moves instead.
    event.preventDefault();
    this.dragging = index;
    this.map.on('mousemove', this.onDrag);
    this.map.on('touchmove', this.onDrag);
    this.map.once('mouseup', this.endDrag);
    this.map.once('touchend', this.endDrag);
  };

  private onDrag = (event: { lngLat: { lng: number; lat: number } }) => {
    if (this.dragging === null) return;
    this.vertices = this.vertices.map((position, index) =>
      index === this.dragging ? [event.lngLat.lng, event.lngLat.lat] : position,
    );
    this.paint();
  };

  private endDrag = () => {
    if (this.dragging === null) return;
    this.dragging = null;
    this.map.off('mousemove', this.onDrag);
    this.map.off('touchmove', this.onDrag);
    this.map.getCanvas().style.cursor = '';
    this.onEdit(this.vertices);
  };
}
