import { useQueries, useQuery } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useId, useState } from 'react';
import type { AuditFilter } from '../api-client.ts';
import { exportAudit } from '../api-client.ts';
import { areaByCodeQuery } from '../areas/area-queries.ts';
import { useSession } from '../auth/session.ts';
import { handleError, showNotice } from '../handle-error.ts';
import { fill, formatDateTime, formatNumber, useI18n } from '../i18n.ts';
import { DayRangeFilter, Pager, SelectFilter } from '../ui/list-controls.tsx';
import { auditQuery } from './admin-queries.ts';
import {
  AUDIT_ACTION_FILTERS,
  AUDIT_ACTION_NAMES,
  AUDIT_OUTCOME_NAMES,
  AUDIT_TARGET_NAMES,
  useAuditStrings,
} from './audit-strings.ts';
import { GrantBadge } from './grant-badge.tsx';
import type { RoleOption } from './role-options.ts';

const PAGE_SIZE = 50;
const OUTCOMES = ['ok', 'denied', 'failed'] as const;

/** The filter as the form holds it: dates are local calendar days, both inclusive. */
interface FilterForm {
  action: string;
  actor: string;
  outcome: AuditFilter['outcome'];
  fromDay: string;
  toDay: string;
}

const EMPTY_FORM: FilterForm = { action: '', actor: '', outcome: '', fromDay: '', toDay: '' };

/** Local midnight of a `YYYY-MM-DD` day, `days` later, as an ISO instant. */
function startOfDay(day: string, days = 0): string {
  const date = new Date(`${day}T00:00:00`);
  date.setDate(date.getDate() + days);
  return date.toISOString();
}

/** The API's filter: `from` at the start of the first day, `to` (exclusive) at the start of the day after the last. */
function filterOf(form: FilterForm): AuditFilter {
  return {
    action: form.action,
    actor: form.actor,
    outcome: form.outcome,
    from: form.fromDay ? startOfDay(form.fromDay) : '',
    to: form.toDay ? startOfDay(form.toDay, 1) : '',
  };
}

/** Names of the areas the entries are filed under, found once each (the entries carry codes only); null until found. */
function useAreaNames(codes: string[]): Map<string, string | null> {
  const unique = [...new Set(codes)];
  const found = useQueries({
    queries: unique.map((code) => ({ ...areaByCodeQuery(code), meta: { quiet: true } })),
  });
  return new Map(unique.map((code, index) => [code, found[index]?.data?.name ?? null]));
}

