import type { FormEvent } from 'react';
import { useId, useState } from 'react';
import { CASE_STEP_LABELS, REQUEST_KIND_LABELS } from '../../api/vocabulary/case-states.ts';
import { labelOf } from '../../api/vocabulary/label.ts';
import { ApiError } from '../api-client.ts';
import { newClientId } from '../client-id.ts';
import { MAX_PHOTOS, resizePhoto } from '../field/photos.ts';
import { handleError, showNotice } from '../handle-error.ts';
import { fill, type Language } from '../i18n.ts';
import { CLOCK_NAMES, LIMIT_UNIT_NAMES, useCaseStrings } from './case-strings.ts';
import type { CaseActionBody, CaseActionName, CaseDetail } from './cases-api.ts';
import { actOnCase, uploadCasePhotos } from './cases-api.ts';
import { DepartmentOptions } from './department-options.tsx';

/** Actions that may carry photos of the work (before and after). */
const WITH_PHOTOS: ReadonlySet<CaseActionName> = new Set(['handle', 'feedback', 'on_spot']);

/** Actions whose note the server requires (api/cases/service.ts); the form asks before sending. */
const NOTE_REQUIRED: ReadonlySet<CaseActionName> = new Set([
  'reject',
  'handle',
  'feedback',
  'on_spot',
  'supervise',
  'request_extension',
  'request_send_back',
  'request_park',
  'request_cancel',
]);

/** Actions that end or turn back a case: their button is drawn as a warning. */
const CAUTION: ReadonlySet<CaseActionName> = new Set(['reject', 'deny', 'request_cancel', 'request_send_back']);

interface ActionForm {
  note: string;
  townshipCode: string;
  departmentCode: string;
  coDepartmentCodes: string[];
  passed: '' | 'yes' | 'no';
  amount: string;
  /** On the case's own clock (natural or working time). */
  unit: 'hours' | 'days';
  /** Resized on the device, uploaded when the form is sent. */
  photos: Blob[];
}

function emptyForm(detail: CaseDetail): ActionForm {
  return {
    note: '',
    townshipCode: detail.townshipCode,
    departmentCode: '',
    coDepartmentCodes: [],
    passed: '',
    amount: '1',
    unit: 'days',
    photos: [],
  };
}

/** The unit of an extension as the case's clock counts it: 工作小时 / 工作日 on working time, 小时 / 天 on natural time. */
function extensionUnitName(lang: Language, unit: 'hours' | 'days', clock: string | null): string {
  if (clock === 'working') return labelOf(LIMIT_UNIT_NAMES, lang, unit === 'hours' ? 'work_hours' : 'work_days');
  return labelOf(LIMIT_UNIT_NAMES, lang, unit);
}

interface CaseActionsProps {
  detail: CaseDetail;
  /** The case after an action; also after a refusal that found the case changed (reload it). */
  onChanged: (next: CaseDetail | null) => void;
}

/**
 * The next actions the server lists for this viewer (`nextActions`), as buttons; each opens the
 * few fields it needs (dispatch: township and departments; check: passed or not; extension: how
 * long), and sends them with the case version seen and a client id
 * made once per form, so a retried submit is applied once.
 */
