import { queryOptions } from '@tanstack/react-query';
import type { LiveInvalidations } from '../live/live-invalidation.ts';
import { loadFailedTitle } from '../query-client.ts';
import { fetchActivePatrols } from './patrol-api.ts';

/** The patrols capability's reads (see web/query-client.ts for the pattern): every key starts with `patrols`. */
const patrolKeys = {
  all: ['patrols'] as const,
  active: () => ['patrols', 'active'] as const,
};

/** Workers on patrol now in the reader's scope, at their latest valid fix (the server audits the read). */
export const activePatrolsQuery = (enabled: boolean) =>
  queryOptions({
    queryKey: patrolKeys.active(),
    queryFn: ({ signal }) => fetchActivePatrols(signal),
    enabled,
    meta: { errorTitle: loadFailedTitle },
  });

/**
 * Between readings, patrol.moved events keep the list (web/patrols/use-live-patrols.ts); it is read
 * again only when the stream (re)opens or its replay was not whole, for what it may have missed.
 * Not on a timer: each reading of others' positions is a row in the audit log.
 */
export const PATROL_INVALIDATIONS: LiveInvalidations = {
  lines: [],
  onResync: [patrolKeys.active()],
  onLive: [patrolKeys.active()],
};
