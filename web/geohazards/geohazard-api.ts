import { queryOptions } from '@tanstack/react-query';
import type { InferResponseType } from 'hono/client';
import { client, ok } from '../api-client.ts';
import { loadFailedTitle } from '../query-client.ts';

/** The points in the reader's scope with today's patrols against the rule, as the server gives them. */
type GeohazardDay = InferResponseType<typeof client.api.geohazards.points.$get, 200>;
export type GeohazardPointDay = GeohazardDay['points'][number];

/** The counts move as monitors' batches arrive; a minute is fresh enough for a duty board. */
const REFRESH_MS = 60_000;

/** Today's geohazard watch in the reader's scope (a read of counts, not of tracks: not audited). */
export const geohazardDayQuery = (enabled: boolean) =>
  queryOptions({
    queryKey: ['geohazards', 'points', 'today'] as const,
    queryFn: () => ok(client.api.geohazards.points.$get({ query: {} })),
    enabled,
    refetchInterval: REFRESH_MS,
    meta: { errorTitle: loadFailedTitle },
  });
