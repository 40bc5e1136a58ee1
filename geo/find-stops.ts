import { metresBetween, type TimedTrack } from './timed-track';

/** Where a worker stayed: the mean position ([lng, lat] in millionths of a degree) and the first and last second there. */
export interface TrackStop {
  lngE6: number;
  latE6: number;
  fromS: number;
  toS: number;
}

/** Defaults: within 30 m of where the stay began, for at least 3 minutes. */
const STOP_RADIUS_M = 30;
const STOP_MIN_S = 180;

/**
 * The stops of `track` (stay points, after Li et al. 2008): from a fix, the run of following fixes
 * that stay within `radiusM` of it; when that run lasts at least `minS` seconds it is a stop, and
 * the search goes on after it, otherwise from the next fix. One pass in practice: while the worker
 * walks, each run ends a few fixes on.
 */
export function findStops(track: TimedTrack, radiusM = STOP_RADIUS_M, minS = STOP_MIN_S): TrackStop[] {
  const stops: TrackStop[] = [];
  const count = track.seconds.length;
  let start = 0;
  while (start < count - 1) {
    let end = start + 1;
    while (end < count && metresBetween(track, start, end) <= radiusM) end++;
    const last = end - 1;
    if (track.seconds[last]! - track.seconds[start]! < minS) {
      start++;
      continue;
    }
    let lng = 0;
    let lat = 0;
    for (let index = start; index <= last; index++) {
      lng += track.lngE6[index]!;
      lat += track.latE6[index]!;
    }
    const fixes = last - start + 1;
    stops.push({
      lngE6: Math.round(lng / fixes),
      latE6: Math.round(lat / fixes),
      fromS: track.seconds[start]!,
      toS: track.seconds[last]!,
    });
    start = end;
  }
  return stops;
}
