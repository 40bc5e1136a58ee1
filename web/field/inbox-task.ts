import { type FormField, parseForm } from '../../api/vocabulary/task-forms.ts';
import { type TargetState, targetStateOf } from '../../api/vocabulary/tasks.ts';
import type { TaskOutboxItem } from './task-outbox.ts';
import type { InboxItem } from './tasks-api.ts';

/** A task as the phone sees it: the server's target, moved on by what waits in the outbox. */
export interface InboxTask extends InboxItem {
  /** The state shown: the server's, or further where the phone has said more that is not sent yet. */
  shownState: TargetState;
  /** The outbox items of this target not yet sent (or refused). */
  unsent: TaskOutboxItem[];
}

/** The server's stamps, with the phone's own unsent ones laid over them. */
export function withUnsent(item: InboxItem, unsent: TaskOutboxItem[]): InboxTask {
  const now = new Date().toISOString();
  const stamps = { deliveredAt: item.deliveredAt, readAt: item.readAt, acknowledgedAt: item.acknowledgedAt, doneAt: item.doneAt };
  for (const { action } of unsent) {
    if (action.kind === 'read') stamps.readAt ??= now;
    if (action.kind === 'acknowledge') {
      stamps.acknowledgedAt ??= now;
      if (item.task.kind === 'notice') stamps.doneAt ??= now;
    }
    if (action.kind === 'complete') stamps.doneAt ??= now;
    if (action.kind === 'answer' && !item.task.perHousehold) stamps.doneAt ??= now;
  }
  if (item.task.perHousehold && item.households) {
    const answered = new Set(item.responses.map((response) => response.householdCode));
    for (const { action } of unsent) if (action.kind === 'answer' && action.householdCode) answered.add(action.householdCode);
    if (item.households.every((household) => answered.has(household.code))) stamps.doneAt ??= now;
  }
  return { ...item, shownState: targetStateOf(stamps), unsent };
}

/** The task's form, read with the shared check (the wire carries it as plain objects); empty for a notice. */
export function formOf(task: InboxItem): FormField[] {
  const parsed = parseForm(task.task.fields);
  return parsed.ok ? parsed.value : [];
}
