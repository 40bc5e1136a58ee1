import { type QueryClient, queryOptions } from '@tanstack/react-query';
import { caseIdsOf } from '../../api/vocabulary/live-events.ts';
import type { LiveInvalidation, LiveInvalidations } from '../live/live-invalidation.ts';
import { liveLine } from '../live/live-invalidation.ts';
import type { LiveMessage } from '../live/live-stream.ts';
import { loadFailedTitle } from '../query-client.ts';
import { fetchActivePatrols, fetchNearbyPatrols, type NearbyPatrols } from './patrol-api.ts';

/** The patrols capability's reads (see web/query-client.ts for the pattern): every key starts with `patrols`. */
const patrolKeys = {
  all: ['patrols'] as const,
  active: () => ['patrols', 'active'] as const,
  nearbyAll: () => ['patrols', 'nearby'] as const,
  nearby: (caseId: string) => ['patrols', 'nearby', caseId] as const,
};

/** Workers listed near a case. */
const NEARBY_LIMIT = 10;
/** A case panel's nearby list is read again at most this often (ms), however many workers move: each reading is audited. */
const NEARBY_READ_MS = 10_000;

/** Workers on patrol now in the reader's scope, at their latest valid fix (the server audits the read). */
export const activePatrolsQuery = (enabled: boolean) =>
  queryOptions({
    queryKey: patrolKeys.active(),
    queryFn: ({ signal }) => fetchActivePatrols(signal),
    enabled,
    meta: { errorTitle: loadFailedTitle },
  });

/** Workers on patrol nearest a case (the server audits the read); kept current by PATROL_INVALIDATIONS. */
export const nearbyPatrolsQuery = (caseId: string, enabled: boolean) =>
  queryOptions({
    queryKey: patrolKeys.nearby(caseId),
    queryFn: ({ signal }) => fetchNearbyPatrols(caseId, NEARBY_LIMIT, signal),
    enabled,
    meta: { errorTitle: loadFailedTitle },
  });

/** Metres between two [lng, lat] on a sphere: enough to tell whether a move may change a list the server measures. */
function roughMetres(a: readonly [number, number], b: readonly [number, number]): number {
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLng = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6_371_008 * Math.asin(Math.sqrt(h));
}

/**
 * The nearby lists a patrol.moved may change: those that hold the worker (moved or ended), and
 * those the new position would enter (closer than the farthest listed, or the list is short).
 */
function nearbyListsMovedBy(message: LiveMessage<'patrol.moved'>, queryClient: QueryClient) {
  const { patrol, fix } = message.payload;
  return queryClient
    .getQueriesData<NearbyPatrols>({ queryKey: patrolKeys.nearbyAll() })
    .filter(([, list]) => {
      if (!list) return false;
      if (list.patrols.some((listed) => listed.patrolId === patrol.id)) return true;
      if (!patrol.active || !fix) return false;
      const farthest = list.patrols.at(-1)?.distanceM ?? Number.POSITIVE_INFINITY;
      return list.patrols.length < NEARBY_LIMIT || roughMetres(fix.position, list.case.position) < farthest;
    })
    .map(([queryKey]) => queryKey);
}

const NEARBY_LINES: LiveInvalidation[] = [
  liveLine({ types: ['patrol.moved'], keys: nearbyListsMovedBy, throttleMs: NEARBY_READ_MS }),
  // Who was alerted and who acknowledged shows beside each worker.
  liveLine({
    types: ['alert.sent', 'alert.acknowledged'],
    keys: (message) => caseIdsOf(message).map((caseId) => patrolKeys.nearby(caseId)),
  }),
];

/**
 * Between readings, patrol.moved events keep the list (web/patrols/use-live-patrols.ts); it is read
 * again only when the stream (re)opens or its replay was not whole, for what it may have missed.
 * Not on a timer: each reading of others' positions is a row in the audit log.
 */
export const PATROL_INVALIDATIONS: LiveInvalidations = {
  lines: NEARBY_LINES,
  onResync: [patrolKeys.active(), patrolKeys.nearbyAll()],
  onLive: [patrolKeys.active(), patrolKeys.nearbyAll()],
};

/** After alerting from a case panel: the list shows who was told. */
export const nearbyKeyOf = (caseId: string) => patrolKeys.nearby(caseId);
