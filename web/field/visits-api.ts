import type { InferResponseType } from 'hono/client';
import { client, ok } from '../api-client.ts';
import type { FieldOutboxEntry, FieldSendOutcome } from './field-outbox.ts';
import { failureOf, networkFailure } from './send-failure.ts';

export type DuePeople = InferResponseType<typeof client.api.special.visits.due.$get, 200>;
export type DuePerson = DuePeople['people'][number];
type SentVisit = InferResponseType<typeof client.api.special.visits.$post, 201>['visit'];
export type VisitInput = Parameters<typeof client.api.special.visits.$post>[0]['json'];

/** A visit waiting on the phone: what the form made, its photo (resized), and the phone's id for it. */
export interface VisitOutboxItem extends FieldOutboxEntry<SentVisit> {
  personName: string;
  visit: VisitInput;
  photo: Blob | null;
}

type VisitSendOutcome = FieldSendOutcome<SentVisit>;

const SEND_TIMEOUT_MS = 120_000;

/**
 * Sends one visit: the visit (keyed by its client id, so a retry finds the same one), then its photo
 * (stored once per visit by its bytes). Never throws for an expected failure.
 */
export async function sendVisit(item: VisitOutboxItem, signal: AbortSignal): Promise<VisitSendOutcome> {
  const init = { signal: AbortSignal.any([signal, AbortSignal.timeout(SEND_TIMEOUT_MS)]) };
  try {
    const response = await client.api.special.visits.$post({ json: item.visit }, { init });
    if (response.status !== 200 && response.status !== 201) return failureOf(response);
    const { visit } = (await response.json()) as { visit: SentVisit };
    if (!item.photo) return { kind: 'sent', result: visit };
    const form = new FormData();
    form.append('photos', new File([item.photo], 'visit.jpg', { type: item.photo.type || 'image/jpeg' }));
    const photos = await client.api.special.visits[':id'].photos.$post(
      { param: { id: visit.id } },
      { init: { ...init, body: form } },
    );
    if (photos.status !== 201) return failureOf(photos);
    return { kind: 'sent', result: visit };
  } catch {
    return networkFailure();
  }
}

export async function fetchDuePeople(signal?: AbortSignal): Promise<DuePeople> {
  return ok(client.api.special.visits.due.$get(undefined, { init: { signal } }));
}
