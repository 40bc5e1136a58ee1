import type { InferResponseType } from 'hono/client';
import { client } from '../api-client.ts';
import { newClientId } from '../client-id.ts';
import { handleError } from '../handle-error.ts';
import {
  browserPlatform,
  FieldOutbox,
  type FieldOutboxEntry,
  type FieldSendOutcome,
  madeAt,
  useFieldOutbox,
} from './field-outbox.ts';
import { failureOf, networkFailure } from './send-failure.ts';

type SentRating = InferResponseType<(typeof client.api.cases)[':id']['evaluations']['field']['$post'], 201>;

/** The reporter's rating of a closed report, waiting on the phone. */
interface RatingOutboxItem extends FieldOutboxEntry<SentRating> {
  reportId: string;
  caseNumber: string;
  score: number;
}

const NAME = 'grid-command-field-ratings';

async function sendRating(item: RatingOutboxItem, signal: AbortSignal): Promise<FieldSendOutcome<SentRating>> {
  try {
    const response = await client.api.cases[':id'].evaluations.field.$post(
      { param: { id: item.reportId }, json: { clientId: item.clientId, score: item.score } },
      { init: { signal: AbortSignal.any([signal, AbortSignal.timeout(60_000)]) } },
    );
    if (response.ok) return { kind: 'sent', result: (await response.json()) as SentRating };
    return failureOf(response);
  } catch {
    return networkFailure();
  }
}

/**
 * The reporter's ratings of their own closed reports (居民满意度, source 'field'), on the generic
 * field outbox: a rating given without network waits on the phone, and the server counts its
 * client id once.
 */
export const ratingOutbox = new FieldOutbox<RatingOutboxItem>({
  name: NAME,
  store: 'ratings',
  send: sendRating,
  platform: browserPlatform(NAME),
  reportError: handleError,
});

export function addRating(account: string, reportId: string, caseNumber: string, score: number) {
  return ratingOutbox.add({
    clientId: newClientId(),
    account,
    createdAt: madeAt(),
    reportId,
    caseNumber,
    score,
    state: 'waiting',
    attempts: 0,
    nextAttemptAt: 0,
    error: null,
    result: null,
  });
}

/** The account's rating of a report on the phone, the latest; undefined when none. */
export function useRatingOf(account: string, reportId: string): RatingOutboxItem | undefined {
  return useFieldOutbox(ratingOutbox).find((item) => item.account === account && item.reportId === reportId);
}
