import type { ChangeEvent, FormEvent } from 'react';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { CASE_STATE_LABELS, CASE_STEP_LABELS, isWorkAction, REQUEST_KIND_LABELS } from '../../api/vocabulary/case-states.ts';
import { labelOf } from '../../api/vocabulary/label.ts';
import { REPORT_TYPES, URGENCY_LABELS } from '../../api/vocabulary/report-types.ts';
import { AppLink } from '../app-link.tsx';
import { photoUrl } from '../cases/cases-api.ts';
import { useCaseDetail } from '../cases/use-case-detail.ts';
import { newClientId } from '../client-id.ts';
import { handleError, showNotice } from '../handle-error.ts';
import { formatDateTime } from '../i18n.ts';
import { casePath } from '../routes.ts';
import { useFieldStrings } from './field-strings.ts';
import type { WorkAction } from './my-work-api.ts';
import { useMyWorkStrings } from './my-work-strings.ts';
import { areaPath } from './outbox-list.tsx';
import type { StoredPhoto } from './photos.ts';
import { MAX_PHOTOS, resizePhoto, UnreadablePhotoError } from './photos.ts';
import { acknowledgeCase, deadlineText, LightChip, takeWorkAction, useNow, WorkActionButtons } from './work-parts.tsx';
import { WorkTimeline } from './work-timeline.tsx';

/** The two actions that need a note, and may carry photos of the work. */
type NoteAction = Exclude<WorkAction, 'acknowledge'>;

interface ActionForm {
  action: NoteAction;
  /** Made when the form opens and kept through retries: the server applies the action once. */
  clientId: string;
  note: string;
  photos: StoredPhoto[];
}

/** Object URLs of the form's photos for their thumbnails, revoked when a photo leaves or the form closes. */
function useThumbnails(photos: readonly StoredPhoto[]): ReadonlyMap<string, string> {
  const urls = useRef(new Map<string, string>());
  const current = useMemo(() => {
    const next = new Map<string, string>();
    for (const photo of photos) next.set(photo.id, urls.current.get(photo.id) ?? URL.createObjectURL(photo.blob));
    for (const [id, url] of urls.current) if (!next.has(id)) URL.revokeObjectURL(url);
    urls.current = next;
    return next;
  }, [photos]);
  useEffect(
    () => () => {
      for (const url of urls.current.values()) URL.revokeObjectURL(url);
    },
    [],
  );
  return current;
}

/**
 * One case of the work tab at phone width: what, where, its deadline and light, the report's
 * photos, the timeline, and the inbox actions the server lists for this account now: 签收 at
 * once, 处置进展 and 处置反馈 with a note and photos of the work (resized on the phone first).
 * Kept current by the live feed; an action that fails on the network keeps the form and its
 * client id, so sending it again is applied once.
 */