export function CaseActions({ detail, onChanged }: CaseActionsProps) {
  const { lang, c } = useCaseStrings();
  const formId = useId();
  const [open, setOpen] = useState<{ action: CaseActionName; clientId: string } | null>(null);
  const [form, setForm] = useState<ActionForm>(() => emptyForm(detail));
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const choose = (action: CaseActionName) => {
    setProblem(null);
    setForm(emptyForm(detail));
    setOpen((current) => (current?.action === action ? null : { action, clientId: newClientId() }));
  };

  const set = <K extends keyof ActionForm>(name: K, value: ActionForm[K]) =>
    setForm((current) => ({ ...current, [name]: value }));

  const bodyOf = (action: CaseActionName, clientId: string): CaseActionBody | string => {
    const note = form.note.trim();
    const body: CaseActionBody = { action, clientId, version: detail.version, ...(note ? { note } : {}) };
    if (NOTE_REQUIRED.has(action) && !note) return c.noteRequired;
    switch (action) {
      case 'dispatch':
        if (!form.townshipCode && !form.departmentCode) return c.dispatchTargetRequired;
        if (form.townshipCode) body.townshipCode = form.townshipCode;
        if (form.departmentCode) {
          body.departmentCode = form.departmentCode;
          const co = form.coDepartmentCodes.filter((code) => code !== form.departmentCode);
          if (co.length > 0) body.coDepartmentCodes = co;
        }
        return body;
      case 'check':
        if (!form.passed) return c.checkResultRequired;
        if (form.passed === 'no' && !note) return c.noteRequired;
        body.passed = form.passed === 'yes';
        return body;
      case 'request_extension': {
        const amount = Number(form.amount);
        if (!Number.isInteger(amount) || amount < 1 || amount > 250) return c.extensionAmountInvalid;
        body.amount = amount;
        body.unit = form.unit;
        return body;
      }
      default:
        return body;
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!open || busy) return;
    const body = bodyOf(open.action, open.clientId);
    if (typeof body === 'string') {
      setProblem(body);
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      if (WITH_PHOTOS.has(open.action) && form.photos.length > 0) {
        body.photoIds = await uploadCasePhotos(detail.id, form.photos);
      }
      const result = await actOnCase(detail.id, body);
      showNotice(fill(c.actionDone, { action: labelOf(CASE_STEP_LABELS, lang, open.action) }), result.case.caseNumber);
      setOpen(null);
      onChanged(result.case);
    } catch (error) {
      handleError(error, c.actionFailed);
      // Someone else moved the case: show its state now; the next submit gets a new client id.
      if (error instanceof ApiError && (error.code === 'stale_case' || error.code === 'illegal_transition')) {
        setOpen(null);
        onChanged(null);
      }
    } finally {
      setBusy(false);
    }
  };

  const pending = detail.pendingRequest;
  // The resident's score is a return call (回访), whose form is the evaluation section's (case-evaluations.tsx).
  const actions = detail.nextActions.filter((action) => action !== 'evaluate');
  /** The step forward the workflow expects next: drawn as the main button. */
  const mainAction = actions.find((action) => !CAUTION.has(action) && action !== 'supervise');

  return (
    <section className="case-actions" data-testid="case-actions" aria-label={c.nextActions}>
      <h3>{c.nextActions}</h3>
      {pending && (
        <p className="pending-request" data-testid="pending-request">
          <strong>
            {c.pendingRequest}：{labelOf(REQUEST_KIND_LABELS, lang, pending.kind)}
            {pending.amount !== undefined && ` +${pending.amount} ${labelOf(LIMIT_UNIT_NAMES, lang, pending.unit)}`}
          </strong>
          <span>
            {pending.requestedBy.name} · {pending.reason}
          </span>
        </p>
      )}
      {actions.length === 0 ? (
        <p className="muted">{c.noActions}</p>
      ) : (
        <div className="action-buttons">
          {actions.map((action) => (
            <button
              key={action}
              type="button"
              className={`button ${CAUTION.has(action) ? 'danger' : action === mainAction ? 'primary' : ''}`.trim()}
              data-action={action}
              aria-expanded={open?.action === action}
              onClick={() => choose(action)}
            >
              {labelOf(CASE_STEP_LABELS, lang, action)}
            </button>
          ))}
        </div>
      )}
      {open && (
        <form className="action-form" onSubmit={submit} data-action={open.action} noValidate>
          <h4>{labelOf(CASE_STEP_LABELS, lang, open.action)}</h4>
          {open.action === 'dispatch' && (
            <>
              <div className="field">
                <label htmlFor={`${formId}-township`}>{c.township}</label>
                <select
                  id={`${formId}-township`}
                  className="input"
                  name="townshipCode"
                  value={form.townshipCode}
                  onChange={(event) => set('townshipCode', event.target.value)}
                >
                  <option value="">{c.noTownship}</option>
                  <option value={detail.townshipCode}>{detail.areas.township.name ?? detail.townshipCode}</option>
                </select>
              </div>
              <div className="field">
                <label htmlFor={`${formId}-department`}>{c.department}</label>
                <select
                  id={`${formId}-department`}
                  className="input"
                  name="departmentCode"
                  value={form.departmentCode}
                  onChange={(event) => set('departmentCode', event.target.value)}
                >
                  <option value="">{c.noDepartment}</option>
                  <DepartmentOptions />
                </select>
              </div>
              {form.departmentCode && (
                <div className="field">
                  <label htmlFor={`${formId}-co`}>{c.coDepartments}</label>
                  <select
                    id={`${formId}-co`}
                    className="input co-departments"
                    multiple
                    size={5}
                    value={form.coDepartmentCodes}
                    onChange={(event) =>
                      set(
                        'coDepartmentCodes',
                        Array.from(event.target.selectedOptions, (option) => option.value),
                      )
                    }
                  >
                    <DepartmentOptions exclude={form.departmentCode} />
                  </select>
                </div>
              )}
            </>
          )}
          {open.action === 'check' && (
            <fieldset className="choice-row">
              <legend>{c.checkResult}</legend>
              {(['yes', 'no'] as const).map((value) => (
                <label key={value} className="choice">
                  <input
                    type="radio"
                    name="passed"
                    value={value}
                    checked={form.passed === value}
                    onChange={() => set('passed', value)}
                  />
                  {value === 'yes' ? c.checkPassed : c.checkFailed}
                </label>
              ))}
            </fieldset>
          )}
          {open.action === 'request_extension' && (
            <div className="field-row">
              <div className="field">
                <label htmlFor={`${formId}-amount`}>{c.extensionAmount}</label>
                <input
                  id={`${formId}-amount`}
                  className="input"
                  type="number"
                  min={1}
                  max={250}
                  inputMode="numeric"
                  value={form.amount}
                  onChange={(event) => set('amount', event.target.value)}
                />
              </div>
              <div className="field">
                <label htmlFor={`${formId}-unit`}>{c.extensionUnit}</label>
                <select
                  id={`${formId}-unit`}
                  className="input"
                  value={form.unit}
                  onChange={(event) => set('unit', event.target.value as ActionForm['unit'])}
                >
                  <option value="hours">{extensionUnitName(lang, 'hours', detail.limitClock)}</option>
                  <option value="days">{extensionUnitName(lang, 'days', detail.limitClock)}</option>
                </select>
              </div>
            </div>
          )}
          {open.action === 'request_extension' && detail.limitClock && (
            <p className="field-hint muted">
              {fill(c.extensionClockNote, { clock: labelOf(CLOCK_NAMES, lang, detail.limitClock) })}
            </p>
          )}
          {WITH_PHOTOS.has(open.action) && (
            <div className="field">
              <label htmlFor={`${formId}-photos`}>
                {lang === 'zh' ? `处置照片（最多 ${MAX_PHOTOS} 张）` : `Photos of the work (up to ${MAX_PHOTOS})`}
              </label>
              <input
                id={`${formId}-photos`}
                className="input"
                type="file"
                accept="image/*"
                multiple
                onChange={async (event) => {
                  const files = [...(event.target.files ?? [])].slice(0, MAX_PHOTOS);
                  try {
                    set(
                      'photos',
                      (await Promise.all(files.map(resizePhoto))).map((photo) => photo.blob),
                    );
                  } catch (error) {
                    handleError(error);
                  }
                }}
              />
              {form.photos.length > 0 && <small className="muted">{form.photos.length}</small>}
            </div>
          )}
          <div className="field">
            <label htmlFor={`${formId}-note`}>
              {c.note}
              {NOTE_REQUIRED.has(open.action) || (open.action === 'check' && form.passed === 'no') ? ' *' : ''}
            </label>
            <textarea
              id={`${formId}-note`}
              className="input note-input"
              name="note"
              rows={2}
              maxLength={2000}
              placeholder={c.notePlaceholder}
              value={form.note}
              onChange={(event) => set('note', event.target.value)}
            />
          </div>
          {problem && (
            <p className="form-error" role="alert">
              {problem}
            </p>
          )}
          <div className="dialog-actions">
            <button type="button" className="button" disabled={busy} onClick={() => setOpen(null)}>
              {c.cancelEdit}
            </button>
            <button type="submit" className="button primary" disabled={busy} data-testid="submit-action">
              {busy ? '…' : c.submitAction}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
