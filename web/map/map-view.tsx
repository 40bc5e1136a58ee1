import type { Position } from 'geojson';
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
  onCaseClick?: (id: string) => void;
  onZoneEdit?: (vertices: Position[]) => void;
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
  onCaseClick,
  onZoneEdit,
}: MapViewProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const callbacks = useRef({ onMapChange, onAreaClick, onZoomChange, onCaseClick, onZoneEdit });
  const initialBboxRef = useRef(initialBbox);

  useEffect(() => {
    callbacks.current = { onMapChange, onAreaClick, onZoomChange, onCaseClick, onZoneEdit };
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
      onCaseClick: (id) => callbacks.current.onCaseClick?.(id),
      onZoneEdit: (vertices) => callbacks.current.onZoneEdit?.(vertices),
    });
    callbacks.current.onMapChange(commandMap);
    return () => {
      callbacks.current.onMapChange(null);
      commandMap.destroy();
    };
  }, [basemapStyleUrl, hashParam, households]);

  return <div ref={containerRef} className="map-canvas" data-testid="map" />;
}
