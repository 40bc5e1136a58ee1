import { useEffect, useRef, useState } from 'react';
import type { Datum } from '../../geo/convert-datum.ts';
import { toWgs84 } from '../../geo/convert-datum.ts';
import { parseCoordinates } from '../../geo/parse-coordinates.ts';
import type { Bbox } from '../api-client.ts';
import { fetchConfig } from '../api-client.ts';
import { useSession } from '../auth/session.ts';
import { handleError } from '../handle-error.ts';
import { currentLanguage, fill, formatNumber } from '../i18n.ts';
import type { FieldMap } from './field-map.ts';
import { FIELD_STRINGS, useFieldStrings } from './field-strings.ts';
import type { CoordinateEntry, ReportPlace } from './report-draft.ts';
import { useOnline } from './use-online.ts';

/** A fix less precise than this (metres) is worth correcting by hand. */
const POOR_ACCURACY_M = 100;
const GEOLOCATION_OPTIONS: PositionOptions = { enableHighAccuracy: true, timeout: 20_000, maximumAge: 15_000 };

const DATUM_CHOICES: {
  datum: Datum;
  label: 'datumWgs84' | 'datumGcj02' | 'datumBd09';
  hint: 'datumWgs84Hint' | 'datumGcj02Hint' | 'datumBd09Hint';
}[] = [
  { datum: 'wgs84', label: 'datumWgs84', hint: 'datumWgs84Hint' },
  { datum: 'gcj02', label: 'datumGcj02', hint: 'datumGcj02Hint' },
  { datum: 'bd09', label: 'datumBd09', hint: 'datumBd09Hint' },
];

/** The place in WGS84, as the map draws it (the tiles are WGS84). */
function placeOnMap(place: ReportPlace): [number, number] {
  const [lng, lat] = toWgs84(place.position, place.datum);
  return [lng, lat];
}

type LocateState = { status: 'idle' } | { status: 'locating' } | { status: 'failed'; message: string };

interface PlacePickerProps {
  place: ReportPlace | null;
  onPlace: (place: ReportPlace | null) => void;
  coordinates: CoordinateEntry;
  onCoordinates: (entry: CoordinateEntry) => void;
}

/** The map while it is closed, while its code and style arrive, and once it is drawn. */
type MapState = 'closed' | 'loading' | 'open';

/**
 * Where the report is: take the phone's fix (its accuracy shown in metres), type or paste a
 * coordinate pair in WGS84, GCJ-02 or BD-09, or open the small map and tap. The map (MapLibre, its
 * worker, tiles and fonts: most of what a page could download) is fetched only when it is opened,
 * so the form is usable at once on a weak link. The place is kept as given; the server converts it
 * to WGS84, and the map shows the converted point.
 */
