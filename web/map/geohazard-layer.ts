import type { FeatureCollection, Point } from 'geojson';
import type { GeoJSONSource, MapLayerMouseEvent, Map as MapLibreMap } from 'maplibre-gl';
import type { GeohazardStatus } from '../../api/vocabulary/geohazards.ts';

const SOURCE = 'geohazard-points';
const GEOHAZARD_LAYER = 'geohazard-points';

/** Met green, behind red (the case lights' hues), not required grey: legible on the dark wall screen. */
export const GEOHAZARD_STATUS_COLORS: Record<GeohazardStatus, string> = {
  met: '#3ddc84',
  behind: '#ff5b5b',
  unwatched: '#8a98ad',
};

/** A point as the layer draws it. */
export interface GeohazardMapPoint {
  id: string;
  position: [number, number];
  status: GeohazardStatus;
}

function collection(points: readonly GeohazardMapPoint[]): FeatureCollection<Point> {
  return {
    type: 'FeatureCollection',
    features: points.map((point) => ({
      type: 'Feature',
      id: point.id,
      geometry: { type: 'Point', coordinates: point.position },
      properties: { id: point.id, status: point.status, behind: point.status === 'behind' ? 1 : 0 },
    })),
  };
}

/**
 * Geohazard points on the command map, a MapLibre circle layer (not deck.gl: a few hundred static
 * points, and MapLibre's own hit test for the tooltip): coloured by today's status, behind ones
 * larger and drawn on top. `onPoint` hears the point under the pointer (or tapped), null when none.
 * Returns `update` (new points, or null to hide) and `remove`.
 */
export function attachGeohazardLayer(
  map: MapLibreMap,
  onPoint: (id: string | null, screen: { x: number; y: number } | null) => void,
) {
  let shown: readonly GeohazardMapPoint[] | null = null;
  /** Whether the map still lacks what `shown` says: set by an update or a style (re)load, cleared once drawn. */
  let dirty = true;

  const addLayer = () => {
    if (!map.getSource(SOURCE)) map.addSource(SOURCE, { type: 'geojson', data: collection([]) });
    if (map.getLayer(GEOHAZARD_LAYER)) return;
    map.addLayer({
      id: GEOHAZARD_LAYER,
      type: 'circle',
      source: SOURCE,
      layout: { 'circle-sort-key': ['get', 'behind'] },
      paint: {
        'circle-color': [
          'match',
          ['get', 'status'],
          'met',
          GEOHAZARD_STATUS_COLORS.met,
          'behind',
          GEOHAZARD_STATUS_COLORS.behind,
          GEOHAZARD_STATUS_COLORS.unwatched,
        ],
        'circle-radius': [
          'interpolate',
          ['linear'],
          ['zoom'],
          8,
          ['+', 4, ['*', 2, ['get', 'behind']]],
          14,
          ['+', 8, ['*', 3, ['get', 'behind']]],
        ],
        'circle-stroke-color': '#03060c',
        'circle-stroke-width': 2,
      },
    });
  };

  /** Draws `shown` if anything changed; before the style has loaded it waits for the next styledata or idle. */
  const flush = () => {
    if (!dirty) return;
    try {
      addLayer();
    } catch {
      return; // the style is not there yet
    }
    map.getSource<GeoJSONSource>(SOURCE)?.setData(collection(shown ?? []));
    map.setLayoutProperty(GEOHAZARD_LAYER, 'visibility', shown ? 'visible' : 'none');
    dirty = false;
  };
  const restyled = () => {
    if (!map.getSource(SOURCE)) dirty = true;
    flush();
  };

  const pointAt = (event: MapLayerMouseEvent) => {
    const id = event.features?.[0]?.properties?.id;
    onPoint(typeof id === 'string' ? id : null, typeof id === 'string' ? event.point : null);
  };
  const leave = () => {
    map.getCanvas().style.cursor = '';
    onPoint(null, null);
  };
  const enter = () => {
    map.getCanvas().style.cursor = 'pointer';
  };
  // A style (re)load drops the source: put it back.
  map.on('styledata', restyled);
  map.on('idle', flush);
  map.on('mousemove', GEOHAZARD_LAYER, pointAt);
  map.on('click', GEOHAZARD_LAYER, pointAt);
  map.on('mouseenter', GEOHAZARD_LAYER, enter);
  map.on('mouseleave', GEOHAZARD_LAYER, leave);

  return {
    update(points: readonly GeohazardMapPoint[] | null) {
      shown = points;
      dirty = true;
      flush();
    },
    remove() {
      map.off('styledata', restyled);
      map.off('idle', flush);
      map.off('mousemove', GEOHAZARD_LAYER, pointAt);
      map.off('click', GEOHAZARD_LAYER, pointAt);
      map.off('mouseenter', GEOHAZARD_LAYER, enter);
      map.off('mouseleave', GEOHAZARD_LAYER, leave);
      if (map.getLayer(GEOHAZARD_LAYER)) map.removeLayer(GEOHAZARD_LAYER);
      if (map.getSource(SOURCE)) map.removeSource(SOURCE);
    },
  };
}