/** Starts the browser's download of a file made in the page. */
function download(file: Blob, fileName: string): void {
  const url = URL.createObjectURL(file);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * The audit log inside the viewer's scope, newest first: who did what, with what outcome, to what,
 * where and from which address. Filters by action, actor, outcome and days; exports the filtered
 * log as CSV for roles with audit.export.
 */
export function AuditPage({ roles }: { roles: RoleOption[] }) {
  const { lang, t } = useI18n();
  const { a } = useAuditStrings();
  const { can } = useSession();
  const formId = useId();
  const [form, setForm] = useState<FilterForm>(EMPTY_FORM);
  const [filter, setFilter] = useState<AuditFilter>(() => filterOf(EMPTY_FORM));
  const [page, setPage] = useState(1);
  const results = useQuery(auditQuery(filter, page, PAGE_SIZE)).data ?? null;
  const [exporting, setExporting] = useState(false);
  const names = useAreaNames(results?.entries.map((entry) => entry.scopeCode) ?? []);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setFilter(filterOf(form));
    setPage(1);
  };

  const reset = () => {
    setForm(EMPTY_FORM);
    setFilter(filterOf(EMPTY_FORM));
    setPage(1);
  };

  const runExport = async () => {
    setExporting(true);
    try {
      const { file, fileName } = await exportAudit(filter);
      download(file, fileName);
      showNotice(a.exportedNotice, fileName);
    } catch (error) {
      handleError(error, a.exportFailed);
    } finally {
      setExporting(false);
    }
  };

  const roleLabel = (role: string | null) => (role ? (roles.find((option) => option.role === role)?.label[lang] ?? role) : '—');
  const pages = results ? Math.max(1, Math.ceil(results.total / results.pageSize)) : 1;
  const set = <K extends keyof FilterForm>(name: K, value: FilterForm[K]) =>
    setForm((current) => ({ ...current, [name]: value }));

  return (
    <section className="admin-section" data-testid="audit-page">
      <form className="admin-toolbar audit-filters" onSubmit={apply} aria-label={a.applyFilters}>
        <SelectFilter
          id={`${formId}-action`}
          label={a.action}
          value={form.action}
          onChange={(action) => set('action', action)}
          allLabel={a.allActions}
          choices={AUDIT_ACTION_FILTERS.map((option) => ({ value: option.prefix, label: option.label[lang] }))}
        />
        <div className="field">
          <label htmlFor={`${formId}-actor`}>{a.actorFilter}</label>
          <input
            id={`${formId}-actor`}
            className="input"
            autoCapitalize="none"
            spellCheck={false}
            value={form.actor}
            onChange={(event) => set('actor', event.target.value)}
          />
        </div>
        <SelectFilter
          id={`${formId}-outcome`}
          label={a.outcome}
          value={form.outcome}
          onChange={(outcome) => set('outcome', outcome as FilterForm['outcome'])}
          allLabel={a.allOutcomes}
          choices={OUTCOMES.map((outcome) => ({ value: outcome, label: AUDIT_OUTCOME_NAMES[lang][outcome] ?? outcome }))}
        />
        <DayRangeFilter
          idPrefix={formId}
          fromLabel={a.dateFrom}
          toLabel={a.dateTo}
          fromDay={form.fromDay}
          toDay={form.toDay}
          onFromDay={(day) => set('fromDay', day)}
          onToDay={(day) => set('toDay', day)}
        />
        <div className="toolbar-buttons">
          <button type="submit" className="button primary">
            {a.applyFilters}
          </button>
          <button type="button" className="button" onClick={reset}>
            {a.resetFilters}
          </button>
          {can('audit.export') && (
            <button type="button" className="button" disabled={exporting} onClick={runExport} data-testid="audit-export">
              {exporting ? a.exporting : a.exportCsv}
            </button>
          )}
        </div>
      </form>
      <div className="table-scroll">
        <table className="data-table audit-table" data-testid="audit-table">
          <thead>
            <tr>
              <th scope="col">{a.time}</th>
              <th scope="col">{a.actor}</th>
              <th scope="col">{t.role}</th>
              <th scope="col">{a.action}</th>
              <th scope="col">{a.outcome}</th>
              <th scope="col">{a.target}</th>
              <th scope="col">{a.areaColumn}</th>
              <th scope="col">{a.address}</th>
            </tr>
          </thead>
          <tbody>
            {results?.entries.map((entry) => (
              <tr key={entry.id} data-action={entry.action} data-outcome={entry.outcome}>
                <td className="nowrap mono">{formatDateTime(entry.at)}</td>
                <td className="mono">{entry.actorUsername ?? a.systemActor}</td>
                <td>{roleLabel(entry.actorRole)}</td>
                <td>
                  {AUDIT_ACTION_NAMES[lang][entry.action] ?? entry.action}
                  <small className="cell-code">{entry.action}</small>
                  {entry.action === 'special.break_glass' && <GrantBadge details={entry.details} />}
                </td>
                <td>
                  <span className="status" data-status={entry.outcome}>
                    {AUDIT_OUTCOME_NAMES[lang][entry.outcome] ?? entry.outcome}
                  </span>
                </td>
                <td>
                  {entry.targetType ? (AUDIT_TARGET_NAMES[lang][entry.targetType] ?? entry.targetType) : '—'}
                  {entry.targetId && <small className="cell-code">{entry.targetId}</small>}
                </td>
                <td>
                  {names.get(entry.scopeCode) ?? ''}
                  <small className="cell-code">{entry.scopeCode}</small>
                </td>
                <td className="mono">
                  {entry.ip ?? '—'}
                  {entry.userAgent && (
                    <small className="cell-code user-agent" title={entry.userAgent}>
                      {entry.userAgent}
                    </small>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {results?.entries.length === 0 && <p className="empty-note">{a.noEntries}</p>}
        {results === null && <p className="empty-note">{t.loading}</p>}
      </div>
      {results && (
        <Pager
          label={fill(a.pageOf, { page, pages })}
          summary={
            <span className="muted">
              {fill(a.entryCount, { n: formatNumber(lang, results.total) })} · {fill(a.pageOf, { page, pages })}
            </span>
          }
          page={page}
          pages={pages}
          onPage={setPage}
          previousLabel={a.previousPage}
          nextLabel={a.nextPage}
        />
      )}
    </section>
  );
}
