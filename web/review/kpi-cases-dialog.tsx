import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { CASE_STATE_LABELS } from '../../api/vocabulary/case-states.ts';
import { labelOf } from '../../api/vocabulary/label.ts';
import { AppLink } from '../app-link.tsx';
import { useSession } from '../auth/session.ts';
import { fill, formatDateTime } from '../i18n.ts';
import { casePath } from '../routes.ts';
import type { CasesQuery, Kpi, PeriodQuery } from './review-api.ts';
import { casesExportUrl, reviewCasesQuery } from './review-api.ts';
import { useReviewStrings } from './review-strings.ts';
import './kpi-cases-dialog.css';

const PAGE_SIZE = 25;
const OUTCOMES = ['numerator', 'denominator', 'outside', 'deferred'] as const;
type Outcome = (typeof OUTCOMES)[number];

/**
 * The cases behind one KPI of one area: those above the line, below it, below but not above, or
 * left out as deferred, paged; each opens on the case page (the back button returns here). The
 * case's type is left to that page: the report types' words would be a chunk of their own shared
 * with the field page, an extra request there (tests/e2e/page-weight.test.ts).
 */
export function KpiCasesDialog({
  areaCode,
  areaName,
  kpi,
  period,
  onClose,
}: {
  areaCode: string;
  areaName: string;
  kpi: Kpi;
  period: PeriodQuery;
  onClose: () => void;
}) {
  const { lang, s } = useReviewStrings();
  const { can } = useSession();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [outcome, setOutcome] = useState<Outcome>('numerator');
  const [page, setPage] = useState(1);
  const query: CasesQuery = { ...period, kpi: kpi.key, outcome, page: String(page), pageSize: String(PAGE_SIZE) };
  const read = useQuery(reviewCasesQuery(areaCode, query));
  const pages = Math.max(1, Math.ceil((read.data?.total ?? 0) / PAGE_SIZE));
  const outcomeLabel: Record<Outcome, string> = {
    numerator: s.numerator,
    denominator: s.denominator,
    outside: s.outside,
    deferred: s.deferred,
  };

  useEffect(() => {
    dialogRef.current?.showModal();
  }, []);

  return (
    <dialog ref={dialogRef} className="form-dialog review-cases-dialog" onClose={onClose} data-testid="review-cases">
      <div className="review-dialog-body">
        <header className="review-dialog-header">
          <h2>{fill(s.casesTitle, { kpi: kpi.label[lang], area: areaName })}</h2>
          <button type="button" className="button small" onClick={() => dialogRef.current?.close()}>
            {s.close}
          </button>
        </header>
        <p className="review-formula">{kpi.formula[lang]}</p>
        <div className="review-segments" role="tablist">
          {OUTCOMES.map((name) => (
            <button
              key={name}
              type="button"
              role="tab"
              aria-selected={outcome === name}
              className={outcome === name ? 'button small primary' : 'button small'}
              onClick={() => {
                setOutcome(name);
                setPage(1);
              }}
            >
              {outcomeLabel[name]}
            </button>
          ))}
          <span className="muted">{fill(s.caseCount, { n: read.data?.total ?? 0 })}</span>
          {can('review.export') && (
            <a
              className="button small review-export"
              href={casesExportUrl(areaCode, { ...period, kpi: kpi.key, outcome })}
              download
              data-testid="review-cases-export"
            >
              {s.exportXlsx}
            </a>
          )}
        </div>
        <div className="review-table-wrap">
          <table className="review-table">
            <thead>
              <tr>
                <th>{s.caseNumber}</th>
                <th>{s.caseState}</th>
                <th>{s.dueAt}</th>
                <th>{s.closedAt}</th>
                <th>{s.onTime}</th>
              </tr>
            </thead>
            <tbody>
              {(read.data?.items ?? []).map((item) => (
                <tr key={item.id} data-testid="review-case">
                  <td>
                    <AppLink href={casePath(item.id)}>{item.caseNumber}</AppLink>
                  </td>
                  <td>{labelOf(CASE_STATE_LABELS, lang, item.state)}</td>
                  <td>{formatDateTime(item.dueAt)}</td>
                  <td>{item.closedAt ? formatDateTime(item.closedAt) : '—'}</td>
                  <td>{item.closedOnTime ? s.yes : s.no}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {read.isPending && <p className="muted">{s.loading}</p>}
        <footer className="review-pager">
          <button type="button" className="button small" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            {s.previous}
          </button>
          <span>{fill(s.page, { page, pages })}</span>
          <button type="button" className="button small" disabled={page >= pages} onClick={() => setPage(page + 1)}>
            {s.next}
          </button>
        </footer>
      </div>
    </dialog>
  );
}
