import { URBAN_TOWNSHIP_CODES } from '../../geo/county-presets.ts';
import { createRandomStream, type RandomStream } from '../../geo/seeded-random.ts';
import { createPeopleFactory, type PeopleFactory } from '../../geo/synthetic-people.ts';
import type { LngLat } from '../../geo/types.ts';
import type { SpecialCategory, SupervisionGrade, VisitMode, VisitOutcome } from '../vocabulary/special-populations.ts';

const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
/** Days of past visits the demo holds. */
export const REGISTER_HISTORY_DAYS = 365;

/** Share of households with an entry in the registers: the urban core holds far more of them. */
const ENTRY_RATE = { urban: 0.026, rural: 0.009 };
/** The mix of categories (DESIGN.md names five). */
const CATEGORY_WEIGHTS: Record<SpecialCategory, number> = {
  severe_mental_illness: 0.22,
  rental_house: 0.3,
  released_prisoner: 0.26,
  drug_rehabilitation: 0.14,
  community_correction: 0.08,
};
const RISK_WEIGHTS = [0.34, 0.3, 0.2, 0.09, 0.05, 0.02];
const GRADE_WEIGHTS: [SupervisionGrade, number][] = [
  ['strict', 0.12],
  ['normal', 0.45],
  ['lenient', 0.43],
];
const MODE_WEIGHTS: [VisitMode, number][] = [
  ['home', 0.78],
  ['phone', 0.17],
  ['video', 0.03],
  ['elsewhere', 0.02],
];
const OUTCOME_WEIGHTS: [VisitOutcome, number][] = [
  ['seen_stable', 0.83],
  ['seen_concern', 0.06],
  ['not_home', 0.09],
  ['refused', 0.02],
];
/** Entries every grid has at least: each grid worker has people to visit. */
const MIN_PER_GRID = 3;
/** Share of grids whose worker falls behind on visits (so that overdue lists have something to show). */
const BEHIND_SHARE = 0.12;
/** Share of entries that have left the register (moved away, term ended). */
const CLOSED_SHARE = 0.04;
/** Share of severe-mental-illness and correction entries whose risk level or grade changed during the year. */
const STATE_CHANGE_SHARE = 0.25;
const CLOSED_REASONS = ['迁出本县', '矫正期满', '帮扶期满', '死亡注销'];

/** A household the register may link an entry to. */
export interface RegisterHousehold {
  code: string;
  cellCode: string;
  lng: number;
  lat: number;
}

/** A grid worker who makes the visits of their grid's entries. */
export interface RegisterVisitor {
  gridCode: string;
  id: string;
  name: string;
}

interface PlannedState {
  effectiveFrom: Date;
  riskLevel: number | null;
  supervisionGrade: SupervisionGrade | null;
}

interface PlannedVisit {
  id: string;
  visitorId: string;
  visitorName: string;
  visitedAt: Date;
  mode: VisitMode;
  outcome: VisitOutcome;
  notes: string | null;
  fix: { position: LngLat; accuracyM: number } | null;
}

export interface PlannedEntry {
  id: string;
  category: SpecialCategory;
  name: string;
  idNumber: string | null;
  gender: 'male' | 'female' | null;
  birthDate: string | null;
  phone: string | null;
  householdCode: string;
  areaCode: string;
  riskLevel: number | null;
  supervisionGrade: SupervisionGrade | null;
  releaseDate: string | null;
  programmeStart: string | null;
  landlordName: string | null;
  landlordPhone: string | null;
  tenants: { name: string; idNumber: string; phone: string; since: string }[] | null;
  guardianName: string | null;
  guardianPhone: string | null;
  registeredOn: string;
  active: boolean;
  closedOn: string | null;
  closedReason: string | null;
  states: PlannedState[];
  visits: PlannedVisit[];
}

export interface RegisterPlan {
  behindGrids: string[];
  entries: PlannedEntry[];
}

const dayOf = (instant: number) => new Date(instant + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);

function weighted<T>(random: RandomStream, choices: readonly [T, number][]): T {
  return choices[random.weightedIndex(choices.map(([, weight]) => weight))]![0];
}

