import { AREA_LEVELS, type AreaKind, type AreaLevel, CODE_LENGTH } from './types';

const LEVEL_BY_LENGTH = new Map<number, AreaLevel>(AREA_LEVELS.map((level) => [CODE_LENGTH[level], level]));

/**
 * The level of a statistical area code, from its length: 6 digits county, 9 township, 12 village or
 * community, 15 grid, 18 cell. Anything else (other lengths, non-digits) is not an area code: null.
 */
export function levelOfCode(code: string): AreaLevel | null {
  if (!/^\d+$/.test(code)) return null;
  return LEVEL_BY_LENGTH.get(code.length) ?? null;
}

/** The code of the area directly above, or null for a county code or a string that is not an area code. */
export function parentCode(code: string): string | null {
  const level = levelOfCode(code);
  if (level === null || level === 'county') return null;
  const parentLevel = AREA_LEVELS[AREA_LEVELS.indexOf(level) - 1]!;
  return code.slice(0, CODE_LENGTH[parentLevel]);
}

/** Codes of all areas above, county first, parent last; empty for a county or a non-code. */
export function ancestorCodes(code: string): string[] {
  const level = levelOfCode(code);
  if (level === null) return [];
  return AREA_LEVELS.slice(0, AREA_LEVELS.indexOf(level)).map((ancestor) => code.slice(0, CODE_LENGTH[ancestor]));
}

/**
 * Whether `code` lies within the access scope `scopeCode`: codes nest by prefix, so this is the same test as
 * SQL's `code LIKE scope || '%'`. Both must be area codes; an area is within its own scope.
 */
export function isWithinScope(code: string, scopeCode: string): boolean {
  const level = levelOfCode(code);
  const scopeLevel = levelOfCode(scopeCode);
  if (level === null || scopeLevel === null) return false;
  return code.startsWith(scopeCode);
}

/**
 * The kind of a township from digits 7–9 of its code, as the statistical code scheme assigns them:
 * 001–099 street (街道), 100–199 town (镇), 200–399 xiang (乡). Null outside those ranges or for a non-township code.
 */
export function townshipKindOfCode(code: string): Extract<AreaKind, 'street' | 'town' | 'xiang'> | null {
  if (levelOfCode(code) !== 'township') return null;
  const serial = Number(code.slice(6, 9));
  if (serial >= 1 && serial <= 99) return 'street';
  if (serial >= 100 && serial <= 199) return 'town';
  if (serial >= 200 && serial <= 399) return 'xiang';
  return null;
}

/** Orders area codes as plain strings of digits (parents before their children), independently of any locale. */
export function compareCodes(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
