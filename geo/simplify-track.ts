import type { TimedTrack } from './timed-track';

const METRES_PER_DEGREE = 111_319.49;

/**
 * The indexes of the fixes to draw `track` with: Douglas–Peucker with a tolerance in metres (on a
 * local equirectangular plane, exact enough across one day's walk), in time as well as in space.
 * Playback moves its trails and heads by the kept fixes' times, walking evenly between them; so a
 * fix is also kept when that even walk would put the worker more than `lagToleranceM` ahead of or
 * behind where it really was along the line (about 10 s of walking by default). Without it a stop
 * halfway along a straight street lost its two ends and the worker glided through it. The lag
 * has its own, wider tolerance because GPS noise along the street (the demo's 3 m) would
 * otherwise keep most fixes of an even walk (a third more bytes on the demo's walks, where the
 * lag tolerance adds 0.05 %). The first and last
 * fixes are always kept and times stay increasing. Iterative (a stack), so a long day does not
 * overflow the call stack.
 */
export function simplifyTrack(track: TimedTrack, toleranceM: number, lagToleranceM = 15): Int32Array {
  const count = track.seconds.length;
  if (count <= 2) return Int32Array.from({ length: count }, (_, index) => index);
  const cosLat = Math.cos((track.latE6[0]! / 1e6) * (Math.PI / 180));
  const xScale = (METRES_PER_DEGREE * cosLat) / 1e6;
  const yScale = METRES_PER_DEGREE / 1e6;
  const keep = new Uint8Array(count);
  keep[0] = 1;
  keep[count - 1] = 1;
  // Squared, and kept above zero: a fix counts by how many times its tolerance it is off.
  const tolerance2 = Math.max(toleranceM, 0.01) ** 2;
  const lagTolerance2 = Math.max(lagToleranceM, 0.01) ** 2;
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
    const startS = track.seconds[first]!;
    const spanS = track.seconds[last]! - startS;
    let farthest = -1;
    let worst = 1;
    for (let index = first + 1; index < last; index++) {
      const px = track.lngE6[index]! * xScale - ax;
      const py = track.latE6[index]! * yScale - ay;
      const along = length2 === 0 ? 0 : Math.max(0, Math.min(1, (px * dx + py * dy) / length2));
      const ex = px - along * dx;
      const ey = py - along * dy;
      const onTime = spanS > 0 ? (track.seconds[index]! - startS) / spanS : 0;
      const off = Math.max((ex * ex + ey * ey) / tolerance2, ((along - onTime) ** 2 * length2) / lagTolerance2);
      if (off > worst) {
        worst = off;
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
