import { useQuery } from '@tanstack/react-query';
import type { Polygon, Position } from 'geojson';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Bbox, ClientConfig } from '../api-client.ts';
import { ApiError } from '../api-client.ts';
import { areaDetailQuery, countyAreasQuery } from '../areas/area-queries.ts';
import { useSession } from '../auth/session.ts';
import { CasePanel } from '../cases/case-panel.tsx';
import { CASE_LIVE_INVALIDATIONS } from '../cases/case-queries.ts';
import { LivePanel } from '../cases/live-panel.tsx';
import type { OpenCase } from '../cases/open-cases.ts';
import { isFlashing, useOpenCases } from '../cases/open-cases.ts';
import { GeohazardWatch } from '../geohazards/geohazard-watch.tsx';
import { fill, useI18n } from '../i18n.ts';
import { setAlarmActive, soundAlarmNow } from '../live/alarm-sound.ts';
import { useLiveInvalidation } from '../live/live-invalidation.ts';
import { LiveStatus } from '../live/live-status.tsx';
import type { CaseMarker } from '../map/case-markers.ts';
import type { CommandMap } from '../map/command-map.ts';
import { MapView } from '../map/map-view.tsx';
import { CoverageMode } from '../patrols/coverage-mode.tsx';
import { useLivePatrols } from '../patrols/use-live-patrols.ts';
import { ProviderLayer } from '../providers/provider-layer.tsx';
import { casePath, navigate } from '../routes.ts';
import { HeatmapMode } from '../special/heatmap-mode.tsx';
import { hashHasMapView, MAP_HASH_PARAM, readAreaFromHash, writeAreaToHash } from '../url-state.ts';
import { AreaPanel } from './area-panel.tsx';
import { DutyBoard } from './duty-board.tsx';
import { useDutySummary } from './duty-summary.ts';
import { LevelIndicator } from './level-indicator.tsx';
import type { FramingTarget } from './map-framing.ts';
import { framePadding, useMapFraming } from './map-framing.ts';
import { MapLegend } from './map-legend.tsx';
import { SearchBox } from './search-box.tsx';
import { TopBar } from './top-bar.tsx';

/** A phone, where the legend starts folded (matches command/phone-sheet.css). */
const PHONE_QUERY = '(max-width: 720px)';
/** Screens too short for the duty board's breakdown beside the live list start with it folded. */
const SHORT_SCREEN_QUERY = '(max-width: 720px), (max-height: 860px)';

