import type { Layer, PickingInfo } from '@deck.gl/core';
import { MapboxOverlay } from '@deck.gl/mapbox';
import '../map/maplibre-setup.ts';
import { type IControl, Map as MapLibreMap, NavigationControl } from 'maplibre-gl';
import { useEffect, useRef } from 'react';
import { handleError } from '../handle-error.ts';
import { builtInStyle } from '../map/area-layers.ts';

type Bounds = [number, number, number, number];

interface PlaybackMapProps {
  /** [west, south, east, north] to look at first, and again whenever it changes (a new day or area). */
  bounds: Bounds | null;
  layers: Layer[];
  tooltip: (info: PickingInfo) => string | null;
}

/**
 * The playback's map: the project's own dark area style (no households: a track is not a
 * household register) with deck.gl drawn over it on its own canvas (`interleaved: false`, see
 * web/map/deck-overlay.ts for why).
 */
export function PlaybackMap({ bounds, layers, tooltip }: PlaybackMapProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const overlayRef = useRef<MapboxOverlay | null>(null);
  const tooltipRef = useRef(tooltip);
  tooltipRef.current = tooltip;

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const map = new MapLibreMap({
      container,
      style: builtInStyle({ households: false }),
      center: [107.25, 31.95],
      zoom: 9,
      attributionControl: false,
      dragRotate: false,
      pitchWithRotate: false,
    });
    map.touchZoomRotate.disableRotation();
    map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    map.on('error', (event) => handleError(event.error));
    const overlay = new MapboxOverlay({
      interleaved: false,
      layers: [],
      getTooltip: (info) => {
        const text = tooltipRef.current(info);
        return text
          ? { text, className: 'playback-tooltip', style: { background: '#0b121f', color: '#eef3fb', fontSize: '16px' } }
          : null;
      },
    });
    map.addControl(overlay as unknown as IControl);
    mapRef.current = map;
    overlayRef.current = overlay;
    // The same handles the command map gives the browser tests (web/map/command-map.ts).
    window.__map = map;
    window.__deckOverlay = overlay;
    return () => {
      if (window.__map === map) delete window.__map;
      if (window.__deckOverlay === overlay) delete window.__deckOverlay;
      mapRef.current = null;
      overlayRef.current = null;
      map.remove();
    };
  }, []);

  useEffect(() => {
    overlayRef.current?.setProps({ layers });
  }, [layers]);

  useEffect(() => {
    if (!bounds || !mapRef.current) return;
    mapRef.current.fitBounds(
      [
        [bounds[0], bounds[1]],
        [bounds[2], bounds[3]],
      ],
      { padding: 60, duration: 0, maxZoom: 16 },
    );
  }, [bounds]);

  return <div ref={containerRef} className="playback-map" data-testid="playback-map" />;
}
