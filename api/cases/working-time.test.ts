import { isWorkday } from 'chinese-days';
import { describe, expect, it } from 'vitest';
import {
  addLimit,
  addWorkingDays,
  addWorkingHours,
  isWorkdayDate,
  isWorkingDay,
  type Limit,
  minutesOfLimit,
  subtractWorkingMinutes,
  usedShare,
  workingMinutesBetween,
} from './working-time.ts';

/** An instant written in Shanghai wall time. */
const cst = (local: string) => new Date(`${local}+08:00`);
const iso = (local: string) => cst(local).toISOString();

describe('the working calendar (chinese-days, Asia/Shanghai)', () => {
  it.each([
    ['2026-09-18T12:00', true, 'an ordinary Friday'],
    ['2026-09-19T12:00', false, 'an ordinary Saturday'],
    ['2026-09-20T12:00', true, 'Sunday 20 September 2026, a make-up workday (调休) for National Day'],
    ['2026-09-25T12:00', false, 'Mid-Autumn Festival 2026 (a Friday)'],
    ['2026-10-01T12:00', false, 'National Day'],
    ['2026-10-07T12:00', false, 'the last day of the National Day holiday'],
    ['2026-10-08T12:00', true, 'the first working day after it'],
    ['2026-10-10T12:00', true, 'Saturday 10 October 2026, a make-up workday'],
    ['2026-10-11T12:00', false, 'the Sunday after'],
  ])('%s is a working day: %s (%s)', (local, expected) => {
    expect(isWorkingDay(cst(local))).toBe(expected);
  });

  // chinese-days' own isWorkday is right only east of Greenwich (see working-time.ts), where CI runs.
  it.runIf(new Date(2026, 0, 1).getTimezoneOffset() <= 0)(
    'agrees with chinese-days’ isWorkday on every day from 2004 to 2026',
    () => {
      const disagreements: string[] = [];
      for (let day = Date.UTC(2004, 0, 1); day <= Date.UTC(2026, 11, 31); day += 86_400_000) {
        const date = new Date(day).toISOString().slice(0, 10);
        if (isWorkdayDate(date) !== isWorkday(date)) disagreements.push(date);
      }
      expect(disagreements).toEqual([]);
    },
  );

  it('reads the day in Shanghai, not in UTC: 2026-10-08 00:30 Shanghai is 2026-10-07 in UTC but a working day', () => {
    expect(isWorkingDay(cst('2026-10-08T00:30'))).toBe(true);
    expect(isWorkingDay(cst('2026-10-07T23:30'))).toBe(false);
  });
});

describe('adding working hours (08:30-12:00, 14:00-17:30)', () => {
  it.each([
    ['2026-09-16T09:00', 1, '2026-09-16T10:00', 'inside the morning'],
    ['2026-09-16T11:30', 1, '2026-09-16T14:30', 'over the lunch break'],
    ['2026-09-16T12:30', 1, '2026-09-16T15:00', 'from inside the lunch break'],
    ['2026-09-16T07:00', 1, '2026-09-16T09:30', 'from before opening'],
    ['2026-09-16T08:30', 3.5, '2026-09-16T12:00', 'to exactly noon: due at 12:00, not at 14:00'],
    ['2026-09-16T17:00', 1, '2026-09-17T09:00', 'over the night'],
    ['2026-09-16T20:00', 7, '2026-09-17T17:30', 'a full working day from the evening'],
    ['2026-09-11T16:00', 4, '2026-09-14T11:00', 'Friday 16:00 + 4 h over the weekend: Monday 11:00'],
    ['2026-09-18T16:00', 4, '2026-09-20T11:00', 'Friday 16:00 + 4 h: the make-up Sunday 20 September, 11:00'],
    ['2026-09-19T10:00', 1, '2026-09-20T09:30', 'Saturday to the make-up Sunday'],
    ['2026-09-30T16:00', 4, '2026-10-08T11:00', 'over the National Day holiday: 1.5 h on 30 Sep, 2.5 h on 8 Oct'],
  ])('%s + %s working hours = %s (%s)', (start, hours, due) => {
    expect(addWorkingHours(cst(start), hours).toISOString()).toBe(iso(due));
  });

  it('gives the same instants whatever the machine time zone', () => {
    const previous = process.env.TZ;
    try {
      for (const zone of ['America/Los_Angeles', 'UTC', 'Asia/Shanghai', 'Pacific/Kiritimati']) {
        process.env.TZ = zone;
        expect(addWorkingHours(cst('2026-09-11T16:00'), 4).toISOString()).toBe(iso('2026-09-14T11:00'));
        expect(addWorkingHours(cst('2026-09-18T16:00'), 4).toISOString()).toBe(iso('2026-09-20T11:00'));
        expect(addWorkingDays(cst('2026-09-30T10:00'), 1).toISOString()).toBe(iso('2026-10-08T10:00'));
      }
    } finally {
      process.env.TZ = previous;
    }
  });
});

