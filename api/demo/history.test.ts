import { describe, expect, it } from 'vitest';
import { FINISHED_STATES } from '../vocabulary/case-states.ts';
import { type DemoPlace, planDemoHistory } from './history.ts';

const place = (index: number, urban: boolean): DemoPlace => ({
  lng: 107.2 + index * 0.001,
  lat: 31.9 + index * 0.001,
  cellCode: urban
    ? `511921001001001${String(index % 9).padStart(3, '0')}`
    : `511921108209001${String(index % 9).padStart(3, '0')}`,
  urban,
  informant: '张三',
  gridWorker: '李四',
  commander: '王五',
});
const PLACES = Object.freeze(Array.from({ length: 200 }, (_, index) => place(index, index % 3 === 0)));
const NOW = new Date('2026-11-29T06:00:00Z');
const plan = () => planDemoHistory(PLACES, { seed: 11, now: NOW, days: 150, count: 1500 });

const hours = (from: Date, to: Date) => (to.getTime() - from.getTime()) / 3_600_000;
const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

describe('the demo history', () => {
  const cases = plan();

  it('is the same for the same seed', () => {
    expect(JSON.stringify(plan())).toBe(JSON.stringify(cases));
  });

  it('has the count asked for, unique case numbers, all in the past 150 days', () => {
    expect(cases).toHaveLength(1500);
    expect(new Set(cases.map((c) => c.caseNumber)).size).toBe(1500);
    for (const c of cases) {
      expect(c.reportedAt.getTime()).toBeLessThanOrEqual(NOW.getTime());
      expect(hours(c.reportedAt, NOW)).toBeLessThanOrEqual(150 * 24);
    }
  });

  it('keeps each timeline in order, cut at now, ending in the case state', () => {
    for (const c of cases) {
      expect(c.steps[0]!.action).toBe('report');
      for (let index = 1; index < c.steps.length; index++) {
        expect(c.steps[index]!.at.getTime()).toBeGreaterThanOrEqual(c.steps[index - 1]!.at.getTime());
        expect(c.steps[index]!.fromState).toBe(c.steps[index - 1]!.toState);
      }
      expect(c.steps.at(-1)!.at.getTime()).toBeLessThanOrEqual(NOW.getTime());
      expect(c.steps.at(-1)!.toState).toBe(c.state);
    }
  });

  it('runs a clock on open cases only, and closes finished ones', () => {
    for (const c of cases) {
      const finished = FINISHED_STATES.includes(c.state);
      expect({ state: c.state, clock: c.clock !== null }).toEqual({ state: c.state, clock: !finished });
      if (c.state === 'closed' || c.state === 'evaluated') expect(c.closedAt).not.toBeNull();
    }
    expect(cases.some((c) => !FINISHED_STATES.includes(c.state))).toBe(true);
  });

  it('closes urban cases faster and more often on time than rural ones', () => {
    const closed = cases.filter((c) => c.closedAt);
    const urban = closed.filter((c) => c.place.urban);
    const rural = closed.filter((c) => !c.place.urban);
    expect(mean(urban.map((c) => hours(c.reportedAt, c.closedAt!)))).toBeLessThan(
      mean(rural.map((c) => hours(c.reportedAt, c.closedAt!))),
    );
    const onTime = (list: typeof closed) => list.filter((c) => c.closedOnTime).length / list.length;
    expect(onTime(urban)).toBeGreaterThan(onTime(rural));
    // Urban places weigh more: more reports per place.
    expect(cases.filter((c) => c.place.urban).length / cases.length).toBeGreaterThan(1 / 3);
  });
});

describe('the demo history over a year', () => {
  const YEAR_NOW = new Date('2026-12-01T04:00:00Z');
  const cases = planDemoHistory(PLACES, { seed: 5, now: YEAR_NOW, days: 365, count: 4000 });
  const monthOf = (c: { reportedAt: Date }) => new Date(c.reportedAt.getTime() + 8 * 3_600_000).getUTCMonth() + 1;
  const rainy = (c: { reportedAt: Date }) => monthOf(c) >= 6 && monthOf(c) <= 9;

  it('puts geohazards in the rainy season: more per month from June to September than the rest of the year', () => {
    const geohazards = cases.filter((c) => ['landslide', 'rockfall', 'flood'].includes(c.type));
    const inSeason = geohazards.filter(rainy).length / 4;
    const offSeason = geohazards.filter((c) => !rainy(c)).length / 8;
    expect(inSeason).toBeGreaterThan(2 * offSeason);
  });

  it('has extensions, rework, cancellations and merges in small shares', () => {
    const share = (test: (c: (typeof cases)[number]) => boolean) => cases.filter(test).length / cases.length;
    const extended = share((c) => c.steps.some((s) => s.action === 'request_extension'));
    const rework = share((c) => c.steps.some((s) => s.action === 'check' && s.details?.passed === false));
    const cancelled = share((c) => c.state === 'cancelled');
    const merged = share((c) => c.state === 'merged');
    for (const value of [extended, rework, cancelled, merged]) {
      expect(value).toBeGreaterThan(0.005);
      expect(value).toBeLessThan(0.12);
    }
    for (const c of cases.filter((each) => each.state === 'merged')) {
      const into = cases.find((each) => each.id === c.mergedInto)!;
      expect(into.type).toBe(c.type);
      expect(into.steps.some((s) => s.action === 'merged_in' && s.details?.fromId === c.id)).toBe(true);
    }
  });
});
