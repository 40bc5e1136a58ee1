import { FINISHED_STATES, isCaseState } from './workflow.ts';
import { isLimitUnit, type LimitUnit, usedShare } from './working-time.ts';

/** The traffic light of a case: green while at most 80% of its limit is used, yellow to 100%, red past it. */
export type Light = 'green' | 'yellow' | 'red' | 'none';
export const LIGHTS: readonly Light[] = ['green', 'yellow', 'red', 'none'];

/** Up to this share of the limit used, the light is green. */
export const YELLOW_FROM = 0.8;

export function lightOfShare(share: number): Exclude<Light, 'none'> {
  if (share <= YELLOW_FROM) return 'green';
  if (share <= 1) return 'yellow';
  return 'red';
}

export interface CaseClock {
  state: string;
  clockStage: string | null;
  clockStartedAt: string | null;
  dueAt: string | null;
  limitUnit: string | null;
  /** Set while parked: the clock stands still at this instant. */
  parkedAt: string | null;
}

/**
 * The unit the running clock counts in. Rows written before the limit was stored fall back to
 * the stage's usual unit: wall-clock minutes to file, working time after that.
 */
function unitOf(clock: CaseClock): LimitUnit {
  if (clock.limitUnit && isLimitUnit(clock.limitUnit)) return clock.limitUnit;
  return clock.clockStage === 'file' ? 'minutes' : 'work_hours';
}

/**
 * The light and the share of the limit used at `now`. Finished cases and cases without a clock
 * have none; a parked case keeps the share it had when it was parked.
 */
export function lightOf(clock: CaseClock, now: Date): { light: Light; usedShare: number | null } {
  if (!isCaseState(clock.state) || FINISHED_STATES.includes(clock.state)) return { light: 'none', usedShare: null };
  if (!clock.clockStartedAt || !clock.dueAt) return { light: 'none', usedShare: null };
  const at = clock.state === 'parked' && clock.parkedAt ? new Date(clock.parkedAt) : now;
  const share = usedShare(new Date(clock.clockStartedAt), new Date(clock.dueAt), at, unitOf(clock));
  return { light: lightOfShare(share), usedShare: Number.isFinite(share) ? share : null };
}
