import type { LngLat } from './types';

/** `full`: the county at its real scale. `small`: four townships over the same outline, for fast tests. */
export type CountyPreset = 'full' | 'small';

/** What a preset generates: which real townships and villages, and how many grids, cells and households. */
export interface PresetScope {
  /** Township codes, or every township of the reference. */
  townshipCodes: readonly string[] | 'all';
  /** Village and community codes (of the chosen townships), or every one of them. */
  villageCodes: readonly string[] | 'all';
  gridCount: number;
  cellCount: number;
  householdCount: number;
}

export const COUNTY_PRESETS: Readonly<Record<CountyPreset, PresetScope>> = {
  // Tongjiang's published figures: 561 grids, 7,709 cells; about 720,000 people in about 250,000 households.
  full: { townshipCodes: 'all', villageCodes: 'all', gridCount: 561, cellCount: 7709, householdCount: 250_000 },
  small: {
    townshipCodes: ['511921001', '511921100', '511921108', '511921112'],
    villageCodes: [
      // 壁州街道: 城南社区, 南寺社区, 西寺社区, 城南村
      '511921001001',
      '511921001002',
      '511921001003',
      '511921001200',
      // 诺江镇: 箭口河社区, 新华村, 城西村
      '511921100010',
      '511921100201',
      '511921100215',
      // 沙溪镇: 沙溪嘴社区, 王坪村 (the source study's village), 苏坪村, 谭坪村
      '511921108001',
      '511921108209',
      '511921108208',
      '511921108223',
      // 涪阳镇: 涪阳坝社区, 红江村 (the source study's village), 金家坪村
      '511921112001',
      '511921112200',
      '511921112202',
    ],
    gridCount: 20,
    cellCount: 160,
    householdCount: 4_000,
  },
};

/** The urban core: 壁州街道 and 诺江镇, around the county seat. */
export const URBAN_TOWNSHIP_CODES: ReadonlySet<string> = new Set(['511921001', '511921100']);
export const CITY_CENTRE_TOWNSHIP_CODE = '511921001';
export const CITY_EDGE_TOWNSHIP_CODE = '511921100';

/** The county seat (通江县城, on the Nuojiang river), [lng, lat]. */
export const COUNTY_SEAT: LngLat = [107.245, 31.912];
