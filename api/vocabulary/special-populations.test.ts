import { describe, expect, it } from 'vitest';
import { dueStatusOf, parseFollowUpRule, riskColourOf } from './special-populations.ts';

describe('follow-up rule shapes', () => {
  it.each([
    [
      'severe_mental_illness',
      {
        byRisk: [
          { min: 3, max: 5, intervalDays: 7 },
          { min: 0, max: 2, intervalDays: 30 },
        ],
      },
    ],
    ['drug_rehabilitation', { byProgrammeYear: [1, 2, 3].map((year) => ({ year, intervalDays: 30 * year })), programmeYears: 3 }],
    ['released_prisoner', { firstWithinDays: 7, intervalDays: 90, assistanceYears: 5 }],
    ['community_correction', { byGrade: { strict: 7, normal: 15, lenient: 30 } }],
    ['rental_house', { intervalDays: 90 }],
  ] as const)('accepts the default of %s (migrations/0016)', (category, rule) => {
    expect(parseFollowUpRule(category, rule).success).toBe(true);
  });

  it('refuses risk ranges that leave a level out or count one twice, and a programme year without an interval', () => {
    expect(parseFollowUpRule('severe_mental_illness', { byRisk: [{ min: 3, max: 5, intervalDays: 7 }] }).success).toBe(false);
    expect(
      parseFollowUpRule('severe_mental_illness', {
        byRisk: [
          { min: 2, max: 5, intervalDays: 7 },
          { min: 0, max: 2, intervalDays: 30 },
        ],
      }).success,
    ).toBe(false);
    expect(
      parseFollowUpRule('drug_rehabilitation', { byProgrammeYear: [{ year: 1, intervalDays: 30 }], programmeYears: 2 }).success,
    ).toBe(false);
    expect(parseFollowUpRule('rental_house', { intervalDays: 0 }).success).toBe(false);
  });
});

describe('due status and risk colour', () => {
  it.each([
    [null, 'none'],
    ['2026-03-09', 'overdue'],
    ['2026-03-10', 'due_soon'],
    ['2026-03-17', 'due_soon'],
    ['2026-03-18', 'ok'],
  ] as const)('due %s on 2026-03-10 is %s', (due, status) => {
    expect(dueStatusOf(due, '2026-03-10')).toBe(status);
  });

  it.each([
    ['severe_mental_illness', 5, null, 'red'],
    ['severe_mental_illness', 3, null, 'red'],
    ['severe_mental_illness', 2, null, 'yellow'],
    ['severe_mental_illness', 0, null, 'blue'],
    ['severe_mental_illness', null, null, 'red'],
    ['community_correction', null, 'strict', 'red'],
    ['community_correction', null, 'normal', 'yellow'],
    ['community_correction', null, 'lenient', 'blue'],
    ['drug_rehabilitation', null, null, 'yellow'],
    ['released_prisoner', null, null, 'yellow'],
    ['rental_house', null, null, 'blue'],
  ] as const)('%s at risk %s, grade %s is %s', (category, riskLevel, supervisionGrade, colour) => {
    expect(riskColourOf({ category, riskLevel, supervisionGrade })).toBe(colour);
  });
});
