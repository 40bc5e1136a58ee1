import type { FormEvent } from 'react';
import { useEffect, useId, useRef, useState, useSyncExternalStore } from 'react';
import { AREA_LEVEL_LABELS } from '../../api/vocabulary/area-levels.ts';
import { CASE_STATE_LABELS, CASE_STATES } from '../../api/vocabulary/case-states.ts';
import { labelOf } from '../../api/vocabulary/label.ts';
import { REPORT_TYPE_CODES, REPORT_TYPES, URGENCY_LABELS } from '../../api/vocabulary/report-types.ts';
import type { AreaChild } from '../api-client.ts';
import { fetchChildren } from '../api-client.ts';
import { useSession } from '../auth/session.ts';
import { handleError } from '../handle-error.ts';
import { fill, formatDateTime, formatNumber } from '../i18n.ts';
import { useLiveEvents } from '../live/live-stream.ts';
import { lightCss } from '../map/case-markers.ts';
import { casePath, navigate } from '../routes.ts';
import { DayRangeFilter, Pager, SelectFilter } from '../ui/list-controls.tsx';
import { LIGHT_NAMES, useCaseStrings } from './case-strings.ts';
import type { CaseFilter, CasePage, CaseSort } from './cases-api.ts';
import { EMPTY_FILTER, exportUrl, fetchCases } from './cases-api.ts';
import { isFlashing } from './open-cases.ts';

const PAGE_SIZE = 50;
/** Live changes arriving in a burst refresh the page once, this long after the last. */
const REFRESH_DELAY_MS = 800;

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
 * Picks an area inside the account's scope in two steps (say township, then village), from the
 * areas API; empty means the whole scope.
 */
function AreaFilter({ value, onChange }: { value: string; onChange: (code: string) => void }) {
  const { c } = useCaseStrings();
  const { me } = useSession();
  const id = useId();
  const [top, setTop] = useState<AreaChild[]>([]);
  const [below, setBelow] = useState<AreaChild[]>([]);
  const topCode = top.find((area) => value.startsWith(area.code))?.code ?? '';

  useEffect(() => {
    const controller = new AbortController();
    fetchChildren(me.scopeCode, controller.signal).then(setTop).catch(handleError);
    return () => controller.abort();
  }, [me.scopeCode]);

  useEffect(() => {
    setBelow([]);
    if (!topCode) return;
    const controller = new AbortController();
    fetchChildren(topCode, controller.signal).then(setBelow).catch(handleError);
    return () => controller.abort();
  }, [topCode]);

  return (
    <div className="field area-filter">
      <label htmlFor={`${id}-top`}>{c.areaFilter}</label>
      <div className="field-row">
        <select id={`${id}-top`} className="input" value={topCode} onChange={(event) => onChange(event.target.value)}>
          <option value="">{c.allAreas}</option>
          {top.map((area) => (
            <option key={area.code} value={area.code}>
              {area.name}
            </option>
          ))}
        </select>
        {topCode && below.length > 0 && (
          <select
            className="input"
            aria-label={c.areaFilter}
            value={value === topCode ? '' : value}
            onChange={(event) => onChange(event.target.value || topCode)}
          >
            <option value="">—</option>
            {below.map((area) => (
              <option key={area.code} value={area.code}>
                {area.name}
              </option>
            ))}
          </select>
        )}
      </div>
    </div>
  );
}

/**
 * Every case of the account's scope: filter by state, type, area, urgency, light, days and text;
 * sort; page; export the same filter to CSV or Excel. A row opens the case. Live changes refresh
 * the page shown.
 */
