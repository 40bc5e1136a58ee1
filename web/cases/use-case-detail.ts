import { useCallback, useEffect, useRef, useState } from 'react';
import { caseIdsOf } from '../../api/vocabulary/live-events.ts';
import { ApiError } from '../api-client.ts';
import { handleError } from '../handle-error.ts';
import type { LiveEventType } from '../live/live-stream.ts';
import { useLiveEvents } from '../live/live-stream.ts';
import type { CaseDetail } from './cases-api.ts';
import { fetchCase } from './cases-api.ts';

/** Live events that may change what a case's detail shows. */
const CASE_EVENTS = [
  'case.changed',
  'case.escalated',
  'case.merged',
  'alert.sent',
  'alert.acknowledged',
] as const satisfies readonly LiveEventType[];

export interface CaseDetailState {
  detail: CaseDetail | null;
  /** The case could not be read (no such case, or outside the scope). */
  failed: boolean;
  reload: () => void;
  /** Shows a detail the server just answered with (after an action), without asking again. */
  show: (detail: CaseDetail) => void;
  /** Bumped on each live event about this case (alerts included), for parts that read more (impact). */
  liveTick: number;
}

/**
 * One case's detail, read when the id changes and again whenever the live feed says the case
 * changed (someone else acted, it escalated, an alert was acknowledged), so two officers looking
 * at the same case see the same state.
 */
export function useCaseDetail(id: string): CaseDetailState {
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [failed, setFailed] = useState(false);
  const [reloads, setReloads] = useState(0);
  const [liveTick, setLiveTick] = useState(0);
  const current = useRef(id);
  current.current = id;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `reloads` is the reload trigger.
  useEffect(() => {
    const controller = new AbortController();
    setFailed(false);
    fetchCase(id, controller.signal)
      .then((next) => {
        if (current.current === id) setDetail(next);
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        handleError(error);
        if (error instanceof ApiError) setFailed(true);
      });
    return () => controller.abort();
  }, [id, reloads]);

  useEffect(() => {
    setDetail((shown) => (shown && shown.id !== id ? null : shown));
  }, [id]);

  useLiveEvents(CASE_EVENTS, (message) => {
    if (!caseIdsOf(message).includes(current.current)) return;
    setLiveTick((n) => n + 1);
    if (message.type !== 'alert.sent' && message.type !== 'alert.acknowledged') setReloads((n) => n + 1);
  });

  const reload = useCallback(() => setReloads((n) => n + 1), []);
  const show = useCallback((next: CaseDetail) => {
    if (next.id === current.current) setDetail(next);
  }, []);

  return { detail: detail && detail.id === id ? detail : null, failed, reload, show, liveTick };
}