/** Zoom at least this far in on a case picked from the list, so its cell and surroundings are legible. */
const CASE_MIN_ZOOM = 14;

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
  const areaRead = useQuery({ ...areaDetailQuery(selectedCode ?? ''), enabled: selectedCode !== null });
  const countyAreas = useQuery(countyAreasQuery(config.county.code)).data ?? null;
  const [heatmapOn, setHeatmapOn] = useState(false);
  const [providersOn, setProvidersOn] = useState(false);
  const flyTo = useRef<string | null>(selectedCode && !hashHasMapView() ? selectedCode : null);
  const showCases = can('cases.view');
  const [selectedCaseId, setSelectedCaseId] = useState<string | null>(null);
  const [caseZone, setCaseZone] = useState<Polygon | null>(null);
  const [zoneVertices, setZoneVertices] = useState<Position[]>([]);
  /** Those who take reports (file, dispatch) hear the alarm; the others see the marks only. */
  const alarmSounds = can('cases.command');
  const { cases, loaded: casesLoaded } = useOpenCases(showCases, alarmSounds ? soundAlarmNow : undefined);
  const duty = useDutySummary(showCases);
  useLiveInvalidation(CASE_LIVE_INVALIDATIONS, showCases);
  const [dutyFolded] = useState(() => window.matchMedia(SHORT_SCREEN_QUERY).matches);
  const [legendOpen, setLegendOpen] = useState(() => !window.matchMedia(PHONE_QUERY).matches);
  /** The view, whose panels the map keeps its selection clear of. */
  const viewRef = useRef<HTMLDivElement>(null);
  /** What the map keeps in its free part: the home view until something is chosen, then the selected area. */
  const [framing, setFraming] = useState<FramingTarget | null>(() =>
    hashHasMapView() || selectedCode ? null : { key: 'home', bbox: homeBbox, mode: 'clear', animate: false },
  );

  /** The page opened on a link with both a view (`map=`) and an area: keep that view for the area's first showing. */
  const keepLinkedView = useRef(hashHasMapView() && selectedCode !== null);

  const commandMapRef = useRef<CommandMap | null>(null);
  const onMapChange = useCallback((map: CommandMap | null) => {
    commandMapRef.current = map;
    setCommandMap(map);
  }, []);

  const select = useCallback((code: string | null, options: SelectOptions = {}) => {
    flyTo.current = options.fly && code ? code : null;
    // Bounds known at once (a search result): fly now; the area's own bounds replace them when they arrive.
    setFraming((current) =>
      code && options.bbox ? { key: code, bbox: options.bbox, mode: 'fit' } : current?.key === code ? current : null,
    );
    setSelectedCode(code);
    if (code) setSelectedCaseId(null);
  }, []);

  const casesRef = useRef<OpenCase[]>(cases);
  casesRef.current = cases;
  /** Opens a case's panel (the area panel gives way) and brings its place into view. */
  const selectCase = useCallback((id: string | null) => {
    setSelectedCaseId(id);
    setCaseZone(null);
    if (!id) return;
    setSelectedCode(null);
    setFraming(null);
    const openCase = casesRef.current.find((candidate) => candidate.id === id);
    const commandMap = commandMapRef.current;
    const view = viewRef.current;
    // After the case panel is laid out, so its rectangle counts.
    if (openCase && commandMap && view)
      requestAnimationFrame(() => commandMap.showPoint(openCase.position, CASE_MIN_ZOOM, framePadding(commandMap, view)));
  }, []);
  const closeCase = useCallback(() => selectCase(null), [selectCase]);

  // Live cases on the map; the alarm sounds while an urgent or landslide report waits to be taken.
  const markers = useMemo<CaseMarker[]>(
    () =>
      cases.map((openCase) => ({
        id: openCase.id,
        position: openCase.position,
        light: openCase.light,
        flashing: isFlashing(openCase),
      })),
    [cases],
  );
  useEffect(() => {
    commandMap?.setCases(markers);
  }, [commandMap, markers]);

  const showPatrols = can('patrols.view');
  const patrols = useLivePatrols(showPatrols);
  useEffect(() => {
    commandMap?.setPatrols(patrols);
  }, [commandMap, patrols]);
  const alarming = alarmSounds && markers.some((marker) => marker.flashing);
  useEffect(() => {
    setAlarmActive(alarming);
  }, [alarming]);
  useEffect(() => () => setAlarmActive(false), []);

  useEffect(() => {
    commandMap?.setSelectedCase(selectedCaseId, caseZone);
  }, [commandMap, selectedCaseId, caseZone]);

  /** Township and village names of a case: the server's, or the county's labels for a case the live feed brought. */
  const placeNames = useMemo(() => {
    const names = new Map<string, string>();
    for (const area of [...(countyAreas?.townships ?? []), ...(countyAreas?.villages ?? [])]) names.set(area.code, area.name);
    return names;
  }, [countyAreas]);
  const placeOf = useCallback(
    (openCase: OpenCase) =>
      [
        openCase.townshipName ?? placeNames.get(openCase.townshipCode),
        openCase.villageName ?? placeNames.get(openCase.cellCode.slice(0, 12)),
      ]
        .filter(Boolean)
        .join(' '),
    [placeNames],
  );

  useEffect(() => {
    if (commandMap && countyAreas) commandMap.setCountyLabels([...countyAreas.townships, ...countyAreas.villages]);
  }, [commandMap, countyAreas]);

  useEffect(() => {
    commandMap?.setHeatmap(heatmapOn && countyAreas ? countyAreas.villages : null);
  }, [commandMap, countyAreas, heatmapOn]);

  // The selected area: URL, outline, details; one the server refuses (gone, out of scope) is unselected.
  useEffect(() => writeAreaToHash(selectedCode), [selectedCode]);
  const refusedCode = areaRead.error instanceof ApiError ? selectedCode : null;
  useEffect(() => {
    if (refusedCode) setSelectedCode((current) => (current === refusedCode ? null : current));
  }, [refusedCode]);

  const shownArea = areaRead.data && areaRead.data.code === selectedCode ? areaRead.data : null;

  useEffect(() => {
    commandMap?.setSelection(selectedCode, shownArea?.labelPoint ?? null);
  }, [commandMap, selectedCode, shownArea]);

  // The selected area's bounds: fitted if asked to (breadcrumb, search, link), else moved clear of the panels if they cover it.
  useEffect(() => {
    if (!shownArea) return;
    const fly = flyTo.current === shownArea.code;
    flyTo.current = null;
    // A shared link that names a view as well as an area opens on exactly that view: the sender chose it.
    if (keepLinkedView.current) {
      keepLinkedView.current = false;
      if (!fly) return;
    }
    setFraming((current) =>
      current?.key === shownArea.code
        ? { ...current, bbox: shownArea.bbox }
        : { key: shownArea.code, bbox: shownArea.bbox, mode: fly ? 'fit' : 'clear' },
    );
  }, [shownArea]);
  useEffect(() => {
    if (!selectedCode && !selectedCaseId) return;
    // The legend folds to its title while something is selected, so it does not cover the selection.
    setLegendOpen(false);
    setFraming((current) => (current?.key === 'home' ? null : current));
  }, [selectedCode, selectedCaseId]);
  useEffect(() => {
    if (!selectedCode) setFraming((current) => (current?.key === 'home' ? current : null));
  }, [selectedCode]);
  useMapFraming(commandMap, viewRef, framing);

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
      if (event.key !== 'Escape' || event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement)
        return;
      if (commandMapRef.current && commandMapRef.current.controlZone.editMode() !== 'view') return;
      setSelectedCode(null);
      setSelectedCaseId(null);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  const onAreaClick = useCallback((code: string) => select(code), [select]);
  const onZoomTo = useCallback((target: number) => commandMap?.zoomTo(target), [commandMap]);

  return (
    <div
      ref={viewRef}
      className="command-view"
      data-panel-open={selectedCode || selectedCaseId ? 'true' : 'false'}
      data-live={showCases}
      data-case-open={selectedCaseId !== null}
    >
      <MapView
        basemapStyleUrl={config.basemapStyleUrl}
        initialBbox={hashHasMapView() ? null : homeBbox}
        households={showHouseholds}
        hashParam={MAP_HASH_PARAM}
        onMapChange={onMapChange}
        onAreaClick={onAreaClick}
        onZoomChange={setZoom}
        onCaseClick={selectCase}
        onZoneEdit={setZoneVertices}
      />
      <TopBar synthetic={config.dataset.synthetic} status={showCases ? <LiveStatus sound={alarmSounds} /> : null}>
        <SearchBox onPick={(result) => select(result.code, { bbox: result.bbox })} />
      </TopBar>
      <div className="command-left">
        {showCases && <DutyBoard summary={duty.summary} stale={duty.stale} foldedAtFirst={dutyFolded} />}
        <LevelIndicator zoom={zoom} onZoomTo={onZoomTo} households={showHouseholds} />
        {showCases && (
          <LivePanel
            cases={cases}
            loaded={casesLoaded}
            selectedId={selectedCaseId}
            placeOf={placeOf}
            onSelect={selectCase}
            listHref={casePath()}
            onOpenList={() => navigate(casePath())}
          />
        )}
        {can('geohazards.view') && <GeohazardWatch commandMap={commandMap} viewRef={viewRef} />}
      </div>
      <MapLegend
        heatmapOn={heatmapOn}
        heatmapReady={countyAreas !== null}
        onHeatmapChange={setHeatmapOn}
        households={showHouseholds}
        outlineLabel={insideCounty ? fill(t.scopeBoundary, { name: scope.name }) : t.countyBoundary}
        cases={showCases}
        patrols={showPatrols}
        providers={{ on: providersOn, onChange: setProvidersOn }}
        open={legendOpen}
        onOpenChange={setLegendOpen}
      />
      <ProviderLayer commandMap={commandMap} on={providersOn} />
      {showPatrols && <CoverageMode commandMap={commandMap} scopeCode={scope?.code ?? config.county.code} />}
      {can('special.view') && (
        <HeatmapMode
          commandMap={commandMap}
          areaCode={selectedCode ?? scope?.code ?? config.county.code}
          zoom={zoom}
          mayBreakGlass={can('special.break_glass')}
        />
      )}
      {selectedCaseId && (
        <CasePanel
          key={selectedCaseId}
          caseId={selectedCaseId}
          commandMap={commandMap}
          zoneVertices={zoneVertices}
          onZone={setCaseZone}
          onClose={closeCase}
          onOpenCase={selectCase}
        />
      )}
      {selectedCode && !selectedCaseId && (
        <AreaPanel
          key={selectedCode}
          code={selectedCode}
          area={shownArea}
          peopleAllowed={can('people.view')}
          patrolCoverage={showPatrols}
          specialFigures={can('special.view')}
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
