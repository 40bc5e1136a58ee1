import {
  FOLLOW_UP_RULE_SCHEMAS,
  type FollowUpRuleOf,
  type SpecialCategory,
  type SupervisionGrade,
} from '../vocabulary/special-populations.ts';

/**
 * The follow-up arithmetic of the registers: when an entry's next visit is due. Pure: days are
 * Asia/Shanghai calendar days as YYYY-MM-DD, computed on UTC dates so no machine's time zone enters.
 *
 * What the rules say (DESIGN.md, the defaults of migrations/0016) and what this decides where they
 * are silent:
 * - The next visit is due one interval after the base day: the last visit that reached the person
 *   (an outcome that counts, see VISIT_OUTCOMES), or, before any, the entry's start day (the day it
 *   was registered; for a released prisoner the later of return and registration; for drug
 *   rehabilitation the later of the programme's start and registration).
 * - The interval is the one of the base day: the rule version in force that day (each version
 *   applies from its effective day), the state in force at the end of that day (risk level, grade),
 *   the programme year of that day.
 * - A change after the base day and before the due day (a new state, a new rule version, a new
 *   programme year) counts its interval from the change: the due day becomes the earlier of the old
 *   due day and the change day + the new interval. A rise from monthly to weekly brings the visit
 *   forward; a fall keeps the visit already owed, and the longer interval applies from that visit on.
 * - Released prisoners: the first visit within `firstWithinDays` of the start day, then every
 *   `intervalDays`; nothing is due from the end of the years of assistance (release + years).
 * - Drug rehabilitation: the interval of the programme year (year 1 = the start day and the 365 or
 *   366 days after it to the anniversary); nothing is due from the end of the programme.
 * - Not yet assessed (no risk level) or no grade: the shortest interval of the rule, until someone
 *   assesses the person.
 * - An inactive (closed) entry: nothing due.
 */

/** A version of a category's rule, as `follow_up_rules` holds it. */
export interface RuleVersion {
  /** YYYY-MM-DD, the first day it applies. */
  effectiveFrom: string;
  rule: unknown;
}

/** A dated state of an entry (special_person_states): from `day` (YYYY-MM-DD, Asia/Shanghai) on. */
export interface StateChange {
  day: string;
  riskLevel: number | null;
  supervisionGrade: string | null;
}

/** What the arithmetic reads of an entry. Its risk level and grade stand where no state row is. */
export interface FollowUpEntry {
  category: SpecialCategory;
  active: boolean;
  registeredOn: string;
  releaseDate: string | null;
  programmeStart: string | null;
  riskLevel: number | null;
  supervisionGrade: string | null;
}

const UTC_OFFSET_SHANGHAI_MS = 8 * 3_600_000;

/** The Asia/Shanghai day (UTC+8 all year) holding `instant`, YYYY-MM-DD. */
export function shanghaiDay(instant: Date): string {
  return new Date(instant.getTime() + UTC_OFFSET_SHANGHAI_MS).toISOString().slice(0, 10);
}

/** `day` + `days` calendar days. */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** `day` + `years` years, the same month and day (29 February runs on to 1 March). */
function addYears(day: string, years: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCFullYear(date.getUTCFullYear() + years);
  return date.toISOString().slice(0, 10);
}

const later = (a: string, b: string | null) => (b !== null && b > a ? b : a);
const earlier = (a: string, b: string) => (b < a ? b : a);

/** The version in force on `day`: the latest not after it (the earliest if every one is later). */
function versionOn(rules: readonly RuleVersion[], day: string): RuleVersion {
  let found: RuleVersion | undefined;
  for (const version of rules)
    if (version.effectiveFrom <= day && (!found || version.effectiveFrom > found.effectiveFrom)) found = version;
  if (found) return found;
  const first = [...rules].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom))[0];
  if (!first) throw new Error('no follow-up rule for the category: migrations/0016 writes one from 2000-01-01');
  return first;
}

/** The category's rule in force on `day`, parsed (a malformed stored rule is a bug: the route validates before it writes). */
function ruleOn<Category extends SpecialCategory>(
  category: Category,
  rules: readonly RuleVersion[],
  day: string,
): FollowUpRuleOf<Category> {
  return FOLLOW_UP_RULE_SCHEMAS[category].parse(versionOn(rules, day).rule) as FollowUpRuleOf<Category>;
}

