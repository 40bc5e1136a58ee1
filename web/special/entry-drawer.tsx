import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { labelOf } from '../../api/vocabulary/label.ts';
import {
  RISK_COLOURS,
  RISK_LEVEL_MAX,
  SPECIAL_CATEGORIES,
  SPECIAL_CATEGORY_CODES,
  SUPERVISION_GRADE_CODES,
  SUPERVISION_GRADES,
  VISIT_MODES,
  VISIT_OUTCOMES,
} from '../../api/vocabulary/special-populations.ts';
import { useSession } from '../auth/session.ts';
import { newClientId } from '../client-id.ts';
import { handleError, showNotice } from '../handle-error.ts';
import { fill, formatDateTime } from '../i18n.ts';
import {
  changeEntryState,
  closeEntry,
  editEntry,
  entryQuery,
  type NewEntry,
  registerEntry,
  type SpecialDetail,
} from './register-api.ts';
import { DUE_COLOURS, stateText } from './register-page.tsx';
import { useRegisterStrings } from './register-strings.ts';

const RISK_LEVELS = Array.from({ length: RISK_LEVEL_MAX + 1 }, (_, level) => level);

/** The text of a form field, or null when left empty. */
const fieldText = (form: FormData, name: string) => {
  const value = String(form.get(name) ?? '').trim();
  return value === '' ? null : value;
};

