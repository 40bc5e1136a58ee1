import type { Queryable } from '../../../api/db/client.ts';
import { appendLiveEvent, type NewLiveEvent } from '../../../api/live/events.ts';
import type { LiveCase } from '../../../api/vocabulary/live-events.ts';
import { liveData, type SseMessage } from './sse.ts';

let sequence = 0;

/**
 * A case for the live log's own tests, placed in `cellCode`, whose description carries `note`:
 * a real payload of the event union, so the stream checks and cuts it as any other.
 */
export function noteCase(cellCode: string, note: string): LiveCase {
  sequence++;
  return {
    id: `note-${process.pid}-${sequence}`,
    caseNumber: `NOTE-${sequence}`,
    type: 'other',
    urgency: 'normal',
    state: 'reported',
    position: [107.25, 31.9],
    cellCode,
    townshipCode: cellCode.slice(0, 9),
    reportedAt: new Date().toISOString(),
    dueAt: null,
    takenAt: null,
    source: 'field',
    description: note,
  };
}

/** An event about a case in `scopeCode` that carries `note` (see noteCase). */
export function noteEvent(
  scopeCode: string,
  note: string,
  type: 'report.created' | 'case.changed' = 'report.created',
): NewLiveEvent {
  const payload = { case: noteCase(scopeCode, note) };
  return type === 'report.created' ? { type, scopeCode, payload } : { type, scopeCode, payload };
}

/** The note an event of noteEvent carries. */
export function noteOf(message: SseMessage): unknown {
  const { payload } = liveData(message);
  const liveCase = payload.case;
  return typeof liveCase === 'object' && liveCase !== null && 'description' in liveCase ? liveCase.description : undefined;
}

/** Appends noteEvent(scopeCode, note) in the caller's transaction. */
export function appendNote(tx: Queryable, scopeCode: string, note: string): Promise<number> {
  return appendLiveEvent(tx, noteEvent(scopeCode, note));
}
