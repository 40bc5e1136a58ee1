import { compareCodes } from './area-codes';
import { COUNTY_PRESETS, type CountyPreset } from './county-presets';
import type { ReferenceCounty } from './types';

type ReferenceTownship = ReferenceCounty['townships'][number];
type ReferenceVillage = ReferenceCounty['villages'][number];

/** The real townships and villages a preset generates, ordered by code. */
export interface PresetSelection {
  townships: ReferenceTownship[];
  villages: ReferenceVillage[];
}

/**
 * Picks the townships and villages of a preset from the reference county. Every chosen township must keep at
 * least one village: a preset that leaves one empty is a bug in the preset and throws a RangeError.
 */
export function selectPresetScope(reference: ReferenceCounty, preset: CountyPreset): PresetSelection {
  const scope = COUNTY_PRESETS[preset];
  const townships = reference.townships
    .filter((township) => scope.townshipCodes === 'all' || scope.townshipCodes.includes(township.code))
    .sort((a, b) => compareCodes(a.code, b.code));
  const chosen = new Set(townships.map((township) => township.code));
  const villages = reference.villages
    .filter((village) => chosen.has(village.townshipCode))
    .filter((village) => scope.villageCodes === 'all' || scope.villageCodes.includes(village.code))
    .sort((a, b) => compareCodes(a.code, b.code));
  for (const township of townships) {
    if (!villages.some((village) => village.townshipCode === township.code)) {
      throw new RangeError(`township ${township.code} has no village in preset ${preset}`);
    }
  }
  return { townships, villages };
}
