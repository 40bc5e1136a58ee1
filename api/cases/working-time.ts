import calendar from 'chinese-days/dist/chinese-days.json' with { type: 'json' };

/**
 * Working time in Asia/Shanghai, where case limits are counted: office hours 08:30-12:00 and
 * 14:00-17:30 (7 hours a day) on working days. Working days come from `chinese-days`: weekends
 * and public holidays are off, and the 调休 make-up Saturdays and Sundays are worked.
 *
 * China has kept UTC+8 without daylight saving since 1991, so local time is UTC plus a fixed
 * offset: every function here gives the same instants whatever the machine's TZ is.
 */
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** Office periods of a working day, in minutes after local midnight: [start, end). */
const OFFICE_PERIODS: readonly (readonly [number, number])[] = [
  [8 * 60 + 30, 12 * 60],
  [14 * 60, 17 * 60 + 30],
];
/** Working minutes in one working day (7 hours). */
const WORKING_MINUTES_PER_DAY = OFFICE_PERIODS.reduce((sum, [start, end]) => sum + end - start, 0);

/**
 * How a limit's time is counted. `natural` (自然时间) counts every minute of every day: urgent
 * reports and geohazards run on it, since a landslide at 22:00 on a Saturday does not wait for
 * Monday. `working` (工作时间) counts only office time on working days (see below): routine
 * reports run on it.
 */
export type ClockKind = 'natural' | 'working';
export const CLOCK_KINDS: readonly ClockKind[] = ['natural', 'working'];

export function isClockKind(value: string): value is ClockKind {
  return (CLOCK_KINDS as readonly string[]).includes(value);
}

/**
 * The unit of a limit's amount, counted on its clock: a natural day is 24 hours, a working day
 * is one day of office time (7 hours), so "1 working day" from Wednesday 10:00 is Thursday 10:00.
 */
export type LimitUnit = 'minutes' | 'hours' | 'days';
export const LIMIT_UNITS: readonly LimitUnit[] = ['minutes', 'hours', 'days'];

export function isLimitUnit(value: string): value is LimitUnit {
  return (LIMIT_UNITS as readonly string[]).includes(value);
}

/** A time limit: so many minutes, hours or days, on the natural or the working clock. */
export interface Limit {
  amount: number;
  unit: LimitUnit;
  clock: ClockKind;
}

/** Milliseconds since the epoch of local midnight (Shanghai) of the day containing `instant`. */
function localMidnight(instantMs: number): number {
  const local = instantMs + SHANGHAI_OFFSET_MS;
  return local - (((local % DAY_MS) + DAY_MS) % DAY_MS) - SHANGHAI_OFFSET_MS;
}

