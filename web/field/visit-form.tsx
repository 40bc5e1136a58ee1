import { type FormEvent, useEffect, useState } from 'react';
import { labelOf } from '../../api/vocabulary/label.ts';
import {
  SPECIAL_CATEGORIES,
  VISIT_MODE_CODES,
  VISIT_MODES,
  VISIT_OUTCOME_CODES,
  VISIT_OUTCOMES,
  type VisitMode,
  type VisitOutcome,
} from '../../api/vocabulary/special-populations.ts';
import { greatCircleMetres } from '../../geo/great-circle-metres.ts';
import { handleError } from '../handle-error.ts';
import { fill } from '../i18n.ts';
import { resizePhoto } from './photos.ts';
import { useVisitStrings } from './visit-strings.ts';
import type { DuePerson, VisitInput } from './visits-api.ts';

/** A fix this far (m) from the household is worth a word: the visitor may be at the wrong door. */
const FAR_FROM_HOME_M = 300;
const GEOLOCATION_OPTIONS: PositionOptions = { enableHighAccuracy: true, timeout: 20_000, maximumAge: 30_000 };

type Locate =
  | { status: 'locating' }
  | { status: 'failed' }
  | { status: 'located'; lng: number; lat: number; accuracyM: number }
  | { status: 'none' };

/**
 * The GPS fix of the visit, taken as soon as the form opens (home and elsewhere visits; a call
 * needs none). The Geolocation API answers in WGS84 whatever map app the phone has.
 */
function useFix(wanted: boolean): Locate {
  const [locate, setLocate] = useState<Locate>({ status: wanted ? 'locating' : 'none' });
  useEffect(() => {
    if (!wanted) {
      setLocate({ status: 'none' });
      return;
    }
    if (!('geolocation' in navigator)) {
      setLocate({ status: 'failed' });
      return;
    }
    let cancelled = false;
    setLocate((current) => (current.status === 'located' ? current : { status: 'locating' }));
    navigator.geolocation.getCurrentPosition(
      (fix) => {
        if (cancelled) return;
        const accuracyM = Number.isFinite(fix.coords.accuracy) ? Math.round(fix.coords.accuracy * 10) / 10 : 0;
        setLocate({ status: 'located', lng: fix.coords.longitude, lat: fix.coords.latitude, accuracyM });
      },
      () => {
        if (!cancelled) setLocate({ status: 'failed' });
      },
      GEOLOCATION_OPTIONS,
    );
    return () => {
      cancelled = true;
    };
  }, [wanted]);
  return locate;
}

/**
 * The short form of one visit: the outcome preselected as the person's most common, how, notes and
 * a photo; the fix taken by itself with the distance to the address shown. One tap logs it.
 */
export function VisitForm({
  person,
  onSubmit,
  onCancel,
}: {
  person: DuePerson;
  onSubmit: (visit: Omit<VisitInput, 'clientId'>, photo: Blob | null) => Promise<void>;
  onCancel: () => void;
}) {
  const { v, lang } = useVisitStrings();
  const [outcome, setOutcome] = useState<VisitOutcome>(person.usualOutcome);
  const [mode, setMode] = useState<VisitMode>(person.usualMode);
  const [notes, setNotes] = useState('');
  const [photo, setPhoto] = useState<Blob | null>(null);
  const [saving, setSaving] = useState(false);
  const locate = useFix(mode === 'home' || mode === 'elsewhere');
  const distance =
    locate.status === 'located' && person.position
      ? Math.round(greatCircleMetres([locate.lng, locate.lat], person.position))
      : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (saving) return;
    setSaving(true);
    const visit: Omit<VisitInput, 'clientId'> = {
      personId: person.id,
      visitedAt: new Date().toISOString(),
      mode,
      outcome,
      notes: notes.trim() || null,
      fix: locate.status === 'located' ? { lng: locate.lng, lat: locate.lat, accuracyM: locate.accuracyM, datum: 'wgs84' } : null,
    };
    onSubmit(visit, photo)
      .catch(handleError)
      .finally(() => setSaving(false));
  };

  return (
    <form className="fv-form" onSubmit={submit} data-testid="visit-form">
      <header className="fv-form-head" data-risk={person.riskColour}>
        <span className="fv-risk" aria-hidden="true" />
        <div>
          <h2>{person.name}</h2>
          <small>
            {labelOf(SPECIAL_CATEGORIES, lang, person.category)}
            {person.address ? ` · ${person.address}` : ''}
          </small>
        </div>
      </header>
      <fieldset className="fp-section">
        <legend className="fp-label">{v.outcome}</legend>
        <div className="fv-choices">
          {VISIT_OUTCOME_CODES.map((code) => (
            <button
              key={code}
              type="button"
              className="fv-choice"
              aria-pressed={outcome === code}
              onClick={() => setOutcome(code)}
              data-outcome={code}
            >
              {VISIT_OUTCOMES[code][lang]}
            </button>
          ))}
        </div>
      </fieldset>
      <fieldset className="fp-section">
        <legend className="fp-label">{v.mode}</legend>
        <div className="fv-choices fv-modes">
          {VISIT_MODE_CODES.map((code) => (
            <button
              key={code}
              type="button"
              className="fv-choice"
              aria-pressed={mode === code}
              onClick={() => setMode(code)}
              data-mode={code}
            >
              {VISIT_MODES[code][lang]}
            </button>
          ))}
        </div>
      </fieldset>
      <p className="fv-fix" data-status={locate.status} data-testid="visit-fix">
        {locate.status === 'locating' && v.locating}
        {locate.status === 'failed' && v.locationFailed}
        {locate.status === 'located' &&
          (distance === null
            ? fill(v.locatedNoAddress, { accuracy: Math.round(locate.accuracyM) })
            : fill(v.located, { accuracy: Math.round(locate.accuracyM), distance }))}
      </p>
      {distance !== null && distance > FAR_FROM_HOME_M && mode === 'home' && <p className="fp-warning">{v.farFromHome}</p>}
      <label className="fp-section fp-field">
        <span className="fp-label">{v.notes}</span>
        <textarea
          className="input"
          rows={2}
          maxLength={2000}
          value={notes}
          onChange={(event) => setNotes(event.target.value)}
          data-testid="visit-notes"
        />
      </label>
      <div className="fp-section fv-photo">
        {photo ? (
          <button type="button" className="button" onClick={() => setPhoto(null)}>
            {v.removePhoto}
          </button>
        ) : (
          <label className="button fp-add-photos">
            {v.photo}
            <input
              type="file"
              accept="image/*"
              capture="environment"
              hidden
              onChange={(event) => {
                const file = event.target.files?.[0];
                event.target.value = '';
                if (file)
                  resizePhoto(file)
                    .then((stored) => setPhoto(stored.blob))
                    .catch(handleError);
              }}
            />
          </label>
        )}
      </div>
      <div className="fv-form-buttons">
        <button type="button" className="button" onClick={onCancel}>
          {v.cancel}
        </button>
        <button type="submit" className="button primary fp-submit" disabled={saving} data-testid="visit-submit">
          {v.submit}
        </button>
      </div>
    </form>
  );
}
