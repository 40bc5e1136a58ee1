import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { labelOf } from '../../api/vocabulary/label.ts';
import { REPORT_TYPE_CODES, REPORT_TYPES, URGENCY_LABELS } from '../../api/vocabulary/report-types.ts';
import { useSession } from '../auth/session.ts';
import { handleError, showNotice } from '../handle-error.ts';
import { fill, formatDateTime } from '../i18n.ts';
import { timeLimitsQuery } from './case-queries.ts';
import { CLOCK_NAMES, LIMIT_UNIT_NAMES, limitText, STAGE_NAMES, useCaseStrings } from './case-strings.ts';
import type { TimeLimitChange, TimeLimitRow } from './cases-api.ts';
import { saveTimeLimits } from './cases-api.ts';

const STAGE_ORDER = ['file', 'acknowledge', 'handle', 'check'];
const URGENCY_ORDER = ['urgent', 'normal', 'urban', 'rural'];

const keyOf = (row: Pick<TimeLimitRow, 'type' | 'urgency' | 'stage'>) => `${row.stage}|${row.type}|${row.urgency}`;

/** A row as its inputs hold it: the amount as typed, the unit and the clock as chosen. */
interface LimitEdit {
  amount: string;
  unit: string;
  clock: string;
}

const editOf = (row: TimeLimitRow): LimitEdit => ({ amount: String(row.amount), unit: row.unit, clock: row.clock });

const isChanged = (row: TimeLimitRow, edit: LimitEdit) =>
  Number(edit.amount) !== row.amount || edit.unit !== row.unit || edit.clock !== row.clock;

/** The rows in reading order: by stage, the "all types" row first, then types, urgent before normal. */
function ordered(rows: TimeLimitRow[], typeOrder: string[]): TimeLimitRow[] {
  const typeRank = (type: string) => (type === '*' ? -1 : typeOrder.indexOf(type));
  return [...rows].sort(
    (a, b) =>
      STAGE_ORDER.indexOf(a.stage) - STAGE_ORDER.indexOf(b.stage) ||
      typeRank(a.type) - typeRank(b.type) ||
      URGENCY_ORDER.indexOf(a.urgency) - URGENCY_ORDER.indexOf(b.urgency),
  );
}

/**
 * The time limits of each stage per report type and urgency, each with its clock (natural or
 * working time), editable by roles with time-limits.manage (read-only for the rest). Only changed
 * rows are sent, all at once; running clocks keep the deadline they started with.
 */
