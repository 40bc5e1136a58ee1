import type { InferResponseType } from 'hono/client';
import { client, ok } from '../api-client.ts';

const mine = client.api.cases.mine;

/** One case waiting for the signed-in account, as GET /api/cases/mine answers it (api/cases/my-work-routes.ts). */
export type MyWork = InferResponseType<typeof mine.$get, 200>;
export type MyWorkItem = MyWork['items'][number];
export type WorkAction = MyWorkItem['work'][number];

export function fetchMyWork(signal?: AbortSignal): Promise<MyWork> {
  return ok(mine.$get(undefined, { init: { signal } }));
}
