import { describe, expect, it } from 'vitest';
import { REPORT_TYPE_CODES } from '../vocabulary/report-types.ts';
import { CLOCK_STAGES, DEFAULT_TIME_LIMITS, defaultClockOf, defaultTimeLimit, urgencyKeysOf } from './default-time-limits.ts';

describe('the default clock of a time limit', () => {
  it.each([
    ['landslide', 'normal', 'natural', 'a geohazard, even when not urgent'],
    ['rockfall', 'rural', 'natural', 'a geohazard’s on-site check'],
    ['flood', 'normal', 'natural', 'floods are geohazards in api/vocabulary/report-types.ts'],
    ['road_damage', 'urgent', 'natural', 'any urgent report'],
    ['*', 'urgent', 'natural', 'the urgent row of every type'],
    ['road_damage', 'normal', 'working', 'a routine report'],
    ['fire', 'normal', 'working', 'a fire is not a geohazard: urgent ones are natural by urgency'],
    ['*', 'normal', 'working', 'the routine row of every type'],
    ['*', 'urban', 'working', 'the check rows of every type'],
  ])('%s / %s runs on %s time (%s)', (type, urgency, clock) => {
    expect(defaultClockOf(type, urgency)).toBe(clock);
  });
});

describe('the default time limits', () => {
  it.each([
    ['landslide', 'urgent', 'file', { amount: 10, unit: 'minutes', clock: 'natural' }],
    ['landslide', 'normal', 'file', { amount: 30, unit: 'minutes', clock: 'natural' }],
    ['road_damage', 'normal', 'file', { amount: 30, unit: 'minutes', clock: 'working' }],
    ['landslide', 'urgent', 'acknowledge', { amount: 1, unit: 'hours', clock: 'natural' }],
    ['landslide', 'normal', 'acknowledge', { amount: 1, unit: 'hours', clock: 'natural' }],
    ['dispute', 'normal', 'acknowledge', { amount: 1, unit: 'hours', clock: 'working' }],
    ['landslide', 'urgent', 'handle', { amount: 4, unit: 'hours', clock: 'natural' }],
    ['landslide', 'normal', 'handle', { amount: 2, unit: 'days', clock: 'natural' }],
    ['fire', 'normal', 'handle', { amount: 2, unit: 'days', clock: 'working' }],
    ['road_damage', 'urgent', 'handle', { amount: 1, unit: 'days', clock: 'natural' }],
    ['road_damage', 'normal', 'handle', { amount: 3, unit: 'days', clock: 'working' }],
    ['dispute', 'normal', 'handle', { amount: 5, unit: 'days', clock: 'working' }],
    ['ground_crack', 'rural', 'check', { amount: 2, unit: 'hours', clock: 'natural' }],
    ['epidemic', 'urban', 'check', { amount: 1, unit: 'hours', clock: 'working' }],
    ['meteor', 'urgent', 'handle', { amount: 1, unit: 'days', clock: 'natural' }],
  ] as const)('%s / %s / %s: %o', (type, urgency, stage, limit) => {
    expect(defaultTimeLimit(type, urgency, stage)).toEqual(limit);
  });

  it('has one row per key, and a row for every type, urgency and stage to fall back on', () => {
    const keys = DEFAULT_TIME_LIMITS.map((row) => `${row.type}|${row.urgency}|${row.stage}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const stage of CLOCK_STAGES) {
      for (const urgency of urgencyKeysOf(stage)) {
        for (const type of REPORT_TYPE_CODES) {
          expect(
            DEFAULT_TIME_LIMITS.some((row) => row.stage === stage && row.urgency === urgency && [type, '*'].includes(row.type)),
          ).toBe(true);
        }
      }
    }
  });

  it('gives every row the clock of the default rule', () => {
    for (const row of DEFAULT_TIME_LIMITS) expect(row.clock).toBe(defaultClockOf(row.type, row.urgency));
  });
});
