import type { QueryClient, QueryKey } from '@tanstack/react-query';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { LiveEventType, LiveMessage } from './live-stream.ts';
import { liveStream, useLiveEvents } from './live-stream.ts';

/**
 * One line of a capability's table of what live events make stale: for these event types, the
 * query keys `keys` names (each invalidates every query under it). `debounceMs` folds a burst
 * (a dispatch is several steps) into one read, that long after its last event.
 */
export interface LiveInvalidation<Type extends LiveEventType = LiveEventType> {
  types: readonly Type[];
  keys: (message: LiveMessage<Type>, queryClient: QueryClient) => readonly QueryKey[];
  debounceMs?: number;
  /**
   * At most one read per this many ms: the first event invalidates at once, later ones within the
   * interval once at its end. For a steady stream (patrol.moved) that a debounce would never let
   * through, where each read costs something (an audit row).
   */
  throttleMs?: number;
}

/** A capability's table: its lines, and what to read again when the stream itself says something was missed. */
export interface LiveInvalidations {
  lines: readonly LiveInvalidation[];
  /** After a reconnect whose replay could not bring back all that was missed (`ready.complete: false`). */
  onResync: readonly QueryKey[];
  /** Each time the stream is live again after it dropped: the replay may not cover a phone's long gap. */
  onReconnect?: readonly QueryKey[];
  /** Each time the stream becomes live, the first time too: what changed before it opened is not replayed. */
  onLive?: readonly QueryKey[];
}

/**
 * One line of a table, checked against its own event types. The table holds lines of different
 * types as the widest: sound, because useLiveInvalidation hands a line only messages of its `types`.
 */
export function liveLine<const Type extends LiveEventType>(line: LiveInvalidation<Type>): LiveInvalidation {
  return line as unknown as LiveInvalidation;
}

/**
 * Keeps a capability's queries current while the screen that mounts it is open: each live event
 * of the table invalidates the keys its line names (active queries are read again at once, the
 * others when next shown). Mounted once per screen and capability, never per component; while
 * `enabled` is false it hears nothing (and does not open the stream).
 */
export function useLiveInvalidation(table: LiveInvalidations, enabled = true): void {
  const queryClient = useQueryClient();
  const timers = useRef(new Map<string, { timer: ReturnType<typeof setTimeout>; keys: QueryKey[] }>());
  const lastRead = useRef(new Map<string, number>());

  const throttle = (slot: string, keys: readonly QueryKey[], intervalMs: number) => {
    const pending = timers.current.get(slot);
    if (pending) {
      pending.keys.push(...keys);
      return;
    }
    const invalidate = (queryKeys: readonly QueryKey[]) => {
      lastRead.current.set(slot, Date.now());
      for (const queryKey of queryKeys) void queryClient.invalidateQueries({ queryKey });
    };
    const wait = (lastRead.current.get(slot) ?? 0) + intervalMs - Date.now();
    if (wait <= 0) {
      invalidate(keys);
      return;
    }
    const entry = {
      keys: [...keys],
      timer: setTimeout(() => {
        timers.current.delete(slot);
        invalidate(entry.keys);
      }, wait),
    };
    timers.current.set(slot, entry);
  };
  // Not enabled, nothing is heard: the stream is not opened for it.
  const types = enabled ? [...new Set(table.lines.flatMap((line) => line.types))] : [];

  useLiveEvents(types, (message) => {
    for (const [index, line] of table.lines.entries()) {
      if (!line.types.includes(message.type)) continue;
      const keys = line.keys(message, queryClient);
      if (keys.length === 0) continue;
      const slot = String(index);
      if (line.throttleMs) {
        throttle(slot, keys, line.throttleMs);
        continue;
      }
      if (!line.debounceMs) {
        for (const queryKey of keys) void queryClient.invalidateQueries({ queryKey });
        continue;
      }
      const pending = timers.current.get(slot);
      clearTimeout(pending?.timer);
      const merged = [...(pending?.keys ?? []), ...keys];
      const timer = setTimeout(() => {
        timers.current.delete(slot);
        for (const queryKey of merged) void queryClient.invalidateQueries({ queryKey });
      }, line.debounceMs);
      timers.current.set(slot, { timer, keys: merged });
    }
  });

  useEffect(() => {
    if (!enabled) return;
    return liveStream.onResync(() => {
      for (const queryKey of table.onResync) void queryClient.invalidateQueries({ queryKey });
    });
  }, [enabled, table, queryClient]);

  useEffect(() => {
    if (!enabled || (!table.onLive && !table.onReconnect)) return;
    let dropped = false;
    let state = liveStream.connection();
    return liveStream.watchConnection(() => {
      const previous = state;
      state = liveStream.connection();
      if (state === 'reconnecting') dropped = true;
      // Live once the replay is over (it passes through `catching-up` on the way).
      if (state !== 'live' || previous === 'live') return;
      const keys = [...(table.onLive ?? []), ...(dropped ? (table.onReconnect ?? []) : [])];
      dropped = false;
      for (const queryKey of keys) void queryClient.invalidateQueries({ queryKey });
    });
  }, [enabled, table, queryClient]);

  useEffect(() => {
    const pending = timers.current;
    return () => {
      for (const { timer } of pending.values()) clearTimeout(timer);
      pending.clear();
    };
  }, []);
}
