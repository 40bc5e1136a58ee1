import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef } from 'react';
import type { TargetCounts, TargetState } from '../../api/vocabulary/tasks.ts';
import { useLiveEvents } from '../live/live-stream.ts';
import type { TaskTarget } from './tasks-api.ts';
import { targetsQuery, taskKeys } from './tasks-api.ts';

/** Live states are folded into the cached targets at most this often: a dispatch to a county is thousands of events. */
const FLUSH_MS = 300;

export interface LiveTargets {
  targets: readonly TaskTarget[];
  counts: TargetCounts;
  /** Each cell target's state by cell code, for the map. */
  cellStates: ReadonlyMap<string, TargetState>;
  loaded: boolean;
}

/**
 * A task's targets, read once and then kept current by the `task.target` events of the live
 * stream (the event carries the new state: no read per event). A target reaching `done` means a
 * new answer: the results are read again, once per burst.
 */
export function useLiveTargets(taskId: string): LiveTargets {
  const queryClient = useQueryClient();
  const read = useQuery(targetsQuery(taskId));
  const pending = useRef(new Map<number, TargetState>());
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => () => clearTimeout(timer.current), []);

  useLiveEvents(['task.target'], (message) => {
    const { payload } = message;
    if (payload.taskId !== taskId) return;
    pending.current.set(payload.targetId, payload.state);
    if (timer.current !== undefined) return;
    timer.current = setTimeout(() => {
      timer.current = undefined;
      const changes = new Map(pending.current);
      pending.current.clear();
      queryClient.setQueryData(targetsQuery(taskId).queryKey, (current) =>
        current
          ? { targets: current.targets.map((target) => ({ ...target, state: changes.get(target.id) ?? target.state })) }
          : current,
      );
      if ([...changes.values()].includes('done')) {
        void queryClient.invalidateQueries({ queryKey: taskKeys.results(taskId) });
      }
    }, FLUSH_MS);
  });

  const targets = read.data?.targets;
  return useMemo(() => {
    const counts: TargetCounts = { pending: 0, delivered: 0, read: 0, acknowledged: 0, done: 0 };
    const cellStates = new Map<string, TargetState>();
    for (const target of targets ?? []) {
      counts[target.state] += 1;
      if (target.targetKind === 'cell') cellStates.set(target.areaCode, target.state);
    }
    return { targets: targets ?? [], counts, cellStates, loaded: targets !== undefined };
  }, [targets]);
}
