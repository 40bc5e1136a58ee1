import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef } from 'react';
import { CASE_STATE_LABELS, type CaseState } from '../../api/vocabulary/case-states.ts';
import { type Language, labelOf } from '../../api/vocabulary/label.ts';
import { URGENCY_LABELS } from '../../api/vocabulary/report-types.ts';
import { showNotice } from '../handle-error.ts';
import { currentLanguage, fill, formatDateTime } from '../i18n.ts';
import type { MyReport } from './field-api.ts';
import { fieldKeys, myReportsQuery, useEachChange, useMarks } from './field-queries.ts';
import { FIELD_STRINGS, useFieldStrings } from './field-strings.ts';
import { areaPath, typeLabel } from './outbox-list.tsx';
import { ReportRating } from './report-rating.tsx';

/** The main road of a case, as the reporter follows it. */
const PROGRESS: readonly CaseState[] = ['reported', 'filed', 'dispatched', 'acknowledged', 'handled', 'closed'];
const CLOSED_STATES = new Set(['closed', 'evaluated']);
/** How long a report that just changed stays marked in the list. */
const CHANGED_MARK_MS = 15_000;

export function stateLabel(state: string, lang: Language): string {
  return labelOf(CASE_STATE_LABELS, lang, state);
}

export interface MyReportsState {
  reports: MyReport[] | null;
  failed: boolean;
  /** Ids of reports whose state changed since the page opened, for a few seconds. */
  changed: ReadonlySet<string>;
  refresh: () => void;
}

/**
 * The signed-in account's reports, kept fresh by the live stream (fieldLiveInvalidations: any
 * change to a listed case, or a new report, reads the list again once per burst), on reconnecting,
 * after the outbox sent one (`sentCount`) and when asked. A report of the list that reaches a
 * final state is announced: closed above all, which is what the reporter waits for.
 */
export function useMyReports(enabled: boolean, sentCount: number): MyReportsState {
  const queryClient = useQueryClient();
  const { data, isError } = useQuery({ ...myReportsQuery(), enabled });
  const [changed, mark] = useMarks(CHANGED_MARK_MS);
  const refresh = useCallback(() => void queryClient.invalidateQueries({ queryKey: fieldKeys.myReports() }), [queryClient]);

  useEachChange(data, (before, next) => {
    const stateBefore = new Map(before.map((report) => [report.id, report.state]));
    const moved = next.filter((report) => stateBefore.has(report.id) && stateBefore.get(report.id) !== report.state);
    const strings = FIELD_STRINGS[currentLanguage()];
    for (const report of moved) {
      if (CLOSED_STATES.has(report.state) && !CLOSED_STATES.has(stateBefore.get(report.id) ?? '')) {
        showNotice(fill(strings.closedNotice, { number: report.caseNumber }));
      } else {
        showNotice(
          fill(strings.stateChangedNotice, { number: report.caseNumber, state: stateLabel(report.state, currentLanguage()) }),
        );
      }
    }
    mark(moved.map((report) => report.id));
  });

  // A new report sent from the outbox is on the server: list it.
  const sentBefore = useRef(sentCount);
  useEffect(() => {
    if (sentCount === sentBefore.current) return;
    sentBefore.current = sentCount;
    if (enabled) refresh();
  }, [enabled, sentCount, refresh]);

  return { reports: data ?? null, failed: isError, changed, refresh };
}

/** The reporter's reports with their state in words and a progress line from reported to closed. */
export function MyReports({ state }: { state: MyReportsState }) {
  const { f, t, lang } = useFieldStrings();
  const { reports, failed, changed, refresh } = state;

  return (
    <section className="fp-list" data-testid="my-reports">
      <div className="fp-list-tools">
        <button type="button" className="button" onClick={refresh}>
          {f.refresh}
        </button>
      </div>
      {reports === null && !failed && <p className="fp-empty">{t.loading}</p>}
      {failed && reports === null && <p className="fp-empty">{f.loadFailed}</p>}
      {reports?.length === 0 && <p className="fp-empty">{f.mineEmpty}</p>}
      <ul>
        {reports?.map((report) => {
          const step = PROGRESS.indexOf(report.state as (typeof PROGRESS)[number]);
          const reached = report.state === 'evaluated' ? PROGRESS.length - 1 : step;
          const closed = CLOSED_STATES.has(report.state);
          return (
            <li
              key={report.id}
              className="fp-card"
              data-state={report.state}
              data-changed={changed.has(report.id)}
              data-case-number={report.caseNumber}
              data-testid="my-report"
            >
              <div className="fp-card-head">
                <strong>{typeLabel(report.type, lang)}</strong>
                {report.urgency === 'urgent' && <span className="fp-urgent-tag">{URGENCY_LABELS.urgent[lang]}</span>}
                <span className="fp-case-state" data-closed={closed} data-testid="my-report-state">
                  {stateLabel(report.state, lang)}
                </span>
              </div>
              <p className="fp-card-meta">
                <span className="fp-case-number">{report.caseNumber}</span> · {areaPath(report.areas)}
              </p>
              <p className="fp-card-text">{report.description}</p>
              {reached >= 0 && (
                <ol className="fp-progress" aria-label={stateLabel(report.state, lang)}>
                  {PROGRESS.map((progressState, index) => (
                    <li key={progressState} data-done={index <= reached} aria-current={index === reached ? 'step' : undefined}>
                      <span>{stateLabel(progressState, lang)}</span>
                    </li>
                  ))}
                </ol>
              )}
              {report.lastStep?.note && (
                <p className="fp-card-note">
                  {report.lastStep.actorName}：{report.lastStep.note}
                </p>
              )}
              {report.state === 'closed' && (
                <ReportRating reportId={report.id} caseNumber={report.caseNumber} onRated={refresh} />
              )}
              <p className="fp-card-meta">
                {fill(f.reportedAt, { time: formatDateTime(report.reportedAt) })}
                {report.dueAt && !closed && ` · ${fill(f.dueAt, { time: formatDateTime(report.dueAt) })}`}
              </p>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
