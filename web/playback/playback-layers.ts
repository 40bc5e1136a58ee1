import type { Layer } from '@deck.gl/core';
import { TripsLayer } from '@deck.gl/geo-layers';
import { PathLayer, ScatterplotLayer } from '@deck.gl/layers';
import { type DecodedTrack, decodeTrack } from '../../geo/encode-track.ts';
import { positionOnTrack } from '../../geo/position-on-track.ts';
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
interface DrawnWorker {
  worker: PlaybackWorker;
  color: Rgb;
  tracks: DecodedTrack[];
}

/**
 * How far back the bright trail reaches behind each head, in seconds of the day: a quarter of an
 * hour, some 900 m of walking, long enough to read where a worker came from and short enough that
 * the county's 561 trails do not pile up into the day's whole lines (those are drawn faint beneath).
 * At 300× it is three seconds of the screen.
 */
const TRAIL_SECONDS = 15 * 60;

/** One patrol's line and its fixes' times (seconds since the day's start), in its worker's colour. */
interface Trip {
  path: [number, number][];
  /**
   * Seconds since the day's start (0–86,400): deck.gl keeps timestamps as float32, which holds
   * these to a few milliseconds where epoch milliseconds (~1.8e12) would be rounded to minutes.
   */
  timestamps: number[];
  color: Rgb;
}

/** The day as deck.gl draws it: one trip per patrol, built once per day, area or pick, not per frame. */
export interface PlaybackScene {
  drawn: DrawnWorker[];
  trips: Trip[];
}

/** Each worker decoded, in the colour of its place in the day's list (`indexOf`), which picking does not change. */
export function playbackScene(workers: readonly PlaybackWorker[], indexOf: (worker: PlaybackWorker) => number): PlaybackScene {
  const drawn = workers.map((worker) => ({
    worker,
    color: colorOf(indexOf(worker)),
    tracks: worker.tracks.map((track) => decodeTrack(track.points)),
  }));
  const trips = drawn.flatMap(({ color, tracks }) =>
    tracks.filter((track) => track.path.length >= 2).map((track) => ({ path: track.path, timestamps: track.seconds, color })),
  );
  return { drawn, trips };
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
 * The day at `time` (seconds since its start): each patrol's whole line faint; a deck.gl
 * TripsLayer trail that fades over the last TRAIL_SECONDS up to `time` (the GPU cuts and fades it
 * from the fixes' times, so moving the clock uploads nothing); a head where each worker is at that
 * moment (between fixes, only while their patrol runs); and the stops reached so far as circles
 * sized by how long they lasted. The lines are the server's valid fixes only: no jumps.
 */
export function playbackLayers({ drawn, trips }: PlaybackScene, time: number): Layer[] {
  const heads: Head[] = [];
  const stops: StopMark[] = [];
  for (const { worker, color, tracks } of drawn) {
    for (const track of tracks) {
      const position = positionOnTrack(track, time);
      if (position) heads.push({ position, color, name: worker.workerName });
    }
    for (const stop of worker.stops) {
      if (stop.fromS <= time) stops.push({ ...stop, color, name: worker.workerName });
    }
  }
  return [
    new PathLayer<Trip>({
      id: 'playback-whole',
      data: trips,
      getPath: (trip) => trip.path,
      getColor: (trip) => [...trip.color, 60],
      widthUnits: 'pixels',
      getWidth: 2,
    }),
    new TripsLayer<Trip>({
      id: 'playback-trails',
      data: trips,
      getPath: (trip) => trip.path,
      getTimestamps: (trip) => trip.timestamps,
      getColor: (trip) => trip.color,
      currentTime: time,
      trailLength: TRAIL_SECONDS,
      fadeTrail: true,
      widthUnits: 'pixels',
      getWidth: 5,
      widthMinPixels: 3,
      capRounded: true,
      jointRounded: true,
      // The browser test reads the trails drawn at a moment through picking (cut by time as drawn).
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
