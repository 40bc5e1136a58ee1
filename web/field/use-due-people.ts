import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo } from 'react';
import { useVisitOutbox } from './visit-outbox.ts';
import { type DuePeople, fetchDuePeople } from './visits-api.ts';

/** The last list read from the server, kept on the phone per account: the page opened offline still has it. */
const cacheKey = (account: string) => `grid-command.due-people.${account}`;

interface CachedList {
  at: number;
  list: DuePeople;
}

function cached(account: string): CachedList | null {
  try {
    const text = localStorage.getItem(cacheKey(account));
    return text ? (JSON.parse(text) as CachedList) : null;
  } catch {
    return null;
  }
}

export interface DuePeopleState {
  list: DuePeople | null;
  /** When the shown list was read, if it is the phone's copy rather than a fresh answer. */
  copyOf: number | null;
  failed: boolean;
  refresh: () => void;
}

/**
 * The people the signed-in worker has to visit (GET /api/special/visits/due), overdue first; read
 * on opening and every few minutes, kept on the phone, and shown from there while offline.
 */
export function useDuePeople(account: string, enabled: boolean): DuePeopleState {
  const queryClient = useQueryClient();
  const key = useMemo(() => ['field', 'due-people', account] as const, [account]);
  const { data, isError, dataUpdatedAt } = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => fetchDuePeople(signal),
    enabled,
    refetchInterval: 5 * 60_000,
    meta: { quiet: true },
  });
  useEffect(() => {
    if (!data) return;
    try {
      localStorage.setItem(cacheKey(account), JSON.stringify({ at: dataUpdatedAt, list: data } satisfies CachedList));
    } catch {
      // A full storage keeps the older copy; the list on screen is still the fresh one.
    }
  }, [account, data, dataUpdatedAt]);
  const refresh = useCallback(() => void queryClient.invalidateQueries({ queryKey: key }), [queryClient, key]);
  // Each visit that reaches the server moves its person's due day: the list is read again.
  const sent = useVisitOutbox().filter((item) => item.account === account && item.state === 'sent').length;
  useEffect(() => {
    if (sent > 0 && enabled) refresh();
  }, [sent, enabled, refresh]);
  if (data) return { list: data, copyOf: null, failed: false, refresh };
  const copy = enabled ? cached(account) : null;
  return { list: copy?.list ?? null, copyOf: copy?.at ?? null, failed: isError, refresh };
}
