import type { FormLocation } from '../../api/vocabulary/task-forms.ts';
import { newClientId } from '../client-id.ts';
import { handleError } from '../handle-error.ts';
import { browserPlatform, FieldOutbox, type FieldOutboxEntry, madeAt, useFieldOutbox } from './field-outbox.ts';
import { sendTaskAction } from './tasks-api.ts';

/** A photo of an answer, held on the phone until uploaded; the answer names it by `localId` until then. */
interface AnswerPhoto {
  localId: string;
  /** Emptied once uploaded. */
  blob: Blob | null;
  /** The id the server gave it (task_photos). */
  serverId: string | null;
}

/** What the phone sends about one of its task targets. */
export type TaskAction =
  | { kind: 'read' | 'acknowledge' | 'complete'; targetId: number; taskId: string }
  | {
      kind: 'answer';
      targetId: number;
      taskId: string;
      householdCode: string | null;
      answers: Record<string, unknown>;
      location: FormLocation | null;
      photos: AnswerPhoto[];
    };

export interface TaskOutboxItem extends FieldOutboxEntry<{ at: string }> {
  /** The task's title, for the list of what waits. */
  title: string;
  action: TaskAction;
}

const NAME = 'grid-command-field-tasks';

/**
 * The task inbox's outbox, on the generic field outbox: read receipts, acknowledgements (签收),
 * answers with their photos, and completions, each written on the phone first and sent once, in
 * the order they were made (a read before the acknowledgement of the same task).
 */
export const taskOutbox = new FieldOutbox<TaskOutboxItem>({
  name: NAME,
  store: 'actions',
  send: sendTaskAction,
  platform: browserPlatform(NAME),
  reportError: handleError,
});

/** Writes what the phone has to say about a target, then tries to send it. */
export function queueTaskAction(account: string, title: string, action: TaskAction): Promise<TaskOutboxItem> {
  return taskOutbox.add({
    clientId: newClientId(),
    account,
    createdAt: madeAt(),
    title,
    action,
    state: 'waiting',
    attempts: 0,
    nextAttemptAt: 0,
    error: null,
    result: null,
  });
}

/** The task outbox's items of `account`, newest first; re-renders on every change. */
export function useTaskOutbox(account: string): TaskOutboxItem[] {
  return useFieldOutbox(taskOutbox).filter((item) => item.account === account);
}
