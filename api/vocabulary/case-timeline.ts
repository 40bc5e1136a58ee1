import * as z from 'zod/mini';
import { CASE_ACTIONS, TIMELINE_STEPS } from './case-states.ts';
import { OutsideCaseSchema, OutsideCountSchema, outsideCase, outsideCount, type ReaderScope, seesArea } from './reader-scope.ts';

/**
 * Every kind of step a case timeline holds: the steps commands other than the workflow write (the
 * report itself, the control zone, the alert, the two sides of a merge) and the workflow's actions.
 */
export const STEP_KINDS = [...TIMELINE_STEPS, ...CASE_ACTIONS] as const;
export type StepKind = (typeof STEP_KINDS)[number];

function isStepKind(value: string): value is StepKind {
  return (STEP_KINDS as readonly string[]).includes(value);
}

/** Step details as stored (`case_steps.details`): each kind's own shape, read as a plain object. */
type Details = Record<string, unknown>;

/** One person alerted; a worker alerted because they were on patrol nearby carries the metres from the case. */
const AlertedSchema = z.object({
  personId: z.string(),
  role: z.string(),
  areaCode: z.string(),
  distanceM: z.optional(z.number()),
});

/**
 * An alert step as the reader gets it: the people alerted inside the reader's scope, and how many
 * outside it ("35 人，分属 2 个其他乡镇"), never who or where.
 */
export const AlertStepDetailsSchema = z.object({
  /** Absent for the control zone's alert; `nearby` when workers on patrol near the case were told. */
  reason: z.optional(z.enum(['zone', 'nearby'])),
  alerted: z.array(AlertedSchema),
  alertedOutside: z.optional(z.nullable(OutsideCountSchema)),
});
type AlertStepDetails = z.infer<typeof AlertStepDetailsSchema>;

/** The merged case's step: the case it went into, or only that it lies outside the reader's scope. */
export const MergeStepDetailsSchema = z.union([
  z.object({ intoId: z.string(), intoCaseNumber: z.string(), intoCellCode: z.optional(z.nullable(z.string())) }),
  z.object({ intoOutside: OutsideCaseSchema }),
]);
type MergeStepDetails = z.infer<typeof MergeStepDetailsSchema>;

/** The surviving case's step: the case merged into it, or only that it lies outside the reader's scope. */
export const MergedInStepDetailsSchema = z.union([
  z.object({ fromId: z.string(), fromCaseNumber: z.string(), fromCellCode: z.optional(z.nullable(z.string())) }),
  z.object({ fromOutside: OutsideCaseSchema }),
]);
type MergedInStepDetails = z.infer<typeof MergedInStepDetailsSchema>;

/**
 * Whether the step's reader may read the other case of a merge, as the timeline's read asked it
 * through the reader's handle (api/cases/steps-repository.ts): a department cadre may lie in the
 * case's area and still not read it. Anything but an explicit true reads as no.
 */
const readable = (details: Details, key: 'intoReadable' | 'fromReadable') => details[key] === true;

/** How a step kind's details are cut for a reader; null drops them. */
type StepCut = (details: Details, reader: ReaderScope) => Details | null;

/**
 * Details that name nothing outside the case's own area: deadlines, limits, levels, scores,
 * photo ids of the case, the lead and co-handling departments (county-wide, not areas), the
 * township the case lies in (dispatch may name no other), and requests by the case's handlers.
 */
const ownAreaOnly: StepCut = (details) => details;

/**
 * One cut per step kind: a record over StepKind, so a kind added to STEP_KINDS without saying how
 * its details are cut is a type error. Every step that leaves the server passes through
 * cutStepDetails (api/cases/service.ts stepView; the live events that carry a step).
 */
const STEP_CUTS: Record<StepKind, StepCut> = {
  report: ownAreaOnly,
  file: ownAreaOnly,
  reject: ownAreaOnly,
  dispatch: ownAreaOnly,
  acknowledge: ownAreaOnly,
  handle: ownAreaOnly,
  feedback: ownAreaOnly,
  check: ownAreaOnly,
  evaluate: ownAreaOnly,
  on_spot: ownAreaOnly,
  supervise: ownAreaOnly,
  escalate: ownAreaOnly,
  request_extension: ownAreaOnly,
  request_send_back: ownAreaOnly,
  request_park: ownAreaOnly,
  request_cancel: ownAreaOnly,
  approve: ownAreaOnly,
  deny: ownAreaOnly,
  resume: ownAreaOnly,
  control_zone: ownAreaOnly,
  // The three-party evaluation's other two steps name the department only: the score is in
  // case_evaluations, whose policy shows a department's cadres only their own department's rows.
  department_view: (details) => (typeof details.departmentCode === 'string' ? { departmentCode: details.departmentCode } : null),
  rate_department: (details) => (typeof details.departmentCode === 'string' ? { departmentCode: details.departmentCode } : null),
  alert: (details, reader) => {
    const parsed = AlertStepDetailsSchema.safeParse(details);
    if (!parsed.success) return null;
    const { alerted, reason } = parsed.data;
    const cut: AlertStepDetails = {
      ...(reason ? { reason } : {}),
      alerted: alerted.filter((person) => seesArea(reader, person.areaCode)),
      alertedOutside: outsideCount(
        reader,
        alerted.map((person) => person.areaCode),
      ),
    };
    return cut;
  },
  merge: (details, reader) => {
    const parsed = MergeStepDetailsSchema.safeParse(details);
    if (!parsed.success) return null;
    const into = parsed.data;
    if ('intoOutside' in into) return into;
    if (into.intoCellCode && seesArea(reader, into.intoCellCode) && readable(details, 'intoReadable')) return into;
    const cut: MergeStepDetails = { intoOutside: outsideCase(reader, into.intoCellCode ?? '') };
    return cut;
  },
  merged_in: (details, reader) => {
    const parsed = MergedInStepDetailsSchema.safeParse(details);
    if (!parsed.success) return null;
    const from = parsed.data;
    if ('fromOutside' in from) return from;
    if (from.fromCellCode && seesArea(reader, from.fromCellCode) && readable(details, 'fromReadable')) return from;
    const cut: MergedInStepDetails = { fromOutside: outsideCase(reader, from.fromCellCode ?? '') };
    return cut;
  },
};

/**
 * A step's details as `reader` may see them. A kind this server does not know keeps nothing: its
 * details were never checked for what they name.
 */
function cutStepDetails(kind: string, details: Details | null, reader: ReaderScope): Details | null {
  if (details === null || !isStepKind(kind)) return null;
  return STEP_CUTS[kind](details, reader);
}

/** One timeline step as it leaves the server (GET /api/cases/{id}, action results, live events). */
export const CaseStepSchema = z.object({
  id: z.number(),
  at: z.string(),
  actorName: z.string(),
  actorRole: z.string(),
  action: z.string(),
  fromState: z.nullable(z.string()),
  toState: z.string(),
  note: z.string(),
  details: z.nullable(z.record(z.string(), z.unknown())),
  photoIds: z.array(z.string()),
});
export type CaseStep = z.infer<typeof CaseStepSchema>;

/** The step with its details cut for `reader`. */
export function cutStep(step: CaseStep, reader: ReaderScope): CaseStep {
  return { ...step, details: cutStepDetails(step.action, step.details, reader) };
}
