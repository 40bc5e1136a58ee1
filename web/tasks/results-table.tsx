import type { ReactNode } from 'react';
import type { FormField, ScalarField } from '../../api/vocabulary/task-forms.ts';
import { formatDateTime } from '../i18n.ts';
import type { TaskResults } from './tasks-api.ts';
import { resultsExportUrl } from './tasks-api.ts';
import { useTasksStrings } from './tasks-strings.ts';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** One answer as text: options joined, a number with its unit, a place as lng, lat. */
function scalarText(field: ScalarField, value: unknown): string {
  if (value === undefined || value === null || value === '') return '';
  switch (field.type) {
    case 'number':
      return field.unit ? `${value}${field.unit}` : String(value);
    case 'choice':
      return Array.isArray(value) ? value.join('、') : String(value);
    case 'location':
      return isRecord(value) ? `${Number(value.lon).toFixed(5)}, ${Number(value.lat).toFixed(5)}` : '';
    default:
      return String(value);
  }
}

function answerCell(field: FormField, value: unknown, photoLabel: string): ReactNode {
  if (field.type === 'photo' && typeof value === 'string' && value) {
    return (
      <a href={`/api/tasks/photos/${encodeURIComponent(value)}`} target="_blank" rel="noreferrer">
        {photoLabel}
      </a>
    );
  }
  if (field.type !== 'list') return scalarText(field, value);
  if (!Array.isArray(value) || value.length === 0) return '';
  // A repeating list reads as numbered lines of "label: value", one line per item.
  return (
    <ol className="result-list">
      {value.map((item, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: an answer's items have no identity but their place.
        <li key={index}>
          {field.fields
            .map((sub) => [sub.label, isRecord(item) ? scalarText(sub, item[sub.key]) : ''] as const)
            .filter(([, text]) => text !== '')
            .map(([label, text]) => `${label}：${text}`)
            .join('；')}
        </li>
      ))}
    </ol>
  );
}

/**
 * The answers per cell (and household, for a per-household form): the top-level fields in
 * columns, a repeating list as numbered lines; exports to XLSX and CSV as plain links (the
 * browser downloads them with the session cookie; the server stamps who and when).
 */
export function ResultsTable({
  taskId,
  results,
  canExport,
}: {
  taskId: string;
  results: TaskResults | null;
  canExport: boolean;
}) {
  const { s } = useTasksStrings();
  const fields = (results?.fields ?? []) as FormField[];
  const rows = results?.rows ?? [];
  const perHousehold = rows.some((row) => row.householdCode);
  return (
    <section className="tasks-panel" data-testid="results-panel">
      <header className="tasks-panel-header">
        <h3>
          {s.results} <small className="muted">{rows.length}</small>
        </h3>
        {canExport && (
          <div className="tasks-export">
            <a className="button small" href={resultsExportUrl(taskId, 'xlsx')} download data-testid="export-xlsx">
              {s.exportXlsx}
            </a>
            <a className="button small" href={resultsExportUrl(taskId, 'csv')} download data-testid="export-csv">
              {s.exportCsv}
            </a>
          </div>
        )}
      </header>
      <div className="tasks-table-wrap">
        <table className="tasks-table results-table" data-testid="results-table">
          <thead>
            <tr>
              <th>{s.cell}</th>
              {perHousehold && <th>{s.household}</th>}
              {fields.map((field) => (
                <th key={field.key}>{field.label}</th>
              ))}
              <th>{s.responder}</th>
              <th>{s.updatedAt}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={`${row.targetId}-${row.householdCode ?? ''}`} data-testid="result-row">
                <th scope="row">{row.areaName}</th>
                {perHousehold && <td>{row.address ?? row.householdCode}</td>}
                {fields.map((field) => (
                  <td key={field.key}>{answerCell(field, (row.answers as Record<string, unknown>)[field.key], s.photo)}</td>
                ))}
                <td>{row.responderName}</td>
                <td>{formatDateTime(row.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length === 0 && <p className="empty-note">{results ? s.noResults : s.loading}</p>}
      </div>
    </section>
  );
}
