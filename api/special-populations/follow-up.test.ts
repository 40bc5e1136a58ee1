import { describe, expect, it } from 'vitest';
import { type FollowUpEntry, nextDueOn, type RuleVersion, type StateChange, shanghaiDay } from './follow-up.ts';

// The defaults of migrations/0016, as stored.
const DEFAULTS: Record<FollowUpEntry['category'], RuleVersion[]> = {
  severe_mental_illness: [
    {
      effectiveFrom: '2000-01-01',
      rule: {
        byRisk: [
          { min: 3, max: 5, intervalDays: 7 },
          { min: 0, max: 2, intervalDays: 30 },
        ],
      },
    },
  ],
  drug_rehabilitation: [
    {
      effectiveFrom: '2000-01-01',
      rule: {
        byProgrammeYear: [
          { year: 1, intervalDays: 30 },
          { year: 2, intervalDays: 60 },
          { year: 3, intervalDays: 90 },
        ],
        programmeYears: 3,
      },
    },
  ],
  released_prisoner: [{ effectiveFrom: '2000-01-01', rule: { firstWithinDays: 7, intervalDays: 90, assistanceYears: 5 } }],
  community_correction: [{ effectiveFrom: '2000-01-01', rule: { byGrade: { strict: 7, normal: 15, lenient: 30 } } }],
  rental_house: [{ effectiveFrom: '2000-01-01', rule: { intervalDays: 90 } }],
};

function entry(overrides: Partial<FollowUpEntry> & Pick<FollowUpEntry, 'category'>): FollowUpEntry {
  return {
    active: true,
    registeredOn: '2026-01-01',
    releaseDate: null,
    programmeStart: null,
    riskLevel: null,
    supervisionGrade: null,
    ...overrides,
  };
}

function due(
  e: FollowUpEntry,
  lastVisitOn: string | null,
  states: StateChange[] = [],
  rules: RuleVersion[] = DEFAULTS[e.category],
): string | null {
  return nextDueOn({ entry: e, rules, states, lastVisitOn });
}

const risk = (day: string, riskLevel: number): StateChange => ({ day, riskLevel, supervisionGrade: null });

describe('severe mental illness, by risk level', () => {
  const monthly = entry({ category: 'severe_mental_illness', riskLevel: 2 });
  const history = [risk('2026-01-01', 2)];

  it('counts the first visit from registration, then from the last visit', () => {
    expect(due(monthly, null, history)).toBe('2026-01-31');
    expect(due(monthly, '2026-01-10', history)).toBe('2026-02-09');
  });

  it('brings the visit forward on a rise to weekly: the earlier of the old due day and change + 7', () => {
    expect(due(monthly, '2026-01-10', [...history, risk('2026-01-20', 4)])).toBe('2026-01-27');
    // A rise after the due day changes nothing: the visit was already owed.
    expect(due(monthly, '2026-01-10', [...history, risk('2026-02-15', 4)])).toBe('2026-02-09');
  });

  it('keeps the owed weekly visit on a fall to monthly; the visit on the day of a rise counts weekly', () => {
    expect(due(monthly, '2026-01-10', [risk('2026-01-01', 4), risk('2026-01-12', 1)])).toBe('2026-01-17');
    expect(due(monthly, '2026-01-20', [...history, risk('2026-01-20', 4)])).toBe('2026-01-27');
  });

  it('asks the shortest interval of a person not yet assessed', () => {
    expect(due(entry({ category: 'severe_mental_illness' }), '2026-03-02')).toBe('2026-03-09');
  });

  it('applies each rule version from its day', () => {
    const band = (intervalDays: number) => ({
      byRisk: [
        { min: 3, max: 5, intervalDays: 7 },
        { min: 0, max: 2, intervalDays },
      ],
    });
    const looser = [...DEFAULTS.severe_mental_illness, { effectiveFrom: '2026-03-01', rule: band(60) }];
    const stricter = [...DEFAULTS.severe_mental_illness, { effectiveFrom: '2026-03-01', rule: band(7) }];
    const low = [risk('2026-01-01', 1)];
    expect(due(monthly, '2026-02-20', low, looser)).toBe('2026-03-22');
    expect(due(monthly, '2026-02-20', low, stricter)).toBe('2026-03-08');
    expect(due(monthly, '2026-03-05', low, stricter)).toBe('2026-03-12');
    expect(due(monthly, '2026-03-05', low, looser)).toBe('2026-05-04');
  });
});

describe('released prisoners', () => {
  it('asks a first visit within 7 days of return (or of registration, if later), then quarterly', () => {
    const back = entry({ category: 'released_prisoner', releaseDate: '2026-03-10', registeredOn: '2026-03-12' });
    expect(due(back, null)).toBe('2026-03-19');
    expect(due(back, '2026-03-15')).toBe('2026-06-13');
  });

  it('asks nothing from the end of the five years of assistance', () => {
    const old = entry({ category: 'released_prisoner', releaseDate: '2021-06-01', registeredOn: '2021-06-01' });
    expect(due(old, '2026-02-01')).toBe('2026-05-02');
    expect(due(old, '2026-04-01')).toBeNull();
  });
});

describe('community drug rehabilitation, by programme year', () => {
  const programme = entry({ category: 'drug_rehabilitation', programmeStart: '2025-01-10', registeredOn: '2025-01-10' });

  it.each([
    ['2025-12-20', '2026-01-19'], // year 1: monthly
    ['2026-02-01', '2026-04-02'], // year 2: every 60 days
    ['2027-03-01', '2027-05-30'], // year 3: every 90 days
    ['2027-12-01', null], // 2028-02-29 is past the programme's end (2028-01-10)
    ['2028-02-01', null], // after the programme
  ])('after a visit on %s the next is due %s', (visit, expected) => {
    expect(due(programme, visit)).toBe(expected);
  });

  it('counts the first check from the start of the programme', () => {
    expect(due(programme, null)).toBe('2025-02-09');
  });
});

describe('community correction, by grade', () => {
  const grade = (day: string, supervisionGrade: string): StateChange => ({ day, riskLevel: null, supervisionGrade });
  const normal = entry({ category: 'community_correction', supervisionGrade: 'normal' });

  it('asks every 15 days of 普管, and brings it forward on a change to 严管', () => {
    expect(due(normal, '2026-05-01', [grade('2026-01-01', 'normal')])).toBe('2026-05-16');
    expect(due(normal, '2026-05-01', [grade('2026-01-01', 'normal'), grade('2026-05-05', 'strict')])).toBe('2026-05-12');
  });
});

describe('rental houses and closed entries', () => {
  it('asks a rental house quarterly', () => {
    expect(due(entry({ category: 'rental_house' }), null)).toBe('2026-04-01');
  });

  it('asks nothing of an inactive entry', () => {
    expect(due(entry({ category: 'rental_house', active: false }), null)).toBeNull();
  });
});

describe('shanghaiDay', () => {
  it('is the calendar day at UTC+8', () => {
    expect(shanghaiDay(new Date('2026-03-01T15:59:59Z'))).toBe('2026-03-01');
    expect(shanghaiDay(new Date('2026-03-01T16:00:00Z'))).toBe('2026-03-02');
  });
});
