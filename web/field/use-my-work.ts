import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useRef } from 'react';
import { labelOf } from '../../api/vocabulary/label.ts';
import { REPORT_TYPES } from '../../api/vocabulary/report-types.ts';
import { showNotice } from '../handle-error.ts';
import { currentLanguage, fill } from '../i18n.ts';
import { fieldKeys, myWorkQuery, useEachChange, useMarks } from './field-queries.ts';
import type { MyWorkItem } from './my-work-api.ts';
import { MY_WORK_STRINGS } from './my-work-strings.ts';

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
 * works in, `workStates` of the session: dispatched, acknowledged), has changed; also whenever the
 * stream (re)opens and when the phone shows the page again (fieldLiveInvalidations, myWorkQuery).
 * New cases, supervision and cases taken away are announced with a notice.
 */
export function useMyWork(enabled: boolean): MyWorkState {
  const queryClient = useQueryClient();
  const { data, isError } = useQuery({ ...myWorkQuery(), enabled });
  const [fresh, mark] = useMarks(FRESH_MARK_MS);
  /** Cases one has just acted on, until when: their leaving the list is one's own doing. */
  const quiet = useRef(new Map<string, number>());
  const refresh = useCallback(() => void queryClient.invalidateQueries({ queryKey: fieldKeys.myWork() }), [queryClient]);

  useEachChange(data, (before, next) => {
    const now = Date.now();
    for (const [id, until] of quiet.current) if (until < now) quiet.current.delete(id);
    const known = new Map(before.items.map((item) => [item.id, item]));
    mark(announce(known, next.items, new Set(quiet.current.keys())));
  });

  const acted = useCallback(
    (caseId: string) => {
      quiet.current.set(caseId, Date.now() + OWN_ACTION_QUIET_MS);
      refresh();
    },
    [refresh],
  );

  return { items: data?.items ?? null, complete: data?.complete ?? true, failed: isError, fresh, refresh, acted };
}
