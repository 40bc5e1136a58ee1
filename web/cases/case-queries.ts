import { queryOptions } from '@tanstack/react-query';
import { caseIdsOf } from '../../api/vocabulary/live-events.ts';
import { client, ok } from '../api-client.ts';
import type { LiveInvalidations } from '../live/live-invalidation.ts';
import { liveLine } from '../live/live-invalidation.ts';
import { loadFailedTitle } from '../query-client.ts';
import type { CaseFilter } from './cases-api.ts';
import { fetchCase, fetchCases, fetchDuplicates, fetchImpact, fetchOpenCases, fetchTimeLimits } from './cases-api.ts';

/**
 * The cases capability's reads (see web/query-client.ts for the pattern): every key starts with
 * `cases`, and a case's own reads (detail, impact, duplicates) sit under `caseKeys.case(id)`, so
 * one invalidation of that key reads all three again.
 */
export const caseKeys = {
  all: ['cases'] as const,
  lists: () => ['cases', 'list'] as const,
  list: (filter: CaseFilter, page: number, pageSize: number) => ['cases', 'list', filter, page, pageSize] as const,
  open: () => ['cases', 'open'] as const,
  summary: () => ['cases', 'summary'] as const,
  case: (id: string) => ['cases', 'case', id] as const,
  detail: (id: string) => ['cases', 'case', id, 'detail'] as const,
  impact: (id: string) => ['cases', 'case', id, 'impact'] as const,
  duplicates: (id: string) => ['cases', 'case', id, 'duplicates'] as const,
  departments: () => ['cases', 'departments'] as const,
  timeLimits: () => ['cases', 'time-limits'] as const,
};

export const caseListQuery = (filter: CaseFilter, page: number, pageSize: number) =>
  queryOptions({
    queryKey: caseKeys.list(filter, page, pageSize),
    queryFn: ({ signal }) => fetchCases(filter, page, pageSize, signal),
    meta: { errorTitle: loadFailedTitle },
  });

/**
 * The light moves with time (working hours, holidays) and only the server counts it: the open
 * cases are read again this often, and live events in between keep what the server said unless
 * the clock restarted (web/cases/open-cases.ts).
 */
const OPEN_CASES_REFRESH_MS = 60_000;

/** The open cases with when they were asked for: live news heard after that moment is newer than the list. */
export const openCasesQuery = () =>
  queryOptions({
    queryKey: caseKeys.open(),
    queryFn: async ({ signal }) => {
      const askedAt = Date.now();
      return { askedAt, summaries: await fetchOpenCases(signal) };
    },
    refetchInterval: OPEN_CASES_REFRESH_MS,
    // The live map merges each reading with the feed as it goes: a map opened again starts from a fresh one.
    gcTime: 0,
  });

export const caseDetailQuery = (id: string) =>
  queryOptions({ queryKey: caseKeys.detail(id), queryFn: ({ signal }) => fetchCase(id, signal) });

export const caseImpactQuery = (id: string) =>
  queryOptions({ queryKey: caseKeys.impact(id), queryFn: ({ signal }) => fetchImpact(id, signal) });

export const caseDuplicatesQuery = (id: string) =>
  queryOptions({ queryKey: caseKeys.duplicates(id), queryFn: ({ signal }) => fetchDuplicates(id, signal) });

/** The county's departments (GET /api/departments): they do not change while a page is open, so they are read once. */
export const departmentsQuery = () =>
  queryOptions({
    queryKey: caseKeys.departments(),
    queryFn: async ({ signal }) => (await ok(client.api.departments.$get(undefined, { init: { signal } }))).departments,
    staleTime: Number.POSITIVE_INFINITY,
  });

export const timeLimitsQuery = () =>
  queryOptions({
    queryKey: caseKeys.timeLimits(),
    queryFn: ({ signal }) => fetchTimeLimits(signal),
    meta: { errorTitle: loadFailedTitle },
  });

/** Live events that add, move or remove a case: lists and counts change. */
const CASE_LIST_EVENTS = ['report.created', 'case.changed', 'case.escalated', 'case.merged'] as const;

/**
 * What live events make stale in the cases capability. A list refreshes once per burst of
 * changes; a case's own reads (detail, impact, duplicates) when it changed, and its impact and
 * duplicates when an alert of it was sent or acknowledged. The open cases of the live map follow
 * the feed themselves (web/cases/open-cases.ts) and are read again only after a resync.
 */
export const CASE_LIVE_INVALIDATIONS: LiveInvalidations = {
  lines: [
    liveLine({ types: CASE_LIST_EVENTS, keys: () => [caseKeys.lists()], debounceMs: 800 }),
    liveLine({ types: CASE_LIST_EVENTS, keys: () => [caseKeys.summary()], debounceMs: 1000 }),
    liveLine({
      types: ['case.changed', 'case.escalated', 'case.merged'],
      keys: (message) => caseIdsOf(message).map(caseKeys.case),
    }),
    liveLine({
      types: ['alert.sent', 'alert.acknowledged'],
      keys: (message) => caseIdsOf(message).flatMap((id) => [caseKeys.impact(id), caseKeys.duplicates(id)]),
    }),
  ],
  onResync: [caseKeys.all],
};
