import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { isFinishedState } from '../../api/vocabulary/case-states.ts';
import { type LiveCase, visibleCase } from '../../api/vocabulary/live-events.ts';
import { isAlarming } from '../../api/vocabulary/report-types.ts';
import type { LiveMessage } from '../live/live-stream.ts';
import { useLiveEvents } from '../live/live-stream.ts';
import type { CaseLight } from '../map/case-markers.ts';
import { openCasesQuery } from './case-queries.ts';
import type { CaseSummary } from './cases-api.ts';

/** An open case as the live map and list show it. */
export interface OpenCase extends LiveCase {
  light: CaseLight;
  townshipName: string | null;
  villageName: string | null;
  /** When this page first heard of it through the live feed (ms); null for cases loaded with the page. */
  arrivedAt: number | null;
}

export function isFlashing(openCase: { type: string; urgency: string; takenAt: string | null }): boolean {
  return openCase.takenAt === null && isAlarming(openCase.type, openCase.urgency);
}

function fromSummary(summary: CaseSummary): OpenCase {
  return {
    id: summary.id,
    caseNumber: summary.caseNumber,
    type: summary.type,
    urgency: summary.urgency === 'urgent' ? 'urgent' : 'normal',
    state: summary.state,
    position: summary.position,
    cellCode: summary.cellCode,
    townshipCode: summary.townshipCode,
    reportedAt: summary.reportedAt,
    dueAt: summary.dueAt,
    takenAt: summary.takenAt,
    source: summary.source,
    description: summary.description,
    light: summary.light,
    townshipName: summary.townshipName,
    villageName: summary.villageName,
    arrivedAt: null,
  };
}

/**
 * The light of a case the live feed changed: what the server last said while the deadline is the
 * same; a new deadline means a new clock, green until the next refresh (red if already past).
 */
function lightAfter(previous: OpenCase | undefined, next: LiveCase, now: number): CaseLight {
  if (!next.dueAt) return 'none';
  if (new Date(next.dueAt).getTime() < now) return 'red';
  if (previous && previous.dueAt === next.dueAt) return previous.light;
  return 'green';
}

export interface OpenCasesState {
  /** Newest first. */
  cases: OpenCase[];
  loaded: boolean;
  /** The latest live message about a case (created or changed), for screens that follow one case. */
  lastChange: { id: string; type: LiveMessage['type']; at: number } | null;
}

/**
 * The open cases of the account's scope, kept current: loaded once (and again every minute for
 * the lights), then moved by the live feed: a new report appears, a changed case changes, a
 * finished or merged one leaves. Events heard before the first load are kept, not lost.
 * `onNewAlarm` hears of each new urgent or landslide report as it arrives.
 */
export function useOpenCases(enabled: boolean, onNewAlarm?: (openCase: OpenCase) => void): OpenCasesState {
  const [byId, setById] = useState<Map<string, OpenCase>>(() => new Map());
  const [loaded, setLoaded] = useState(false);
  const [lastChange, setLastChange] = useState<OpenCasesState['lastChange']>(null);
  /** Ids the feed finished or merged before the list arrived: a late list must not bring them back. */
  const gone = useRef(new Set<string>());
  /** Ids the feed told about before the list arrived: the feed's version is newer. */
  const heard = useRef(new Map<string, OpenCase>());
  const alarm = useRef(onNewAlarm);
  useEffect(() => {
    alarm.current = onNewAlarm;
  });
  const { data: read } = useQuery({ ...openCasesQuery(), enabled });

  // Each reading of the list (the first, every minute for the lights, after a resync) replaces
  // what was shown, but keeps what the feed said after the reading was asked for.
  useEffect(() => {
    if (!read) return;
    setById((current) => {
      const next = new Map<string, OpenCase>();
      for (const summary of read.summaries) {
        if (gone.current.has(summary.id)) continue;
        const known = current.get(summary.id);
        next.set(summary.id, { ...fromSummary(summary), arrivedAt: known?.arrivedAt ?? null });
      }
      // Heard live while the list was being read: newer than the list.
      for (const [id, openCase] of heard.current) {
        if (openCase.arrivedAt !== null && openCase.arrivedAt >= read.askedAt)
          next.set(id, { ...openCase, light: next.get(id)?.light ?? openCase.light });
      }
      heard.current.clear();
      return next;
    });
    setLoaded(true);
  }, [read]);

  useLiveEvents(['report.created', 'case.changed', 'case.escalated', 'case.merged'], (message) => {
    if (!enabled) return;
    const live = visibleCase(message.payload.case);
    if (!live) return;
    const now = Date.now();
    setLastChange({ id: live.id, type: message.type, at: now });
    if (isFinishedState(live.state)) {
      gone.current.add(live.id);
      heard.current.delete(live.id);
      setById((current) => {
        if (!current.has(live.id)) return current;
        const next = new Map(current);
        next.delete(live.id);
        return next;
      });
      return;
    }
    gone.current.delete(live.id);
    setById((current) => {
      const previous = current.get(live.id);
      const openCase: OpenCase = {
        ...live,
        light: lightAfter(previous, live, now),
        townshipName: previous?.townshipName ?? null,
        villageName: previous?.villageName ?? null,
        arrivedAt: previous ? previous.arrivedAt : now,
      };
      heard.current.set(live.id, openCase);
      const next = new Map(current);
      next.set(live.id, openCase);
      return next;
    });
    if (message.type === 'report.created' && isFlashing(live)) {
      alarm.current?.({ ...live, light: 'green', townshipName: null, villageName: null, arrivedAt: now });
    }
  });

  const cases = useMemo(
    () => [...byId.values()].sort((a, b) => (a.reportedAt < b.reportedAt ? 1 : a.reportedAt > b.reportedAt ? -1 : 0)),
    [byId],
  );
  return { cases, loaded, lastChange };
}
