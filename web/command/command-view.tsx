import { useCallback, useEffect, useRef, useState } from 'react';
import type { AreaDetail, Bbox, ClientConfig } from '../api-client.ts';
import { ApiError, fetchArea } from '../api-client.ts';
import { useSession } from '../auth/session.ts';
import { handleError } from '../handle-error.ts';
import { fill, useI18n } from '../i18n.ts';
import type { CountyAreas } from '../map/area-labels.ts';
import { loadCountyAreas } from '../map/area-labels.ts';
import type { CommandMap } from '../map/command-map.ts';
import { MapView } from '../map/map-view.tsx';
import { hashHasMapView, MAP_HASH_PARAM, readAreaFromHash, writeAreaToHash } from '../url-state.ts';
import { AreaPanel } from './area-panel.tsx';
import { LevelIndicator } from './level-indicator.tsx';
import { MapLegend } from './map-legend.tsx';
import { SearchBox } from './search-box.tsx';
import { TopBar } from './top-bar.tsx';

/** Width at and below which the panel becomes a bottom sheet (matches styles.css). */
const PHONE_MAX_WIDTH = 720;

/** Room to leave around an area the map flies to, so the side panel or bottom sheet does not cover it. */
function fitPadding() {
  const { innerWidth: width, innerHeight: height } = window;
  if (width <= PHONE_MAX_WIDTH) return { top: 96, right: 24, bottom: Math.round(height * 0.5) + 16, left: 24 };
  const panelWidth = Math.min(480, Math.max(360, width * 0.3));
  return { top: 120, right: panelWidth + 48, bottom: 64, left: 48 };
}

interface SelectOptions {
  /** Fly to the area once its bounds are known (breadcrumb, shared link); a map click keeps the view. */
  fly?: boolean;
  /** Bounds already known (a search result): fly at once. */
  bbox?: Bbox;
}

/**
 * The command view: the county map, the selected area's panel, search, legend and level indicator.
 * It shows what the account's scope and role allow: the map opens on the scope's area, households
 * are drawn only for roles that may see them (the tiles would answer 403 otherwise).
 */
export function CommandView({ config }: { config: ClientConfig }) {
  const { t } = useI18n();
  const { scope, can } = useSession();
  const showHouseholds = can('households.view');
  const insideCounty = scope !== null && scope.code !== config.county.code;
  const [homeBbox] = useState<Bbox>(() => (insideCounty ? scope.bbox : config.county.bbox));
  const [commandMap, setCommandMap] = useState<CommandMap | null>(null);
  const [zoom, setZoom] = useState(0);
  const [selectedCode, setSelectedCode] = useState<string | null>(readAreaFromHash);
  const [area, setArea] = useState<AreaDetail | null>(null);
  const [countyAreas, setCountyAreas] = useState<CountyAreas | null>(null);
  const [heatmapOn, setHeatmapOn] = useState(false);
  const flyTo = useRef<string | null>(selectedCode && !hashHasMapView() ? selectedCode : null);

  const commandMapRef = useRef<CommandMap | null>(null);
  const onMapChange = useCallback((map: CommandMap | null) => {
    commandMapRef.current = map;
    setCommandMap(map);
  }, []);

  const select = useCallback((code: string | null, options: SelectOptions = {}) => {
    flyTo.current = options.fly && code ? code : null;
    if (options.bbox) commandMapRef.current?.fitBbox(options.bbox, fitPadding());
    setSelectedCode(code);
  }, []);

  // Township and village label points, also the heatmap's data.
  useEffect(() => {
    const controller = new AbortController();
    loadCountyAreas(config.county.code, controller.signal).then(setCountyAreas).catch(handleError);
    return () => controller.abort();
  }, [config.county.code]);

  useEffect(() => {
    if (commandMap && countyAreas) commandMap.setCountyLabels([...countyAreas.townships, ...countyAreas.villages]);
  }, [commandMap, countyAreas]);

  useEffect(() => {
    commandMap?.setHeatmap(heatmapOn && countyAreas ? countyAreas.villages : null);
  }, [commandMap, countyAreas, heatmapOn]);

  // The selected area: URL, outline, details.
  useEffect(() => {
    writeAreaToHash(selectedCode);
    if (!selectedCode) {
      setArea(null);
      return;
    }
    const controller = new AbortController();
    fetchArea(selectedCode, controller.signal)
      .then(setArea)
      .catch((error: unknown) => {
        handleError(error);
        if (error instanceof ApiError) setSelectedCode((current) => (current === selectedCode ? null : current));
      });
    return () => controller.abort();
  }, [selectedCode]);

  const shownArea = area && area.code === selectedCode ? area : null;

  useEffect(() => {
    commandMap?.setSelection(selectedCode, shownArea?.labelPoint ?? null);
  }, [commandMap, selectedCode, shownArea]);

  useEffect(() => {
    if (!commandMap || !shownArea || flyTo.current !== shownArea.code) return;
    flyTo.current = null;
    commandMap.fitBbox(shownArea.bbox, fitPadding());
  }, [commandMap, shownArea]);

  // A link pasted over the current one, or the hash edited by hand.
  useEffect(() => {
    const onHashChange = () => {
      const code = readAreaFromHash();
      setSelectedCode((current) => {
        if (code === current) return current;
        flyTo.current = code;
        return code;
      });
    };
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !(event.target instanceof HTMLInputElement)) setSelectedCode(null);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  const onAreaClick = useCallback((code: string) => select(code), [select]);
  const onZoomTo = useCallback((target: number) => commandMap?.zoomTo(target), [commandMap]);

  return (
    <div className="command-view" data-panel-open={selectedCode ? 'true' : 'false'}>
      <MapView
        basemapStyleUrl={config.basemapStyleUrl}
        initialBbox={hashHasMapView() ? null : homeBbox}
        households={showHouseholds}
        hashParam={MAP_HASH_PARAM}
        onMapChange={onMapChange}
        onAreaClick={onAreaClick}
        onZoomChange={setZoom}
      />
      <TopBar synthetic={config.dataset.synthetic}>
        <SearchBox onPick={(result) => select(result.code, { bbox: result.bbox })} />
      </TopBar>
      <LevelIndicator zoom={zoom} onZoomTo={onZoomTo} households={showHouseholds} />
      <MapLegend
        heatmapOn={heatmapOn}
        heatmapReady={countyAreas !== null}
        onHeatmapChange={setHeatmapOn}
        households={showHouseholds}
        outlineLabel={insideCounty ? fill(t.scopeBoundary, { name: scope.name }) : t.countyBoundary}
      />
      {selectedCode && (
        <AreaPanel
          key={selectedCode}
          code={selectedCode}
          area={shownArea}
          peopleAllowed={can('people.view')}
          onClose={() => select(null)}
          onNavigate={(code) => select(code, { fly: true })}
        />
      )}
      <footer className="credits">
        {config.county.name} · {t.syntheticNote}
      </footer>
    </div>
  );
}
