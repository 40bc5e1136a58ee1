import { useEffect, useRef } from 'react';
import type { Bbox } from '../api-client.ts';
import { CommandMap } from './command-map.ts';

interface MapViewProps {
  basemapStyleUrl: string | null;
  /** Where to look when the URL names no view. */
  initialBbox: Bbox | null;
  /** Whether households are drawn; the role decides (households.view). */
  households: boolean;
  hashParam: string;
  onMapChange: (map: CommandMap | null) => void;
  onAreaClick: (code: string) => void;
  onZoomChange: (zoom: number) => void;
}

/** Mounts the command map once per basemap and layer access; the latest callbacks are always the ones called. */
export function MapView({
  basemapStyleUrl,
  initialBbox,
  households,
  hashParam,
  onMapChange,
  onAreaClick,
  onZoomChange,
}: MapViewProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const callbacks = useRef({ onMapChange, onAreaClick, onZoomChange });
  const initialBboxRef = useRef(initialBbox);

  useEffect(() => {
    callbacks.current = { onMapChange, onAreaClick, onZoomChange };
  });

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const commandMap = new CommandMap({
      container,
      basemapStyleUrl,
      initialBbox: initialBboxRef.current,
      access: { households },
      hashParam,
      onAreaClick: (code) => callbacks.current.onAreaClick(code),
      onZoomChange: (zoom) => callbacks.current.onZoomChange(zoom),
    });
    callbacks.current.onMapChange(commandMap);
    return () => {
      callbacks.current.onMapChange(null);
      commandMap.destroy();
    };
  }, [basemapStyleUrl, hashParam, households]);

  return <div ref={containerRef} className="map-canvas" data-testid="map" />;
}
