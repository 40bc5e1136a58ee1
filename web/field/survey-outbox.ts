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

type SurveyInput = Parameters<typeof client.api.workforce.surveys.$post>[0]['json'];
type SentSurvey = InferResponseType<typeof client.api.workforce.surveys.$post, 201>['survey'];

/** A survey waiting on the phone, keyed by the id the phone made for it. */
interface SurveyOutboxItem extends FieldOutboxEntry<SentSurvey> {
  address: string;
  survey: SurveyInput;
}

const NAME = 'grid-command-field-surveys';

/** Sends one survey (the server keys it by its client id, so a retry records it once); never throws for an expected failure. */
async function sendSurvey(item: SurveyOutboxItem, signal: AbortSignal): Promise<FieldSendOutcome<SentSurvey>> {
  try {
    const response = await client.api.workforce.surveys.$post(
      { json: item.survey },
      { init: { signal: AbortSignal.any([signal, AbortSignal.timeout(60_000)]) } },
    );
    if (response.status === 200 || response.status === 201) {
      return { kind: 'sent', result: ((await response.json()) as { survey: SentSurvey }).survey };
    }
    return failureOf(response);
  } catch {
    return networkFailure();
  }
}

/**
 * The field page's outbox of satisfaction surveys (满意度调查), on the generic field outbox: each
 * survey is written on the phone first and sent when the network allows; a survey taken offline
 * waits here through a reload.
 */
export const surveyOutbox = new FieldOutbox<SurveyOutboxItem>({
  name: NAME,
  store: 'surveys',
  send: sendSurvey,
  platform: browserPlatform(NAME),
  reportError: handleError,
});

export function addSurvey(account: string, address: string, survey: Omit<SurveyInput, 'clientId'>) {
  const clientId = newClientId();
  return surveyOutbox.add({
    clientId,
    account,
    createdAt: madeAt(),
    address,
    survey: { ...survey, clientId },
    state: 'waiting',
    attempts: 0,
    nextAttemptAt: 0,
    error: null,
    result: null,
  });
}

/** The surveys on the phone, newest first; re-renders on every change. */
export const useSurveyOutbox = (): SurveyOutboxItem[] => useFieldOutbox(surveyOutbox);
