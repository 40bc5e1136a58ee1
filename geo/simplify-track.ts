import type { TimedTrack } from './timed-track';

const METRES_PER_DEGREE = 111_319.49;

/**
 * The indexes of the fixes to draw `track` with: Douglas–Peucker with a tolerance in metres (on a
 * local equirectangular plane, exact enough across one day's walk). The first and last fixes are
 * always kept and each kept fix keeps its own time, so times stay increasing and a trail animated
 * by time passes every kept point when the worker did. Iterative (a stack), so a long day does not
 * overflow the call stack.
 */
export function simplifyTrack(track: TimedTrack, toleranceM: number): Int32Array {
  const count = track.seconds.length;
  if (count <= 2) return Int32Array.from({ length: count }, (_, index) => index);
  const cosLat = Math.cos((track.latE6[0]! / 1e6) * (Math.PI / 180));
  const xScale = (METRES_PER_DEGREE * cosLat) / 1e6;
  const yScale = METRES_PER_DEGREE / 1e6;
  const keep = new Uint8Array(count);
  keep[0] = 1;
  keep[count - 1] = 1;
  const tolerance2 = toleranceM * toleranceM;
  const stack: number[] = [0, count - 1];
  while (stack.length > 0) {
    const last = stack.pop()!;
    const first = stack.pop()!;
    if (last - first < 2) continue;
    const ax = track.lngE6[first]! * xScale;
    const ay = track.latE6[first]! * yScale;
    const dx = track.lngE6[last]! * xScale - ax;
    const dy = track.latE6[last]! * yScale - ay;
    const length2 = dx * dx + dy * dy;
    let farthest = -1;
    let farthest2 = tolerance2;
    for (let index = first + 1; index < last; index++) {
      const px = track.lngE6[index]! * xScale - ax;
      const py = track.latE6[index]! * yScale - ay;
      const along = length2 === 0 ? 0 : Math.max(0, Math.min(1, (px * dx + py * dy) / length2));
      const ex = px - along * dx;
      const ey = py - along * dy;
      const off2 = ex * ex + ey * ey;
      if (off2 > farthest2) {
        farthest2 = off2;
        farthest = index;
      }
    }
    if (farthest < 0) continue;
    keep[farthest] = 1;
    stack.push(first, farthest, farthest, last);
  }
  let kept = 0;
  for (let index = 0; index < count; index++) kept += keep[index]!;
  const indexes = new Int32Array(kept);
  let at = 0;
  for (let index = 0; index < count; index++) if (keep[index]) indexes[at++] = index;
  return indexes;
}
