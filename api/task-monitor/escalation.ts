import type { Database } from '../db/client.ts';
import { taskCommandsRepository } from './commands-repository.ts';

/** How often the server looks for silent targets and tasks past their deadline. */
const SWEEP_INTERVAL_MS = 60_000;

export interface TaskSweep {
  /** Tasks closed because their deadline passed. */
  closed: number;
  /** Cells escalated to their grid worker. */
  toWorker: number;
  /** Cells and grids escalated to their grid chief. */
  toChief: number;
}

/**
 * One sweep of the tasks (小事不出格，大事不出村, as the cases' escalation): open tasks past their
 * deadline close first (no one is chased on a closed task); then a cell target silent (neither
 * acknowledged nor done) for its task's limit since dispatch goes to its grid worker, and one
 * silent for twice the limit, or a grid target silent for the limit, to its grid chief. One
 * transaction, a few statements whatever the number of targets; each target moves to a level once.
 */
export function sweepTasks(db: Database, now: Date = new Date()): Promise<TaskSweep> {
  return db.transaction(async (tx) => {
    const commands = taskCommandsRepository(tx);
    const closed = await commands.closePastDeadline(now);
    const toWorker = await commands.escalate(1, now);
    const toChief = await commands.escalate(2, now);
    return { closed: closed.length, toWorker, toChief };
  });
}

/**
 * Runs `sweepTasks` every minute until the returned function is called. A failed run is logged
 * and the next one tries again; runs never overlap.
 */
export function startTaskSweepTimer(db: Database, intervalMs = SWEEP_INTERVAL_MS): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sweepTasks(db)
      .then(({ closed, toWorker, toChief }) => {
        if (closed + toWorker + toChief > 0)
          console.log(`tasks: closed ${closed}, escalated ${toWorker} to grid workers and ${toChief} to grid chiefs`);
      })
      .catch((error: unknown) => console.error('task sweep failed:', error))
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
