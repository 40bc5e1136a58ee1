import { type CaseStep, cutStep } from '../vocabulary/case-timeline.ts';
import type { LiveCase } from '../vocabulary/live-events.ts';
import type { ReaderScope } from '../vocabulary/reader-scope.ts';
import type { CaseRow } from './repository.ts';
import type { StepRow } from './steps-repository.ts';

/** The photos a step's details name (handle, feedback, on the spot). */
export function photoIdsIn(details: Record<string, unknown> | null): string[] {
  const ids = details?.photoIds;
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
}

/**
 * A step as it is stored, with its photos: what a live event carries, to be cut per reader by the
 * hub. Whatever answers a request passes it through readerStepView instead.
 */
export function stepView(step: StepRow, attached: readonly { id: string; stepId: number | null }[] = []): CaseStep {
  const own = attached.filter((photo) => photo.stepId === step.id).map((photo) => photo.id);
  return {
    id: step.id,
    at: step.at,
    actorName: step.actorName,
    actorRole: step.actorRole,
    action: step.action,
    fromState: step.fromState,
    toState: step.toState,
    note: step.note,
    details: step.details,
    photoIds: [...new Set([...own, ...photoIdsIn(step.details)])],
  };
}

/** A step as `reader` may see it: its details cut by the step kind's cut (api/vocabulary/case-timeline.ts). */
export function readerStepView(
  reader: ReaderScope,
  step: StepRow,
  attached: readonly { id: string; stepId: number | null }[] = [],
): CaseStep {
  return cutStep(stepView(step, attached), reader);
}

/** The shape every live consumer gets in `payload.case` (api/vocabulary/live-events.ts). */
export function liveCaseOf(row: CaseRow): LiveCase {
  return {
    id: row.id,
    caseNumber: row.caseNumber,
    type: row.type,
    urgency: row.urgency === 'urgent' ? 'urgent' : 'normal',
    state: row.state,
    position: [Number(row.lng), Number(row.lat)],
    cellCode: row.cellCode,
    townshipCode: row.townshipCode,
    reportedAt: row.reportedAt,
    dueAt: row.dueAt,
    takenAt: row.takenAt,
    source: row.source,
    description: row.description,
  };
}
