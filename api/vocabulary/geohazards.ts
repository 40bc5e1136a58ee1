import type { Label } from './label.ts';

/** The kinds of known geohazard point in the county's register (地质灾害隐患点类型). */
export const GEOHAZARD_KINDS = {
  landslide: { zh: '滑坡', en: 'Landslide' },
  collapse: { zh: '崩塌', en: 'Collapse / rockfall' },
  debris_flow: { zh: '泥石流', en: 'Debris flow' },
  subsidence: { zh: '地面塌陷', en: 'Ground subsidence' },
} as const satisfies Record<string, Label>;
export type GeohazardKind = keyof typeof GEOHAZARD_KINDS;
export const GEOHAZARD_KIND_CODES = Object.keys(GEOHAZARD_KINDS) as [GeohazardKind, ...GeohazardKind[]];

/**
 * A point's day against the rule: `met` when it had as many patrols as the rule asks, `behind`
 * when fewer, `unwatched` when the rule asks none that day (out of season with 0 a day).
 */
const GEOHAZARD_STATUSES = {
  met: { zh: '已达标', en: 'Met' },
  behind: { zh: '未达标', en: 'Behind' },
  unwatched: { zh: '非汛期不要求', en: 'Not required today' },
} as const satisfies Record<string, Label>;
export type GeohazardStatus = keyof typeof GEOHAZARD_STATUSES;
export const GEOHAZARD_STATUS_CODES = Object.keys(GEOHAZARD_STATUSES) as [GeohazardStatus, ...GeohazardStatus[]];

/** The patrol rule of geohazard points: the rainy season's months and the patrols a day in and out of it. */
export interface GeohazardRule {
  /** YYYY-MM-DD, Asia/Shanghai: the first day the rule applies. */
  effectiveFrom: string;
  seasonStartMonth: number;
  seasonEndMonth: number;
  inSeasonPerDay: number;
  offSeasonPerDay: number;
}

/** Whether `month` (1-12) is in the rainy season; a season from November to March wraps over the new year. */
export function inRainySeason(rule: Pick<GeohazardRule, 'seasonStartMonth' | 'seasonEndMonth'>, month: number): boolean {
  const { seasonStartMonth: start, seasonEndMonth: end } = rule;
  return start <= end ? month >= start && month <= end : month >= start || month <= end;
}

/** Patrols a point needs on `day` (YYYY-MM-DD) under `rule`. */
export function requiredPatrols(rule: GeohazardRule, day: string): number {
  const month = Number(day.slice(5, 7));
  return inRainySeason(rule, month) ? rule.inSeasonPerDay : rule.offSeasonPerDay;
}

/** The rule in force on `day`: the version with the latest `effectiveFrom` not after it, or null when none is. */
export function ruleOn<Rule extends GeohazardRule>(rules: readonly Rule[], day: string): Rule | null {
  let found: Rule | null = null;
  for (const rule of rules) if (rule.effectiveFrom <= day && (!found || rule.effectiveFrom > found.effectiveFrom)) found = rule;
  return found;
}

/** A point's status for a day with `count` patrols where `required` are asked. */
export function statusOf(count: number, required: number): GeohazardStatus {
  if (required === 0) return 'unwatched';
  return count >= required ? 'met' : 'behind';
}
