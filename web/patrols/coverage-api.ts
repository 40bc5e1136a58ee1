import type { InferResponseType } from 'hono/client';
import { client, ok } from '../api-client.ts';

/** An area's coverage and its children's: cells walked in the last 1, 7 and 30 days over all cells. */
export type AreaCoverage = InferResponseType<typeof client.api.patrols.coverage.$get, 200>;
/** Days since each cell was last walked, keyed by the cell code without `areaCode`. */
export type CellDays = InferResponseType<typeof client.api.patrols.coverage.cells.$get, 200>;

export function fetchAreaCoverage(area: string, signal?: AbortSignal): Promise<AreaCoverage> {
  return ok(client.api.patrols.coverage.$get({ query: { area } }, { init: { signal } }));
}

export function fetchCellDays(area: string, signal?: AbortSignal): Promise<CellDays> {
  return ok(client.api.patrols.coverage.cells.$get({ query: { area } }, { init: { signal } }));
}