describe('adding working days (7 working hours each)', () => {
  it.each([
    ['2026-09-16T10:00', 1, '2026-09-17T10:00', 'Wednesday to Thursday'],
    ['2026-09-11T10:00', 1, '2026-09-14T10:00', 'Friday over the weekend to Monday'],
    ['2026-09-30T10:00', 1, '2026-10-08T10:00', 'the eve of National Day to the first working day after it'],
    ['2026-09-30T18:00', 1, '2026-10-08T17:30', 'from the evening before the holiday: the end of the first working day after it'],
    ['2026-10-09T10:00', 1, '2026-10-10T10:00', 'Friday to the make-up Saturday'],
    ['2026-09-30T10:00', 3, '2026-10-10T10:00', 'three days: 8 Oct, 9 Oct, then the make-up Saturday 10 Oct 10:00'],
    ['2026-09-30T10:00', 4, '2026-10-12T10:00', 'four days: over the Sunday after the make-up Saturday to Monday 12 Oct'],
  ])('%s + %s working days = %s (%s)', (start, days, due) => {
    expect(addWorkingDays(cst(start), days).toISOString()).toBe(iso(due));
  });
});

describe('adding a limit on its clock: natural or working time', () => {
  const natural = (amount: number, unit: Limit['unit']): Limit => ({ amount, unit, clock: 'natural' });
  const working = (amount: number, unit: Limit['unit']): Limit => ({ amount, unit, clock: 'working' });

  it.each([
    // 2026-09-12 is a Saturday.
    [
      '2026-09-12T22:00',
      natural(1, 'hours'),
      '2026-09-12T23:00',
      'a landslide at 22:00 on a Saturday: acknowledged by 23:00, not Monday',
    ],
    [
      '2026-09-12T22:00',
      working(1, 'hours'),
      '2026-09-14T09:30',
      'the same hour on working time waits for Monday (the old rule)',
    ],
    ['2026-09-12T22:00', natural(10, 'minutes'), '2026-09-12T22:10', 'an urgent report is filed within 10 minutes, at night'],
    ['2026-09-12T22:00', natural(4, 'hours'), '2026-09-13T02:00', 'handling an urgent landslide: 4 hours, across midnight'],
    ['2026-09-12T22:00', natural(2, 'days'), '2026-09-14T22:00', 'two natural days are 48 hours, weekend included'],
    ['2026-10-01T23:50', natural(30, 'minutes'), '2026-10-02T00:20', 'natural minutes across midnight on a holiday'],
    ['2026-12-31T20:00', natural(1, 'days'), '2027-01-01T20:00', 'across the new year (a holiday): a day is a day'],
    // 2026-09-11 is a Friday.
    [
      '2026-09-11T17:00',
      working(1, 'hours'),
      '2026-09-14T09:00',
      'a routine report on Friday 17:00: half an hour that day, half on Monday',
    ],
    [
      '2026-09-11T17:00',
      working(30, 'minutes'),
      '2026-09-11T17:30',
      'thirty working minutes from Friday 17:00 end at closing time',
    ],
    ['2026-09-11T17:15', working(30, 'minutes'), '2026-09-14T08:45', 'from 17:15 they run over the weekend'],
    ['2026-09-11T17:00', working(3, 'days'), '2026-09-16T17:00', 'three working days (21 office hours) from Friday 17:00'],
    ['2026-09-30T18:00', natural(1, 'days'), '2026-10-01T18:00', 'natural time runs through National Day'],
    ['2026-09-30T18:00', working(1, 'days'), '2026-10-08T17:30', 'working time skips the whole National Day holiday'],
    ['2026-10-09T17:00', working(1, 'hours'), '2026-10-10T09:00', 'Friday 17:00 to the make-up Saturday 10 October'],
    ['2026-09-19T10:00', working(2, 'hours'), '2026-09-20T10:30', 'a Saturday to the make-up Sunday 20 September'],
    ['2026-09-25T09:00', working(1, 'hours'), '2026-09-28T09:30', 'Mid-Autumn Festival (a Friday) and the weekend skipped'],
    ['2026-09-25T09:00', natural(1, 'hours'), '2026-09-25T10:00', 'the festival counts on natural time'],
  ] as const)('%s + %o = %s (%s)', (start, limit, due, _why) => {
    expect(addLimit(cst(start), limit).toISOString()).toBe(iso(due));
  });

  it.each([
    [natural(90, 'minutes'), 90],
    [natural(2, 'hours'), 120],
    [natural(1, 'days'), 1440],
    [working(90, 'minutes'), 90],
    [working(2, 'hours'), 120],
    [working(1, 'days'), 420],
  ])('%o is %s minutes of its own clock', (limit, minutes) => {
    expect(minutesOfLimit(limit)).toBe(minutes);
  });

  it('counts natural time as elapsed time whatever the machine time zone, across another zone’s DST change', () => {
    const previous = process.env.TZ;
    try {
      for (const zone of ['America/Los_Angeles', 'Europe/Berlin', 'UTC', 'Asia/Shanghai']) {
        process.env.TZ = zone;
        // Los Angeles springs forward on 2026-03-08 and Berlin on 2026-03-29; Shanghai keeps UTC+8.
        expect(addLimit(cst('2026-03-08T12:00'), natural(1, 'days')).toISOString()).toBe(iso('2026-03-09T12:00'));
        expect(addLimit(cst('2026-03-28T22:00'), natural(4, 'hours')).toISOString()).toBe(iso('2026-03-29T02:00'));
        expect(addLimit(cst('2026-09-12T22:00'), natural(1, 'hours')).toISOString()).toBe(iso('2026-09-12T23:00'));
      }
    } finally {
      process.env.TZ = previous;
    }
  });
});

