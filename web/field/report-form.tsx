import type { ChangeEvent, FormEvent } from 'react';
import { useEffect, useMemo, useState } from 'react';
import { REPORT_TYPE_CODES, REPORT_TYPES, URGENCIES, URGENCY_LABELS } from '../../api/vocabulary/report-types.ts';
import { handleError } from '../handle-error.ts';
import { fill } from '../i18n.ts';
import { useFieldStrings } from './field-strings.ts';
import type { StoredPhoto } from './photos.ts';
import { MAX_PHOTOS, resizePhoto, UnreadablePhotoError } from './photos.ts';
import { PlacePicker } from './place-picker.tsx';
import type { ReportDraft } from './report-draft.ts';

/** The server's limit on the description, in characters. */
const MAX_DESCRIPTION_CHARS = 2000;

interface ReportFormProps {
  draft: ReportDraft;
  onDraft: (change: (draft: ReportDraft) => ReportDraft) => void;
  /** Puts the finished report in the outbox; resolves once it is stored on the phone. */
  onSubmit: () => Promise<void>;
  online: boolean;
}

/** Object URLs for the thumbnails, made once per photo and let go when the photo leaves the form. */
function useThumbnails(photos: StoredPhoto[]): Map<string, string> {
  const urls = useMemo(() => new Map(photos.map((photo) => [photo.id, URL.createObjectURL(photo.blob)])), [photos]);
  useEffect(
    () => () => {
      for (const url of urls.values()) URL.revokeObjectURL(url);
    },
    [urls],
  );
  return urls;
}

/**
 * The report form: place, type, urgency, description, photos. Each change goes to the draft at once
 * (the page stores it on the phone), so a reload or a closed tab loses nothing. Sending needs a
 * place, a type and a description; without network the report goes to the outbox all the same.
 */