/** The Shanghai calendar date of `instant` as YYYY-MM-DD (what chinese-days reads, in any TZ). */
export function shanghaiDate(instant: Date): string {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * The official calendar from chinese-days: public holidays and the 调休 make-up workdays, keyed
 * YYYY-MM-DD. Its data file is read rather than its `isWorkday`, which builds those keys and
 * reads weekdays with the machine's local-time getters, so west of Greenwich it is a day off;
 * here the weekday comes from the date itself, and the answer is the same in every TZ (a test
 * checks it against `isWorkday` run in Shanghai time).
 */
const HOLIDAYS: Readonly<Record<string, string>> = calendar.holidays;
const MAKE_UP_WORKDAYS: Readonly<Record<string, string>> = calendar.workdays;

/** Whether a calendar date (YYYY-MM-DD) is a working day: a make-up workday, or Monday to Friday and no holiday. */
export function isWorkdayDate(date: string): boolean {
  if (Object.hasOwn(MAKE_UP_WORKDAYS, date)) return true;
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday >= 1 && weekday <= 5 && !Object.hasOwn(HOLIDAYS, date);
}

/** True when the Shanghai day containing `instant` is a working day (调休 included, holidays excluded). */
export function isWorkingDay(instant: Date): boolean {
  return isWorkdayDate(shanghaiDate(instant));
}

/**
 * The office periods of the day starting at `midnightMs` as absolute [start, end) milliseconds;
 * none on a day off.
 */
function periodsOfDay(midnightMs: number): [number, number][] {
  if (!isWorkdayDate(shanghaiDate(new Date(midnightMs)))) return [];
  return OFFICE_PERIODS.map(([start, end]) => [midnightMs + start * MINUTE_MS, midnightMs + end * MINUTE_MS]);
}

/** No limit of a case spans more than this many calendar days of scanning (guards a bad calendar). */
const MAX_SCAN_DAYS = 3660;

/**
 * The instant after `minutes` of office time have passed from `start`. Time outside office
 * hours does not count; a limit that runs out exactly at 12:00 or 17:30 is due then, not at
 * the next opening.
 */
export function addWorkingMinutes(start: Date, minutes: number): Date {
  if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError(`working minutes must be ≥ 0: ${minutes}`);
  let remainingMs = minutes * MINUTE_MS;
  const startMs = start.getTime();
  let midnight = localMidnight(startMs);
  for (let day = 0; day < MAX_SCAN_DAYS; day++, midnight += DAY_MS) {
    for (const [open, close] of periodsOfDay(midnight)) {
      const from = Math.max(open, startMs);
      if (from >= close) continue;
      if (remainingMs <= close - from) return new Date(from + remainingMs);
      remainingMs -= close - from;
    }
  }
  throw new RangeError(`no working time found within ${MAX_SCAN_DAYS} days of ${start.toISOString()}`);
}

/**
 * The instant `minutes` of office time before `end`: the inverse of `addWorkingMinutes`, used
 * to move a resumed clock's start so that the share of its limit already used is kept.
 */
export function subtractWorkingMinutes(end: Date, minutes: number): Date {
  if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError(`working minutes must be ≥ 0: ${minutes}`);
  let remainingMs = minutes * MINUTE_MS;
  const endMs = end.getTime();
  let midnight = localMidnight(endMs);
  for (let day = 0; day < MAX_SCAN_DAYS; day++, midnight -= DAY_MS) {
    for (const [open, close] of periodsOfDay(midnight).reverse()) {
      const to = Math.min(close, endMs);
      if (to <= open) continue;
      if (remainingMs <= to - open) return new Date(to - remainingMs);
      remainingMs -= to - open;
    }
  }
  throw new RangeError(`no working time found within ${MAX_SCAN_DAYS} days before ${end.toISOString()}`);
}

/** `hours` working hours (office time) after `start`; fractions allowed. */
export function addWorkingHours(start: Date, hours: number): Date {
  return addWorkingMinutes(start, hours * 60);
}

/**
 * `days` working days after `start`: one working day is a full day of office time (7 hours),
 * so a case dispatched on Wednesday 10:00 with 1 working day is due Thursday 10:00, and one
 * dispatched on the evening before a holiday is due at the end of the first working day after it.
 */
export function addWorkingDays(start: Date, days: number): Date {
  return addWorkingMinutes(start, days * WORKING_MINUTES_PER_DAY);
}

/** Office time between two instants, in minutes (0 when `to` is not after `from`). */
export function workingMinutesBetween(from: Date, to: Date): number {
  const fromMs = from.getTime();
  const toMs = to.getTime();
  if (toMs <= fromMs) return 0;
  let totalMs = 0;
  for (let midnight = localMidnight(fromMs); midnight < toMs; midnight += DAY_MS) {
    for (const [open, close] of periodsOfDay(midnight)) {
      const overlap = Math.min(close, toMs) - Math.max(open, fromMs);
      if (overlap > 0) totalMs += overlap;
    }
  }
  return totalMs / MINUTE_MS;
}

/** How many minutes of its own clock a limit is: wall-clock minutes when natural, office minutes when working. */
export function minutesOfLimit(limit: Limit): number {
  switch (limit.unit) {
    case 'minutes':
      return limit.amount;
    case 'hours':
      return limit.amount * 60;
    case 'days':
      return limit.amount * (limit.clock === 'natural' ? 24 * 60 : WORKING_MINUTES_PER_DAY);
  }
}

/**
 * The due instant of `limit` started at `start`. Natural time is elapsed time: Shanghai keeps
 * UTC+8 all year, so adding milliseconds is adding wall-clock time there, midnight and
 * weekends included. Working time skips nights, weekends and holidays (`addWorkingMinutes`).
 */
export function addLimit(start: Date, limit: Limit): Date {
  const minutes = minutesOfLimit(limit);
  if (limit.clock === 'natural') return new Date(start.getTime() + minutes * MINUTE_MS);
  return addWorkingMinutes(start, minutes);
}

/**
 * The share of a limit used at `now` (0 at the start, 1 at the due instant, more when late),
 * for the traffic light, measured on the limit's own clock: a natural limit in wall-clock
 * time, a working limit in office time (a weekend uses none of a 2-working-day limit). A span
 * with no office time in it is measured in wall-clock time.
 */
export function usedShare(start: Date, due: Date, now: Date, clock: ClockKind = 'working'): number {
  const wall = () => {
    const span = due.getTime() - start.getTime();
    if (span <= 0) return now.getTime() >= due.getTime() ? Number.POSITIVE_INFINITY : 0;
    return Math.max(0, (now.getTime() - start.getTime()) / span);
  };
  if (clock === 'natural') return wall();
  const span = workingMinutesBetween(start, due);
  if (span <= 0) return wall();
  const used = workingMinutesBetween(start, now);
  // Past the due instant, the share keeps growing in wall-clock time too: an overdue case is red
  // even during a weekend.
  if (now.getTime() > due.getTime()) return Math.max(1 + Number.EPSILON, used / span);
  return used / span;
}
