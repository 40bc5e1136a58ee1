import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useEffect, useId, useState, useSyncExternalStore } from 'react';
import { CASE_STATE_LABELS, CASE_STATES } from '../../api/vocabulary/case-states.ts';
import { labelOf } from '../../api/vocabulary/label.ts';
import { REPORT_TYPE_CODES, REPORT_TYPES, URGENCY_LABELS } from '../../api/vocabulary/report-types.ts';
import { useSession } from '../auth/session.ts';
import { fill, formatNumber } from '../i18n.ts';
import { casePath, navigate } from '../routes.ts';
import { DayRangeFilter, Pager, SelectFilter } from '../ui/list-controls.tsx';
import { AreaFilter } from './area-filter.tsx';
import { CaseCards, CaseTable } from './case-list-rows.tsx';
import { caseListQuery } from './case-queries.ts';
import { LIGHT_NAMES, useCaseStrings } from './case-strings.ts';
import type { CaseFilter, CaseSort } from './cases-api.ts';
import { EMPTY_FILTER, exportUrl } from './cases-api.ts';

const PAGE_SIZE = 50;

/** Sort choices: the field and its direction, as one option. */
const SORTS: {
  key: string;
  sort: CaseSort;
  order: 'asc' | 'desc';
  label: 'sortNewest' | 'sortOldest' | 'sortDue' | 'sortUrgency';
}[] = [
  { key: 'reportedAt-desc', sort: 'reportedAt', order: 'desc', label: 'sortNewest' },
  { key: 'reportedAt-asc', sort: 'reportedAt', order: 'asc', label: 'sortOldest' },
  { key: 'dueAt-asc', sort: 'dueAt', order: 'asc', label: 'sortDue' },
  { key: 'urgency-desc', sort: 'urgency', order: 'desc', label: 'sortUrgency' },
];

const FILTER_KEYS = Object.keys(EMPTY_FILTER) as (keyof CaseFilter)[];

/** Below this width the list is a column of cards and the filters fold behind a button: a phone. */
const PHONE_QUERY = '(max-width: 700px)';

function subscribePhone(listener: () => void): () => void {
  const query = window.matchMedia(PHONE_QUERY);
  query.addEventListener('change', listener);
  return () => query.removeEventListener('change', listener);
}

/** Whether the page is phone-narrow; re-renders when that changes (a phone turned sideways). */
function usePhoneWidth(): boolean {
  return useSyncExternalStore(subscribePhone, () => window.matchMedia(PHONE_QUERY).matches);
}

/** How many filters differ from the defaults (sorting aside), for the folded filters' button. */
function activeFilters(filter: CaseFilter): number {
  return FILTER_KEYS.filter((key) => key !== 'sort' && key !== 'order' && filter[key] !== EMPTY_FILTER[key]).length;
}

/** The filter and page in the URL's query, so a reload, a shared link and "back to the list" keep them. */
function readUrl(): { filter: CaseFilter; page: number } {
  const params = new URLSearchParams(window.location.search);
  const filter = { ...EMPTY_FILTER };
  for (const key of FILTER_KEYS) {
    const value = params.get(key);
    if (value !== null) (filter as Record<string, string>)[key] = value;
  }
  const page = Number(params.get('page'));
  return { filter, page: Number.isInteger(page) && page > 0 ? page : 1 };
}

function searchOf(filter: CaseFilter, page: number): string {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) if (filter[key] !== EMPTY_FILTER[key]) params.set(key, String(filter[key]));
  if (page > 1) params.set('page', String(page));
  const search = params.toString();
  return search ? `?${search}` : '';
}

let lastSearch = '';

/** The list as the user left it, for "back to the list" from a case. */
export function lastListUrl(): string {
  return `${casePath()}${lastSearch}`;
}

/**
 * Every case of the account's scope: filter by state, type, area, urgency, light, days and text;
 * sort; page; export the same filter to CSV or Excel. A row opens the case. Live changes refresh
 * the page shown (CASE_LIVE_INVALIDATIONS, mounted by the cases view).
 */
