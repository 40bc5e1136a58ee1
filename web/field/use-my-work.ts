import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { labelOf } from '../../api/vocabulary/label.ts';
import { caseIdsOf, visibleCase } from '../../api/vocabulary/live-events.ts';
import { REPORT_TYPES } from '../../api/vocabulary/report-types.ts';
import { handleError, showNotice } from '../handle-error.ts';
import { currentLanguage, fill } from '../i18n.ts';
import { useLiveConnection, useLiveEvents } from '../live/live-stream.ts';
import type { MyWorkItem } from './my-work-api.ts';
import { fetchMyWork } from './my-work-api.ts';
import { MY_WORK_STRINGS } from './my-work-strings.ts';

/** A dispatch is several steps in a burst (file, dispatch, alerts): one reload for the burst. */
const RELOAD_DEBOUNCE_MS = 500;
/** How long a case that just arrived (or was just supervised) stays marked in the list. */
const FRESH_MARK_MS = 60_000;
/** How long after one's own action the case's comings and goings are not announced. */
const OWN_ACTION_QUIET_MS = 15_000;

export interface MyWorkState {
  items: MyWorkItem[] | null;
  /** False when the server listed only the most pressing part. */
  complete: boolean;
  failed: boolean;
  /** Cases that arrived, or were supervised, since the page opened: marked for a minute. */
  fresh: ReadonlySet<string>;
  refresh: () => void;
  /** After one's own action: reads the list again; a case the action took off it is not announced as gone. */
  acted: (caseId: string) => void;
}

function typeName(type: string): string {
  return labelOf(REPORT_TYPES, currentLanguage(), type);
}

/** Tells of what changed between two readings of the list; answers the ids to mark. */
function announce(before: ReadonlyMap<string, MyWorkItem>, next: readonly MyWorkItem[], quiet: ReadonlySet<string>): string[] {
  const w = MY_WORK_STRINGS[currentLanguage()];
  const arrived = next.filter((item) => !before.has(item.id) && !quiet.has(item.id));
  const pressed = next.filter((item) => item.supervised && before.get(item.id)?.supervised === false);
  const gone = [...before.values()].filter((item) => !quiet.has(item.id) && !next.some((current) => current.id === item.id));
  if (arrived.length === 1) {
    const [item] = arrived as [MyWorkItem];
    showNotice(fill(w.newWork, { number: item.caseNumber, type: typeName(item.type) }), item.description);
  } else if (arrived.length > 1) {
    showNotice(fill(w.newWorkMore, { n: arrived.length }));
  }
  for (const item of pressed) showNotice(`${w.supervised}：${item.caseNumber}`, typeName(item.type));
  // Taken away by someone else (sent back, cancelled, handled by a colleague): not by one's own feedback, which says so itself.
  for (const item of gone.slice(0, 2)) showNotice(fill(w.workGone, { number: item.caseNumber }));
  return [...arrived, ...pressed].map((item) => item.id);
}

/**
 * The signed-in account's work (待办), read on opening and again whenever the live feed says a
 * case that is on the list, or that may have come to it (a case now in a state the account's role
 * works in, `workStates` of the session: dispatched, acknowledged), has changed; also whenever the stream (re)opens and when
 * the phone shows the page again. New cases, supervision and cases taken away are announced with a notice.
 */
export function useMyWork(enabled: boolean, workStates: readonly string[]): MyWorkState {
  const [items, setItems] = useState<MyWorkItem[] | null>(null);
  const [complete, setComplete] = useState(true);
  const [failed, setFailed] = useState(false);
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  const known = useRef<Map<string, MyWorkItem> | null>(null);
  /** Cases one has just acted on, until when: their leaving the list is one's own doing. */
  const quiet = useRef(new Map<string, number>());
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const controller = useRef<AbortController | null>(null);
  const workStateKey = workStates.join(',');
  const watched = useMemo(() => new Set(workStateKey ? workStateKey.split(',') : []), [workStateKey]);

  const load = useCallback(() => {
    controller.current?.abort();
    const current = new AbortController();
    controller.current = current;
    fetchMyWork(current.signal)
      .then((work) => {
        setFailed(false);
        setItems(work.items);
        setComplete(work.complete);
        const before = known.current;
        known.current = new Map(work.items.map((item) => [item.id, item]));
        if (!before) return;
        const now = Date.now();
        for (const [id, until] of quiet.current) if (until < now) quiet.current.delete(id);
        const marked = announce(before, work.items, new Set(quiet.current.keys()));
        if (marked.length === 0) return;
        setFresh((shown) => new Set([...shown, ...marked]));
        setTimeout(() => setFresh((shown) => new Set([...shown].filter((id) => !marked.includes(id)))), FRESH_MARK_MS);
      })
      .catch((error: unknown) => {
        if (current.signal.aborted) return;
        handleError(error, MY_WORK_STRINGS[currentLanguage()].loadFailed);
        setFailed(true);
      });
  }, []);

  const reloadSoon = useCallback(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(load, RELOAD_DEBOUNCE_MS);
  }, [load]);

  useEffect(() => {
    if (enabled) load();
  }, [enabled, load]);

  useEffect(() => {
    if (!enabled) return;
    const onVisible = () => {
      if (document.visibilityState === 'visible') reloadSoon();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [enabled, reloadSoon]);

  useEffect(
    () => () => {
      clearTimeout(timer.current);
      controller.current?.abort();
    },
    [],
  );

  useLiveEvents(['case.changed', 'case.escalated', 'case.merged'], (message) => {
    if (!enabled) return;
    const state = visibleCase(message.payload.case)?.state;
    const listed = caseIdsOf(message).some((id) => known.current?.has(id));
    if (listed || (state !== undefined && watched.has(state))) reloadSoon();
  });

  // Each time the stream opens (the first time too): what changed before it was open, or while it
  // was down, may be beyond what it replays, so the list is read again.
  const connection = useLiveConnection();
  useEffect(() => {
    if (enabled && connection === 'live') reloadSoon();
  }, [enabled, connection, reloadSoon]);

  const acted = useCallback(
    (caseId: string) => {
      quiet.current.set(caseId, Date.now() + OWN_ACTION_QUIET_MS);
      load();
    },
    [load],
  );

  return { items, complete, failed, fresh, refresh: load, acted };
}
