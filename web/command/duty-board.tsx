import type { ReactNode } from 'react';
import { useState } from 'react';
import { labelOf } from '../../api/vocabulary/label.ts';
import { REPORT_TYPES } from '../../api/vocabulary/report-types.ts';
import { fill, formatNumber } from '../i18n.ts';
import { navigate } from '../routes.ts';
import { DutyClock } from './duty-clock.tsx';
import { useDutyStrings } from './duty-strings.ts';
import type { DutyCounts, DutyGroup, DutyMetric, DutySummary } from './duty-summary.ts';
import { caseListHref, DUTY_METRICS } from './duty-summary.ts';

/** A link into the case list that stays in the page (a plain click) or opens elsewhere (a modified one). */
function ListLink({
  href,
  className,
  title,
  children,
  testId,
}: {
  href: string;
  className: string;
  title: string;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <a
      className={className}
      href={href}
      title={title}
      data-testid={testId}
      onClick={(event) => {
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
        event.preventDefault();
        navigate(href);
      }}
    >
      {children}
    </a>
  );
}

type Breakdown = 'township' | 'type';

/** Busiest first: the townships with overdue cases on top, then by open cases. */
function byUrgency<T extends DutyCounts & { key: string }>(rows: T[]): T[] {
  return [...rows].sort((a, b) => b.overdue - a.overdue || b.open - a.open || (a.key < b.key ? -1 : 1));
}

interface DutyBoardProps {
  summary: DutySummary | null;
  stale: boolean;
  /** Breakdown folded at first (a phone, a short desk screen). */
  foldedAtFirst: boolean;
}

/**
 * The duty screen's head: Beijing time, and today's reports, open cases, cases awaiting
 * acknowledgement and overdue ones, in total and by township or type. Every number opens the
 * case list filtered to exactly those cases.
 */
export function DutyBoard({ summary, stale, foldedAtFirst }: DutyBoardProps) {
  const { lang, d } = useDutyStrings();
  const [breakdown, setBreakdown] = useState<Breakdown>('township');
  const [open, setOpen] = useState(!foldedAtFirst);
  const day = summary?.day ?? '';
  const number = (value: number | undefined) => (value === undefined ? '–' : formatNumber(lang, value));

  const rows: { key: string; label: string; group: DutyGroup; counts: DutyCounts }[] =
    summary === null
      ? []
      : breakdown === 'township'
        ? byUrgency(summary.byTownship.map((row) => ({ ...row, key: row.code }))).map((row) => ({
            key: row.code,
            label: row.name ?? row.code,
            group: { area: row.code },
            counts: row,
          }))
        : summary.byType.map((row) => ({
            key: row.type,
            label: labelOf(REPORT_TYPES, lang, row.type),
            group: { type: row.type },
            counts: row,
          }));

  return (
    <section className="duty-board" data-testid="duty-board" data-stale={stale} aria-label={d.dutyBoard}>
      <DutyClock />
      <ul className="duty-counts">
        {DUTY_METRICS.map((metric) => {
          const value = summary?.totals[metric];
          return (
            <li key={metric}>
              <ListLink
                className="duty-count"
                href={caseListHref(metric, day)}
                title={fill(d.metricTitle, { metric: d.metrics[metric], n: number(value) })}
                testId={`duty-count-${metric}`}
              >
                <strong data-metric={metric} data-count={value ?? ''} data-alert={value !== undefined && value > 0}>
                  {number(value)}
                </strong>
                <span>{d.metrics[metric]}</span>
              </ListLink>
            </li>
          );
        })}
      </ul>
      {stale && <p className="duty-stale">{d.stale}</p>}
      <div className="duty-breakdown-bar">
        <div className="duty-switch" title={d.breakdown}>
          {(['township', 'type'] as const).map((choice) => (
            <button
              key={choice}
              type="button"
              aria-pressed={breakdown === choice}
              onClick={() => {
                setBreakdown(choice);
                setOpen(true);
              }}
            >
              {choice === 'township' ? d.byTownship : d.byType}
            </button>
          ))}
        </div>
        <button
          type="button"
          className="duty-fold"
          aria-expanded={open}
          aria-label={open ? d.hideBreakdown : d.showBreakdown}
          title={open ? d.hideBreakdown : d.showBreakdown}
          onClick={() => setOpen((value) => !value)}
        >
          <span aria-hidden="true">{open ? '▾' : '▸'}</span>
        </button>
      </div>
      {open && (
        <div className="duty-breakdown-scroll">
          <table className="duty-breakdown" data-testid="duty-breakdown" data-breakdown={breakdown}>
            <thead>
              <tr>
                <th scope="col">{breakdown === 'township' ? d.township : d.type}</th>
                {DUTY_METRICS.map((metric) => (
                  <th key={metric} scope="col" data-metric={metric}>
                    {d.columns[metric]}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {summary !== null && rows.length === 0 && (
                <tr>
                  <td colSpan={DUTY_METRICS.length + 1} className="muted">
                    {d.nothingToday}
                  </td>
                </tr>
              )}
              {rows.map((row) => (
                <tr key={row.key} data-key={row.key}>
                  <th scope="row">
                    <ListLink
                      className="duty-row-name"
                      href={caseListHref('open', day, row.group)}
                      title={fill(d.metricTitle, { metric: `${row.label} ${d.metrics.open}`, n: number(row.counts.open) })}
                    >
                      {row.label}
                    </ListLink>
                  </th>
                  {DUTY_METRICS.map((metric: DutyMetric) => (
                    <td key={metric} data-metric={metric}>
                      <ListLink
                        className="duty-cell"
                        href={caseListHref(metric, day, row.group)}
                        title={fill(d.metricTitle, {
                          metric: `${row.label} ${d.metrics[metric]}`,
                          n: number(row.counts[metric]),
                        })}
                      >
                        <span data-count={row.counts[metric]} data-zero={row.counts[metric] === 0}>
                          {number(row.counts[metric])}
                        </span>
                      </ListLink>
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
