import { distance } from '@turf/turf';
import type { LngLat } from './types';

/** One position fix as the jump filter needs it: when it was measured, where, how sure. */
export interface TrackFix {
  /** Fix time (when the phone measured it), ms since the epoch: never the arrival time. */
  fixedAtMs: number;
  position: LngLat;
  /** Horizontal accuracy radius, metres. */
  accuracyM: number;
}

export interface FixFlags {
  /** Accuracy worse than `maxAccuracyM`: kept, never drawn, counted or used as an anchor. */
  poorAccuracy: boolean;
  /** Reached from the previous valid fix faster than `maxSpeedMps`: a GPS jump. */
  jump: boolean;
}

export interface FixLimits {
  /** Metres; a fix less sure than this is poor. */
  maxAccuracyM: number;
  /** Metres per second; faster than this from the last valid fix is a jump (a motorbike on a county road stays under it). */
  maxSpeedMps: number;
}

/** Defaults: phones outdoors give 5-20 m by GPS and hundreds by Wi-Fi or cell towers; 40 m/s is 144 km/h. */
export const DEFAULT_FIX_LIMITS: FixLimits = { maxAccuracyM: 50, maxSpeedMps: 40 };

/** Below this time step (s) a speed is computed over one second, so two fixes of the same second are not infinitely fast. */
const MIN_STEP_S = 1;

/**
 * Flags each fix of `fixes` (sorted by fix time) against the last valid fix before it, starting
 * from `anchor` (the last valid fix before the first one, if any). Sorting by fix time, not by
 * arrival, is the point: a batch uploaded late lands between fixes already flagged, and the caller
 * re-flags from the fix before it, so the answer never depends on the order batches arrived in.
 * The distance both fixes' accuracies explain is not counted as movement.
 */
export function flagFixes(
  fixes: readonly TrackFix[],
  anchor: TrackFix | null,
  limits = DEFAULT_FIX_LIMITS,
): Readonly<FixFlags>[] {
  let lastValid = anchor;
  return fixes.map((fix) => {
    if (fix.accuracyM > limits.maxAccuracyM) return POOR;
    if (lastValid) {
      const metres = distance(lastValid.position, fix.position, { units: 'meters' });
      const unexplained = Math.max(0, metres - fix.accuracyM - lastValid.accuracyM);
      const seconds = Math.max(MIN_STEP_S, (fix.fixedAtMs - lastValid.fixedAtMs) / 1000);
      if (unexplained / seconds > limits.maxSpeedMps) return JUMP;
    }
    lastValid = fix;
    return VALID;
  });
}

// The three answers, shared (a batch of fixes at a time is thousands of them).
const POOR: Readonly<FixFlags> = Object.freeze({ poorAccuracy: true, jump: false });
const JUMP: Readonly<FixFlags> = Object.freeze({ poorAccuracy: false, jump: true });
const VALID: Readonly<FixFlags> = Object.freeze({ poorAccuracy: false, jump: false });

/** Metres walked along `positions` (valid fixes in fix-time order), as the crow flies between fixes. */
export function trackLength(positions: readonly LngLat[]): number {
  let metres = 0;
  for (let index = 1; index < positions.length; index++) {
    metres += distance(positions[index - 1]!, positions[index]!, { units: 'meters' });
  }
  return metres;
}
