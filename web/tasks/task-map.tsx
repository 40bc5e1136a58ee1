import type { FeatureCollection, Point } from 'geojson';
import type { GeoJSONSource } from 'maplibre-gl';
import '../map/maplibre-setup.ts';
import { Map as MapLibreMap, NavigationControl } from 'maplibre-gl';
import { useEffect, useRef, useState } from 'react';
import type { TargetState } from '../../api/vocabulary/tasks.ts';
import type { Bbox } from '../api-client.ts';
import { handleError } from '../handle-error.ts';
import { endSessionOnUnauthorized } from '../map/map-errors.ts';
import type { ReviewTheme } from '../review/review-theme.ts';
import { TARGET_STATE_KEY, TASK_LOCATIONS, taskMapStyle } from './task-map-style.ts';

declare global {
  interface Window {
    /** The task monitor's map, for the browser tests and for debugging from the console. */
    __taskMap?: MapLibreMap;
  }
}

interface TaskMapProps {
  theme: ReviewTheme;
  areaCode: string;
  /** The task area's [west, south, east, north], framed at the start. */
  bbox: Bbox;
  /** Each targeted cell's state, by cell code. */
  cellStates: ReadonlyMap<string, TargetState>;
  /** Collected locations, [lng, lat] WGS84. */
  locations: readonly [number, number][];
  label: string;
}

function points(locations: readonly [number, number][]): FeatureCollection<Point> {
  return {
    type: 'FeatureCollection',
    features: locations.map((coordinates) => ({ type: 'Feature', geometry: { type: 'Point', coordinates }, properties: {} })),
  };
}

/**
 * The cells of a task's area coloured by their target's state, on MapLibre with the project's own
 * tiles (task-map-style.ts). Mount it with a `key` of theme: a new theme is a new map. Only the
 * cells whose state changed since the last drawing are set again, so a live event costs one
 * feature-state, not the whole area.
 */
export function TaskMap({ theme, areaCode, bbox, cellStates, locations, label }: TaskMapProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const drawn = useRef(new Map<string, TargetState>());
  const [loaded, setLoaded] = useState(false);
  const initial = useRef({ theme, areaCode, bbox });

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const { theme: firstTheme, areaCode: area, bbox: frame } = initial.current;
    const map = new MapLibreMap({
      container,
      style: taskMapStyle(firstTheme, area),
      bounds: frame,
      fitBoundsOptions: { padding: 24 },
      attributionControl: false,
      dragRotate: false,
      pitchWithRotate: false,
    });
    map.touchZoomRotate.disableRotation();
    map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    map.on('error', (event) => {
      if (!endSessionOnUnauthorized(event.error)) handleError(event.error);
    });
    map.on('load', () => setLoaded(true));
    mapRef.current = map;
    window.__taskMap = map;
    const states = drawn.current;
    return () => {
      if (window.__taskMap === map) delete window.__taskMap;
      mapRef.current = null;
      states.clear();
      map.remove();
    };
  }, []);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !loaded) return;
    for (const [code, state] of cellStates) {
      if (drawn.current.get(code) === state) continue;
      map.setFeatureState({ source: 'cell', sourceLayer: 'cell', id: code }, { [TARGET_STATE_KEY]: state });
      drawn.current.set(code, state);
    }
    const container = containerRef.current;
    if (container) container.dataset.done = String([...cellStates.values()].filter((state) => state === 'done').length);
    map.triggerRepaint();
  }, [cellStates, loaded]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !loaded) return;
    map.getSource<GeoJSONSource>(TASK_LOCATIONS)?.setData(points(locations)).catch(handleError);
  }, [locations, loaded]);

  return (
    <div className="task-map-frame">
      <div ref={containerRef} className="task-map" role="img" aria-label={label} data-testid="task-map" data-loaded={loaded} />
    </div>
  );
}
