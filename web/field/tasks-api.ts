import type { InferResponseType } from 'hono/client';
import { client, ok } from '../api-client.ts';
import type { FieldSendOutcome } from './field-outbox.ts';
import { failureOf, networkFailure } from './send-failure.ts';
import type { TaskOutboxItem } from './task-outbox.ts';

/** The reader's tasks and the escalations to it (GET /api/tasks/inbox). */
export type Inbox = InferResponseType<typeof client.api.tasks.inbox.$get, 200>;
export type InboxItem = Inbox['items'][number];
export type Escalation = Inbox['escalations'][number];

const SEND_TIMEOUT_MS = 120_000;

/** The reader's tasks and the escalations to it; reading stamps the delivery receipt of new ones. */
export async function fetchInbox(signal?: AbortSignal): Promise<Inbox> {
  return ok(client.api.tasks.inbox.$get(undefined, { init: { signal } }));
}

/** The answers with each photo the phone holds replaced by the id the server gave it. */
function withPhotoIds(value: unknown, ids: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') return ids.get(value) ?? value;
  if (Array.isArray(value)) return value.map((entry) => withPhotoIds(entry, ids));
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, withPhotoIds(entry, ids)]));
  return value;
}

/**
 * Sends one item of the task outbox: a read receipt, an acknowledgement, an answer (its photos
 * first, each kept as uploaded so that a retry does not upload it again), or a completion. Each
 * is keyed by its client id on the server, so a retry records it once. Never throws for an
 * expected failure.
 */
export async function sendTaskAction(
  item: TaskOutboxItem,
  signal: AbortSignal,
  keep: (next: TaskOutboxItem) => Promise<void>,
): Promise<FieldSendOutcome<{ at: string }>> {
  const init = { signal: AbortSignal.any([signal, AbortSignal.timeout(SEND_TIMEOUT_MS)]) };
  const { action, clientId } = item;
  const param = { targetId: String(action.targetId) };
  try {
    let response: Response;
    if (action.kind !== 'answer') {
      const route = client.api.tasks.targets[':targetId'][action.kind];
      response = await route.$post({ param, json: { clientId } }, { init });
    } else {
      let current = item;
      for (const photo of action.photos) {
        if (photo.serverId || !photo.blob) continue;
        const form = new FormData();
        form.append('photos', new File([photo.blob], 'answer.jpg', { type: photo.blob.type || 'image/jpeg' }));
        const upload = await client.api.tasks[':id'].photos.$post(
          { param: { id: action.taskId }, query: { targetId: String(action.targetId) } },
          { init: { ...init, body: form } },
        );
        if (upload.status !== 201) return failureOf(upload);
        const { id } = (await upload.json()) as { id: string };
        const photos = (current.action.kind === 'answer' ? current.action.photos : []).map((kept) =>
          kept.localId === photo.localId ? { ...kept, serverId: id, blob: null } : kept,
        );
        current = { ...current, action: { ...action, photos } };
        await keep(current);
      }
      const ids = new Map(
        (current.action.kind === 'answer' ? current.action.photos : []).flatMap((photo) =>
          photo.serverId ? [[photo.localId, photo.serverId] as const] : [],
        ),
      );
      const json = {
        clientId,
        answers: withPhotoIds(action.answers, ids) as Record<string, unknown>,
        ...(action.householdCode ? { householdCode: action.householdCode } : {}),
        ...(action.location ? { location: action.location } : {}),
      };
      response = await client.api.tasks.targets[':targetId'].responses.$post({ param, json }, { init });
    }
    if (response.status !== 200 && response.status !== 201) return failureOf(response);
    return { kind: 'sent', result: { at: new Date().toISOString() } };
  } catch {
    return networkFailure();
  }
}