describe('working time between instants and back', () => {
  it('counts no time over a weekend or a holiday', () => {
    expect(workingMinutesBetween(cst('2026-09-11T17:30'), cst('2026-09-14T08:30'))).toBe(0);
    expect(workingMinutesBetween(cst('2026-09-18T17:30'), cst('2026-09-21T08:30'))).toBe(7 * 60);
    expect(workingMinutesBetween(cst('2026-09-30T17:30'), cst('2026-10-08T08:30'))).toBe(0);
    expect(workingMinutesBetween(cst('2026-09-16T11:00'), cst('2026-09-16T15:00'))).toBe(120);
  });

  it.each([
    ['2026-09-14T11:00', 240, '2026-09-11T16:00'],
    ['2026-10-08T11:00', 240, '2026-09-30T16:00'],
    ['2026-09-16T12:00', 210, '2026-09-16T08:30'],
  ])('subtracting from %s %s minutes gives %s (the inverse of adding)', (end, minutes, start) => {
    expect(subtractWorkingMinutes(cst(end), minutes).toISOString()).toBe(iso(start));
  });
});

describe('the share of a limit used', () => {
  it('measures a natural limit in wall-clock time', () => {
    const start = cst('2026-10-01T22:00');
    const due = cst('2026-10-01T22:30');
    expect(usedShare(start, due, cst('2026-10-01T22:24'), 'natural')).toBeCloseTo(0.8, 10);
    expect(usedShare(start, due, cst('2026-10-01T22:45'), 'natural')).toBeCloseTo(1.5, 10);
  });

  it('measures a natural limit through a weekend night: the Saturday landslide is late at 23:30', () => {
    const start = cst('2026-09-12T22:00');
    const due = addLimit(start, { amount: 1, unit: 'hours', clock: 'natural' });
    expect(usedShare(start, due, cst('2026-09-12T22:48'), 'natural')).toBeCloseTo(0.8, 10);
    expect(usedShare(start, due, cst('2026-09-12T23:30'), 'natural')).toBeCloseTo(1.5, 10);
    // Read on the working clock, the same hour would not have started until Monday.
    expect(usedShare(start, cst('2026-09-14T09:30'), cst('2026-09-12T23:30'), 'working')).toBe(0);
  });

  it('measures a working limit in office time: a weekend uses none of it', () => {
    const start = cst('2026-09-11T16:00');
    const due = addWorkingHours(start, 4);
    expect(usedShare(start, due, cst('2026-09-12T12:00'), 'working')).toBeCloseTo(1.5 / 4, 10);
    expect(usedShare(start, due, cst('2026-09-13T23:00'), 'working')).toBeCloseTo(1.5 / 4, 10);
    expect(usedShare(start, due, cst('2026-09-14T10:12'), 'working')).toBeCloseTo(0.8, 10);
    expect(usedShare(start, due, cst('2026-09-14T11:00'), 'working')).toBe(1);
  });

  it('is above 1 as soon as the due instant has passed, even outside office hours', () => {
    const start = cst('2026-09-18T16:00');
    const due = addWorkingHours(start, 1);
    expect(due.toISOString()).toBe(iso('2026-09-18T17:00'));
    expect(usedShare(start, due, cst('2026-09-18T19:00'), 'working')).toBeGreaterThan(1);
  });
});
