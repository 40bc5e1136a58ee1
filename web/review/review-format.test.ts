import { describe, expect, it } from 'vitest';
import {
  chainCodes,
  choroplethClasses,
  firstDirection,
  formatKpi,
  formatMinutes,
  gradeColor,
  lastMonths,
  monthLabel,
  monthOf,
  monthsBetween,
  type RankedRow,
  shiftMonth,
  sortRows,
} from './review-format.ts';

describe('months', () => {
  it.each([
    ['2026-01', -1, '2025-12'],
    ['2026-12', 1, '2027-01'],
    ['2026-06', -11, '2025-07'],
    ['2026-06', 0, '2026-06'],
    ['2026-03', 24, '2028-03'],
  ])('%s shifted by %i is %s', (month, delta, expected) => {
    expect(shiftMonth(month, delta)).toBe(expected);
  });

  it('takes the month on the county’s clock: 16:30 UTC on the last day of May is June in Shanghai', () => {
    expect(monthOf(new Date('2026-05-31T16:30:00Z'))).toBe('2026-06');
    expect(monthOf(new Date('2026-05-31T15:59:00Z'))).toBe('2026-05');
  });

  it('defaults to the last 12 whole months, this one included', () => {
    expect(lastMonths(new Date('2026-12-04T05:00:00Z'))).toEqual({ from: '2026-01', to: '2026-12' });
    expect(lastMonths(new Date('2026-03-10T05:00:00Z'), 3)).toEqual({ from: '2026-01', to: '2026-03' });
  });

  it('lists the months of a period across a new year, and none when it runs backwards', () => {
    expect(monthsBetween('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthsBetween('2026-03', '2026-02')).toEqual([]);
  });

  it('labels a month in Chinese and in English', () => {
    expect(monthLabel('2026-06', 'zh')).toBe('2026年6月');
    expect(monthLabel('2026-06', 'en')).toBe('Jun 2026');
  });

  it('refuses what is not a month', () => {
    expect(() => shiftMonth('2026-13', 1)).toThrow();
  });
});

describe('figures', () => {
  it.each([
    [87.456, 'percent', '87.5%'],
    [100, 'percent', '100.0%'],
    [86, 'score', '86.0'],
    [null, 'percent', '—'],
    [Number.NaN, 'score', '—'],
  ] as const)('%s %s prints as %s', (value, unit, expected) => {
    expect(formatKpi(value, unit, 'zh')).toBe(expected);
  });

  it.each([
    [12.4, '12分钟', '12 min'],
    [60, '1小时', '1 h'],
    [200, '3小时20分', '3 h 20 min'],
    [47 * 60 + 59, '47小时59分', '47 h 59 min'],
    [48 * 60, '2天', '2 d'],
    [3 * 1440 + 5 * 60 + 30, '3天5小时', '3 d 5 h'],
  ])('%s minutes: %s, %s', (minutes, zh, en) => {
    expect(formatMinutes(minutes, 'zh')).toBe(zh);
    expect(formatMinutes(minutes, 'en')).toBe(en);
    expect(formatKpi(minutes, 'minutes', 'zh')).toBe(zh);
  });
});

const row = (name: string, score: number | null, onTime: number | null, ack: number | null): RankedRow => ({
  name,
  score,
  kpis: [
    { key: 'on_time_closure', unit: 'percent', value: onTime, grade: null },
    { key: 'ack_minutes', unit: 'minutes', value: ack, grade: null },
  ],
});

describe('sortRows', () => {
  const rows = [
    row('沙溪镇', 70, 80, 30),
    row('壁州街道', 95, null, 10),
    row('诺江镇', 88, 92, null),
    row('涪阳镇', null, 60, 30),
  ];

  it('orders by a KPI, best first, and keeps rows without a figure last either way', () => {
    expect(sortRows(rows, 'on_time_closure', 'desc').map((r) => r.name)).toEqual(['诺江镇', '沙溪镇', '涪阳镇', '壁州街道']);
    expect(sortRows(rows, 'on_time_closure', 'asc').map((r) => r.name)).toEqual(['涪阳镇', '沙溪镇', '诺江镇', '壁州街道']);
  });

  it('keeps the order of ties and sorts by the overall score', () => {
    expect(sortRows(rows, 'ack_minutes', 'asc').map((r) => r.name)).toEqual(['壁州街道', '沙溪镇', '涪阳镇', '诺江镇']);
    expect(sortRows(rows, 'score', 'desc').map((r) => r.name)).toEqual(['壁州街道', '诺江镇', '沙溪镇', '涪阳镇']);
  });

  it('orders names by pinyin collation and leaves the input alone', () => {
    const before = rows.map((r) => r.name);
    expect(sortRows(rows, 'name', 'asc').map((r) => r.name)).toEqual(['壁州街道', '涪阳镇', '诺江镇', '沙溪镇']);
    expect(rows.map((r) => r.name)).toEqual(before);
  });

  it('sorts a first click best first: highest rates, shortest times, lowest rework', () => {
    expect(firstDirection('closure', 'percent')).toBe('desc');
    expect(firstDirection('ack_minutes', 'minutes')).toBe('asc');
    expect(firstDirection('rework', 'percent', true)).toBe('asc');
    expect(firstDirection('name', null)).toBe('asc');
  });
});

describe('choroplethClasses', () => {
  it('classes a graded KPI by its grade, and an area without a figure as none', () => {
    const classes = choroplethClasses([
      { code: 'a', kpi: { key: 'closure', unit: 'percent', value: 95, grade: 'A' } },
      { code: 'b', kpi: { key: 'closure', unit: 'percent', value: 50, grade: 'D' } },
      { code: 'c', kpi: { key: 'closure', unit: 'percent', value: null, grade: null } },
      { code: 'd', kpi: undefined },
    ]);
    expect([...classes]).toEqual([
      ['a', 0],
      ['b', 3],
      ['c', null],
      ['d', null],
    ]);
  });

  it('classes an ungraded time by rank among the areas, the shortest best, equal times alike', () => {
    const minutes = (code: string, value: number) => ({
      code,
      kpi: { key: 'ack_minutes', unit: 'minutes' as const, value, grade: null },
    });
    const classes = choroplethClasses([
      minutes('slow', 300),
      minutes('fast', 10),
      minutes('mid', 60),
      minutes('mid2', 60),
      minutes('x', 90),
    ]);
    expect(classes.get('fast')).toBe(0);
    expect(classes.get('mid')).toBe(1);
    expect(classes.get('mid2')).toBe(1);
    expect(classes.get('x')).toBe(3);
    expect(classes.get('slow')).toBe(4);
  });

  it('gives each grade its colour and no grade the grey', () => {
    expect(gradeColor('A')).toBe('#1f9d55');
    expect(gradeColor('E')).toBe('#d6333f');
    expect(gradeColor(null)).toBe('#8a94a6');
  });
});

describe('chainCodes', () => {
  it('runs from the scope down to the area, three digits a level', () => {
    expect(chainCodes('511921', '511921108209001')).toEqual(['511921', '511921108', '511921108209', '511921108209001']);
    expect(chainCodes('511921108', '511921108')).toEqual(['511921108']);
  });

  it('stops at the scope for an area outside it', () => {
    expect(chainCodes('511921108', '511921112200')).toEqual(['511921108']);
  });
});
