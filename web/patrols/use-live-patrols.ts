import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useLiveInvalidation } from '../live/live-invalidation.ts';
import { useLiveEvents } from '../live/live-stream.ts';
import type { PatrolPoint } from '../map/patrol-layer.ts';
import { activePatrolsQuery, PATROL_INVALIDATIONS } from './patrol-queries.ts';

/** The colours age with time: the points are drawn again this often (ms). */
const RECOLOUR_MS = 15_000;

/** A patrol.moved heard: where the worker is now, or null once the patrol ended; and when it was heard. */
interface HeardMove {
  point: PatrolPoint | null;
  heardAt: number;
}

/**
 * Workers on patrol now in the reader's scope: the list (audited on the server), moved by each
 * patrol.moved event with a newer fix and, when the patrol ended, taken off for good. A list read
 * again (when the stream reopens) does not undo a newer move. Empty when `enabled` is
 * false (a role that may not view others' patrols).
 */
export function useLivePatrols(enabled: boolean): PatrolPoint[] {
  const { data, dataUpdatedAt } = useQuery(activePatrolsQuery(enabled));
  useLiveInvalidation(PATROL_INVALIDATIONS, enabled);
  const [moves, setMoves] = useState<ReadonlyMap<string, HeardMove>>(new Map());
  const [, setTick] = useState(0);

  useEffect(() => {
    if (!enabled) return;
    const timer = setInterval(() => setTick((tick) => tick + 1), RECOLOUR_MS);
    return () => clearInterval(timer);
  }, [enabled]);

  useLiveEvents(['patrol.moved'], (message) => {
    if (!enabled) return;
    const { patrol, fix } = message.payload;
    if (patrol.active && !fix) return;
    const point =
      patrol.active && fix
        ? { id: patrol.id, workerName: patrol.workerName, position: fix.position, fixedAtMs: Date.parse(fix.fixedAt) }
        : null;
    setMoves((current) => new Map(current).set(patrol.id, { point, heardAt: Date.now() }));
  });

  return useMemo(() => {
    if (!enabled) return [];
    const points = new Map<string, PatrolPoint>();
    for (const row of data ?? []) {
      points.set(row.id, { id: row.id, workerName: row.workerName, position: row.position, fixedAtMs: Date.parse(row.fixedAt) });
    }
    for (const [id, move] of moves) {
      const listed = points.get(id);
      // An end is final (a new patrol has a new id); a position counts when newer than the list's, or,
      // for a worker the list lacks, when heard after the list was read (else the patrol has ended since).
      if (!move.point) points.delete(id);
      else if (listed ? move.point.fixedAtMs >= listed.fixedAtMs : move.heardAt >= dataUpdatedAt) points.set(id, move.point);
    }
    return [...points.values()];
  }, [enabled, data, dataUpdatedAt, moves]);
}