export function CaseListPage() {
  const { lang, c } = useCaseStrings();
  const { can } = useSession();
  const formId = useId();
  const [initial] = useState(readUrl);
  const [form, setForm] = useState<CaseFilter>(initial.filter);
  const [filter, setFilter] = useState<CaseFilter>(initial.filter);
  const [page, setPage] = useState(initial.page);
  const [results, setResults] = useState<CasePage | null>(null);
  const [reloads, setReloads] = useState(0);
  const refreshTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const phone = usePhoneWidth();
  const [filtersOpen, setFiltersOpen] = useState(false);

  useEffect(() => {
    lastSearch = searchOf(filter, page);
    window.history.replaceState(window.history.state, '', `${casePath()}${lastSearch}`);
  }, [filter, page]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `reloads` is the live refresh trigger.
  useEffect(() => {
    const controller = new AbortController();
    fetchCases(filter, page, PAGE_SIZE, controller.signal)
      .then(setResults)
      .catch((error: unknown) => handleError(error, c.loadFailed));
    return () => controller.abort();
  }, [filter, page, reloads, c.loadFailed]);

  useLiveEvents(['report.created', 'case.changed', 'case.escalated', 'case.merged'], () => {
    clearTimeout(refreshTimer.current);
    refreshTimer.current = setTimeout(() => setReloads((n) => n + 1), REFRESH_DELAY_MS);
  });
  useEffect(() => () => clearTimeout(refreshTimer.current), []);

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
      {phone ? (
        <div className="case-cards-wrap">
          <ul className="case-cards" data-testid="case-cards">
            {results?.items.map((item) => (
              <li key={item.id}>
                <button
                  type="button"
                  className="case-card"
                  data-case-id={item.id}
                  data-flashing={isFlashing(item)}
                  data-light={item.light}
                  onClick={() => open(item.id)}
                >
                  <span className="case-card-head">
                    <strong>{labelOf(REPORT_TYPES, lang, item.type)}</strong>
                    {item.urgency === 'urgent' && <span className="urgent-tag">{URGENCY_LABELS.urgent[lang]}</span>}
                    <span className="state-tag" data-state={item.state}>
                      {labelOf(CASE_STATE_LABELS, lang, item.state)}
                    </span>
                  </span>
                  <span className="case-card-line mono">{item.caseNumber}</span>
                  <span className="case-card-line">{[item.townshipName, item.villageName].filter(Boolean).join(' ')}</span>
                  <span className="case-card-line">
                    <span className="light-chip" style={{ background: lightCss(item.light) }}>
                      {labelOf(LIGHT_NAMES, lang, item.light)}
                    </span>
                    <span className="mono">
                      {c.dueAt} {item.dueAt ? formatDateTime(item.dueAt).slice(5, 16) : c.unknown}
                    </span>
                  </span>
                </button>
              </li>
            ))}
          </ul>
          {results?.items.length === 0 && <p className="empty-note">{c.noCases}</p>}
          {results === null && <p className="empty-note">…</p>}
        </div>
      ) : (
        <div className="table-scroll">
          <table className="data-table case-table" data-testid="case-table">
            <thead>
              <tr>
                <th scope="col">{c.light}</th>
                <th scope="col">{c.caseNumber}</th>
                <th scope="col">{c.type}</th>
                <th scope="col">{c.state}</th>
                <th scope="col">{c.place}</th>
                <th scope="col">{c.reportedAt}</th>
                <th scope="col">{c.dueAt}</th>
                <th scope="col">{c.assignedTo}</th>
                <th scope="col">{c.responsibleLevel}</th>
              </tr>
            </thead>
            <tbody>
              {results?.items.map((item) => (
                <tr
                  key={item.id}
                  className="case-row"
                  data-case-id={item.id}
                  data-flashing={isFlashing(item)}
                  tabIndex={0}
                  onClick={() => navigate(casePath(item.id))}
                  onKeyDown={(event) => {
                    if (event.key === 'Enter') navigate(casePath(item.id));
                  }}
                >
                  <td>
                    <span className="light-chip" style={{ background: lightCss(item.light) }}>
                      {labelOf(LIGHT_NAMES, lang, item.light)}
                    </span>
                  </td>
                  <td className="mono nowrap">
                    <a
                      href={casePath(item.id)}
                      onClick={(event) => {
                        event.preventDefault();
                      }}
                    >
                      {item.caseNumber}
                    </a>
                  </td>
                  <td>
                    {labelOf(REPORT_TYPES, lang, item.type)}
                    {item.urgency === 'urgent' && <span className="urgent-tag">{URGENCY_LABELS.urgent[lang]}</span>}
                    <small className="cell-code case-description-cell">{item.description}</small>
                  </td>
                  <td>
                    <span className="state-tag" data-state={item.state}>
                      {labelOf(CASE_STATE_LABELS, lang, item.state)}
                    </span>
                  </td>
                  <td>{[item.townshipName, item.villageName].filter(Boolean).join(' ')}</td>
                  <td className="nowrap mono">{formatDateTime(item.reportedAt).slice(0, 16)}</td>
                  <td className="nowrap mono">{item.dueAt ? formatDateTime(item.dueAt).slice(0, 16) : c.unknown}</td>
                  <td>{item.assignedDepartmentName ?? (item.assignedTownshipCode ? item.townshipName : null) ?? c.unknown}</td>
                  <td>{labelOf(AREA_LEVEL_LABELS, lang, item.responsibleLevel)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {results?.items.length === 0 && <p className="empty-note">{c.noCases}</p>}
          {results === null && <p className="empty-note">…</p>}
        </div>
      )}
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
