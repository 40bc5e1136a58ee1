import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { ApiError } from '../api-client.ts';
import { caseDetailQuery, caseKeys } from './case-queries.ts';
import type { CaseDetail } from './cases-api.ts';

export interface CaseDetailState {
  detail: CaseDetail | null;
  /** The case could not be read (no such case, or outside the scope). */
  failed: boolean;
  /** Reads the case again, with its impact and duplicates. */
  reload: () => void;
  /** Shows a detail the server just answered with (after an action), without asking again. */
  show: (detail: CaseDetail) => void;
}

/**
 * One case's detail, read when the id changes and again whenever the live feed says the case
 * changed (CASE_LIVE_INVALIDATIONS: someone else acted, it escalated), so two officers looking
 * at the same case see the same state.
 */
export function useCaseDetail(id: string): CaseDetailState {
  const queryClient = useQueryClient();
  const { data, error } = useQuery(caseDetailQuery(id));
  const reload = useCallback(() => void queryClient.invalidateQueries({ queryKey: caseKeys.case(id) }), [queryClient, id]);
  const show = useCallback(
    (next: CaseDetail) => {
      queryClient.setQueryData(caseKeys.detail(next.id), next);
    },
    [queryClient],
  );
  return { detail: data ?? null, failed: error instanceof ApiError, reload, show };
}
