import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useSession } from '../auth/session.ts';
import { newClientId } from '../client-id.ts';
import { handleError, showNotice } from '../handle-error.ts';
import { fill } from '../i18n.ts';
import { SATISFACTION_NAMES } from './case-strings.ts';
import { type CaseDetail, type CaseEvaluation, fetchEvaluations, rateAsParty, recordReturnCall } from './cases-api.ts';
import { useEvaluationStrings } from './evaluation-strings.ts';
import { useDepartmentNames } from './use-departments.ts';
import './case-evaluations.css';

const AFTER_HANDLING = new Set(['handled', 'closed', 'evaluated']);
const AFTER_CLOSE = new Set(['closed', 'evaluated']);

type FormKind = 'return_call' | 'department' | 'grid_worker';

/** 1..5 as radio buttons, each with its word. */
function ScorePicker({ value, onChange, name }: { value: number; onChange: (score: number) => void; name: string }) {
  const { lang, e } = useEvaluationStrings();
  return (
    <fieldset className="choice-row satisfaction">
      <legend>{e.score}</legend>
      {SATISFACTION_NAMES[lang].map((word, index) => (
        <label key={word} className="choice">
          <input type="radio" name={name} value={index + 1} checked={value === index + 1} onChange={() => onChange(index + 1)} />
          {index + 1} · {word}
        </label>
      ))}
    </fieldset>
  );
}

/**
 * The three-party evaluation of a case (三方评价) beside its timeline: the resident's satisfaction
 * (from the reporter, or a return call naming who was called), each department's view, and the
 * grid worker's rating of the departments; with the form the viewer may fill: a commander's return
 * call once the case is closed, a cadre's view once handled, the grid worker's rating once closed.
 */
