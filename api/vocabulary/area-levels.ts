import type { AreaKind, AreaLevel } from '../../geo/types.ts';
import type { Label } from './label.ts';

/**
 * The management levels as every screen, export and message names them. The levels themselves
 * and the code arithmetic (`AREA_LEVELS`, `levelOfCode`, parents, scopes) live in geo/, which
 * api/ and web/ both import; this module only names them.
 */
export const AREA_LEVEL_LABELS: Readonly<Record<AreaLevel, Label>> = {
  county: { zh: '县', en: 'County' },
  township: { zh: '乡镇', en: 'Township' },
  village: { zh: '村（社区）', en: 'Village / community' },
  grid: { zh: '网格', en: 'Grid' },
  cell: { zh: '单元格', en: 'Unit cell' },
};

/** Statistical kinds: street 街道 / town 镇 / xiang 乡 for townships, village 村 / community 社区 below. */
export const AREA_KIND_LABELS: Readonly<Record<AreaKind, Label>> = {
  county: { zh: '县', en: 'County' },
  street: { zh: '街道', en: 'Street' },
  town: { zh: '镇', en: 'Town' },
  xiang: { zh: '乡', en: 'Xiang' },
  village: { zh: '村', en: 'Village' },
  community: { zh: '社区', en: 'Community' },
  grid: { zh: '网格', en: 'Grid' },
  cell: { zh: '单元格', en: 'Cell' },
};
