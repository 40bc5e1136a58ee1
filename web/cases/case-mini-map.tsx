import type { FeatureCollection, Polygon } from 'geojson';
import type { GeoJSONSource } from 'maplibre-gl';
import '../map/maplibre-setup.ts';
import { Map as MapLibreMap, NavigationControl } from 'maplibre-gl';
import { useEffect, useRef, useState } from 'react';
import { handleError } from '../handle-error.ts';
import { builtInStyle } from '../map/area-layers.ts';
import { lightCss } from '../map/case-markers.ts';
import type { CaseLight } from './cases-api.ts';

const POINT_SOURCE = 'case-point';
const ZONE_SOURCE = 'case-zone';
const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

interface CaseMiniMapProps {
  /** [lng, lat], WGS84. */
  position: [number, number];
  light: CaseLight;
  zone: Polygon | null;
}

/**
 * A small map of one case on its detail page: the areas from the project's own tiles (no
 * households: this page is read by roles that may not see them), the report's point in its
 * light, and its control zone.
 */
export function CaseMiniMap({ position, light, zone }: CaseMiniMapProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const initial = useRef({ position });
  const [ready, setReady] = useState(false);

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const map = new MapLibreMap({
      container,
      style: builtInStyle({ households: false }),
      center: initial.current.position as [number, number],
      zoom: 14.5,
      attributionControl: false,
      dragRotate: false,
      pitchWithRotate: false,
    });
    map.touchZoomRotate.disableRotation();
    map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    map.on('error', (event) => handleError(event.error));
    map.on('load', () => {
      map.addSource(ZONE_SOURCE, { type: 'geojson', data: EMPTY });
      map.addSource(POINT_SOURCE, { type: 'geojson', data: EMPTY });
      map.addLayer({
        id: 'case-zone-fill',
        type: 'fill',
        source: ZONE_SOURCE,
        paint: { 'fill-color': '#ff5a5f', 'fill-opacity': 0.16 },
      });
      map.addLayer({
        id: 'case-zone-line',
        type: 'line',
        source: ZONE_SOURCE,
        paint: { 'line-color': '#ff5a5f', 'line-width': 2.5, 'line-dasharray': [2, 1.2] },
      });
      map.addLayer({
        id: 'case-point',
        type: 'circle',
        source: POINT_SOURCE,
        paint: {
          'circle-radius': 9,
          'circle-color': ['get', 'color'],
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 3,
        },
      });
      mapRef.current = map;
      setReady(true);
    });
    return () => {
      mapRef.current = null;
      setReady(false);
      map.remove();
    };
  }, []);

  useEffect(() => {
    const map = mapRef.current;
    if (!ready || !map) return;
    map.getSource<GeoJSONSource>(POINT_SOURCE)?.setData({
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: { color: lightCss(light) }, geometry: { type: 'Point', coordinates: position } }],
    });
    map
      .getSource<GeoJSONSource>(ZONE_SOURCE)
      ?.setData(zone ? { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: zone }] } : EMPTY);
  }, [ready, position, light, zone]);

  return <div ref={containerRef} className="case-mini-map" data-testid="case-mini-map" />;
}
