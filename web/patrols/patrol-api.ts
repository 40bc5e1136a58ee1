import type { InferResponseType } from 'hono/client';
import { client, errorOf, ok } from '../api-client.ts';
import type { StoredFix, StoredGap } from './patrol-store.ts';

type ActivePatrol = InferResponseType<typeof client.api.patrols.active.$get, 200>['patrols'][number];
type PatrolSummary = InferResponseType<typeof client.api.patrols.mine.$get, 200>['patrols'][number];

/** Starts the patrol on the server; the same client id again gets the same patrol (200 instead of 201). */
export async function startOnServer(clientId: string, startedAt: number): Promise<PatrolSummary> {
  const response = await client.api.patrols.$post({ json: { clientId, startedAt: new Date(startedAt).toISOString() } });
  if (!response.ok) throw await errorOf(response);
  return (await response.json()).patrol;
}

/**
 * Sends one batch, one array a field (the server reads that for less than an array of fixes);
 * the server skips fixes it already has, so a batch whose answer was lost is simply sent again.
 */
export async function uploadBatch(serverId: string, fixes: StoredFix[], gaps: StoredGap[]) {
  return ok(
    client.api.patrols[':id'].positions.$post({
      param: { id: serverId },
      json: {
        fixes: {
          clientFixId: fixes.map((fix) => fix.clientFixId),
          fixedAtMs: fixes.map((fix) => Math.round(fix.fixedAt)),
          lng: fixes.map((fix) => fix.lng),
          lat: fixes.map((fix) => fix.lat),
          accuracyM: fixes.map((fix) => Math.round(fix.accuracyM * 10) / 10),
          speedMps: fixes.map((fix) => fix.speedMps),
          datum: 'wgs84',
        },
        gaps: gaps.map((gap) => ({
          clientGapId: gap.clientGapId,
          startedAt: new Date(gap.startedAt).toISOString(),
          endedAt: new Date(gap.endedAt).toISOString(),
          cause: gap.cause as 'tab_closed',
        })),
      },
    }),
  );
}

export async function endOnServer(serverId: string, endedAt: number): Promise<PatrolSummary> {
  const body = await ok(
    client.api.patrols[':id'].end.$post({ param: { id: serverId }, json: { endedAt: new Date(endedAt).toISOString() } }),
  );
  return body.patrol;
}

export async function linkReportOnServer(serverId: string, reportId: string): Promise<void> {
  await ok(client.api.patrols[':id'].reports.$post({ param: { id: serverId }, json: { reportId } }));
}

export async function fetchActivePatrols(signal?: AbortSignal): Promise<ActivePatrol[]> {
  return (await ok(client.api.patrols.active.$get(undefined, { init: { signal } }))).patrols;
}

type Cases = typeof client.api.cases;
export type NearbyPatrols = InferResponseType<Cases[':id']['nearby-patrols']['$get'], 200>;
type NearbyAlertResult = InferResponseType<Cases[':id']['nearby-patrols']['alerts']['$post'], 201>;

/** Workers on patrol nearest the case, in the reader's scope (the server audits the read). */
export function fetchNearbyPatrols(caseId: string, limit: number, signal?: AbortSignal): Promise<NearbyPatrols> {
  return ok(
    client.api.cases[':id']['nearby-patrols'].$get(
      { param: { id: caseId }, query: { limit: String(limit) } },
      { init: { signal } },
    ),
  );
}

/** Alerts these workers on patrol near the case; the client id makes a retried tap count once. */
export async function alertNearbyPatrols(caseId: string, patrolIds: string[], clientId: string): Promise<NearbyAlertResult> {
  const response = await client.api.cases[':id']['nearby-patrols'].alerts.$post({
    param: { id: caseId },
    json: { clientId, patrolIds },
  });
  if (!response.ok) throw await errorOf(response);
  return (await response.json()) as NearbyAlertResult;
}