function uuidOf(random: RandomStream): string {
  const hex = Array.from({ length: 32 }, () => random.integer(0, 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A synthetic 18-digit 身份证号 of the county (511921), with its ISO 7064 check character. */
function idNumberOf(random: RandomStream, birthDate: string, gender: 'male' | 'female'): string {
  const order = random.integer(0, 50) * 2 + (gender === 'male' ? 1 : 0);
  const body = `511921${birthDate.replaceAll('-', '')}${String(random.integer(0, 10))}${String(order).padStart(2, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((total, digit, index) => total + Number(digit) * weights[index]!, 0);
  return body + '10X98765432'[sum % 11]!;
}

/** Days between follow-ups the default rules ask of an entry on `at` (null: nothing due), for planning the visits. */
function intervalDays(entry: PlannedEntry, at: number): number | null {
  const state = [...entry.states].reverse().find((candidate) => candidate.effectiveFrom.getTime() <= at) ?? entry.states[0];
  switch (entry.category) {
    case 'severe_mental_illness':
      return (state?.riskLevel ?? entry.riskLevel ?? 0) >= 3 ? 7 : 30;
    case 'community_correction':
      return { strict: 7, normal: 15, lenient: 30 }[state?.supervisionGrade ?? entry.supervisionGrade ?? 'normal'];
    case 'drug_rehabilitation': {
      const year = Math.floor((at - Date.parse(entry.programmeStart!)) / (365.25 * DAY_MS)) + 1;
      return year > 3 ? null : ([30, 60, 90][year - 1] ?? 30);
    }
    case 'released_prisoner':
      return at - Date.parse(entry.releaseDate!) > 5 * 365.25 * DAY_MS ? null : 90;
    case 'rental_house':
      return 90;
  }
}

/** A point `metres` from `origin` in a random direction (a local flat approximation: metres are small here). */
function offset(random: RandomStream, origin: LngLat, metres: number): LngLat {
  const bearing = random.uniform(0, 2 * Math.PI);
  const north = metres * Math.cos(bearing);
  const east = metres * Math.sin(bearing);
  const lat = origin[1] + north / 111_132;
  const lng = origin[0] + east / (111_320 * Math.cos((origin[1] * Math.PI) / 180));
  return [Math.round(lng * 1e7) / 1e7, Math.round(lat * 1e7) / 1e7];
}

/** Where the phone was: most home visits at the door, some down the lane, a few far off (a fix taken late); none by phone. */
function fixOf(random: RandomStream, mode: VisitMode, home: LngLat): PlannedVisit['fix'] {
  if (mode === 'phone' || mode === 'video') return null;
  const roll = random.next();
  const metres =
    mode === 'elsewhere'
      ? random.uniform(150, 2500)
      : roll < 0.7
        ? random.uniform(2, 25)
        : roll < 0.92
          ? random.uniform(25, 80)
          : random.uniform(80, 400);
  return { position: offset(random, home, metres), accuracyM: Math.round(random.uniform(4, 30)) };
}

const NOTES: Partial<Record<VisitOutcome, string[]>> = {
  seen_stable: ['情况稳定', '按时服药，家属配合', '生活正常，无异常', '已宣传政策，本人知晓', '工作稳定'],
  seen_concern: ['情绪波动，已告知家属留意', '近期失业，需关注', '与邻居有矛盾，已调解', '未按时服药，已联系村医'],
  not_home: ['家中无人，改日再访', '外出务工，已电话联系家属'],
  refused: ['拒绝开门，已记录'],
};

/** A visit's time on `day`'s Shanghai midnight (instant): office hours, 09:00-17:30. */
const officeTime = (random: RandomStream, midnight: number) => midnight + random.uniform(9 * 3_600_000, 17.5 * 3_600_000);
/** The Shanghai midnight (as an instant) of the day holding `instant`. */
const midnightOf = (instant: number) => {
  const local = instant + SHANGHAI_OFFSET_MS;
  return local - (local % DAY_MS) - SHANGHAI_OFFSET_MS;
};

function planEntry(
  random: RandomStream,
  people: PeopleFactory,
  index: number,
  household: RegisterHousehold,
  nowMs: number,
): PlannedEntry {
  const categories = Object.keys(CATEGORY_WEIGHTS) as SpecialCategory[];
  const category = categories[random.weightedIndex(categories.map((code) => CATEGORY_WEIGHTS[code]))]!;
  const house = category === 'rental_house';
  const gender = house ? null : random.next() < (category === 'severe_mental_illness' ? 0.55 : 0.85) ? 'male' : 'female';
  const birthDate = house ? null : dayOf(nowMs - random.uniform(19, 75) * 365.25 * DAY_MS);
  let registered = nowMs - (random.next() < 0.1 ? random.uniform(5, 60) : random.uniform(60, 1500)) * DAY_MS;
  const entry: PlannedEntry = {
    id: `ZD-${String(index + 1).padStart(6, '0')}`,
    category,
    name: house ? '' : people.name(),
    idNumber: gender && birthDate ? idNumberOf(random, birthDate, gender) : null,
    gender,
    birthDate,
    phone: house ? null : people.phone(),
    householdCode: household.code,
    areaCode: household.cellCode,
    riskLevel: null,
    supervisionGrade: null,
    releaseDate: null,
    programmeStart: null,
    landlordName: null,
    landlordPhone: null,
    tenants: null,
    guardianName: null,
    guardianPhone: null,
    registeredOn: '',
    active: true,
    closedOn: null,
    closedReason: null,
    states: [],
    visits: [],
  };
  if (category === 'released_prisoner') {
    const release = nowMs - random.uniform(3, 5.3 * 365) * DAY_MS;
    entry.releaseDate = dayOf(release);
    registered = release - random.uniform(0, 10) * DAY_MS;
  } else if (category === 'drug_rehabilitation') {
    entry.programmeStart = dayOf(nowMs - random.uniform(10, 3.3 * 365) * DAY_MS);
    registered = Math.min(registered, Date.parse(entry.programmeStart));
  } else if (category === 'rental_house') {
    entry.landlordName = people.name();
    entry.landlordPhone = people.phone();
    entry.name = `${entry.landlordName}家出租房`;
    entry.tenants = Array.from({ length: random.integer(1, 5) }, () => {
      const tenantGender = random.next() < 0.6 ? 'male' : 'female';
      const tenantBirth = dayOf(nowMs - random.uniform(18, 60) * 365.25 * DAY_MS);
      return {
        name: people.name(),
        idNumber: idNumberOf(random, tenantBirth, tenantGender),
        phone: people.phone(),
        since: dayOf(nowMs - random.uniform(10, 900) * DAY_MS),
      };
    });
  }
  entry.registeredOn = dayOf(registered);
  const registeredAt = Date.parse(`${entry.registeredOn}T00:00:00+08:00`);
  if (category === 'severe_mental_illness' || category === 'community_correction') {
    const draw = () =>
      category === 'severe_mental_illness'
        ? { riskLevel: random.weightedIndex(RISK_WEIGHTS), supervisionGrade: null }
        : { riskLevel: null, supervisionGrade: weighted(random, GRADE_WEIGHTS) };
    entry.states.push({ effectiveFrom: new Date(registeredAt), ...draw() });
    if (random.next() < STATE_CHANGE_SHARE) {
      const from = Math.max(registeredAt + DAY_MS, nowMs - REGISTER_HISTORY_DAYS * DAY_MS);
      if (from < nowMs - 7 * DAY_MS)
        entry.states.push({
          effectiveFrom: new Date(officeTime(random, midnightOf(random.uniform(from, nowMs - 7 * DAY_MS)))),
          ...draw(),
        });
    }
    const newest = entry.states[entry.states.length - 1]!;
    entry.riskLevel = newest.riskLevel;
    entry.supervisionGrade = newest.supervisionGrade;
    if (category === 'severe_mental_illness') {
      entry.guardianName = people.name();
      entry.guardianPhone = people.phone();
    }
  }
  return entry;
}

/**
 * The entry's visits over the history window by its grid's worker: each follow-up a little before
 * the rule's interval runs out on a grid that keeps up, late and then not at all for the last weeks
 * on a grid behind; a visit that did not reach the person is tried again a few days later.
 */
function planVisits(
  random: RandomStream,
  entry: PlannedEntry,
  home: LngLat,
  visitor: RegisterVisitor,
  behind: boolean,
  nowMs: number,
) {
  const windowStart = nowMs - REGISTER_HISTORY_DAYS * DAY_MS;
  const registeredAt = Date.parse(`${entry.registeredOn}T00:00:00+08:00`);
  const closedAt = entry.closedOn ? Date.parse(`${entry.closedOn}T00:00:00+08:00`) : nowMs;
  const stopAt = behind
    ? nowMs - random.uniform(25, 70) * DAY_MS
    : random.next() < 0.05
      ? nowMs - random.uniform(35, 60) * DAY_MS
      : Math.min(nowMs - DAY_MS, closedAt);
  const startInterval = intervalDays(entry, Math.max(registeredAt, windowStart)) ?? 30;
  let last = Math.max(registeredAt, windowStart - random.uniform(0, startInterval) * DAY_MS);
  for (let guard = 0; guard < 400; guard++) {
    const interval = intervalDays(entry, last);
    if (interval === null) return;
    const stretch = behind ? random.uniform(1.0, 2.2) : random.uniform(0.75, 0.99);
    const planned = entry.category === 'released_prisoner' && last === registeredAt ? random.uniform(1, 6) : interval * stretch;
    let at = officeTime(random, midnightOf(last + Math.max(1, planned) * DAY_MS));
    for (;;) {
      if (at > stopAt || at > closedAt) return;
      const mode = entry.category === 'rental_house' ? (random.next() < 0.93 ? 'home' : 'phone') : weighted(random, MODE_WEIGHTS);
      const outcome = weighted(random, OUTCOME_WEIGHTS);
      const notes = random.next() < 0.6 ? random.pick(NOTES[outcome] ?? ['']) || null : null;
      if (at >= windowStart) {
        entry.visits.push({
          id: uuidOf(random),
          visitorId: visitor.id,
          visitorName: visitor.name,
          visitedAt: new Date(Math.round(at / 1000) * 1000),
          mode,
          outcome,
          notes,
          fix: fixOf(random, mode, home),
        });
      }
      if (outcome === 'seen_stable' || outcome === 'seen_concern') break;
      at = officeTime(random, midnightOf(at + random.uniform(1, 5) * DAY_MS));
    }
    last = at;
  }
}

/**
 * The households with an entry, in code order: each with the rate of its township, and then a few
 * more in any grid that came out with fewer than MIN_PER_GRID (every grid worker has people to visit).
 */
function chosenHouseholds(
  random: RandomStream,
  households: readonly RegisterHousehold[],
  visitorOf: ReadonlyMap<string, RegisterVisitor>,
): RegisterHousehold[] {
  const chosen = new Set<number>();
  const byGrid = new Map<string, number[]>();
  households.forEach((household, index) => {
    const grid = household.cellCode.slice(0, 15);
    if (!visitorOf.has(grid)) return;
    const indices = byGrid.get(grid) ?? [];
    indices.push(index);
    byGrid.set(grid, indices);
    const rate = URBAN_TOWNSHIP_CODES.has(household.cellCode.slice(0, 9)) ? ENTRY_RATE.urban : ENTRY_RATE.rural;
    if (random.next() < rate) chosen.add(index);
  });
  for (const grid of [...byGrid.keys()].sort()) {
    const indices = byGrid.get(grid)!;
    const missing = MIN_PER_GRID - indices.filter((index) => chosen.has(index)).length;
    if (missing <= 0) continue;
    const spare = random.shuffle(indices.filter((index) => !chosen.has(index)));
    for (const index of spare.slice(0, missing)) chosen.add(index);
  }
  return [...chosen].sort((a, b) => a - b).map((index) => households[index]!);
}

/**
 * The embedded demo's register of special populations: about one household in a hundred has an
 * entry (2.6% in the urban core, 0.9% elsewhere), across the five categories with their fields, a
 * dated state history for some, and a year of past visits by the grid workers of their grids, some
 * grids behind. Deterministic per seed and `now`. `households` in code order; `visitors` one per grid.
 */
export function planSpecialRegister(
  households: readonly RegisterHousehold[],
  visitors: readonly RegisterVisitor[],
  options: { seed: number; now: Date },
): RegisterPlan {
  const random = createRandomStream(options.seed, 'demo-special-register');
  const people = createPeopleFactory(createRandomStream(options.seed, 'demo-special-register-people'));
  const nowMs = options.now.getTime();
  const visitorOf = new Map(visitors.map((visitor) => [visitor.gridCode, visitor]));
  const grids = [...visitorOf.keys()].sort();
  const behindCount = grids.length >= 5 ? Math.max(1, Math.round(grids.length * BEHIND_SHARE)) : 0;
  const behind = new Set(random.shuffle([...grids]).slice(0, behindCount));
  const entries: PlannedEntry[] = [];
  for (const household of chosenHouseholds(random, households, visitorOf)) {
    const visitor = visitorOf.get(household.cellCode.slice(0, 15))!;
    const entry = planEntry(random, people, entries.length, household, nowMs);
    if (random.next() < CLOSED_SHARE) {
      const registeredAt = Date.parse(`${entry.registeredOn}T00:00:00+08:00`);
      entry.active = false;
      entry.closedOn = dayOf(random.uniform(Math.max(registeredAt, nowMs - 300 * DAY_MS), nowMs - DAY_MS));
      entry.closedReason = random.pick(CLOSED_REASONS);
    }
    planVisits(random, entry, [household.lng, household.lat], visitor, behind.has(visitor.gridCode), nowMs);
    entries.push(entry);
  }
  return { behindGrids: [...behind].sort(), entries };
}
