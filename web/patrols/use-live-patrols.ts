import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useLiveEvents } from '../live/live-stream.ts';
import type { PatrolPoint } from '../map/patrol-layer.ts';
import { fetchActivePatrols } from './patrol-api.ts';

/** The list is read again this often (ms) besides the live events, and the colours age with it. */
const REFRESH_MS = 60_000;
const RECOLOUR_MS = 15_000;

/**
 * Workers on patrol now in the reader's scope: the list once (audited on the server), then each
 * patrol.moved event moves its worker or, when the patrol ended, takes them off. Empty when
 * `enabled` is false (a role that may not view others' patrols).
 */
export function useLivePatrols(enabled: boolean): PatrolPoint[] {
  const { data } = useQuery({
    queryKey: ['patrols', 'active'],
    queryFn: ({ signal }) => fetchActivePatrols(signal),
    enabled,
    refetchInterval: REFRESH_MS,
  });
  const [moves, setMoves] = useState<ReadonlyMap<string, PatrolPoint | null>>(new Map());
  const [, setTick] = useState(0);

  // A fresh list already holds every move heard before it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the reset is keyed on each new list.
  useEffect(() => {
    setMoves(new Map());
  }, [data]);
  useEffect(() => {
    if (!enabled) return;
    const timer = setInterval(() => setTick((tick) => tick + 1), RECOLOUR_MS);
    return () => clearInterval(timer);
  }, [enabled]);

  useLiveEvents(['patrol.moved'], (message) => {
    if (!enabled) return;
    const { patrol, fix } = message.payload;
    setMoves((current) => {
      const next = new Map(current);
      if (!patrol.active) next.set(patrol.id, null);
      else if (fix)
        next.set(patrol.id, {
          id: patrol.id,
          workerName: patrol.workerName,
          position: fix.position,
          fixedAtMs: Date.parse(fix.fixedAt),
        });
      return next;
    });
  });

  return useMemo(() => {
    if (!enabled) return [];
    const points = new Map<string, PatrolPoint>();
    for (const row of data ?? []) {
      points.set(row.id, { id: row.id, workerName: row.workerName, position: row.position, fixedAtMs: Date.parse(row.fixedAt) });
    }
    for (const [id, point] of moves) {
      if (point) points.set(id, point);
      else points.delete(id);
    }
    return [...points.values()];
  }, [enabled, data, moves]);
}
