import type { Queryable } from '../db/client.ts';
import { type ClockStage, DEFAULT_TIME_LIMITS, defaultTimeLimit, urgencyKeyFor } from './default-time-limits.ts';
import { timeLimitsRepository } from './time-limits-repository.ts';
import { addLimit, isLimitUnit, type LimitUnit } from './working-time.ts';

export interface StageDeadline {
  dueAt: Date;
  amount: number;
  unit: LimitUnit;
}

/**
 * When the given stage of a case is due if its clock starts at `start`: the limit from
 * `time_limits` (the row for the case's type, else the `*` row; for the check stage the
 * `urban`/`rural` row), or the code default (default-time-limits.ts) when the table has none,
 * counted in wall-clock minutes or in working time (working-time.ts).
 */
export async function stageDueAt(
  q: Queryable,
  c: { type: string; urgency: string; stage: ClockStage; urban: boolean },
  start: Date,
): Promise<StageDeadline> {
  const key = urgencyKeyFor(c.stage, c.urgency, c.urban);
  const stored = await timeLimitsRepository(q).lookup(c.type, key, c.stage);
  const limit =
    stored && isLimitUnit(stored.unit) ? { amount: stored.amount, unit: stored.unit } : defaultTimeLimit(c.type, key, c.stage);
  return { dueAt: addLimit(start, limit.amount, limit.unit), amount: limit.amount, unit: limit.unit };
}

/**
 * Seeds DESIGN.md's limits into `time_limits` when the table is empty, so admins find every
 * row to edit. Called at start (createApp); an edited table is left alone.
 */
export async function ensureDefaultTimeLimits(db: Queryable): Promise<void> {
  const repository = timeLimitsRepository(db);
  if (!(await repository.isEmpty())) return;
  await repository.insertMissing(DEFAULT_TIME_LIMITS);
}