export function CaseEvaluations({ detail, onChanged }: { detail: CaseDetail; onChanged: () => void }) {
  const { lang, e } = useEvaluationStrings();
  const { me } = useSession();
  const formId = useId();
  const departmentName = useDepartmentNames();
  const { data, refetch } = useQuery({
    queryKey: ['cases', 'case', detail.id, 'evaluations', detail.version],
    queryFn: ({ signal }) => fetchEvaluations(detail.id, signal),
    // A new version of the case (the evaluation just recorded moves it) asks again; until the
    // answer comes the scores already shown stay, rather than flashing back to "waiting".
    placeholderData: keepPreviousData,
  });
  const [open, setOpen] = useState<{ kind: FormKind; clientId: string } | null>(null);
  const [score, setScore] = useState(0);
  const [called, setCalled] = useState({ name: '', phone: '', note: '' });
  const [departmentCode, setDepartmentCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const rows = data ?? [];
  const resident = rows.find((row) => row.party === 'resident');
  const views = rows.filter((row) => row.party === 'department');
  const ratings = rows.filter((row) => row.party === 'grid_worker');
  const handlers = [detail.assignedDepartmentCode, ...detail.coDepartmentCodes].filter((code): code is string => !!code);
  const forms: FormKind[] = [];
  if (detail.nextActions.includes('evaluate') && !resident) forms.push('return_call');
  if (me.role === 'department_cadre' && AFTER_HANDLING.has(detail.state) && views.length === 0 && handlers.length > 0)
    forms.push('department');
  if (
    me.role === 'grid_worker' &&
    AFTER_CLOSE.has(detail.state) &&
    handlers.some((code) => !ratings.some((row) => row.subjectCode === code))
  ) {
    forms.push('grid_worker');
  }

  const choose = (kind: FormKind) => {
    setProblem(null);
    setScore(0);
    setCalled({ name: '', phone: '', note: '' });
    setDepartmentCode(handlers.find((code) => !ratings.some((row) => row.subjectCode === code)) ?? '');
    setOpen((current) => (current?.kind === kind ? null : { kind, clientId: newClientId() }));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!open || busy) return;
    if (score < 1) return setProblem(e.scoreRequired);
    if (open.kind === 'return_call' && (!called.name.trim() || !called.phone.trim())) return setProblem(e.calledRequired);
    setBusy(true);
    setProblem(null);
    try {
      const base = { clientId: open.clientId, score };
      if (open.kind === 'return_call') {
        const note = called.note.trim();
        await recordReturnCall(detail.id, {
          ...base,
          calledName: called.name.trim(),
          calledPhone: called.phone.trim(),
          ...(note ? { note } : {}),
        });
      } else if (open.kind === 'department') {
        await rateAsParty(detail.id, 'department', base);
      } else {
        await rateAsParty(detail.id, 'grid-worker', { ...base, ...(departmentCode ? { departmentCode } : {}) });
      }
      showNotice(e.saved, detail.caseNumber);
      setOpen(null);
      void refetch();
      onChanged();
    } catch (error) {
      handleError(error, e.failed);
    } finally {
      setBusy(false);
    }
  };

  const scoreText = (row: CaseEvaluation) => `${row.score} · ${SATISFACTION_NAMES[lang][row.score - 1] ?? ''}`;
  const label = { return_call: e.returnCall, department: e.giveView, grid_worker: e.rateDepartment };

  return (
    <section className="case-evaluations" data-testid="case-evaluations" aria-label={e.title}>
      <h3>{e.title}</h3>
      <dl>
        <dt>{e.resident}</dt>
        <dd data-testid="evaluation-resident">
          {resident ? (
            <>
              <strong>{scoreText(resident)}</strong>
              <small>
                {resident.source === 'return_call'
                  ? fill(e.viaCall, { name: resident.calledName ?? '', phone: resident.calledPhone ?? '' })
                  : e.viaField}{' '}
                · {fill(e.by, { name: resident.evaluatorName })}
              </small>
            </>
          ) : (
            <span className="muted">{AFTER_CLOSE.has(detail.state) ? e.waiting : e.none}</span>
          )}
        </dd>
        <dt>{e.department}</dt>
        <dd data-testid="evaluation-department">
          {views.length === 0 && <span className="muted">{e.none}</span>}
          {views.map((row) => (
            <span key={row.id} className="evaluation-row">
              {departmentName(row.subjectCode)}：<strong>{scoreText(row)}</strong>
              {row.note && <small>{row.note}</small>}
            </span>
          ))}
        </dd>
        <dt>{e.gridWorker}</dt>
        <dd data-testid="evaluation-grid-worker">
          {ratings.length === 0 && <span className="muted">{e.none}</span>}
          {ratings.map((row) => (
            <span key={row.id} className="evaluation-row">
              {departmentName(row.subjectCode)}：<strong>{scoreText(row)}</strong> <small>{row.evaluatorName}</small>
            </span>
          ))}
        </dd>
      </dl>
      {forms.length > 0 && (
        <div className="action-buttons">
          {forms.map((kind) => (
            <button
              key={kind}
              type="button"
              className="button primary"
              data-evaluation={kind}
              aria-expanded={open?.kind === kind}
              onClick={() => choose(kind)}
            >
              {label[kind]}
            </button>
          ))}
        </div>
      )}
      {open && (
        <form className="action-form" onSubmit={submit} data-evaluation-form={open.kind} noValidate>
          <h4>{label[open.kind]}</h4>
          {open.kind === 'return_call' && (
            <div className="field-row">
              <div className="field">
                <label htmlFor={`${formId}-name`}>{e.calledName} *</label>
                <input
                  id={`${formId}-name`}
                  className="input"
                  name="calledName"
                  maxLength={40}
                  value={called.name}
                  onChange={(event) => setCalled({ ...called, name: event.target.value })}
                />
              </div>
              <div className="field">
                <label htmlFor={`${formId}-phone`}>{e.calledPhone} *</label>
                <input
                  id={`${formId}-phone`}
                  className="input"
                  name="calledPhone"
                  type="tel"
                  inputMode="tel"
                  maxLength={20}
                  value={called.phone}
                  onChange={(event) => setCalled({ ...called, phone: event.target.value })}
                />
              </div>
            </div>
          )}
          {open.kind === 'grid_worker' && handlers.length > 1 && (
            <div className="field">
              <label htmlFor={`${formId}-department`}>{e.whichDepartment}</label>
              <select
                id={`${formId}-department`}
                className="input"
                value={departmentCode}
                onChange={(event) => setDepartmentCode(event.target.value)}
              >
                {handlers.map((code) => (
                  <option key={code} value={code}>
                    {departmentName(code)}
                  </option>
                ))}
              </select>
            </div>
          )}
          <ScorePicker value={score} onChange={setScore} name={`${formId}-score`} />
          {open.kind === 'return_call' && (
            <div className="field">
              <label htmlFor={`${formId}-note`}>{e.note}</label>
              <textarea
                id={`${formId}-note`}
                className="input note-input"
                rows={2}
                maxLength={500}
                value={called.note}
                onChange={(event) => setCalled({ ...called, note: event.target.value })}
              />
            </div>
          )}
          {problem && (
            <p className="form-error" role="alert">
              {problem}
            </p>
          )}
          <div className="dialog-actions">
            <button type="button" className="button" disabled={busy} onClick={() => setOpen(null)}>
              {e.cancel}
            </button>
            <button type="submit" className="button primary" disabled={busy} data-testid="submit-evaluation">
              {busy ? '…' : e.submit}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
