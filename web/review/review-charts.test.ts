import { describe, expect, it } from 'vitest';
import type { Kpi, TrendResponse, UrbanRuralResponse } from './review-api.ts';
import { townshipScoresOption, trendOption, urbanRuralOption } from './review-charts.ts';

const THEME = { text: '#000', muted: '#333', line: '#ccc', palette: ['#111111', '#222222', '#333333'] };

const kpi = (key: string, unit: Kpi['unit'], value: number | null): Kpi =>
  ({
    key,
    unit,
    value,
    label: { zh: key, en: key },
    numerator: 0,
    denominator: 0,
    grade: null,
    formula: { zh: '', en: '' },
  }) as Kpi;

const month = (name: string, onTime: number | null, minutes: number | null, score: number | null) => ({
  month: name,
  kpis: [kpi('on_time_closure', 'percent', onTime), kpi('ack_minutes', 'minutes', minutes), kpi('rework', 'percent', 5)],
  counts: { due: 0, deferred: 0, closed: 0, closedOnTime: 0 },
  score,
  grade: null,
});

describe('trendOption', () => {
  const trend = {
    period: { from: '2026-01', to: '2026-02', months: ['2026-01', '2026-02'] },
    area: { code: '511921108', name: '沙溪镇', level: 'township' },
    months: [month('2026-01', 80, 30, 70), month('2026-02', null, 20, 75)],
  } as unknown as TrendResponse;

  it('draws the overall score and the 0-100 KPIs by month, not the durations, and shows the main ones first', () => {
    const option = trendOption(trend, THEME, 'zh', '综合得分');
    const series = option.series as { name: string; data: (number | null)[] }[];
    expect(series.map((line) => line.name)).toEqual(['综合得分', 'on_time_closure', 'rework']);
    expect(series[0]?.data).toEqual([70, 75]);
    // A month without a figure is a gap in the line, not a zero.
    expect(series[1]?.data).toEqual([80, null]);
    expect((option.xAxis as { data: string[] }).data).toEqual(['2026年1月', '2026年2月']);
    expect((option.legend as { selected: Record<string, boolean> }).selected).toEqual({
      综合得分: true,
      on_time_closure: true,
      rework: false,
    });
  });
});

describe('the urban core against the rural townships', () => {
  const group = (key: 'urban' | 'rural', onTime: number | null) => ({
    key,
    label: { zh: key === 'urban' ? '城区' : '农村', en: key },
    townships: 2,
    kpis: [kpi('on_time_closure', 'percent', onTime), kpi('ack_minutes', 'minutes', 40)],
    counts: { due: 0, deferred: 0, closed: 0, closedOnTime: 0 },
    score: null,
    grade: null,
  });
  const township = (name: string, urban: boolean, score: number | null) => ({ code: name, name, urban, score });
  const data = {
    urban: group('urban', 92),
    rural: group('rural', 61),
    townships: [township('沙溪镇', false, 55), township('壁州街道', true, 90), township('涪阳镇', false, null)],
    gap: [],
  } as unknown as UrbanRuralResponse;

  it('puts the two groups side by side for each 0-100 KPI', () => {
    const option = urbanRuralOption(data, THEME, 'zh');
    expect((option.xAxis as { data: string[] }).data).toEqual(['on_time_closure']);
    const series = option.series as { name: string; data: (number | null)[] }[];
    expect(series.map((bar) => [bar.name, bar.data])).toEqual([
      ['城区', [92]],
      ['农村', [61]],
    ]);
  });

  it('ranks the townships by score, the urban core in its colour, those without a score last', () => {
    const option = townshipScoresOption(data, THEME, 'zh', '综合得分');
    expect((option.xAxis as { data: string[] }).data).toEqual(['壁州街道', '沙溪镇', '涪阳镇']);
    const bars = (option.series as { data: { value: number | null; itemStyle: { color: string } }[] }[])[0]?.data;
    expect(bars?.map((bar) => [bar.value, bar.itemStyle.color])).toEqual([
      [90, '#111111'],
      [55, '#222222'],
      [null, '#222222'],
    ]);
  });
});
