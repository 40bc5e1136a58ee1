import type { FeatureCollection, Point } from 'geojson';
import type { GeoJSONSource, MapGeoJSONFeature } from 'maplibre-gl';
import '../map/maplibre-setup.ts';
import { Map as MapLibreMap, NavigationControl } from 'maplibre-gl';
import { useEffect, useRef, useState } from 'react';
import type { Bbox, TileLayerName } from '../api-client.ts';
import { handleError } from '../handle-error.ts';
import { endSessionOnUnauthorized } from '../map/map-errors.ts';
import { CHOROPLETH_FILL, CHOROPLETH_LABELS, CLASS_STATE, choroplethStyle } from './choropleth-style.ts';
import type { ReviewTheme } from './review-theme.ts';

declare global {
  interface Window {
    /** The review's map, for the browser tests and for debugging from the console. */
    __reviewMap?: MapLibreMap;
  }
}

/** A child area as the map draws it: where its label goes, its class (0 best to 4 worst, null no figure) and the figure printed. */
export interface ChoroplethArea {
  code: string;
  name: string;
  labelPoint: [number, number];
  class: number | null;
  figure: string;
}

interface ChoroplethMapProps {
  theme: ReviewTheme;
  parentCode: string;
  childLevel: TileLayerName;
  /** The reviewed area's [west, south, east, north], framed at the start. */
  bbox: Bbox;
  areas: readonly ChoroplethArea[];
  onAreaClick: (code: string) => void;
  label: string;
}

function labels(areas: readonly ChoroplethArea[]): FeatureCollection<Point> {
  return {
    type: 'FeatureCollection',
    features: areas.map((area) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: area.labelPoint },
      properties: { code: area.code, name: area.name, figure: area.figure },
    })),
  };
}

/**
 * A choropleth of one KPI over the children of the reviewed area, on MapLibre with the project's
 * own tiles (choropleth-style.ts). Mount it with a `key` of theme and area: a new one of either is
 * a new map. Clicking a child drills down. Before printing, the canvas is copied into an image
 * (the drawing buffer is kept for that), which the print stylesheet shows instead.
 */
export function ChoroplethMap({ theme, parentCode, childLevel, bbox, areas, onAreaClick, label }: ChoroplethMapProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [printImage, setPrintImage] = useState<string | null>(null);
  const clickRef = useRef(onAreaClick);
  clickRef.current = onAreaClick;
  const initial = useRef({ theme, parentCode, childLevel, bbox });

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const { theme: firstTheme, parentCode: parent, childLevel: level, bbox: frame } = initial.current;
    const map = new MapLibreMap({
      container,
      style: choroplethStyle(firstTheme, parent, level),
      bounds: frame,
      fitBoundsOptions: { padding: 24 },
      attributionControl: false,
      dragRotate: false,
      pitchWithRotate: false,
      canvasContextAttributes: { preserveDrawingBuffer: true },
    });
    map.touchZoomRotate.disableRotation();
    map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    map.on('error', (event) => {
      if (!endSessionOnUnauthorized(event.error)) handleError(event.error);
    });
    let hovered: string | number | undefined;
    const setHover = (id: string | number | undefined) => {
      if (hovered !== undefined) map.setFeatureState({ source: level, sourceLayer: level, id: hovered }, { hover: false });
      hovered = id;
      if (id !== undefined) map.setFeatureState({ source: level, sourceLayer: level, id }, { hover: true });
    };
    map.on('mousemove', CHOROPLETH_FILL, (event) => {
      const feature = event.features?.[0] as MapGeoJSONFeature | undefined;
      map.getCanvas().style.cursor = 'pointer';
      if (feature?.id !== hovered) setHover(feature?.id);
    });
    map.on('mouseleave', CHOROPLETH_FILL, () => {
      map.getCanvas().style.cursor = '';
      setHover(undefined);
    });
    map.on('click', CHOROPLETH_FILL, (event) => {
      const code = event.features?.[0]?.properties.code;
      if (code !== undefined) clickRef.current(String(code));
    });
    map.on('load', () => setLoaded(true));
    mapRef.current = map;
    window.__reviewMap = map;
    const beforePrint = () => setPrintImage(map.getCanvas().toDataURL('image/png'));
    window.addEventListener('beforeprint', beforePrint);
    return () => {
      window.removeEventListener('beforeprint', beforePrint);
      if (window.__reviewMap === map) delete window.__reviewMap;
      mapRef.current = null;
      map.remove();
    };
  }, []);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !loaded) return;
    const source = initial.current.childLevel;
    for (const area of areas) {
      map.setFeatureState({ source, sourceLayer: source, id: area.code }, { [CLASS_STATE]: area.class ?? -1 });
    }
    map.getSource<GeoJSONSource>(CHOROPLETH_LABELS)?.setData(labels(areas)).catch(handleError);
    map.once('idle', () => {
      if (containerRef.current) containerRef.current.dataset.drawn = areas.map((area) => area.class ?? '-').join('');
    });
    map.triggerRepaint();
  }, [areas, loaded]);

  return (
    <div className="review-map-frame">
      <div ref={containerRef} className="review-map" role="img" aria-label={label} data-testid="review-map" />
      {printImage && <img className="review-map-print" src={printImage} alt={label} />}
    </div>
  );
}
