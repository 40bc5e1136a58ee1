import type { Layer } from '@deck.gl/core';
import { PathLayer, ScatterplotLayer } from '@deck.gl/layers';
import { type DecodedTrack, decodeTrack } from '../../geo/encode-track.ts';
import type { PlaybackWorker } from './playback-api.ts';

type Rgb = [number, number, number];

/** Bright, distinct colours on the dark map, one per worker in list order. */
const WORKER_COLORS: Rgb[] = [
  [55, 163, 255],
  [255, 210, 74],
  [94, 230, 160],
  [255, 122, 138],
  [190, 140, 255],
  [255, 164, 84],
  [80, 220, 230],
  [240, 120, 220],
  [170, 220, 90],
  [255, 255, 255],
];

export const colorOf = (index: number): Rgb => WORKER_COLORS[index % WORKER_COLORS.length]!;

/** A worker's day ready to draw: decoded tracks, colour. */
export interface DrawnWorker {
  worker: PlaybackWorker;
  color: Rgb;
  tracks: DecodedTrack[];
}

/** Each worker decoded, in the colour of its place in the day's list (`indexOf`), which picking does not change. */
export function drawnWorkers(workers: readonly PlaybackWorker[], indexOf: (worker: PlaybackWorker) => number): DrawnWorker[] {
  return workers.map((worker) => ({
    worker,
    color: colorOf(indexOf(worker)),
    tracks: worker.tracks.map((track) => decodeTrack(track.points)),
  }));
}

/** The index of the last fix at or before `time` (seconds), or -1 before the first. */
function lastIndexAt(seconds: readonly number[], time: number): number {
  let low = 0;
  let high = seconds.length - 1;
  if (seconds.length === 0 || seconds[0]! > time) return -1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (seconds[middle]! <= time) low = middle;
    else high = middle - 1;
  }
  return low;
}

interface Trail {
  path: [number, number][];
  color: Rgb;
}
interface Head {
  position: [number, number];
  color: Rgb;
  name: string;
}
export interface StopMark {
  position: [number, number];
  color: Rgb;
  name: string;
  fromS: number;
  toS: number;
}

/**
 * The day up to `time` (seconds since its start): each track's whole line faint, the part walked
 * bright (a trail drawn with a PathLayer: TripsLayer is in @deck.gl/geo-layers, which this
 * project does not ship), a head where each worker is at that moment (interpolated between
 * fixes, only while their patrol runs), and the stops reached so far as circles sized by how
 * long they lasted.
 */
export function playbackLayers(drawn: readonly DrawnWorker[], time: number): Layer[] {
  const whole: Trail[] = [];
  const walked: Trail[] = [];
  const heads: Head[] = [];
  const stops: StopMark[] = [];
  for (const { worker, color, tracks } of drawn) {
    for (const track of tracks) {
      whole.push({ path: track.path, color });
      const at = lastIndexAt(track.seconds, time);
      if (at < 0) continue;
      const path = track.path.slice(0, at + 1);
      const next = at + 1 < track.path.length ? at + 1 : -1;
      if (next >= 0) {
        const span = track.seconds[next]! - track.seconds[at]!;
        const share = span > 0 ? (time - track.seconds[at]!) / span : 0;
        const from = track.path[at]!;
        const to = track.path[next]!;
        const head: [number, number] = [from[0] + (to[0] - from[0]) * share, from[1] + (to[1] - from[1]) * share];
        path.push(head);
        heads.push({ position: head, color, name: worker.workerName });
      }
      if (path.length >= 2) walked.push({ path, color });
    }
    for (const stop of worker.stops) {
      if (stop.fromS <= time) stops.push({ ...stop, color, name: worker.workerName });
    }
  }
  return [
    new PathLayer<Trail>({
      id: 'playback-whole',
      data: whole,
      getPath: (trail) => trail.path,
      getColor: (trail) => [...trail.color, 60],
      widthUnits: 'pixels',
      getWidth: 2,
    }),
    new PathLayer<Trail>({
      id: 'playback-walked',
      data: walked,
      getPath: (trail) => trail.path,
      getColor: (trail) => [...trail.color, 235],
      widthUnits: 'pixels',
      getWidth: 4,
      capRounded: true,
      jointRounded: true,
      // The browser test reads the trails drawn at a moment through picking.
      pickable: true,
    }),
    new ScatterplotLayer<StopMark>({
      id: 'playback-stops',
      data: stops,
      getPosition: (stop) => stop.position,
      getFillColor: (stop) => [...stop.color, 90],
      getLineColor: (stop) => [...stop.color, 255],
      stroked: true,
      lineWidthUnits: 'pixels',
      getLineWidth: 2,
      radiusUnits: 'pixels',
      getRadius: (stop) => 6 + Math.sqrt((stop.toS - stop.fromS) / 60) * 3,
      pickable: true,
    }),
    new ScatterplotLayer<Head>({
      id: 'playback-heads',
      data: heads,
      getPosition: (head) => head.position,
      getFillColor: (head) => head.color,
      getLineColor: [3, 6, 12],
      stroked: true,
      lineWidthUnits: 'pixels',
      getLineWidth: 2,
      radiusUnits: 'pixels',
      getRadius: 8,
      pickable: true,
    }),
  ];
}
