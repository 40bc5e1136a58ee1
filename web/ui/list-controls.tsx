import type { ReactNode } from 'react';

/** One choice of a filter's list: its value and the words shown. */
export interface FilterChoice {
  value: string;
  label: string;
}

/**
 * A labelled drop-down of a list page's filter bar: "all" first (the empty value), then the
 * choices. `id` ties the label to the control.
 */
export function SelectFilter(props: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** The first option: no filter. Absent when the list has a default of its own among `choices`. */
  allLabel?: string;
  choices: readonly FilterChoice[];
}) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <select id={props.id} className="input" value={props.value} onChange={(event) => props.onChange(event.target.value)}>
        {props.allLabel !== undefined && <option value="">{props.allLabel}</option>}
        {props.choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Two day fields (YYYY-MM-DD, Beijing days) that keep `from` on or before `to`. */
export function DayRangeFilter(props: {
  idPrefix: string;
  fromLabel: string;
  toLabel: string;
  fromDay: string;
  toDay: string;
  onFromDay: (day: string) => void;
  onToDay: (day: string) => void;
}) {
  return (
    <>
      <div className="field">
        <label htmlFor={`${props.idPrefix}-from`}>{props.fromLabel}</label>
        <input
          id={`${props.idPrefix}-from`}
          className="input"
          type="date"
          value={props.fromDay}
          max={props.toDay || undefined}
          onChange={(event) => props.onFromDay(event.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={`${props.idPrefix}-to`}>{props.toLabel}</label>
        <input
          id={`${props.idPrefix}-to`}
          className="input"
          type="date"
          value={props.toDay}
          min={props.fromDay || undefined}
          onChange={(event) => props.onToDay(event.target.value)}
        />
      </div>
    </>
  );
}

/** A list's page turner: what is shown (`summary`, e.g. "1,234 条 · 第 2/25 页"), previous and next. */
export function Pager(props: {
  label: string;
  summary: ReactNode;
  page: number;
  pages: number;
  onPage: (page: number) => void;
  previousLabel: string;
  nextLabel: string;
}) {
  return (
    <nav className="pager" aria-label={props.label}>
      {props.summary}
      <button type="button" className="button" disabled={props.page <= 1} onClick={() => props.onPage(props.page - 1)}>
        {props.previousLabel}
      </button>
      <button type="button" className="button" disabled={props.page >= props.pages} onClick={() => props.onPage(props.page + 1)}>
        {props.nextLabel}
      </button>
    </nav>
  );
}
