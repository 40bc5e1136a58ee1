import type { LiveInvalidations } from '../live/live-invalidation.ts';
import { liveLine, useLiveInvalidation } from '../live/live-invalidation.ts';
import { taskKeys } from './tasks-api.ts';

/**
 * What the task events make stale on the command side: a target's new state changes the list's
 * counts and the reach curves (the monitor's map takes the state from the event itself, see
 * task-map.tsx); a dispatch adds a task; a reminder or an escalation adds a row to the task's list of them. A burst (a dispatch to a township is hundreds of events)
 * is folded into one read.
 */
const TASK_LIVE_INVALIDATIONS: LiveInvalidations = {
  lines: [
    liveLine({
      types: ['task.target'],
      keys: (message) => [taskKeys.lists(), taskKeys.reach(message.payload.taskId), taskKeys.detail(message.payload.taskId)],
      debounceMs: 1500,
    }),
    liveLine({ types: ['task.dispatched'], keys: () => [taskKeys.lists()], debounceMs: 1500 }),
    liveLine({
      types: ['task.reminded', 'task.escalated'],
      keys: (message) => [taskKeys.reminders(message.payload.taskId)],
      debounceMs: 1000,
    }),
  ],
  onResync: [taskKeys.all],
  onReconnect: [taskKeys.all],
};

/** Mounted once by the tasks pages. */
export function useTaskLiveInvalidation(enabled: boolean): void {
  useLiveInvalidation(TASK_LIVE_INVALIDATIONS, enabled);
}
