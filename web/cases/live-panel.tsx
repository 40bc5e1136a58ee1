import './cases.css';
import { useEffect, useState } from 'react';
import { CASE_STATE_LABELS } from '../../api/vocabulary/case-states.ts';
import { labelOf } from '../../api/vocabulary/label.ts';
import { REPORT_TYPES, URGENCY_LABELS } from '../../api/vocabulary/report-types.ts';
import { fill } from '../i18n.ts';
import { lightCss } from '../map/case-markers.ts';
import { LIGHT_NAMES, timeAgo, useCaseStrings } from './case-strings.ts';
import type { OpenCase } from './open-cases.ts';
import { isFlashing } from './open-cases.ts';

/** A report heard through the live feed less than this long ago wears the "new" badge. */
const NEW_FOR_MS = 60_000;
/** The list shows at most this many rows; the case list page has them all. */
const MAX_ROWS = 200;

interface LivePanelProps {
  cases: OpenCase[];
  loaded: boolean;
  selectedId: string | null;
  /** The place of a case: township and village names. */
  placeOf: (openCase: OpenCase) => string;
  onSelect: (id: string) => void;
  /** Links to the case list page. */
  listHref: string;
  onOpenList: () => void;
}

function clockTime(iso: string): string {
  const date = new Date(iso);
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

/**
 * The open reports of the account's area beside the map, newest first: light, type, place, time
 * and state, with those waiting to be taken marked and pulsing. New reports slide in at the top
 * as the live feed brings them. Folded to its header on a phone.
 */
export function LivePanel({ cases, loaded, selectedId, placeOf, onSelect, listHref, onOpenList }: LivePanelProps) {
  const { lang, c } = useCaseStrings();
  const [now, setNow] = useState(() => Date.now());
  const [open, setOpen] = useState(() => !window.matchMedia('(max-width: 720px)').matches);

  // "3 分钟前" and the new badge move on by themselves.
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new arrival restarts the clock, so its badge shows at once.
  useEffect(() => setNow(Date.now()), [cases]);

  const untaken = cases.filter(isFlashing).length;
  const shown = cases.slice(0, MAX_ROWS);

  return (
    <section className="live-panel" data-open={open} data-testid="live-panel" aria-label={c.liveReports}>
      <header className="live-panel-header">
        <button type="button" className="live-panel-toggle" aria-expanded={open} onClick={() => setOpen((value) => !value)}>
          <span className="live-panel-title">{c.liveReports}</span>
          <span className="live-panel-counts">
            <span>{fill(c.openCount, { n: cases.length })}</span>
            {untaken > 0 && (
              <span className="untaken-count" data-testid="untaken-count">
                {fill(c.untakenCount, { n: untaken })}
              </span>
            )}
          </span>
        </button>
        <a
          className="button small"
          href={listHref}
          onClick={(event) => {
            if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
            event.preventDefault();
            onOpenList();
          }}
        >
          {c.caseList}
        </a>
      </header>
      {open && (
        <ol className="live-list" data-testid="live-list">
          {loaded && cases.length === 0 && <li className="live-empty muted">{c.noOpenCases}</li>}
          {!loaded && cases.length === 0 && <li className="live-empty muted">…</li>}
          {shown.map((openCase) => {
            const flashing = isFlashing(openCase);
            const fresh = openCase.arrivedAt !== null && now - openCase.arrivedAt < NEW_FOR_MS;
            return (
              <li key={openCase.id}>
                <button
                  type="button"
                  className="live-item"
                  data-case-id={openCase.id}
                  data-flashing={flashing}
                  data-light={openCase.light}
                  data-state={openCase.state}
                  aria-current={openCase.id === selectedId ? 'true' : undefined}
                  onClick={() => onSelect(openCase.id)}
                >
                  <span
                    className="light-dot"
                    style={{ background: lightCss(openCase.light) }}
                    title={labelOf(LIGHT_NAMES, lang, openCase.light)}
                  />
                  <span className="live-item-main">
                    <span className="live-item-line">
                      <strong className="live-type">{labelOf(REPORT_TYPES, lang, openCase.type)}</strong>
                      {openCase.urgency === 'urgent' && <span className="urgent-tag">{URGENCY_LABELS.urgent[lang]}</span>}
                      {fresh && <span className="new-tag">{c.newBadge}</span>}
                      {flashing && <span className="untaken-tag">{c.untaken}</span>}
                    </span>
                    <span className="live-place">{placeOf(openCase)}</span>
                  </span>
                  <span className="live-item-side">
                    <span className="state-tag" data-state={openCase.state}>
                      {labelOf(CASE_STATE_LABELS, lang, openCase.state)}
                    </span>
                    <time dateTime={openCase.reportedAt} title={openCase.reportedAt}>
                      {clockTime(openCase.reportedAt)} · {timeAgo(lang, openCase.reportedAt, now)}
                    </time>
                  </span>
                </button>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