export function ReportForm({ draft, onDraft, onSubmit, online }: ReportFormProps) {
  const { f, lang } = useFieldStrings();
  const [preparing, setPreparing] = useState(0);
  const [submitting, setSubmitting] = useState(false);
  const [tried, setTried] = useState(false);
  const thumbnails = useThumbnails(draft.photos);

  const missing = !draft.place
    ? f.missingPlace
    : !draft.type
      ? f.missingType
      : !draft.description.trim()
        ? f.missingDescription
        : null;

  const addPhotos = async (event: ChangeEvent<HTMLInputElement>) => {
    const input = event.currentTarget;
    const files = Array.from(input.files ?? []);
    input.value = '';
    const room = MAX_PHOTOS - draft.photos.length - preparing;
    if (files.length > room) handleError(new Error(fill(f.photoLimit, { max: MAX_PHOTOS })), f.photos);
    const taken = files.slice(0, Math.max(0, room));
    setPreparing((count) => count + taken.length);
    for (const file of taken) {
      try {
        const photo = await resizePhoto(file);
        onDraft((current) =>
          current.photos.length >= MAX_PHOTOS ? current : { ...current, photos: [...current.photos, photo] },
        );
      } catch (error) {
        handleError(
          error instanceof UnreadablePhotoError ? new Error(fill(f.photoUnreadable, { name: error.fileName })) : error,
          f.photos,
        );
      } finally {
        setPreparing((count) => count - 1);
      }
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (missing || preparing > 0 || submitting) return;
    setSubmitting(true);
    try {
      await onSubmit();
      setTried(false);
    } catch (error) {
      handleError(error);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <form className="fp-form" onSubmit={submit} noValidate data-testid="report-form">
      <PlacePicker
        place={draft.place}
        onPlace={(place) => onDraft((current) => ({ ...current, place }))}
        coordinates={draft.coordinates}
        onCoordinates={(coordinates) => onDraft((current) => ({ ...current, coordinates }))}
      />

      <fieldset className="fp-section">
        <legend className="fp-label">{f.type}</legend>
        <div className="fp-types">
          {REPORT_TYPE_CODES.map((code) => {
            const type = REPORT_TYPES[code];
            return (
              <button
                key={code}
                type="button"
                className="fp-type"
                aria-pressed={draft.type === code}
                data-geohazard={type.geohazard}
                data-type={code}
                onClick={() => onDraft((current) => ({ ...current, type: code }))}
              >
                <span className="fp-type-zh">{type.zh}</span>
                {lang === 'en' && <small>{type.en}</small>}
              </button>
            );
          })}
        </div>
      </fieldset>

      <fieldset className="fp-section">
        <legend className="fp-label">{f.urgency}</legend>
        <div className="fp-urgency">
          {URGENCIES.map((urgency) => (
            <button
              key={urgency}
              type="button"
              className="fp-urgency-choice"
              data-urgency={urgency}
              aria-pressed={draft.urgency === urgency}
              onClick={() => onDraft((current) => ({ ...current, urgency }))}
            >
              {URGENCY_LABELS[urgency][lang]}
            </button>
          ))}
        </div>
      </fieldset>

      <label className="fp-section fp-field">
        <span className="fp-label">{f.description}</span>
        <textarea
          className="input fp-description"
          rows={4}
          maxLength={MAX_DESCRIPTION_CHARS}
          placeholder={f.descriptionPlaceholder}
          value={draft.description}
          onChange={(event) => {
            const description = event.target.value;
            onDraft((current) => ({ ...current, description }));
          }}
          data-testid="description"
        />
        <small className="fp-count">
          {draft.description.length}/{MAX_DESCRIPTION_CHARS}
        </small>
      </label>

      <section className="fp-section" aria-labelledby="fp-photos-title">
        <h2 id="fp-photos-title" className="fp-label">
          {f.photos} <small className="muted">{fill(f.photoCount, { n: draft.photos.length, max: MAX_PHOTOS })}</small>
        </h2>
        <ul className="fp-thumbs">
          {draft.photos.map((photo) => (
            <li key={photo.id}>
              <img src={thumbnails.get(photo.id)} alt="" width={photo.width} height={photo.height} />
              <button
                type="button"
                className="fp-thumb-remove"
                aria-label={f.removePhoto}
                title={f.removePhoto}
                onClick={() =>
                  onDraft((current) => ({ ...current, photos: current.photos.filter((kept) => kept.id !== photo.id) }))
                }
              >
                ×
              </button>
            </li>
          ))}
          {Array.from({ length: preparing }, (_, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: placeholders while photos are compressed, nothing to identify them by.
            <li key={`preparing-${index}`} className="fp-thumb-preparing" aria-label={f.preparingPhotos} />
          ))}
        </ul>
        {draft.photos.length + preparing < MAX_PHOTOS && (
          <div className="fp-photo-buttons">
            {/* The camera straight away; on a desk, where there is none, the same file chooser as the other button. */}
            <label className="button fp-add-photos">
              <input
                type="file"
                accept="image/*"
                capture="environment"
                multiple
                onChange={(event) => {
                  addPhotos(event).catch(handleError);
                }}
                data-testid="photo-input"
              />
              {f.takePhoto}
            </label>
            {/* A phone's camera input offers no gallery: photos taken earlier come through this one. */}
            <label className="button fp-add-photos">
              <input
                type="file"
                accept="image/*"
                multiple
                onChange={(event) => {
                  addPhotos(event).catch(handleError);
                }}
                data-testid="photo-gallery-input"
              />
              {f.choosePhotos}
            </label>
          </div>
        )}
        {preparing > 0 && <p className="fp-hint">{f.preparingPhotos}</p>}
      </section>

      <div className="fp-submit-row">
        {tried && missing && (
          <p className="fp-warning" role="alert" data-testid="form-missing">
            {missing}
          </p>
        )}
        <button
          type="submit"
          className="button primary fp-submit"
          data-urgent={draft.urgency === 'urgent'}
          disabled={submitting || preparing > 0}
          data-testid="submit-report"
        >
          {online ? f.submit : f.submitOffline}
        </button>
      </div>
    </form>
  );
}
