import type { QueryClient } from '@tanstack/react-query';
import { queryOptions } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { caseIdsOf, visibleCase } from '../../api/vocabulary/live-events.ts';
import { currentLanguage } from '../i18n.ts';
import type { LiveInvalidations } from '../live/live-invalidation.ts';
import { liveLine } from '../live/live-invalidation.ts';
import { fetchMyAlerts, fetchMyReports } from './field-api.ts';
import { FIELD_STRINGS } from './field-strings.ts';
import { fetchMyWork } from './my-work-api.ts';
import { MY_WORK_STRINGS } from './my-work-strings.ts';

/**
 * The field page's reads (see web/query-client.ts for the pattern): one's own reports, the alerts
 * addressed to one, and one's work. The reports themselves go out through the outbox
 * (web/field/outbox.ts), not through here.
 */
export const fieldKeys = {
  all: ['field'] as const,
  myReports: () => ['field', 'my-reports'] as const,
  myAlerts: () => ['field', 'my-alerts'] as const,
  myWork: () => ['field', 'my-work'] as const,
};

export const myReportsQuery = () =>
  queryOptions({
    queryKey: fieldKeys.myReports(),
    queryFn: ({ signal }) => fetchMyReports(signal),
    meta: { errorTitle: () => FIELD_STRINGS[currentLanguage()].loadFailed },
  });

export const myAlertsQuery = () =>
  queryOptions({
    queryKey: fieldKeys.myAlerts(),
    queryFn: ({ signal }) => fetchMyAlerts(signal),
    meta: { errorTitle: () => FIELD_STRINGS[currentLanguage()].loadFailed },
  });

export const myWorkQuery = () =>
  queryOptions({
    queryKey: fieldKeys.myWork(),
    queryFn: ({ signal }) => fetchMyWork(signal),
    // The phone shown again (out of a pocket): the list may have moved meanwhile.
    refetchOnWindowFocus: true,
    meta: { errorTitle: () => MY_WORK_STRINGS[currentLanguage()].loadFailed },
  });

/** Whether the live message names a case the cached reading lists (by the id `idOf` gives each entry). */
function lists<T>(queryClient: QueryClient, queryKey: readonly unknown[], idOf: (entry: T) => string, ids: string[]) {
  const entries = queryClient.getQueryData<readonly T[]>(queryKey);
  return entries?.some((entry) => ids.includes(idOf(entry))) ?? false;
}

/**
 * What live events make stale on the field page, for an account whose role works cases in
 * `workStates`. Bursts (a dispatch is several steps) read a list once.
 * - my reports: a new report (maybe one's own from another phone), or a change to a listed one;
 * - my alerts: a new alert, or a change to a case one was alerted about;
 * - my work: a change to a listed case, or to one now in a state the role works in.
 * After a drop the lists are read again (the replay may not cover a long gap), and the work list
 * each time the stream opens.
 */
export function fieldLiveInvalidations(workStates: readonly string[]): LiveInvalidations {
  return {
    lines: [
      liveLine({
        types: ['report.created', 'case.changed', 'case.escalated', 'case.merged'],
        keys: (message, queryClient) =>
          message.type === 'report.created' ||
          lists<{ id: string }>(queryClient, fieldKeys.myReports(), (report) => report.id, caseIdsOf(message))
            ? [fieldKeys.myReports()]
            : [],
        debounceMs: 600,
      }),
      liveLine({ types: ['alert.sent'], keys: () => [fieldKeys.myAlerts()] }),
      liveLine({
        types: ['alert.acknowledged', 'case.changed', 'case.merged'],
        keys: (message, queryClient) =>
          lists<{ reportId: string }>(queryClient, fieldKeys.myAlerts(), (alert) => alert.reportId, caseIdsOf(message))
            ? [fieldKeys.myAlerts()]
            : [],
      }),
      liveLine({
        types: ['case.changed', 'case.escalated', 'case.merged'],
        keys: (message, queryClient) => {
          const state = visibleCase(message.payload.case)?.state;
          const work = queryClient.getQueryData(myWorkQuery().queryKey);
          const listed = caseIdsOf(message).some((id) => work?.items.some((item) => item.id === id));
          return listed || (state !== undefined && workStates.includes(state)) ? [fieldKeys.myWork()] : [];
        },
        debounceMs: 500,
      }),
    ],
    onResync: [fieldKeys.all],
    onReconnect: [fieldKeys.myReports(), fieldKeys.myAlerts()],
    onLive: [fieldKeys.myWork()],
  };
}

/**
 * Calls `onChange(before, next)` for each new reading of a list after the first one: what changed
 * while the page was open (a report closed, work that arrived), for the page to announce.
 */
export function useEachChange<T>(reading: T | undefined, onChange: (before: T, next: T) => void): void {
  const before = useRef<T | undefined>(undefined);
  const handler = useRef(onChange);
  handler.current = onChange;
  useEffect(() => {
    if (reading === undefined) return;
    const previous = before.current;
    before.current = reading;
    if (previous !== undefined && previous !== reading) handler.current(previous, reading);
  }, [reading]);
}

/** Ids marked for a while (a report that just changed, work that just arrived), then unmarked by themselves. */
export function useMarks(ms: number): [ReadonlySet<string>, (ids: readonly string[]) => void] {
  const [marked, setMarked] = useState<ReadonlySet<string>>(new Set());
  const mark = useRef((ids: readonly string[]) => {
    if (ids.length === 0) return;
    setMarked((shown) => new Set([...shown, ...ids]));
    setTimeout(() => setMarked((shown) => new Set([...shown].filter((id) => !ids.includes(id)))), ms);
  });
  return [marked, mark.current];
}
