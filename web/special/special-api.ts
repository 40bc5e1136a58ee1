import { queryOptions } from '@tanstack/react-query';
import type { InferResponseType } from 'hono/client';
import { client, ok } from '../api-client.ts';

/** Figures per fixed unit (hexagons, or cells for personal access) over whole months. */
export type SpecialHeatmap = InferResponseType<typeof client.api.special.heatmap.$get, 200>;
/** Visit fixes or overdue households, for personal access only. */
export type SpecialPoints = InferResponseType<typeof client.api.special.heatmap.points.$get, 200>;
/** A break-the-glass grant. */
export type AccessGrant = InferResponseType<typeof client.api.special.grants.mine.$get, 200>['grants'][number];
export type HeatmapMeasure = SpecialHeatmap['measure'];
export type HexSize = NonNullable<SpecialHeatmap['size']>;

export interface HeatmapAsk {
  measure: HeatmapMeasure;
  from: string;
  to: string;
  area: string;
  size: HexSize;
}

export function fetchSpecialHeatmap(ask: HeatmapAsk, signal?: AbortSignal): Promise<SpecialHeatmap> {
  return ok(client.api.special.heatmap.$get({ query: { ...ask, unit: 'hex' } }, { init: { signal } }));
}

export function fetchSpecialPoints(ask: HeatmapAsk, signal?: AbortSignal): Promise<SpecialPoints> {
  const { measure, from, to, area } = ask;
  return ok(client.api.special.heatmap.points.$get({ query: { measure, from, to, area } }, { init: { signal } }));
}

/** The area panel's figures per child area: exact with personal access (audited), else suppressed below 5. */
export const specialSummaryQuery = (area: string) =>
  queryOptions({
    queryKey: ['special', 'summary', area] as const,
    queryFn: ({ signal }) => ok(client.api.special.summary.$get({ query: { area } }, { init: { signal } })),
  });

export function fetchOverdueCells(area: string, signal?: AbortSignal) {
  return ok(client.api.special['overdue-cells'].$get({ query: { area } }, { init: { signal } }));
}

export function fetchMyGrants(signal?: AbortSignal): Promise<AccessGrant[]> {
  return ok(client.api.special.grants.mine.$get({}, { init: { signal } })).then((answer) => answer.grants);
}

export function openGrant(request: { clientId: string; areaCode: string; reason: string; hours: number }): Promise<AccessGrant> {
  return ok(client.api.special.grants.$post({ json: request })).then((answer) => answer.grant);
}

export function revokeGrant(id: string): Promise<AccessGrant> {
  return ok(client.api.special.grants[':id'].revoke.$post({ param: { id } })).then((answer) => answer.grant);
}
