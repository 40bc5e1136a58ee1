import { describe, expect, it } from 'vitest';
import { CASE_STATE_LABELS, CASE_STATES, FINISHED_STATES, isFinishedState, OPEN_STATES } from './case-states.ts';

describe('case states', () => {
  it('are each either open or finished, never both', () => {
    expect([...OPEN_STATES, ...FINISHED_STATES].sort()).toEqual([...CASE_STATES].sort());
    expect(OPEN_STATES.filter((state) => FINISHED_STATES.includes(state))).toEqual([]);
  });

  it('list the open states in the workflow order, as the "open" filter sends them', () => {
    expect(OPEN_STATES).toEqual(CASE_STATES.filter((state) => OPEN_STATES.includes(state)));
  });

  it('have one label per state and no label without a state', () => {
    expect(Object.keys(CASE_STATE_LABELS).sort()).toEqual([...CASE_STATES].sort());
  });

  it.each([
    ['closed', true],
    ['merged', true],
    ['parked', false],
    ['reported', false],
    ['no_such_state', false],
  ])('%s is finished: %s', (state, finished) => {
    expect(isFinishedState(state)).toBe(finished);
  });
});
