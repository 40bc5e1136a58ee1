import type { DecodedTrack } from './encode-track';

/** The index of the last fix at or before `seconds`, or -1 before the first. */
function lastFixAt(times: readonly number[], seconds: number): number {
  if (times.length === 0 || times[0]! > seconds) return -1;
  let low = 0;
  let high = times.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (times[middle]! <= seconds) low = middle;
    else high = middle - 1;
  }
  return low;
}

/**
 * Where a walker is at `seconds` (since the day's start) on a track, [lng, lat]: interpolated
 * between the fixes either side, or null before the first fix and after the last (the patrol
 * is not running then, so no position is claimed).
 */
export function positionOnTrack(track: DecodedTrack, seconds: number): [number, number] | null {
  const at = lastFixAt(track.seconds, seconds);
  if (at < 0) return null;
  const from = track.path[at]!;
  if (at === track.path.length - 1) return track.seconds[at] === seconds ? [from[0], from[1]] : null;
  const span = track.seconds[at + 1]! - track.seconds[at]!;
  const share = span > 0 ? (seconds - track.seconds[at]!) / span : 0;
  const to = track.path[at + 1]!;
  return [from[0] + (to[0] - from[0]) * share, from[1] + (to[1] - from[1]) * share];
}
