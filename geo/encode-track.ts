import type { TimedTrack } from './timed-track';

/**
 * The playback encoding of a track, one flat array of integers:
 * `[lng0, lat0, s0, dLng1, dLat1, dS1, dLng2, …]`, where lng/lat are millionths of a degree
 * (WGS84) and s seconds since the start of the day (Asia/Shanghai); the first fix absolute, each
 * following one as its difference from the one before. A walk of 5 s between fixes takes about
 * a dozen characters of JSON per fix instead of some sixty for `[107.123456,32.123456,"…"]`.
 */
export function encodeTrack(track: TimedTrack, indexes: Int32Array): number[] {
  const encoded = new Array<number>(indexes.length * 3);
  let lng = 0;
  let lat = 0;
  let seconds = 0;
  for (let at = 0; at < indexes.length; at++) {
    const index = indexes[at]!;
    encoded[at * 3] = track.lngE6[index]! - lng;
    encoded[at * 3 + 1] = track.latE6[index]! - lat;
    encoded[at * 3 + 2] = track.seconds[index]! - seconds;
    lng = track.lngE6[index]!;
    lat = track.latE6[index]!;
    seconds = track.seconds[index]!;
  }
  return encoded;
}

/** A decoded track: positions as [lng, lat] degrees and their seconds since the start of the day. */
export interface DecodedTrack {
  path: [number, number][];
  seconds: number[];
}

/** Reverses encodeTrack. */
export function decodeTrack(encoded: readonly number[]): DecodedTrack {
  const path: [number, number][] = [];
  const seconds: number[] = [];
  let lng = 0;
  let lat = 0;
  let second = 0;
  for (let at = 0; at + 2 < encoded.length; at += 3) {
    lng += encoded[at]!;
    lat += encoded[at + 1]!;
    second += encoded[at + 2]!;
    path.push([lng / 1e6, lat / 1e6]);
    seconds.push(second);
  }
  return { path, seconds };
}
