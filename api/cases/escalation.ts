import type { Database } from '../db/client.ts';
import { appendLiveEvent } from '../live/events.ts';
import { AREA_LEVEL_LABELS } from '../vocabulary/area-levels.ts';
import { stageDueAt } from './deadlines.ts';
import { isClockStage } from './default-time-limits.ts';
import { casesRepository } from './repository.ts';
import { liveCaseOf, stepView } from './step-view.ts';
import { caseStepsRepository } from './steps-repository.ts';
import { levelAbove } from './workflow.ts';

/** How often the server looks for overdue cases. */
const ESCALATION_INTERVAL_MS = 60_000;

export interface Escalation {
  id: string;
  caseNumber: string;
  fromLevel: string;
  toLevel: string;
  dueAt: string;
}

/**
 * Moves every overdue case one level up (小事不出格，大事不出村: cell → grid → village →
 * township → county) and restarts the clock of the stage it is in, so the level above gets the
 * same limit again, on the clock (natural or working) the stage's time limit names; writes an
 * `escalate` step by the system and a `case.escalated` live event.
 *
 * Once per deadline: the update only applies to the case version read, and the new deadline
 * lies after `now`, so a second run (here or in another API process) finds nothing to do.
 * Parked cases (clock paused) and finished ones are left alone; a case already at the county
 * stays there, red, with no further step.
 */
export async function escalateOverdue(db: Database, now: Date = new Date()): Promise<Escalation[]> {
  const overdue = await casesRepository(db).overdue(now);
  const done: Escalation[] = [];
  for (const row of overdue) {
    const toLevel = levelAbove(row.responsibleLevel);
    if (!toLevel || !row.clockStage || !isClockStage(row.clockStage)) continue;
    const stage = row.clockStage;
    const deadline = await stageDueAt(db, { type: row.type, urgency: row.urgency, stage, urban: row.urban }, now);
    const escalated = await db.transaction(async (tx) => {
      const repository = casesRepository(tx);
      const applied = await repository.update(
        row.id,
        Number(row.version),
        {
          responsibleLevel: toLevel,
          escalationCount: Number(row.escalationCount) + 1,
          clockStartedAt: now,
          dueAt: deadline.dueAt,
          limitAmount: deadline.amount,
          limitUnit: deadline.unit,
          limitClock: deadline.clock,
        },
        now,
      );
      if (!applied) return false;
      const step = await caseStepsRepository(tx).insertStep({
        reportId: row.id,
        at: now,
        actorId: null,
        actorName: '系统',
        actorRole: 'system',
        action: 'escalate',
        fromState: row.state,
        toState: row.state,
        note: `超时未办结，升级至${AREA_LEVEL_LABELS[toLevel].zh}`,
        details: {
          stage,
          fromLevel: row.responsibleLevel,
          toLevel,
          previousDueAt: row.dueAt,
          dueAt: deadline.dueAt.toISOString(),
          limit: { amount: deadline.amount, unit: deadline.unit, clock: deadline.clock },
          escalationCount: Number(row.escalationCount) + 1,
        },
        clientId: null,
        cellCode: row.cellCode,
      });
      const updated = await repository.find(row.id);
      await appendLiveEvent(tx, {
        type: 'case.escalated',
        scopeCode: row.cellCode,
        payload: { case: liveCaseOf(updated ?? row), step: stepView(step), fromLevel: row.responsibleLevel, toLevel },
      });
      return true;
    });
    if (escalated) {
      done.push({
        id: row.id,
        caseNumber: row.caseNumber,
        fromLevel: row.responsibleLevel,
        toLevel,
        dueAt: deadline.dueAt.toISOString(),
      });
    }
  }
  return done;
}

/**
 * Runs `escalateOverdue` every minute until the returned function is called. A failed run is
 * logged and the next one tries again; runs never overlap.
 */
export function startEscalationTimer(db: Database, intervalMs = ESCALATION_INTERVAL_MS): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    escalateOverdue(db)
      .then((escalations) => {
        if (escalations.length > 0) console.log(`escalated ${escalations.length} overdue case(s)`);
      })
      .catch((error: unknown) => console.error('escalation run failed:', error))
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