/** One entry: its fields, state history and recent visits, with the forms that keep it for roles that may. */
export function EntryDrawer({ id, onClose }: { id: string; onClose: () => void }) {
  const { lang, s } = useRegisterStrings();
  const { can } = useSession();
  const queryClient = useQueryClient();
  const { data } = useQuery(entryQuery(id));
  const [editing, setEditing] = useState(false);
  const manage = can('special.manage');

  /** After a change: the answer is the new detail; the list is read again (one audited read). */
  const changed = (detail: SpecialDetail) => {
    queryClient.setQueryData(entryQuery(id).queryKey, detail);
    void queryClient.invalidateQueries({ queryKey: ['special', 'entries'] });
    showNotice(s.saved);
  };
  const run = (work: (form: FormData) => Promise<SpecialDetail>) => async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    try {
      changed(await work(new FormData(event.currentTarget)));
      setEditing(false);
    } catch (error) {
      handleError(error);
    }
  };

  const entry = data?.entry;
  return (
    <aside className="special-drawer" aria-label={s.detail} data-testid="special-drawer">
      <header>
        <h3>
          {entry && <span className="special-risk" style={{ background: RISK_COLOURS[entry.riskColour].hex }} />}
          {entry?.name ?? s.loading}
        </h3>
        <button type="button" className="button" onClick={onClose}>
          {s.close}
        </button>
      </header>
      {entry && data && (
        <>
          <dl className="special-facts">
            <Fact term={s.category} value={labelOf(SPECIAL_CATEGORIES, lang, entry.category)} />
            <Fact term={s.state} value={stateText(entry, lang, s.level)} />
            <Fact term={s.due} value={entry.nextDueOn ?? s.none} colour={DUE_COLOURS[entry.dueStatus]} />
            <Fact term={s.lastVisit} value={entry.lastVisitAt ? formatDateTime(entry.lastVisitAt) : s.none} />
            <Fact term={s.idNumber} value={entry.idNumber ?? s.none} />
            <Fact term={s.phone} value={entry.phone ?? s.none} />
            <Fact term={s.address} value={`${entry.address ?? ''} ${entry.gridName ?? ''}`} />
            <Fact term={s.guardian} value={[entry.guardianName, entry.guardianPhone].filter(Boolean).join(' ') || s.none} />
            <Fact term={s.registeredOn} value={entry.registeredOn} />
            {entry.releaseDate && <Fact term={s.releaseDate} value={entry.releaseDate} />}
            {entry.programmeStart && <Fact term={s.programmeStart} value={entry.programmeStart} />}
            {entry.notes && <Fact term={s.notes} value={entry.notes} />}
            {!entry.active && <Fact term={s.closed} value={`${entry.closedOn ?? ''} ${entry.closedReason ?? ''}`} />}
          </dl>
          {manage && entry.active && !editing && (
            <button type="button" className="button" onClick={() => setEditing(true)} data-testid="special-edit">
              {s.edit}
            </button>
          )}
          {manage && editing && (
            <form
              className="special-form"
              onSubmit={run(async (form) => {
                return editEntry(id, {
                  version: entry.version,
                  name: fieldText(form, 'name') ?? entry.name,
                  householdCode: entry.householdCode,
                  phone: fieldText(form, 'phone'),
                  idNumber: fieldText(form, 'idNumber'),
                  guardianName: fieldText(form, 'guardianName'),
                  guardianPhone: fieldText(form, 'guardianPhone'),
                  notes: fieldText(form, 'notes'),
                  releaseDate: entry.releaseDate,
                  programmeStart: entry.programmeStart,
                });
              })}
            >
              <TextField name="name" label={s.name} value={entry.name} />
              <TextField name="idNumber" label={s.idNumber} value={entry.idNumber ?? ''} />
              <TextField name="phone" label={s.phone} value={entry.phone ?? ''} />
              <TextField name="guardianName" label={s.guardian} value={entry.guardianName ?? ''} />
              <TextField name="guardianPhone" label={`${s.guardian} ${s.phone}`} value={entry.guardianPhone ?? ''} />
              <TextField name="notes" label={s.notes} value={entry.notes ?? ''} />
              <div className="special-form-actions">
                <button type="submit" className="button primary">
                  {s.save}
                </button>
                <button type="button" className="button" onClick={() => setEditing(false)}>
                  {s.cancel}
                </button>
              </div>
            </form>
          )}
          {manage &&
            entry.active &&
            (entry.category === 'severe_mental_illness' || entry.category === 'community_correction') && (
              <form
                className="special-inline-form"
                data-testid="special-state-form"
                onSubmit={run(async (form) => {
                  const level = fieldText(form, 'level');
                  return changeEntryState(id, {
                    version: entry.version,
                    reason: fieldText(form, 'reason') ?? '',
                    ...(entry.category === 'severe_mental_illness'
                      ? { riskLevel: Number(level) }
                      : { supervisionGrade: level as (typeof SUPERVISION_GRADE_CODES)[number] }),
                  });
                })}
              >
                <select
                  name="level"
                  className="input"
                  aria-label={entry.category === 'severe_mental_illness' ? s.newRisk : s.newGrade}
                >
                  {entry.category === 'severe_mental_illness'
                    ? RISK_LEVELS.map((level) => (
                        <option key={level} value={level}>
                          {fill(s.level, { n: level })}
                        </option>
                      ))
                    : SUPERVISION_GRADE_CODES.map((grade) => (
                        <option key={grade} value={grade}>
                          {SUPERVISION_GRADES[grade][lang]}
                        </option>
                      ))}
                </select>
                <input name="reason" className="input" placeholder={s.reason} required maxLength={200} />
                <button type="submit" className="button">
                  {s.changeState}
                </button>
              </form>
            )}
          <h4>{s.history}</h4>
          <ol className="special-history" data-testid="special-history">
            {data.states.map((state) => (
              <li key={state.effectiveFrom}>
                <time>{formatDateTime(state.effectiveFrom)}</time> {stateText(state, lang, s.level)} · {state.reason ?? ''} ·{' '}
                {state.setByName}
              </li>
            ))}
          </ol>
          <h4>{s.visits}</h4>
          {data.visits.length === 0 ? (
            <p className="register-note">{s.noVisits}</p>
          ) : (
            <ol className="special-history">
              {data.visits.map((visit) => (
                <li key={visit.id}>
                  <time>{formatDateTime(visit.visitedAt)}</time>{' '}
                  {fill(s.visitBy, {
                    who: visit.visitorName,
                    mode: labelOf(VISIT_MODES, lang, visit.mode),
                    outcome: labelOf(VISIT_OUTCOMES, lang, visit.outcome),
                  })}
                  {visit.distanceM !== null && <small> · {fill(s.distance, { m: Math.round(visit.distanceM) })}</small>}
                  {visit.notes && <div className="register-note">{visit.notes}</div>}
                </li>
              ))}
            </ol>
          )}
          {manage && entry.active && (
            <form
              className="special-close-form"
              onSubmit={run(async (form) => {
                return closeEntry(id, entry.version, fieldText(form, 'reason') ?? '');
              })}
            >
              <input name="reason" className="input" placeholder={s.closeReason} required maxLength={200} />
              <button type="submit" className="button danger">
                {s.closeEntry}
              </button>
            </form>
          )}
        </>
      )}
    </aside>
  );
}

