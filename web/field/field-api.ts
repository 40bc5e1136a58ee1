import type { InferResponseType } from 'hono/client';
import { client, ok } from '../api-client.ts';
import type { OutboxItem, SendOutcome, SentReport } from './outbox-item.ts';
import { failureOf, networkFailure } from './send-failure.ts';

export type MyReport = InferResponseType<typeof client.api.reports.mine.$get, 200>['reports'][number];
export type MyAlert = InferResponseType<typeof client.api.alerts.mine.$get, 200>['alerts'][number];

/** An upload on a weak rural connection may take a while; past this it is retried (the server files it once). */
const SEND_TIMEOUT_MS = 120_000;

function formOf(item: OutboxItem): FormData {
  const { report } = item;
  const form = new FormData();
  form.append('clientId', item.clientId);
  form.append('type', report.type);
  form.append('urgency', report.urgency);
  form.append('description', report.description);
  form.append('lng', String(report.place.position[0]));
  form.append('lat', String(report.place.position[1]));
  form.append('datum', report.place.datum);
  if (report.place.accuracyM !== null) form.append('accuracyM', String(Math.round(report.place.accuracyM * 10) / 10));
  for (const [index, photo] of item.photos.entries()) {
    form.append('photos', new File([photo.blob], `photo-${index + 1}.jpg`, { type: photo.blob.type || 'image/jpeg' }));
  }
  return form;
}

/**
 * Sends one outbox item as multipart/form-data, keyed by its client id (a retry finds the same
 * report: 200 instead of 201), and says what became of it. Never throws for an expected failure.
 */
export async function sendReport(item: OutboxItem, signal: AbortSignal): Promise<SendOutcome> {
  const timeout = AbortSignal.timeout(SEND_TIMEOUT_MS);
  let response: Response;
  try {
    // The contract documents the multipart body without typing it for the client: the form goes in as the request body.
    response = await client.api.reports.$post(undefined, {
      init: { body: formOf(item), signal: AbortSignal.any([signal, timeout]) },
    });
  } catch {
    return networkFailure(timeout.aborted);
  }
  if (response.status === 200 || response.status === 201) {
    const body = (await response.json()) as { report: SentReport };
    return { kind: 'sent', result: body.report };
  }
  return failureOf(response);
}

export async function fetchMyReports(signal?: AbortSignal): Promise<MyReport[]> {
  const body = await ok(client.api.reports.mine.$get({ query: { limit: '100' } }, { init: { signal } }));
  return body.reports;
}

export async function fetchMyAlerts(signal?: AbortSignal): Promise<MyAlert[]> {
  const body = await ok(client.api.alerts.mine.$get(undefined, { init: { signal } }));
  return body.alerts;
}

export async function acknowledgeAlert(id: string): Promise<void> {
  await ok(client.api.alerts[':id'].acknowledge.$post({ param: { id } }));
}