export function TimeLimitsPage() {
  const { lang, c } = useCaseStrings();
  const { can } = useSession();
  const editable = can('time-limits.manage');
  const queryClient = useQueryClient();
  const { data } = useQuery(timeLimitsQuery());
  const rows = data?.limits ?? null;
  const units = data?.units ?? [];
  const clocks = data?.clocks ?? [];
  const [edits, setEdits] = useState<Map<string, LimitEdit>>(() => new Map());
  const [saving, setSaving] = useState(false);

  const shown = useMemo(() => (rows ? ordered(rows, REPORT_TYPE_CODES) : []), [rows]);

  const changed: TimeLimitChange[] = shown.flatMap((row) => {
    const edit = edits.get(keyOf(row));
    if (!edit) return [];
    if (!isChanged(row, edit)) return [];
    return [
      { type: row.type, urgency: row.urgency, stage: row.stage, amount: Number(edit.amount), unit: edit.unit, clock: edit.clock },
    ];
  });

  const edit = (row: TimeLimitRow, change: Partial<LimitEdit>) =>
    setEdits((current) => {
      const next = new Map(current);
      const before = current.get(keyOf(row)) ?? editOf(row);
      next.set(keyOf(row), { ...before, ...change });
      return next;
    });

  const save = async () => {
    setSaving(true);
    try {
      const result = await saveTimeLimits(changed);
      queryClient.setQueryData(timeLimitsQuery().queryKey, result);
      setEdits(new Map());
      showNotice(c.limitsSaved, fill(c.changedRows, { n: changed.length }));
    } catch (error) {
      handleError(error, c.actionFailed);
    } finally {
      setSaving(false);
    }
  };

  const urgencyLabel = (urgency: string) =>
    urgency === 'urban' || urgency === 'rural'
      ? { zh: { urban: '城区', rural: '农村' }, en: { urban: 'Urban', rural: 'Rural' } }[lang][urgency]
      : labelOf(URGENCY_LABELS, lang, urgency);

  return (
    <section className="admin-section" data-testid="time-limits-page">
      <p className="admin-intro">{c.timeLimitsIntro}</p>
      {editable && (
        <div className="admin-toolbar">
          <button
            type="button"
            className="button primary"
            disabled={saving || changed.length === 0}
            onClick={save}
            data-testid="save-limits"
          >
            {c.saveLimits}
          </button>
          {changed.length > 0 && <span className="muted">{fill(c.changedRows, { n: changed.length })}</span>}
        </div>
      )}
      <div className="table-scroll">
        <table className="data-table limits-table">
          <thead>
            <tr>
              <th scope="col">{c.stage}</th>
              <th scope="col">{c.type}</th>
              <th scope="col">{c.urgency}</th>
              <th scope="col">{c.amount}</th>
              <th scope="col">{c.unit}</th>
              <th scope="col">{c.clock}</th>
              <th scope="col">{c.updatedAt}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => {
              const key = keyOf(row);
              const value = edits.get(key) ?? editOf(row);
              const dirty = isChanged(row, value);
              const shownClock = editable ? value.clock : row.clock;
              return (
                <tr
                  key={key}
                  data-changed={dirty}
                  data-clock={shownClock}
                  title={limitText(lang, Number(value.amount), value.unit, value.clock)}
                >
                  <td>{labelOf(STAGE_NAMES, lang, row.stage)}</td>
                  <td>{row.type === '*' ? c.allTypesRow : labelOf(REPORT_TYPES, lang, row.type)}</td>
                  <td>{urgencyLabel(row.urgency)}</td>
                  <td>
                    {editable ? (
                      <input
                        className="input"
                        type="number"
                        min={1}
                        inputMode="numeric"
                        aria-label={c.amount}
                        value={value.amount}
                        onChange={(event) => edit(row, { amount: event.target.value })}
                      />
                    ) : (
                      row.amount
                    )}
                  </td>
                  <td>
                    {editable ? (
                      <select
                        className="input"
                        aria-label={c.unit}
                        value={value.unit}
                        onChange={(event) => edit(row, { unit: event.target.value })}
                      >
                        {units.map((unit) => (
                          <option key={unit} value={unit}>
                            {labelOf(LIMIT_UNIT_NAMES, lang, unit)}
                          </option>
                        ))}
                      </select>
                    ) : (
                      labelOf(LIMIT_UNIT_NAMES, lang, row.unit)
                    )}
                  </td>
                  <td>
                    {editable ? (
                      <select
                        className="input"
                        aria-label={c.clock}
                        value={value.clock}
                        onChange={(event) => edit(row, { clock: event.target.value })}
                      >
                        {clocks.map((clock) => (
                          <option key={clock} value={clock}>
                            {labelOf(CLOCK_NAMES, lang, clock)}
                          </option>
                        ))}
                      </select>
                    ) : (
                      <span className={`tag clock-tag clock-${row.clock}`}>{labelOf(CLOCK_NAMES, lang, row.clock)}</span>
                    )}
                  </td>
                  <td className="nowrap mono muted">
                    {formatDateTime(row.updatedAt).slice(0, 16)}
                    {row.updatedBy && <small className="cell-code">{row.updatedBy}</small>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {rows === null && <p className="empty-note">…</p>}
      </div>
    </section>
  );
}