export function PlacePicker({ place, onPlace, coordinates, onCoordinates }: PlacePickerProps) {
  const { f, lang } = useFieldStrings();
  const { me, scope } = useSession();
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<FieldMap | null>(null);
  const onPlaceRef = useRef(onPlace);
  /** The place as the map draws it, read when the map opens (it opens on the place already chosen). */
  const placeRef = useRef(place ? placeOnMap(place) : null);
  const scopeBboxRef = useRef<Bbox | null>(scope?.bbox ?? null);
  /** The map opened before the scope's bounds were known, on no place: it looks there once they come. */
  const awaitingView = useRef(false);
  const [mapState, setMapState] = useState<MapState>('closed');
  const [locate, setLocate] = useState<LocateState>({ status: 'idle' });
  const mapWanted = mapState !== 'closed';
  const online = useOnline();

  useEffect(() => {
    onPlaceRef.current = onPlace;
    placeRef.current = place ? placeOnMap(place) : null;
    scopeBboxRef.current = scope?.bbox ?? null;
  });

  useEffect(() => {
    const container = containerRef.current;
    if (!mapWanted || !container) return;
    let cancelled = false;
    let fieldMap: FieldMap | null = null;
    import('./field-map.ts')
      .then(({ FieldMap }) => {
        if (cancelled) return;
        const initialBbox = scopeBboxRef.current;
        const initialPlace = placeRef.current;
        fieldMap = new FieldMap({
          container,
          initialBbox,
          initialPlace,
          scopeCode: me.scopeCode,
          onTap: (position) => onPlaceRef.current({ position, datum: 'wgs84', accuracyM: null, source: 'map' }),
        });
        mapRef.current = fieldMap;
        setMapState('open');
        awaitingView.current = !initialBbox && !initialPlace;
        // Opened before the scope's bounds were known: show the county once the configuration says where it is.
        if (awaitingView.current) {
          fetchConfig()
            .then((config) => {
              if (!cancelled) fieldMap?.fitBbox(config.county.bbox);
            })
            .catch(() => {});
        }
      })
      .catch((error: unknown) => {
        // Offline before the map's code was ever fetched: GPS and typed coordinates still work.
        if (cancelled) return;
        handleError(error, FIELD_STRINGS[currentLanguage()].mapUnavailable);
        setMapState('closed');
      });
    return () => {
      cancelled = true;
      mapRef.current = null;
      fieldMap?.destroy();
    };
  }, [mapWanted, me.scopeCode]);

  // The scope's bounds arrive after the map opened: look there, unless a place already holds the view.
  const scopeBbox = scope?.bbox ?? null;
  useEffect(() => {
    if (mapState !== 'open' || !scopeBbox || !awaitingView.current || placeRef.current) return;
    awaitingView.current = false;
    mapRef.current?.fitBbox(scopeBbox);
  }, [scopeBbox, mapState]);

  const mapPosition = place ? placeOnMap(place) : null;
  const mapKey = mapPosition ? `${mapPosition[0]},${mapPosition[1]},${place?.accuracyM ?? ''}` : '';
  // biome-ignore lint/correctness/useExhaustiveDependencies: `mapKey` stands for the position and accuracy; `mapState` for a map just opened.
  useEffect(() => {
    mapRef.current?.setPlace(mapPosition, place?.accuracyM ?? null);
  }, [mapKey, mapState]);

  const locateMe = () => {
    if (!('geolocation' in navigator)) {
      setLocate({ status: 'failed', message: f.locationUnsupported });
      return;
    }
    setLocate({ status: 'locating' });
    navigator.geolocation.getCurrentPosition(
      (fix) => {
        const position: [number, number] = [fix.coords.longitude, fix.coords.latitude];
        const accuracyM = Number.isFinite(fix.coords.accuracy) ? fix.coords.accuracy : null;
        setLocate({ status: 'idle' });
        // The Geolocation API answers in WGS84 whatever map app the phone has.
        onPlaceRef.current({ position, datum: 'wgs84', accuracyM, source: 'gps' });
        mapRef.current?.showPlace(position, accuracyM);
      },
      (error) => {
        const message =
          error.code === error.PERMISSION_DENIED
            ? f.locationDenied
            : error.code === error.TIMEOUT
              ? f.locationTimeout
              : f.locationUnavailable;
        setLocate({ status: 'failed', message });
      },
      GEOLOCATION_OPTIONS,
    );
  };

  const parsed = parseCoordinates(coordinates.text);
  const parseMessage = parsed.ok
    ? `${fill(f.readAs, { lng: parsed.position[0].toFixed(6), lat: parsed.position[1].toFixed(6) })}${parsed.order === 'lat-lng' ? ` · ${f.readAsSwapped}` : ''}`
    : coordinates.text.trim() === ''
      ? ''
      : {
          empty: f.coordEmpty,
          'not-a-pair': f.coordNotAPair,
          'bad-angle': f.coordBadAngle,
          'not-in-china': f.coordNotInChina,
        }[parsed.reason];

  const applyTyped = () => {
    if (!parsed.ok) return;
    const typed: ReportPlace = { position: parsed.position, datum: coordinates.datum, accuracyM: null, source: 'typed' };
    onPlace(typed);
    mapRef.current?.showPlace(placeOnMap(typed), null);
  };

  const sourceLabel = place ? { gps: f.placeFromGps, map: f.placeFromMap, typed: f.placeFromTyped }[place.source] : '';
  const datumChoice = place ? DATUM_CHOICES.find((choice) => choice.datum === place.datum) : undefined;
  const datumLabel = datumChoice ? f[datumChoice.label] : '';

  return (
    <section className="fp-section" aria-labelledby="fp-place-title">
      <h2 id="fp-place-title" className="fp-label">
        {f.place}
      </h2>
      {mapWanted && (
        <div className="fp-map" ref={containerRef} data-testid="field-map" data-state={mapState}>
          {mapState === 'loading' && <p className="fp-map-loading">{f.mapLoading}</p>}
        </div>
      )}
      <div className="fp-place-row">
        <button
          type="button"
          className="button fp-locate"
          onClick={locateMe}
          disabled={locate.status === 'locating'}
          data-testid="use-my-location"
        >
          <span aria-hidden="true">◎ </span>
          {locate.status === 'locating' ? f.locating : f.useMyLocation}
        </button>
        <button
          type="button"
          className="button fp-map-toggle"
          aria-expanded={mapWanted}
          onClick={() => setMapState(mapWanted ? 'closed' : 'loading')}
          data-testid="toggle-map"
        >
          {mapWanted ? f.hideMap : f.showMap}
        </button>
      </div>
      {locate.status === 'failed' && (
        <p className="fp-warning" role="alert">
          {locate.message}
        </p>
      )}
      {place ? (
        <div className="fp-place" data-testid="chosen-place" data-source={place.source}>
          <span className="fp-pin" aria-hidden="true" />
          <span className="fp-place-text">
            <strong>
              {formatNumber(lang, place.position[0], 6)}, {formatNumber(lang, place.position[1], 6)}
            </strong>
            <small>
              {datumLabel} · {sourceLabel}
              {place.accuracyM !== null && ` · ${fill(f.accuracy, { m: formatNumber(lang, place.accuracyM) })}`}
            </small>
            {place.datum !== 'wgs84' && mapPosition && (
              <small data-testid="converted-place">
                {fill(f.convertedTo, {
                  lng: formatNumber(lang, mapPosition[0], 6),
                  lat: formatNumber(lang, mapPosition[1], 6),
                })}
              </small>
            )}
            {place.accuracyM !== null && place.accuracyM > POOR_ACCURACY_M && (
              <small className="fp-warning">{f.poorAccuracy}</small>
            )}
          </span>
          <button
            type="button"
            className="icon-button fp-clear"
            aria-label={f.clearPlace}
            title={f.clearPlace}
            onClick={() => onPlace(null)}
          >
            ×
          </button>
        </div>
      ) : (
        <p className="fp-hint" data-testid="place-hint">
          {online ? f.placeHint : f.placeHintOffline}
        </p>
      )}
      <details className="fp-coordinates" open={coordinates.text !== '' || undefined}>
        <summary>{f.enterCoordinates}</summary>
        <label className="fp-field">
          <span>{f.coordinatesLabel}</span>
          <input
            className="input"
            inputMode="text"
            autoComplete="off"
            spellCheck={false}
            placeholder={f.coordinatesPlaceholder}
            value={coordinates.text}
            onChange={(event) => onCoordinates({ ...coordinates, text: event.target.value })}
            data-testid="coordinates-input"
          />
        </label>
        <fieldset className="fp-datum">
          <legend>{f.datum}</legend>
          {DATUM_CHOICES.map((choice) => (
            <label key={choice.datum} className="fp-choice" data-checked={coordinates.datum === choice.datum}>
              <input
                type="radio"
                name="fp-datum"
                value={choice.datum}
                checked={coordinates.datum === choice.datum}
                onChange={() => onCoordinates({ ...coordinates, datum: choice.datum })}
              />
              <span>{f[choice.label]}</span>
              <small>{f[choice.hint]}</small>
            </label>
          ))}
        </fieldset>
        {parseMessage && (
          <p className={parsed.ok ? 'fp-hint' : 'fp-warning'} data-testid="coordinates-reading">
            {parseMessage}
          </p>
        )}
        <button type="button" className="button" disabled={!parsed.ok} onClick={applyTyped} data-testid="use-coordinates">
          {f.useCoordinates}
        </button>
      </details>
    </section>
  );
}
