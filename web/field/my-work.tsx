import './my-work.css';
import { useCallback, useEffect, useRef, useState } from 'react';
import { CASE_STATE_LABELS } from '../../api/vocabulary/case-states.ts';
import { labelOf } from '../../api/vocabulary/label.ts';
import { REPORT_TYPES, URGENCY_LABELS } from '../../api/vocabulary/report-types.ts';
import type { MyWorkItem, WorkAction } from './my-work-api.ts';
import { useMyWorkStrings } from './my-work-strings.ts';
import { areaPath } from './outbox-list.tsx';
import type { MyWorkState } from './use-my-work.ts';
import { WorkCase } from './work-case.tsx';
import { acknowledgeCase, deadlineText, LightChip, useNow, WorkActionButtons } from './work-parts.tsx';

/** `#work/<case id>`: the case open on the work tab, so the phone's back button closes it. */
const OPEN_CASE_HASH = /^#work\/([^/?#]+)$/;

function openCaseInHash(): string | null {
  const match = OPEN_CASE_HASH.exec(window.location.hash);
  return match ? decodeURIComponent(match[1]!) : null;
}

function placeOf(item: MyWorkItem): string {
  return areaPath({
    township: { code: item.townshipCode, name: item.townshipName },
    village: { code: item.villageCode, name: item.villageName },
    grid: { code: item.gridCode, name: item.gridName },
    cell: { code: item.cellCode, name: item.cellName },
  });
}

function WorkCard({
  item,
  fresh,
  now,
  onOpen,
  onActed,
}: {
  item: MyWorkItem;
  fresh: boolean;
  now: number;
  onOpen: (action?: WorkAction) => void;
  onActed: () => void;
}) {
  const { w, lang } = useMyWorkStrings();
  const [busy, setBusy] = useState(false);
  /** One client id per case version: a retried tap on 签收 is applied once. */
  const acknowledgement = useRef<{ version: number; clientId: string } | null>(null);
  const lead = item.work.includes('acknowledge') || item.work.includes('feedback');

  const acknowledge = async () => {
    if (busy) return;
    setBusy(true);
    const outcome = await acknowledgeCase(item, acknowledgement, w);
    setBusy(false);
    if (outcome.kind !== 'retry') onActed();
  };

  return (
    <li
      className="fp-card fp-work-card"
      data-light={item.light}
      data-fresh={fresh}
      data-case-id={item.id}
      data-case-number={item.caseNumber}
      data-testid="work-item"
    >
      <button type="button" className="fp-work-open" onClick={() => onOpen()} aria-label={`${w.openCase} ${item.caseNumber}`}>
        <span className="fp-card-head">
          <strong>{labelOf(REPORT_TYPES, lang, item.type)}</strong>
          {item.urgency === 'urgent' && <span className="fp-urgent-tag">{URGENCY_LABELS.urgent[lang]}</span>}
          {item.supervised && <span className="fp-supervised-tag">{w.supervised}</span>}
          {!lead && <span className="fp-co-tag">{w.coHandling}</span>}
          <span className="fp-case-state" data-testid="work-state">
            {labelOf(CASE_STATE_LABELS, lang, item.state)}
          </span>
        </span>
        <span className="fp-work-deadline">
          <LightChip light={item.light} lang={lang} />
          <span data-testid="work-deadline">{deadlineText(item, now, w, lang)}</span>
        </span>
        <span className="fp-card-meta">
          <span className="fp-case-number">{item.caseNumber}</span> · {placeOf(item)}
        </span>
        {item.description && <span className="fp-card-text fp-work-description">{item.description}</span>}
      </button>
      <WorkActionButtons
        actions={item.work}
        busy={busy}
        lang={lang}
        w={w}
        onAcknowledge={() => void acknowledge()}
        onOpen={onOpen}
      />
    </li>
  );
}

/**
 * The work tab: every case waiting for this account, most pressing first, each a card with its
 * deadline and light and its actions a tap away (签收 at once; 处置进展 and 处置反馈 open the
 * case with the form). A card opens the case (`#work/<id>`).
 */
export function MyWorkTab({ state }: { state: MyWorkState }) {
  const { w, t } = useMyWorkStrings();
  const { items, complete, failed, fresh, refresh, acted } = state;
  const now = useNow();
  const [openId, setOpenId] = useState<string | null>(openCaseInHash);
  const [openAction, setOpenAction] = useState<WorkAction | null>(null);
  const pushed = useRef(false);

  useEffect(() => {
    const onHash = () => {
      const id = openCaseInHash();
      setOpenId(id);
      if (!id) {
        pushed.current = false;
        setOpenAction(null);
      }
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const open = (id: string, action?: WorkAction) => {
    setOpenAction(action ?? null);
    pushed.current = true;
    window.location.hash = `work/${encodeURIComponent(id)}`;
    document.querySelector('.field-page')?.scrollTo({ top: 0 });
  };

  const back = useCallback(() => {
    if (pushed.current) {
      window.history.back();
      return;
    }
    window.history.replaceState(null, '', '#work');
    setOpenId(null);
    setOpenAction(null);
  }, []);

  if (openId) {
    return (
      <WorkCase
        caseId={openId}
        initialAction={openAction}
        onBack={back}
        onActed={(action) => {
          acted(openId);
          if (action === 'feedback') back();
        }}
      />
    );
  }

  return (
    <section className="fp-list" data-testid="my-work" data-state={items !== null ? 'ready' : failed ? 'failed' : 'loading'}>
      <div className="fp-list-tools">
        <button type="button" className="button" onClick={refresh}>
          {w.refresh}
        </button>
      </div>
      {items === null && !failed && <p className="fp-empty">{t.loading}</p>}
      {failed && items === null && <p className="fp-empty">{w.loadFailed}</p>}
      {items?.length === 0 && <p className="fp-empty">{w.workEmpty}</p>}
      {!complete && <p className="fp-empty">{w.workIncomplete}</p>}
      <ul>
        {items?.map((item) => (
          <WorkCard
            key={item.id}
            item={item}
            fresh={fresh.has(item.id)}
            now={now}
            onOpen={(action) => open(item.id, action)}
            onActed={() => acted(item.id)}
          />
        ))}
      </ul>
    </section>
  );
}
