import * as z from 'zod/mini';

/**
 * The command side of tasks (issue 19): the stages a reach curve follows, furthest last, and the
 * payloads of the two live events the command side pushes. A target counts as having reached a
 * stage once it reached that stage or any further one (an acknowledgement from a phone that never
 * reported the read is read too), so the curves never cross: delivered ≥ read ≥ acknowledged ≥ done.
 */
export const REACH_STAGES = ['delivered', 'read', 'acknowledged', 'done'] as const;
export type ReachStage = (typeof REACH_STAGES)[number];

/** The study's bar (a notice reached every household of the county within 1 hour): drawn on the curves. */
export const REACH_MARK_MINUTES = 60;

/** `task.reminded`: a silent target reminded from the command center; scoped to its cell or grid, naming no person. */
export const TaskRemindedPayloadSchema = z.object({
  taskId: z.string(),
  targetId: z.number(),
  areaCode: z.string(),
  /** Reminders the target has had, this one included. */
  reminders: z.number(),
  /** ISO 8601. */
  at: z.string(),
});

/**
 * `task.escalated`: a target silent past its task's limit went up to its grid worker (level 1) or
 * its grid chief (level 2); scoped to the target's cell or grid, which both of them hear. Names no person.
 */
export const TaskEscalatedPayloadSchema = z.object({
  taskId: z.string(),
  targetId: z.number(),
  areaCode: z.string(),
  level: z.number(),
  /** ISO 8601. */
  at: z.string(),
});
