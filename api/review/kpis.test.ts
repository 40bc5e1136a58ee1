import { describe, expect, it } from 'vitest';
import { GRADE_LABELS, gradeOf } from '../vocabulary/review.ts';
import { addFigures, kpiOf, NO_CASES, NO_FIELD, overallOf } from './kpis.ts';
import { addMonths, periodOf, shanghaiMonth } from './period.ts';

describe('grades', () => {
  it.each([
    [100, 'A'],
    [90, 'A'],
    [89.99, 'B'],
    [75, 'B'],
    [74.9, 'C'],
    [60, 'C'],
    [59.9, 'D'],
    [40, 'D'],
    [39.9, 'E'],
    [0, 'E'],
  ] as const)('%d is %s', (score, grade) => {
    expect(gradeOf(score)).toBe(grade);
    expect(GRADE_LABELS[grade].zh).not.toBe('');
  });

  it('has no grade without a figure', () => {
    expect(gradeOf(null)).toBeNull();
  });
});

describe('KPIs from sums', () => {
  it('leaves deferred cases out of both sides of the closure rates', () => {
    const cases = { ...NO_CASES, due: 10, deferred: 2, closed: 6, closedOnTime: 4 };
    expect(kpiOf('on_time_closure', cases)).toMatchObject({ value: 50, numerator: 4, denominator: 8, grade: 'D' });
    expect(kpiOf('closure', cases)).toMatchObject({ value: 75, numerator: 6, denominator: 8, grade: 'B' });
  });

  it('has no value and no grade without a denominator', () => {
    expect(kpiOf('closure', NO_CASES)).toMatchObject({ value: null, grade: null, denominator: 0 });
  });

  it('grades rework on 100 − rework, and scores ×20', () => {
    expect(kpiOf('rework', { ...NO_CASES, handled: 10, reworked: 1 })).toMatchObject({ value: 10, grade: 'A' });
    expect(kpiOf('resident_satisfaction', { ...NO_CASES, residentSum: 9, residentCount: 2 })).toMatchObject({ value: 90 });
    expect(kpiOf('patrol_coverage', NO_CASES, { ...NO_FIELD, walked: 3, cellMonths: 4 })).toMatchObject({
      value: 75,
      grade: 'B',
    });
  });

  it('makes the overall score from the graded KPIs with data', () => {
    const kpis = [
      kpiOf('closure', { ...NO_CASES, due: 4, closed: 4 }),
      kpiOf('rework', { ...NO_CASES, handled: 4, reworked: 2 }),
      kpiOf('on_spot', { ...NO_CASES, due: 4, onSpot: 0 }),
      kpiOf('visit_on_time', NO_CASES, NO_FIELD),
    ];
    expect(overallOf(kpis)).toEqual({ score: 75, grade: 'B' });
    expect(overallOf([])).toEqual({ score: null, grade: null });
  });

  it('adds figures up', () => {
    expect(addFigures({ ...NO_CASES, due: 1 }, { ...NO_CASES, due: 2, closed: 1 })).toMatchObject({ due: 3, closed: 1 });
  });
});

describe('periods', () => {
  it('defaults to the last 12 months, Shanghai time', () => {
    const period = periodOf(undefined, undefined, new Date('2026-12-31T16:30:00Z'));
    expect(period.to).toBe('2027-01');
    expect(period.from).toBe('2026-02');
    expect(period.months).toHaveLength(12);
    expect(period.start.toISOString()).toBe('2026-01-31T16:00:00.000Z');
  });

  it('moves months across years and refuses a period backwards or too long', () => {
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(shanghaiMonth(new Date('2026-05-31T16:00:00Z'))).toBe('2026-06');
    expect(() => periodOf('2026-05', '2026-04', new Date())).toThrow();
    expect(() => periodOf('2020-01', '2026-04', new Date())).toThrow();
  });
});
