import { badRequest } from '../errors.ts';
import type { Period } from './contracts.ts';

/** The longest period one review covers, in months. */
const MAX_PERIOD_MONTHS = 36;

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** The Shanghai month (YYYY-MM) holding `instant`. */
export function shanghaiMonth(instant: Date): string {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 7);
}

/** `month` (YYYY-MM) moved by `delta` months. */
export function addMonths(month: string, delta: number): string {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  const index = year * 12 + (monthNumber - 1) + delta;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Midnight in Shanghai starting the first day of `month`. */
function monthStart(month: string): Date {
  return new Date(`${month}-01T00:00:00+08:00`);
}

/** A review period with its bounds as instants: `start` inclusive, `end` (the next month's start) exclusive. */
export interface ReviewPeriod extends Period {
  start: Date;
  end: Date;
}

/**
 * The period from `from` to `to` (YYYY-MM, inclusive); `to` defaults to the month of `now`, `from` to
 * 11 months before `to` (a year). A period backwards or longer than MAX_PERIOD_MONTHS is refused.
 */
export function periodOf(from: string | undefined, to: string | undefined, now: Date): ReviewPeriod {
  const last = to ?? shanghaiMonth(now);
  const first = from ?? addMonths(last, -11);
  if (first > last)
    throw badRequest(
      'period_backwards',
      { zh: `考评期间起始月份 ${first} 晚于结束月份 ${last}`, en: `The period starts (${first}) after it ends (${last})` },
      { from: first, to: last },
    );
  const months: string[] = [];
  for (let month = first; month <= last; month = addMonths(month, 1)) {
    months.push(month);
    if (months.length > MAX_PERIOD_MONTHS)
      throw badRequest(
        'period_too_long',
        { zh: `考评期间最长 ${MAX_PERIOD_MONTHS} 个月`, en: `A period is at most ${MAX_PERIOD_MONTHS} months` },
        { from: first, to: last },
      );
  }
  return { from: first, to: last, months, start: monthStart(first), end: monthStart(addMonths(last, 1)) };
}

/** The period as it crosses the wire. */
export const periodView = ({ from, to, months }: ReviewPeriod): Period => ({ from, to, months });
