import type { ReactNode } from 'react';
import { useState } from 'react';
import { KPI_DEFINITIONS, type KpiKey } from '../../api/vocabulary/review.ts';
import { fill } from '../i18n.ts';
import { GradeBadge } from './kpi-cards.tsx';
import type { Kpi } from './review-api.ts';
import { firstDirection, formatKpi, type SortDirection, type SortKey, sortRows } from './review-format.ts';
import { useReviewStrings } from './review-strings.ts';

/** Whether the lowest figure is the best (rework, among the rates); the overall score and names are not KPIs. */
function lowerIsBetter(key: SortKey): boolean {
  return Object.hasOwn(KPI_DEFINITIONS, key) && KPI_DEFINITIONS[key as KpiKey].lowerIsBetter === true;
}

/** A row of an assessment table: an area, a grid worker or a department, with its KPIs and overall grade. */
export interface AssessedRow {
  /** Unique within the table: an area code, a person's id, a department's code. */
  id: string;
  name: string;
  score: number | null;
  grade: string | null;
  kpis: readonly Kpi[];
}

/** A column of its own before the KPIs (a worker's grid, a department's kind). */
interface ExtraColumn<Row> {
  key: string;
  label: string;
  value: (row: Row) => ReactNode;
}

interface RankingTableProps<Row extends AssessedRow> {
  title: string;
  rows: readonly Row[];
  /** The KPI columns, in the API's order; each header sorts by it. */
  kpis: readonly Pick<Kpi, 'key' | 'label' | 'unit'>[];
  extraColumns?: readonly ExtraColumn<Row>[];
  /** A row click drills into it; none for tables that do not drill. */
  onRowClick?: (row: Row) => void;
  /** The XLSX export of this table; none for an account without review.export. */
  exportHref: string | null;
  hint?: string;
  testId: string;
}

/**
 * A ranking: name, overall score and grade, and every KPI as a sortable column (a first click
 * puts the best first, a second reverses; rows without a figure stay last). The export button
 * downloads the same table as the API builds it.
 */
export function RankingTable<Row extends AssessedRow>({
  title,
  rows,
  kpis,
  extraColumns = [],
  onRowClick,
  exportHref,
  hint,
  testId,
}: RankingTableProps<Row>) {
  const { lang, s } = useReviewStrings();
  const [sort, setSort] = useState<{ key: SortKey; direction: SortDirection }>({ key: 'score', direction: 'desc' });
  const sorted = sortRows(rows, sort.key, sort.direction);

  const header = (key: SortKey, label: string, unit: Kpi['unit'] | null) => {
    const active = sort.key === key;
    const next = () =>
      setSort(
        active
          ? { key, direction: sort.direction === 'asc' ? 'desc' : 'asc' }
          : { key, direction: firstDirection(key, unit, lowerIsBetter(key)) },
      );
    return (
      <th key={key} aria-sort={active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'}>
        <button type="button" className="review-sort" onClick={next} title={fill(s.sortBy, { column: label })} data-sort={key}>
          {label}
          <span aria-hidden="true">{active ? (sort.direction === 'asc' ? ' ▲' : ' ▼') : ''}</span>
        </button>
      </th>
    );
  };

  return (
    <section className="review-panel" aria-label={title} data-testid={testId}>
      <header className="review-panel-header">
        <h3>{title}</h3>
        {hint && <span className="muted review-hint">{hint}</span>}
        {exportHref && (
          <a className="button small review-export" href={exportHref} download data-testid={`${testId}-export`}>
            {s.exportXlsx}
          </a>
        )}
      </header>
      <div className="review-table-wrap">
        <table className="review-table">
          <thead>
            <tr>
              <th className="review-rank">#</th>
              {header('name', s.name, null)}
              {extraColumns.map((column) => (
                <th key={column.key}>{column.label}</th>
              ))}
              {header('score', s.score, 'score')}
              <th>{s.grade}</th>
              {kpis.map((kpi) => header(kpi.key, kpi.label[lang], kpi.unit))}
            </tr>
          </thead>
          <tbody>
            {sorted.map((row, index) => (
              <tr
                key={row.id}
                data-code={row.id}
                data-testid={`${testId}-row`}
                className={onRowClick ? 'review-row-link' : undefined}
                onClick={onRowClick ? () => onRowClick(row) : undefined}
                onKeyDown={
                  onRowClick
                    ? (event) => {
                        if (event.key === 'Enter') onRowClick(row);
                      }
                    : undefined
                }
                tabIndex={onRowClick ? 0 : undefined}
              >
                <td className="review-rank">{index + 1}</td>
                <th scope="row">{row.name}</th>
                {extraColumns.map((column) => (
                  <td key={column.key}>{column.value(row)}</td>
                ))}
                <td className="review-number">{formatKpi(row.score, 'score', lang)}</td>
                <td>
                  <GradeBadge grade={row.grade} />
                </td>
                {kpis.map((column) => {
                  const kpi = row.kpis.find((candidate) => candidate.key === column.key);
                  return (
                    <td key={column.key} className="review-number" title={kpi?.grade ?? undefined} data-kpi={column.key}>
                      {kpi ? formatKpi(kpi.value, kpi.unit, lang) : '—'}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
