import { describe, expect, it } from 'vitest';
import { type CaseClock, clockOf, lightOf, lightOfShare } from './light.ts';

const cst = (local: string) => new Date(`${local}+08:00`);
const iso = (local: string) => cst(local).toISOString();

describe('the traffic light', () => {
  it.each([
    [0, 'green'],
    [0.8, 'green'],
    [0.8000001, 'yellow'],
    [1, 'yellow'],
    [1.0000001, 'red'],
    [3, 'red'],
  ])('share %s is %s', (share, light) => {
    expect(lightOfShare(share)).toBe(light);
  });

  const fileClock: CaseClock = {
    state: 'reported',
    clockStage: 'file',
    clockStartedAt: iso('2026-10-01T22:00'),
    dueAt: iso('2026-10-01T22:30'),
    limitUnit: 'minutes',
    limitClock: 'natural',
    parkedAt: null,
  };

  it.each([
    ['2026-10-01T22:24:00', 'green'],
    ['2026-10-01T22:24:01', 'yellow'],
    ['2026-10-01T22:30:00', 'yellow'],
    ['2026-10-01T22:30:01', 'red'],
  ])('a 30-minute filing clock started at 22:00 (a holiday night) is, at %s, %s', (now, light) => {
    expect(lightOf(fileClock, cst(now)).light).toBe(light);
  });

  const handleClock: CaseClock = {
    state: 'acknowledged',
    clockStage: 'handle',
    clockStartedAt: iso('2026-09-11T16:00'),
    dueAt: iso('2026-09-14T11:00'),
    limitUnit: 'hours',
    limitClock: 'working',
    parkedAt: null,
  };

  it.each([
    ['2026-09-13T20:00:00', 'green', 'the weekend uses none of a working-hour limit'],
    ['2026-09-14T10:12:00', 'green', '80% of 4 working hours'],
    ['2026-09-14T10:13:00', 'yellow', 'just past 80%'],
    ['2026-09-14T11:00:00', 'yellow', 'due now'],
    ['2026-09-14T11:01:00', 'red', 'late'],
  ])('a 4-working-hour clock from Friday 16:00 is, at %s, %s (%s)', (now, light) => {
    expect(lightOf(handleClock, cst(now)).light).toBe(light);
  });

  // A landslide dispatched at 22:00 on Saturday 12 September 2026, to be acknowledged within 1 hour.
  const landslideClock: CaseClock = {
    state: 'dispatched',
    clockStage: 'acknowledge',
    clockStartedAt: iso('2026-09-12T22:00'),
    dueAt: iso('2026-09-12T23:00'),
    limitUnit: 'hours',
    limitClock: 'natural',
    parkedAt: null,
  };

  it.each([
    ['2026-09-12T22:48:00', 'green', '80% of the hour'],
    ['2026-09-12T22:49:00', 'yellow', 'just past 80%'],
    ['2026-09-12T23:00:00', 'yellow', 'due now'],
    ['2026-09-12T23:01:00', 'red', 'late, on a Saturday night'],
    ['2026-09-13T09:00:00', 'red', 'still late on Sunday morning'],
  ])('a 1-hour natural acknowledge clock from Saturday 22:00 is, at %s, %s (%s)', (now, light) => {
    expect(lightOf(landslideClock, cst(now)).light).toBe(light);
  });

  it.each([
    [{ limitClock: 'natural', limitUnit: 'hours', clockStage: 'handle' }, 'natural', 'the stored clock'],
    [{ limitClock: 'working', limitUnit: 'minutes', clockStage: 'file' }, 'working', 'the stored clock, even for minutes'],
    [{ limitClock: null, limitUnit: 'minutes', clockStage: 'file' }, 'natural', 'no clock: minutes were wall-clock time'],
    [{ limitClock: null, limitUnit: 'work_hours', clockStage: 'handle' }, 'working', 'no clock: a working-hour unit'],
    [{ limitClock: null, limitUnit: null, clockStage: 'file' }, 'natural', 'nothing stored: filing ran on the wall clock'],
    [{ limitClock: null, limitUnit: null, clockStage: 'acknowledge' }, 'working', 'nothing stored: later stages in working time'],
  ])('counts %o on the %s clock (%s)', (clock, kind, _why) => {
    expect(clockOf(clock)).toBe(kind);
  });

  it('stands still while the case is parked', () => {
    const parked = { ...handleClock, state: 'parked', parkedAt: iso('2026-09-11T17:00') };
    expect(lightOf(parked, cst('2026-09-30T10:00'))).toEqual({ light: 'green', usedShare: 0.25 });
  });

  it.each(['closed', 'evaluated', 'rejected', 'cancelled', 'merged'])('is none for a %s case', (state) => {
    expect(lightOf({ ...handleClock, state }, cst('2026-09-30T10:00'))).toEqual({ light: 'none', usedShare: null });
  });

  it('is none for a case without a clock', () => {
    expect(lightOf({ ...handleClock, dueAt: null }, cst('2026-09-14T10:00')).light).toBe('none');
  });
});
