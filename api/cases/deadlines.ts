import type { Queryable } from '../db/client.ts';
import { type ClockStage, DEFAULT_TIME_LIMITS, defaultTimeLimit, urgencyKeyFor } from './default-time-limits.ts';
import { timeLimitsRepository } from './time-limits-repository.ts';
import { addLimit, isClockKind, isLimitUnit, type Limit } from './working-time.ts';

/** When a stage is due, and the limit it was counted from (stored on the case beside `dueAt`). */
export interface StageDeadline extends Limit {
  dueAt: Date;
}

/**
 * When the given stage of a case is due if its clock starts at `start`: the limit from
 * `time_limits` (the row for the case's type, else the `*` row; for the check stage the
 * `urban`/`rural` row), or the code default (default-time-limits.ts) when the table has none,
 * counted on the limit's clock: elapsed time when natural, office time when working
 * (working-time.ts).
 */
export async function stageDueAt(
  q: Queryable,
  c: { type: string; urgency: string; stage: ClockStage; urban: boolean },
  start: Date,
): Promise<StageDeadline> {
  const key = urgencyKeyFor(c.stage, c.urgency, c.urban);
  const stored = await timeLimitsRepository(q).lookup(c.type, key, c.stage);
  const limit: Limit =
    stored && isLimitUnit(stored.unit) && isClockKind(stored.clock)
      ? { amount: stored.amount, unit: stored.unit, clock: stored.clock }
      : defaultTimeLimit(c.type, key, c.stage);
  return { dueAt: addLimit(start, limit), ...limit };
}

/**
 * Writes the limits of DESIGN.md that `time_limits` lacks, so admins find every row to edit:
 * all of them into an empty table, and into an older one the rows added to the defaults since
 * (the geohazard rows on natural time). Called at start (createApp); a row already there,
 * edited or not, is left alone.
 */
export async function ensureDefaultTimeLimits(db: Queryable): Promise<void> {
  await timeLimitsRepository(db).insertMissing(DEFAULT_TIME_LIMITS);
}