export function CaseListPage() {
  const { lang, c } = useCaseStrings();
  const { can } = useSession();
  const formId = useId();
  const [initial] = useState(readUrl);
  const [form, setForm] = useState<CaseFilter>(initial.filter);
  const [filter, setFilter] = useState<CaseFilter>(initial.filter);
  const [page, setPage] = useState(initial.page);
  const results = useQuery({ ...caseListQuery(filter, page, PAGE_SIZE), placeholderData: keepPreviousData }).data ?? null;
  const phone = usePhoneWidth();
  const [filtersOpen, setFiltersOpen] = useState(false);

  useEffect(() => {
    lastSearch = searchOf(filter, page);
    window.history.replaceState(window.history.state, '', `${casePath()}${lastSearch}`);
  }, [filter, page]);

  const set = <K extends keyof CaseFilter>(name: K, value: CaseFilter[K]) =>
    setForm((current) => ({ ...current, [name]: value }));
  const apply = (event: FormEvent) => {
    event.preventDefault();
    setFilter(form);
    setPage(1);
    setFiltersOpen(false);
  };
  const reset = () => {
    setForm(EMPTY_FILTER);
    setFilter(EMPTY_FILTER);
    setPage(1);
  };
  const open = (id: string) => navigate(casePath(id));
  const active = activeFilters(filter);

  const pages = results ? Math.max(1, Math.ceil(results.total / results.pageSize)) : 1;
  const sortKey = `${form.sort}-${form.order}`;

  return (
    <main className="cases-main" data-testid="case-list">
      <h1 className="admin-title">{c.caseListTitle}</h1>
      {phone && (
        <div className="case-filter-fold">
          <button
            type="button"
            className="button"
            aria-expanded={filtersOpen}
            onClick={() => setFiltersOpen((shown) => !shown)}
            data-testid="filters-toggle"
          >
            {c.filters}
            {active > 0 && ` · ${active}`} {filtersOpen ? '▲' : '▼'}
          </button>
          {results && <span className="muted">{fill(c.caseCount, { n: formatNumber(lang, results.total) })}</span>}
        </div>
      )}
      <form
        className="admin-toolbar case-filters"
        onSubmit={apply}
        aria-label={c.filters}
        hidden={phone && !filtersOpen}
        data-testid="case-filters"
      >
        <SelectFilter
          id={`${formId}-state`}
          label={c.state}
          value={form.state}
          onChange={(state) => set('state', state)}
          choices={[
            { value: 'open', label: c.openStates },
            { value: '', label: c.allStates },
            ...CASE_STATES.map((state) => ({ value: state, label: labelOf(CASE_STATE_LABELS, lang, state) })),
          ]}
        />
        <SelectFilter
          id={`${formId}-type`}
          label={c.type}
          value={form.type}
          onChange={(type) => set('type', type)}
          allLabel={c.allTypes}
          choices={REPORT_TYPE_CODES.map((type) => ({ value: type, label: REPORT_TYPES[type][lang] }))}
        />
        <AreaFilter value={form.area} onChange={(code) => set('area', code)} />
        <SelectFilter
          id={`${formId}-urgency`}
          label={c.urgency}
          value={form.urgency}
          onChange={(urgency) => set('urgency', urgency as CaseFilter['urgency'])}
          allLabel={c.allUrgencies}
          choices={(['urgent', 'normal'] as const).map((urgency) => ({ value: urgency, label: URGENCY_LABELS[urgency][lang] }))}
        />
        <SelectFilter
          id={`${formId}-light`}
          label={c.light}
          value={form.light}
          onChange={(light) => set('light', light as CaseFilter['light'])}
          allLabel={c.allLights}
          choices={(['green', 'yellow', 'red', 'none'] as const).map((light) => ({
            value: light,
            label: labelOf(LIGHT_NAMES, lang, light),
          }))}
        />
        <DayRangeFilter
          idPrefix={formId}
          fromLabel={c.timeFrom}
          toLabel={c.timeTo}
          fromDay={form.fromDay}
          toDay={form.toDay}
          onFromDay={(day) => set('fromDay', day)}
          onToDay={(day) => set('toDay', day)}
        />
        <div className="field text-filter">
          <label htmlFor={`${formId}-text`}>{c.textFilterLabel}</label>
          <input
            id={`${formId}-text`}
            className="input"
            placeholder={c.textFilter}
            maxLength={64}
            value={form.text}
            onChange={(event) => set('text', event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${formId}-sort`}>{c.sortBy}</label>
          <select
            id={`${formId}-sort`}
            className="input"
            value={sortKey}
            onChange={(event) => {
              const choice = SORTS.find((option) => option.key === event.target.value) ?? SORTS[0]!;
              setForm((current) => ({ ...current, sort: choice.sort, order: choice.order }));
            }}
          >
            {SORTS.map((option) => (
              <option key={option.key} value={option.key}>
                {c[option.label]}
              </option>
            ))}
          </select>
        </div>
        <div className="toolbar-buttons">
          <button type="submit" className="button primary">
            {c.apply}
          </button>
          <button type="button" className="button" onClick={reset}>
            {c.reset}
          </button>
          {can('cases.export') && (
            <>
              <a className="button" href={exportUrl('csv', filter)} download data-testid="export-csv">
                {c.exportCsv}
              </a>
              <a className="button" href={exportUrl('xlsx', filter)} download data-testid="export-xlsx">
                {c.exportXlsx}
              </a>
            </>
          )}
        </div>
      </form>
      {phone ? <CaseCards results={results} onOpen={open} /> : <CaseTable results={results} />}
      {results && (
        <Pager
          label={fill(c.page, { page, pages })}
          summary={
            <span className="muted" data-testid="case-count">
              {fill(c.caseCount, { n: formatNumber(lang, results.total) })} · {fill(c.page, { page, pages })}
            </span>
          }
          page={page}
          pages={pages}
          onPage={setPage}
          previousLabel={c.previous}
          nextLabel={c.next}
        />
      )}
    </main>
  );
}