/** The first day of the category's follow-ups: the base day before any visit. */
function startDay(entry: FollowUpEntry): string {
  if (entry.category === 'released_prisoner') return later(entry.registeredOn, entry.releaseDate);
  if (entry.category === 'drug_rehabilitation') return later(entry.registeredOn, entry.programmeStart);
  return entry.registeredOn;
}

/** The first day of the programme (drug rehabilitation) or of the assistance (released prisoners). */
function termStart(entry: FollowUpEntry): string {
  return (entry.category === 'released_prisoner' ? entry.releaseDate : entry.programmeStart) ?? entry.registeredOn;
}

/** The programme year (1-based) holding `day`; a day before the start is in year 1. */
function programmeYearOn(start: string, day: string): number {
  let year = 1;
  while (addYears(start, year) <= day) year += 1;
  return year;
}

/**
 * The next follow-up due day (YYYY-MM-DD, Asia/Shanghai) of `entry` under its category's `rules`
 * (every version), its dated `states` and its last counting visit's day (`lastVisitOn`, null
 * before any); null when nothing is due. See the file's comment for the semantics.
 */
export function nextDueOn(input: {
  entry: FollowUpEntry;
  rules: readonly RuleVersion[];
  states: readonly StateChange[];
  lastVisitOn: string | null;
}): string | null {
  const { entry, rules, lastVisitOn } = input;
  if (!entry.active) return null;
  const states = [...input.states].sort((a, b) => a.day.localeCompare(b.day));
  const start = startDay(entry);
  const first = lastVisitOn === null || lastVisitOn < start;
  const base = first ? start : lastVisitOn;

  function stateOn(day: string): Pick<StateChange, 'riskLevel' | 'supervisionGrade'> {
    let found = states[0];
    for (const state of states) if (state.day <= day) found = state;
    return found ?? entry;
  }

  /** The days from `day` to the visit due when counted from it; null when nothing is due from that day. */
  function intervalFrom(day: string): number | null {
    switch (entry.category) {
      case 'severe_mental_illness': {
        const { byRisk } = ruleOn(entry.category, rules, day);
        const level = stateOn(day).riskLevel;
        const band = level === null ? undefined : byRisk.find((b) => level >= b.min && level <= b.max);
        return band?.intervalDays ?? Math.min(...byRisk.map((b) => b.intervalDays));
      }
      case 'community_correction': {
        const { byGrade } = ruleOn(entry.category, rules, day);
        const grade = stateOn(day).supervisionGrade;
        return grade !== null && Object.hasOwn(byGrade, grade)
          ? byGrade[grade as SupervisionGrade]
          : Math.min(...Object.values(byGrade));
      }
      case 'drug_rehabilitation': {
        const rule = ruleOn(entry.category, rules, day);
        const year = programmeYearOn(termStart(entry), day);
        if (year > rule.programmeYears) return null;
        return rule.byProgrammeYear.find((b) => b.year === year)?.intervalDays ?? null;
      }
      case 'released_prisoner': {
        const rule = ruleOn(entry.category, rules, day);
        return first ? rule.firstWithinDays : rule.intervalDays;
      }
      case 'rental_house':
        return ruleOn(entry.category, rules, day).intervalDays;
    }
  }

  /** The day from which nothing is due, under the rule in force on `day`; null for categories without an end. */
  function endOn(day: string): string | null {
    if (entry.category === 'drug_rehabilitation')
      return addYears(termStart(entry), ruleOn(entry.category, rules, day).programmeYears);
    if (entry.category === 'released_prisoner')
      return addYears(termStart(entry), ruleOn(entry.category, rules, day).assistanceYears);
    return null;
  }

  const interval = intervalFrom(base);
  if (interval === null) return null;
  let due = addDays(base, interval);

  const changes = new Set<string>([...states.map((state) => state.day), ...rules.map((version) => version.effectiveFrom)]);
  if (entry.category === 'drug_rehabilitation')
    for (let year = 1; year <= 20; year++) changes.add(addYears(termStart(entry), year));
  for (const change of [...changes].sort()) {
    if (change <= base) continue;
    if (change >= due) break;
    const changed = intervalFrom(change);
    if (changed !== null) due = earlier(due, addDays(change, changed));
  }

  const end = endOn(due);
  return end !== null && due >= end ? null : due;
}
