import { FINISHED_STATES, isCaseState } from '../vocabulary/case-states.ts';
import type { CaseRow } from './repository.ts';
import { type ClockKind, isClockKind, usedShare } from './working-time.ts';

/** The traffic light of a case: green while at most 80% of its limit is used, yellow to 100%, red past it. */
export type Light = 'green' | 'yellow' | 'red' | 'none';
export const LIGHTS: readonly Light[] = ['green', 'yellow', 'red', 'none'];

/** Up to this share of the limit used, the light is green. */
const YELLOW_FROM = 0.8;

export function lightOfShare(share: number): Exclude<Light, 'none'> {
  if (share <= YELLOW_FROM) return 'green';
  if (share <= 1) return 'yellow';
  return 'red';
}

/** What the light is measured from: the clock columns of a case as read (see CaseRow). */
export type CaseClock = Pick<
  CaseRow,
  'state' | 'clockStage' | 'clockStartedAt' | 'dueAt' | 'limitUnit' | 'limitClock' | 'parkedAt'
>;

/**
 * The clock the running limit counts on. A row without one (written by hand, or by code from
 * before migration 0008) reads as limits did then: wall-clock minutes, working hours and days,
 * and by stage when even the unit is missing (filing on wall-clock time, the rest working).
 */
export function clockOf(clock: Pick<CaseClock, 'limitClock' | 'limitUnit' | 'clockStage'>): ClockKind {
  if (clock.limitClock && isClockKind(clock.limitClock)) return clock.limitClock;
  if (clock.limitUnit) return clock.limitUnit === 'minutes' ? 'natural' : 'working';
  return clock.clockStage === 'file' ? 'natural' : 'working';
}

/**
 * The light and the share of the limit used at `now`, measured on the limit's own clock (see
 * `usedShare`). Finished cases and cases without a clock have none; a parked case keeps the
 * share it had when it was parked.
 */
export function lightOf(clock: CaseClock, now: Date): { light: Light; usedShare: number | null } {
  if (!isCaseState(clock.state) || FINISHED_STATES.includes(clock.state)) return { light: 'none', usedShare: null };
  if (!clock.clockStartedAt || !clock.dueAt) return { light: 'none', usedShare: null };
  const at = clock.state === 'parked' && clock.parkedAt ? new Date(clock.parkedAt) : now;
  const share = usedShare(new Date(clock.clockStartedAt), new Date(clock.dueAt), at, clockOf(clock));
  return { light: lightOfShare(share), usedShare: Number.isFinite(share) ? share : null };
}
