import type { AreaLevel } from '../../geo/types.ts';

/** The levels drawn from vector tiles; the county is their union and has no tile layer. */
export type TiledLevel = Exclude<AreaLevel, 'county'>;

export interface LevelBand {
  level: TiledLevel;
  /** Zoom from which this level's fills (and hover, click) take over; inclusive. */
  from: number;
  /** Zoom at which the next level takes over; exclusive. */
  to: number;
  /**
   * Zoom from which a selected area of this level is outlined (its layers are shown only while an
   * area of this level is selected, so the tiles load only then); about the tiles' own minzoom.
   */
  selectionFrom: number;
}

/** Which level the map shows at which zoom: townships at county zoom, down to unit cells. */
export const LEVEL_BANDS: readonly LevelBand[] = [
  { level: 'township', from: 0, to: 10, selectionFrom: 0 },
  { level: 'village', from: 10, to: 12, selectionFrom: 6 },
  { level: 'grid', from: 12, to: 13.5, selectionFrom: 8 },
  { level: 'cell', from: 13.5, to: 24, selectionFrom: 9 },
];

/** Household points appear from this zoom; their addresses from the next constant. */
export const HOUSEHOLD_MIN_ZOOM = 14.5;
export const HOUSEHOLD_LABEL_MIN_ZOOM = 17.5;

export const MAP_MIN_ZOOM = 6;
export const MAP_MAX_ZOOM = 19;

export function bandOf(level: TiledLevel): LevelBand {
  const band = LEVEL_BANDS.find((candidate) => candidate.level === level);
  if (!band) throw new Error(`no zoom band for level ${level}`);
  return band;
}

/** The level whose areas are filled (and can be clicked) at a zoom. */
export function levelAtZoom(zoom: number): TiledLevel {
  const band = LEVEL_BANDS.find((candidate) => zoom >= candidate.from && zoom < candidate.to);
  return band?.level ?? 'cell';
}

/**
 * The level of an area code; one implementation, geo's, named here so that the two maps take it
 * with the rest of their level helpers (and the bundler keeps it in their shared chunk).
 */
export { levelOfCode } from '../../geo/area-codes.ts';

export function isTiledLevel(level: AreaLevel | null): level is TiledLevel {
  return level !== null && level !== 'county';
}

/**
 * Muted, distinct fill colours, legible under white labels on the dark basemap: eight hues, ordered
 * so that consecutive entries are far apart. Neighbouring areas often have consecutive codes, so
 * colouring by the code's last digits mostly keeps them apart.
 */
export const AREA_PALETTE = ['#3d78b8', '#b0703c', '#4f9a50', '#9c5298', '#3a9a8c', '#b04f66', '#9a9438', '#6a5cb0'] as const;

/** Colours of the map chrome, shared by the style and the legend. */
export const MAP_COLORS = {
  background: '#060a12',
  land: '#0f1829',
  countyGlow: '#37a3ff',
  countyEdge: '#8fd0ff',
  townshipLine: '#e8f0ff',
  villageLine: '#c9d7ee',
  gridLine: '#aebfdc',
  cellLine: '#8fa3c4',
  hover: '#ffffff',
  selection: '#ffd24a',
  household: '#ffb470',
  labelText: '#f4f7fc',
  labelHalo: '#03060c',
} as const;