/** A new entry in a household of the caller's scope (its cell follows the household); sent once by its client id. */
export function RegisterDrawer({ onClose }: { onClose: (id?: string) => void }) {
  const { lang, s } = useRegisterStrings();
  const [clientId] = useState(newClientId);
  const [category, setCategory] = useState<NewEntry['category']>('severe_mental_illness');
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const level = fieldText(form, 'level');
    try {
      const answer = await registerEntry({
        clientId,
        category,
        name: fieldText(form, 'name') ?? '',
        householdCode: fieldText(form, 'householdCode') ?? '',
        idNumber: fieldText(form, 'idNumber'),
        phone: fieldText(form, 'phone'),
        riskLevel: category === 'severe_mental_illness' && level !== null ? Number(level) : null,
        supervisionGrade: category === 'community_correction' ? (level as NewEntry['supervisionGrade']) : null,
        releaseDate: category === 'released_prisoner' ? fieldText(form, 'date') : null,
        programmeStart: category === 'drug_rehabilitation' ? fieldText(form, 'date') : null,
      });
      showNotice(s.registered, answer.entry.name);
      onClose(answer.entry.id);
    } catch (error) {
      handleError(error);
    }
  };
  return (
    <aside className="special-drawer" aria-label={s.register} data-testid="special-register-drawer">
      <header>
        <h3>{s.register}</h3>
        <button type="button" className="button" onClick={() => onClose()}>
          {s.close}
        </button>
      </header>
      <form className="special-form" onSubmit={submit}>
        <label className="field">
          <span>{s.category}</span>
          <select
            className="input"
            value={category}
            onChange={(event) => setCategory(event.target.value as NewEntry['category'])}
          >
            {SPECIAL_CATEGORY_CODES.map((code) => (
              <option key={code} value={code}>
                {SPECIAL_CATEGORIES[code][lang]}
              </option>
            ))}
          </select>
        </label>
        <TextField name="name" label={s.name} value="" required />
        <TextField name="householdCode" label={s.household} value="" required />
        <TextField name="idNumber" label={s.idNumber} value="" />
        <TextField name="phone" label={s.phone} value="" />
        {category === 'severe_mental_illness' && (
          <label className="field">
            <span>{s.newRisk}</span>
            <select name="level" className="input">
              {RISK_LEVELS.map((level) => (
                <option key={level} value={level}>
                  {fill(s.level, { n: level })}
                </option>
              ))}
            </select>
          </label>
        )}
        {category === 'community_correction' && (
          <label className="field">
            <span>{s.newGrade}</span>
            <select name="level" className="input">
              {SUPERVISION_GRADE_CODES.map((grade) => (
                <option key={grade} value={grade}>
                  {SUPERVISION_GRADES[grade][lang]}
                </option>
              ))}
            </select>
          </label>
        )}
        {(category === 'released_prisoner' || category === 'drug_rehabilitation') && (
          <label className="field">
            <span>{category === 'released_prisoner' ? s.releaseDate : s.programmeStart}</span>
            <input name="date" type="date" className="input" required />
          </label>
        )}
        <div className="special-form-actions">
          <button type="submit" className="button primary">
            {s.save}
          </button>
        </div>
      </form>
    </aside>
  );
}

function Fact({ term, value, colour }: { term: string; value: string; colour?: string }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd style={colour ? { color: colour, fontWeight: 600 } : undefined}>{value}</dd>
    </div>
  );
}

function TextField({ name, label, value, required }: { name: string; label: string; value: string; required?: boolean }) {
  return (
    <label className="field">
      <span>{label}</span>
      <input name={name} className="input" defaultValue={value} required={required} />
    </label>
  );
}
