import type { InferResponseType } from 'hono/client';
import { client, ok } from '../api-client.ts';

export type Playback = InferResponseType<typeof client.api.patrols.playback.$get, 200>;
export type PlaybackWorker = Playback['workers'][number];

/**
 * A day's playback of an area (the reader's scope when `area` is empty), or with `day` null the
 * latest day with a track there (the answer's `day`); reading others' tracks is audited by the server.
 */
export function fetchPlayback(day: string | null, area: string, signal?: AbortSignal): Promise<Playback> {
  return ok(
    client.api.patrols.playback.$get({ query: { ...(day ? { day } : {}), ...(area ? { area } : {}) } }, { init: { signal } }),
  );
}