export function WorkCase({
  caseId,
  initialAction,
  onBack,
  onActed,
}: {
  caseId: string;
  initialAction: WorkAction | null;
  onBack: () => void;
  onActed: (action: WorkAction) => void;
}) {
  const { w, lang } = useMyWorkStrings();
  const { f } = useFieldStrings();
  const formId = useId();
  const now = useNow();
  const { detail, failed, reload, show } = useCaseDetail(caseId);
  const [form, setForm] = useState<ActionForm | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [preparing, setPreparing] = useState(0);
  const acknowledgement = useRef<{ version: number; clientId: string } | null>(null);
  const preselected = useRef(initialAction);
  const thumbnails = useThumbnails(form?.photos ?? []);

  const work = (detail?.nextActions ?? []).filter(isWorkAction);
  const others = (detail?.nextActions ?? []).filter((action) => !isWorkAction(action));

  const openForm = (action: NoteAction) => {
    setProblem(null);
    setForm((current) => (current?.action === action ? current : { action, clientId: newClientId(), note: '', photos: [] }));
  };

  // Opened from a card's 处置进展 or 处置反馈: that form is open once the case is read.
  useEffect(() => {
    const wanted = preselected.current;
    if (!detail || !wanted || wanted === 'acknowledge') return;
    preselected.current = null;
    if (detail.nextActions.includes(wanted)) setForm({ action: wanted, clientId: newClientId(), note: '', photos: [] });
  }, [detail]);

  if (!detail) {
    return (
      <section className="fp-work-case" data-testid="work-case">
        <button type="button" className="button fp-work-back" onClick={onBack}>
          ‹ {w.backToWork}
        </button>
        <p className="fp-empty">{failed ? w.loadFailed : '…'}</p>
      </section>
    );
  }

  const acknowledge = async () => {
    if (busy) return;
    setBusy(true);
    const outcome = await acknowledgeCase(detail, acknowledgement, w);
    setBusy(false);
    if (outcome.kind === 'done') {
      show(outcome.detail);
      onActed('acknowledge');
    } else if (outcome.kind === 'stale') reload();
  };

  const addPhotos = async (event: ChangeEvent<HTMLInputElement>) => {
    const input = event.target;
    const room = MAX_PHOTOS - (form?.photos.length ?? 0);
    const files = [...(input.files ?? [])].slice(0, Math.max(0, room));
    input.value = '';
    if (files.length === 0) return;
    setPreparing((n) => n + files.length);
    try {
      for (const file of files) {
        try {
          const photo = await resizePhoto(file);
          setForm((current) => (current ? { ...current, photos: [...current.photos, photo].slice(0, MAX_PHOTOS) } : current));
        } catch (error) {
          if (error instanceof UnreadablePhotoError) setProblem(error.fileName);
          else handleError(error);
        }
      }
    } finally {
      setPreparing((n) => n - files.length);
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!form || busy || preparing > 0) return;
    const note = form.note.trim();
    if (!note) {
      setProblem(w.noteRequired);
      return;
    }
    setBusy(true);
    setProblem(null);
    const outcome = await takeWorkAction(
      {
        caseId,
        version: detail.version,
        action: form.action,
        clientId: form.clientId,
        note,
        photos: form.photos.map((photo) => photo.blob),
      },
      w,
    );
    setBusy(false);
    if (outcome.kind === 'retry') {
      setProblem(w.actionRetry);
      return;
    }
    if (outcome.kind === 'stale') {
      setForm(null);
      reload();
      return;
    }
    if (outcome.kind !== 'done') return;
    const action = form.action;
    setForm(null);
    show(outcome.detail);
    showNotice(action === 'feedback' ? w.fedBack : w.handled, detail.caseNumber);
    onActed(action);
  };

  const reportPhotos = detail.steps[0]?.photoIds ?? [];
  const assigned = [
    detail.assignedTownshipCode ? (detail.areas.township.name ?? detail.assignedTownshipCode) : null,
    detail.assignedDepartmentName,
    ...detail.coDepartments.map((department) => department.name ?? department.code),
  ].filter(Boolean);

  return (
    <section
      className="fp-work-case"
      data-testid="work-case"
      data-case-id={detail.id}
      data-state={detail.state}
      data-version={detail.version}
    >
      <div className="fp-work-case-bar">
        <button type="button" className="button fp-work-back" onClick={onBack} data-testid="work-back">
          ‹ {w.backToWork}
        </button>
        <span className="fp-case-number">{detail.caseNumber}</span>
      </div>

      <article className="fp-card fp-work-card" data-light={detail.light}>
        <div className="fp-card-head">
          <strong>{labelOf(REPORT_TYPES, lang, detail.type)}</strong>
          {detail.urgency === 'urgent' && <span className="fp-urgent-tag">{URGENCY_LABELS.urgent[lang]}</span>}
          {detail.supervised && <span className="fp-supervised-tag">{w.supervised}</span>}
          <span className="fp-case-state" data-testid="work-case-state">
            {labelOf(CASE_STATE_LABELS, lang, detail.state)}
          </span>
        </div>
        <p className="fp-work-deadline">
          <LightChip light={detail.light} lang={lang} />
          <span>{deadlineText(detail, now, w, lang)}</span>
        </p>
        <dl className="fp-work-facts">
          <div>
            <dt>{w.place}</dt>
            <dd>{areaPath(detail.areas)}</dd>
          </div>
          <div>
            <dt>{w.reporter}</dt>
            <dd>
              {detail.reporterName} · {formatDateTime(detail.reportedAt).slice(5, 16)}
            </dd>
          </div>
          {assigned.length > 0 && (
            <div>
              <dt>{w.assignedTo}</dt>
              <dd>{assigned.join('、')}</dd>
            </div>
          )}
        </dl>
        {detail.description && <p className="fp-card-text">{detail.description}</p>}
        {detail.pendingRequest && (
          <p className="fp-card-note">
            {labelOf(REQUEST_KIND_LABELS, lang, detail.pendingRequest.kind)} · {detail.pendingRequest.reason}
          </p>
        )}
        {reportPhotos.length > 0 && (
          <ul className="fp-thumbs fp-work-photos" aria-label={w.reportPhotos}>
            {reportPhotos.map((photoId) => (
              <li key={photoId}>
                <a href={photoUrl(detail.id, photoId)} target="_blank" rel="noreferrer">
                  <img src={photoUrl(detail.id, photoId)} alt={w.reportPhotos} loading="lazy" />
                </a>
              </li>
            ))}
          </ul>
        )}
      </article>

      <section className="fp-work-action-panel" data-testid="work-actions">
        {work.length === 0 && <p className="fp-empty">{w.noActionsNow}</p>}
        <WorkActionButtons
          actions={work}
          busy={busy}
          lang={lang}
          w={w}
          onAcknowledge={() => void acknowledge()}
          onOpen={openForm}
          openAction={form?.action ?? null}
        />
        {work.includes('acknowledge') && <p className="fp-card-meta">{w.acknowledgeHint}</p>}

        {form && (
          <form className="fp-work-form" onSubmit={submit} noValidate data-action={form.action} data-testid="work-form">
            <h2 className="fp-label">{labelOf(CASE_STEP_LABELS, lang, form.action)}</h2>
            <label className="fp-label" htmlFor={`${formId}-note`}>
              {w.note} *
            </label>
            <textarea
              id={`${formId}-note`}
              className="input"
              rows={3}
              maxLength={2000}
              placeholder={form.action === 'feedback' ? w.notePlaceholderFeedback : w.notePlaceholderHandle}
              value={form.note}
              onChange={(event) => {
                const note = event.target.value;
                setForm((current) => (current ? { ...current, note } : current));
              }}
              data-testid="work-note"
            />
            <p className="fp-label">
              {w.workPhotos}{' '}
              <small className="muted">
                {form.photos.length}/{MAX_PHOTOS}
              </small>
            </p>
            {form.photos.length > 0 && (
              <ul className="fp-thumbs">
                {form.photos.map((photo) => (
                  <li key={photo.id}>
                    <img src={thumbnails.get(photo.id)} alt="" width={photo.width} height={photo.height} />
                    <button
                      type="button"
                      className="fp-thumb-remove"
                      aria-label={f.removePhoto}
                      onClick={() =>
                        setForm((current) =>
                          current ? { ...current, photos: current.photos.filter((kept) => kept.id !== photo.id) } : current,
                        )
                      }
                    >
                      ×
                    </button>
                  </li>
                ))}
              </ul>
            )}
            {form.photos.length + preparing < MAX_PHOTOS && (
              <div className="fp-photo-buttons">
                <label className="button fp-add-photos">
                  <input
                    type="file"
                    accept="image/*"
                    capture="environment"
                    multiple
                    onChange={(event) => void addPhotos(event)}
                    data-testid="work-photo-input"
                  />
                  {f.takePhoto}
                </label>
                <label className="button fp-add-photos">
                  <input type="file" accept="image/*" multiple onChange={(event) => void addPhotos(event)} />
                  {f.choosePhotos}
                </label>
              </div>
            )}
            {preparing > 0 && <p className="fp-card-meta">…</p>}
            {problem && (
              <p className="fp-card-refusal" role="alert">
                {problem}
              </p>
            )}
            <div className="fp-work-form-buttons">
              <button type="button" className="button" disabled={busy} onClick={() => setForm(null)}>
                {w.cancel}
              </button>
              <button type="submit" className="button primary" disabled={busy || preparing > 0} data-testid="work-submit">
                {busy ? w.sending : w.send}
              </button>
            </div>
          </form>
        )}
        {others.length > 0 && (
          <p className="fp-card-meta">
            <AppLink href={casePath(detail.id)}>{w.moreActions}</AppLink>
          </p>
        )}
      </section>

      <WorkTimeline detail={detail} />
    </section>
  );
}
