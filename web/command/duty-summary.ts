import { queryOptions, useQuery } from '@tanstack/react-query';
import type { InferResponseType } from 'hono/client';
import { client, ok } from '../api-client.ts';
import { caseKeys } from '../cases/case-queries.ts';
import type { CaseFilter } from '../cases/cases-api.ts';
import { casePath } from '../routes.ts';

/** The duty screen's counts, as GET /api/cases/summary answers (api/cases/summary-routes.ts). */
export type DutySummary = InferResponseType<typeof client.api.cases.summary.$get, 200>;
export type DutyCounts = DutySummary['totals'];
export type DutyMetric = keyof DutyCounts;

export const DUTY_METRICS: readonly DutyMetric[] = ['reportedToday', 'open', 'awaitingAcknowledgement', 'overdue'];

/** Overdue is a matter of time as well as of events: the counts are read again this often. */
const REFRESH_MS = 60_000;

function fetchDutySummary(signal?: AbortSignal): Promise<DutySummary> {
  return ok(client.api.cases.summary.$get(undefined, { init: { signal } }));
}

/** The counts, under the cases' keys: the live events that move cases read them again (CASE_LIVE_INVALIDATIONS). */
const dutySummaryQuery = () =>
  queryOptions({
    queryKey: caseKeys.summary(),
    queryFn: ({ signal }) => fetchDutySummary(signal),
    refetchInterval: REFRESH_MS,
    // A wall screen keeps its last counts through a passing failure; only the first read speaks up.
    meta: { keepsData: true },
  });

export interface DutySummaryState {
  summary: DutySummary | null;
  /** The last refresh failed: the counts shown are older than they look. */
  stale: boolean;
}

/**
 * The counts of the account's scope, kept current: read once, again a second after a burst of
 * live events that change them (a report, a step, an escalation, a merge), every minute for the
 * cases that turn overdue by themselves, and after a reconnect that could not replay everything.
 */
export function useDutySummary(enabled: boolean): DutySummaryState {
  const { data, isError } = useQuery({ ...dutySummaryQuery(), enabled });
  return { summary: data ?? null, stale: isError };
}

/** A breakdown row's cut of the list: a township (`area`) or a report type. */
export interface DutyGroup {
  area?: string;
  type?: string;
}

/**
 * The case list (`/cases?…`, read by case-list-page.tsx) that shows the cases of one count, so
 * the numbers it shows match: today's reports in every state (`day` is the Shanghai day the
 * summary counted), open cases, dispatched ones, and those whose light is red.
 */
export function caseListHref(metric: DutyMetric, day: string, group: DutyGroup = {}): string {
  const filter: Partial<Record<keyof CaseFilter, string>> = {
    reportedToday: { state: '', fromDay: day, toDay: day },
    open: { state: 'open' },
    awaitingAcknowledgement: { state: 'dispatched' },
    overdue: { state: 'open', light: 'red' },
  }[metric];
  const params = new URLSearchParams(filter as Record<string, string>);
  if (group.area) params.set('area', group.area);
  if (group.type) params.set('type', group.type);
  return `${casePath()}?${params}`;
}
