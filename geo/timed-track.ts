/**
 * A track as playback reads it: valid fixes in fix-time order, positions in integer millionths
 * of a degree (about 0.1 m; WGS84) and times in whole seconds since the start of the day. Typed
 * arrays, so a county day (millions of fixes) is walked without an object per fix.
 */
export interface TimedTrack {
  lngE6: Int32Array;
  latE6: Int32Array;
  seconds: Int32Array;
}

/** Metres per degree of latitude on the sphere turf uses (radius 6,371,008.8 m). */
const EARTH_RADIUS_M = 6_371_008.8;
const RADIANS_PER_E6 = Math.PI / 180 / 1e6;

/** Great-circle metres between fixes `a` and `b` of `track` (haversine, as turf's `distance`). */
export function metresBetween(track: TimedTrack, a: number, b: number): number {
  const lat1 = track.latE6[a]! * RADIANS_PER_E6;
  const lat2 = track.latE6[b]! * RADIANS_PER_E6;
  const dLat = lat2 - lat1;
  const dLng = (track.lngE6[b]! - track.lngE6[a]!) * RADIANS_PER_E6;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1) * Math.cos(lat2) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.atan2(Math.sqrt(h), Math.sqrt(1 - h));
}

/** Metres along the whole track, fix to fix. */
export function timedTrackLength(track: TimedTrack): number {
  let metres = 0;
  for (let index = 1; index < track.seconds.length; index++) metres += metresBetween(track, index - 1, index);
  return metres;
}
