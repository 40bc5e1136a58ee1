import { isReportType, REPORT_TYPES, URGENCY_LABELS } from '../../api/vocabulary/report-types.ts';
import { handleError } from '../handle-error.ts';
import { fill, formatDateTime } from '../i18n.ts';
import { useFieldStrings } from './field-strings.ts';
import type { OutboxItem, SentReport } from './outbox-item.ts';
import type { ReportDraft } from './report-draft.ts';
import { outbox } from './use-outbox.ts';

/** The label of a report type in the UI language (the code itself if the server knows a type this page does not). */
export function typeLabel(type: string, lang: 'zh' | 'en'): string {
  return isReportType(type) ? REPORT_TYPES[type][lang] : type;
}

/**
 * `沙溪镇 · 王坪村 · 第1网格 · 1单元`: the township, village, grid and cell the server assigned. A
 * name that repeats its parent's (王坪村第1网格 under 王坪村) is shortened to its own part.
 */
export function areaPath(areas: SentReport['areas']): string {
  const names: string[] = [];
  let parent = '';
  for (const area of [areas.township, areas.village, areas.grid, areas.cell]) {
    const name = area.name ?? area.code;
    names.push(parent && name.startsWith(parent) && name.length > parent.length ? name.slice(parent.length) : name);
    parent = name;
  }
  return names.join(' · ');
}

function clock(epochMs: number): string {
  return formatDateTime(new Date(epochMs).toISOString()).slice(11, 16);
}

interface OutboxListProps {
  items: OutboxItem[];
  account: string;
  online: boolean;
  /** A refused report goes back to the form to be corrected. */
  onTakeBack: (draft: ReportDraft) => void;
}

/**
 * Every report made on this phone by the signed-in account, newest first, with where it is:
 * waiting (and why, and when the next try is), sending, sent (case number and the areas the server
 * assigned), or refused (the server's reason, and a way to correct it).
 */
export function OutboxList({ items, account, online, onTakeBack }: OutboxListProps) {
  const { f, lang } = useFieldStrings();
  const mine = items.filter((item) => item.account === account);
  const others = items.filter((item) => item.account !== account && item.state === 'waiting').length;
  const waiting = mine.filter((item) => item.state === 'waiting').length;

  return (
    <section className="fp-list" data-testid="outbox">
      {waiting > 0 && online && (
        <button type="button" className="button fp-send-now" onClick={() => outbox.retryNow()}>
          {f.sendNow}
        </button>
      )}
      {mine.length === 0 && <p className="fp-empty">{f.outboxEmpty}</p>}
      <ul>
        {mine.map((item) => (
          <li
            key={item.clientId}
            className="fp-card"
            data-state={item.state}
            data-client-id={item.clientId}
            data-testid="outbox-item"
          >
            <div className="fp-card-head">
              <strong>{typeLabel(item.report.type, lang)}</strong>
              {item.report.urgency === 'urgent' && <span className="fp-urgent-tag">{URGENCY_LABELS.urgent[lang]}</span>}
              <span className="fp-state" data-state={item.state} data-testid="outbox-state">
                {
                  {
                    waiting: f.stateWaiting,
                    sending: f.stateSending,
                    sent: f.stateSent,
                    refused: f.stateRefused,
                  }[item.state]
                }
              </span>
            </div>
            <p className="fp-card-text">{item.report.description}</p>
            <p className="fp-card-meta">
              {fill(f.createdAt, { time: formatDateTime(new Date(item.createdAt).toISOString()) })}
              {item.photoCount > 0 && ` · ${fill(f.photosAttached, { n: item.photoCount })}`}
              {item.sentAt !== null && ` · ${fill(f.sentAt, { time: clock(item.sentAt) })}`}
            </p>
            {item.state === 'waiting' && (
              <p className="fp-card-note" data-testid="outbox-note">
                {item.needsSignIn
                  ? f.needsSignIn
                  : !online
                    ? f.waitingOffline
                    : item.attempts === 0
                      ? f.waitingFirst
                      : `${item.error ?? ''} · ${fill(f.waitingRetry, { time: clock(item.nextAttemptAt) })}`}
              </p>
            )}
            {item.state === 'sent' && item.result && (
              <dl className="fp-card-result">
                <div>
                  <dt>{f.caseNumber}</dt>
                  <dd data-testid="case-number">{item.result.caseNumber}</dd>
                </div>
                <div>
                  <dt>{f.assignedTo}</dt>
                  <dd data-testid="assigned-areas">{areaPath(item.result.areas)}</dd>
                </div>
              </dl>
            )}
            {item.state === 'refused' && (
              <>
                <p className="fp-card-refusal" role="alert" data-testid="refusal">
                  {item.error}
                </p>
                <div className="fp-card-actions">
                  <button
                    type="button"
                    className="button"
                    onClick={() => {
                      outbox
                        .takeBack(item.clientId)
                        .then((draft) => draft && onTakeBack(draft))
                        .catch(handleError);
                    }}
                  >
                    {f.editAndResend}
                  </button>
                  <button
                    type="button"
                    className="button danger"
                    onClick={() => {
                      outbox.remove(item.clientId).catch(handleError);
                    }}
                  >
                    {f.remove}
                  </button>
                </div>
              </>
            )}
          </li>
        ))}
      </ul>
      {others > 0 && <p className="fp-hint">{fill(f.otherAccounts, { n: others })}</p>}
    </section>
  );
}
