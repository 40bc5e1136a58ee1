import type { RandomStream } from '../../geo/seeded-random.ts';
import { type CaseState, FINISHED_STATES } from '../vocabulary/case-states.ts';
import type { DemoCase, DemoStep } from './history.ts';

/** The share of cases that are a second report of a case just reported nearby (重复上报), merged into it. */
const DUPLICATE_SHARE = 0.03;
/** How recent (ms) the first report must be for the second to be a duplicate of it (the road still broken, reported again). */
const WITHIN_MS = 7 * 86_400_000;
const MINUTE = 60_000;

/** The state `demoCase` was in at `at`: the last step's by then. */
function stateAt(demoCase: DemoCase, at: number): CaseState | null {
  let state: CaseState | null = null;
  for (const step of demoCase.steps) if (step.at.getTime() <= at) state = step.toState;
  return state;
}

/**
 * Turns about 3% of the planned cases (sorted by report time) into duplicates of a case reported in
 * the week before and still open: the same type and place, reported again, and merged into
 * the first by the duty officer within the hour ('merge' on the duplicate, 'merged_in' on the first,
 * as api/cases/duplicates writes them). The count of cases stays what was asked.
 */
export function mergeDuplicates(cases: DemoCase[], random: RandomStream, now: Date): DemoCase[] {
  for (let index = 1; index < cases.length; index++) {
    if (random.next() >= DUPLICATE_SHARE) continue;
    const second = cases[index]!;
    const reportedAt = second.reportedAt.getTime();
    const mergedAt = reportedAt + (10 + random.next() * 40) * MINUTE;
    if (mergedAt > now.getTime()) continue;
    const first = cases
      .slice(Math.max(0, index - 200), index)
      .reverse()
      .find((candidate) => {
        const state = stateAt(candidate, mergedAt);
        return (
          candidate.reportedAt.getTime() > reportedAt - WITHIN_MS &&
          candidate.state !== 'merged' &&
          state !== null &&
          !FINISHED_STATES.includes(state)
        );
      });
    if (!first) continue;
    const firstState = stateAt(first, mergedAt)!;
    const report: DemoStep = { ...second.steps[0]!, fromState: null, toState: 'reported', note: '', details: null };
    const merge: DemoStep = {
      at: new Date(mergedAt),
      actorName: '县值班室',
      actorRole: 'duty_officer',
      action: 'merge',
      fromState: 'reported',
      toState: 'merged',
      note: '重复上报，并入已有案件',
      details: { intoId: first.id, intoCaseNumber: first.caseNumber, intoCellCode: first.place.cellCode },
    };
    const mergedIn: DemoStep = {
      ...merge,
      action: 'merged_in',
      fromState: firstState,
      toState: firstState,
      note: '',
      details: { fromId: second.id, fromCaseNumber: second.caseNumber, fromCellCode: first.place.cellCode },
    };
    first.steps = [...first.steps, mergedIn].sort((a, b) => a.at.getTime() - b.at.getTime());
    cases[index] = {
      ...second,
      type: first.type,
      urgency: first.urgency,
      description: first.description,
      place: first.place,
      controlZone: first.controlZone,
      state: 'merged',
      assignedTownshipCode: null,
      assignedDepartmentCode: null,
      coDepartmentCodes: [],
      clock: null,
      takenAt: merge.at,
      takenBy: merge.actorName,
      satisfaction: null,
      filedAt: null,
      dispatchedAt: null,
      closedAt: null,
      closedOnTime: null,
      mergedInto: first.id,
      steps: [report, merge],
    };
  }
  return cases;
}
