import { sql } from 'drizzle-orm';
import type { Database, Queryable } from '../db/client.ts';
import { patrolCellsRepository } from './cells-repository.ts';

/** Patrols whose cells one settling derives at most: a backlog goes in steps that each hold the database briefly. */
const SETTLE_PATROLS = 200;

/** The advisory lock held while cells walked are derived after batches ('gcpc'): two settlers at once could leave one's stale rows. */
const SETTLE_LOCK = 0x67637063;

/** How often the server derives the cells walked of the patrols batches marked since. */
const SETTLE_EVERY_MS = 1_000;

/** A patrol whose cells walked are to be derived again from `changedAt` on; `stamp` counts the batches that marked it. */
export interface MarkedPatrol {
  id: string;
  changedAt: Date;
  stamp: number;
}

/** The marks batches leave on patrols (migrations/0015) and the lock of the one settler at work. Runs as the owner. */
export function patrolMarksRepository(db: Queryable) {
  return {
    /**
     * Takes the lock that lets one settler at a time (across processes) derive cells walked, until
     * the transaction ends: false when another holds it, or with `wait`, once it has let go.
     */
    async takeSettleLock(wait: boolean): Promise<boolean> {
      if (wait) {
        await db.rows(sql`SELECT pg_advisory_xact_lock(${SETTLE_LOCK}::bigint)`);
        return true;
      }
      const [lock] = await db.rows<{ held: boolean }>(sql`SELECT pg_try_advisory_xact_lock(${SETTLE_LOCK}::bigint) AS held`);
      return lock?.held === true;
    },

    /**
     * Patrols whose cells walked are to be derived again, earliest mark first, as `{ id, changedAt,
     * stamp }`: the stamp lets `cellsSettled` tell whether a batch marked the patrol again since.
     */
    async pendingCells(limit: number): Promise<{ id: string; changedAt: Date; stamp: number }[]> {
      const rows = await db.rows<{ id: string; changedAt: Date | string; stamp: number }>(sql`
        SELECT id, cells_from AS "changedAt", cells_stamp AS stamp FROM patrols
        WHERE cells_from IS NOT NULL ORDER BY cells_from LIMIT ${limit}`);
      return rows.map((row) => ({ ...row, changedAt: new Date(row.changedAt) }));
    },

    /**
     * Clears the marks of `settled`, each unless a batch marked its patrol again (its stamp moved
     * on) or a batch holds its patrol now: that batch marks it again as it commits, or leaves the
     * mark as it was if it rolls back, and the next settling derives it once more either way.
     * Waiting for it instead queued every later batch of the settled patrols behind the settling
     * (561 workers sending a fix a second spent most of their time in that queue).
     */
    async cellsSettled(settled: readonly { id: string; stamp: number }[]): Promise<void> {
      if (settled.length === 0) return;
      await db.rows(sql`
        UPDATE patrols SET cells_from = NULL
        FROM (
          SELECT p.id FROM patrols p
          JOIN unnest(${sql.param(settled.map((patrol) => patrol.id))}::text[],
            ${sql.param(settled.map((patrol) => patrol.stamp))}::int[]) AS s(id, stamp)
            ON p.id = s.id AND p.cells_stamp = s.stamp
          FOR UPDATE OF p SKIP LOCKED) free
        WHERE patrols.id = free.id`);
    },
  };
}

/**
 * Derives patrols' cells walked after the batches that brought their fixes: a batch only marks its
 * patrol (patrolGroupRepository.settleTotals), and a settling derives every marked patrol together,
 * in one transaction after those batches' commits. That keeps a batch short; a batch's answer
 * counts the cells as last settled. `until` is past the latest fix time a patrol may hold.
 */
export function cellsSettler(owner: Database, options: { coverageDistanceM: number; until: () => Date }) {
  /**
   * Derives the cells walked of `marked` again from their marks, and clears each mark unless a
   * batch marked the patrol again meanwhile: that batch's fixes may be after what the derivation
   * read, so the next settling derives them.
   */
  async function settle(tx: Queryable, marked: readonly MarkedPatrol[]): Promise<void> {
    if (marked.length === 0) return;
    await patrolCellsRepository(tx).deriveAgain(marked, options.until(), options.coverageDistanceM);
    await patrolMarksRepository(tx).cellsSettled(marked);
  }

  return {
    settle,

    /**
     * Waits until no settling runs and keeps others out until `tx` ends: what a command that
     * settles a patrol itself takes first, before the patrol's row, as a settling does.
     */
    async waitForTurn(tx: Queryable): Promise<void> {
      await patrolMarksRepository(tx).takeSettleLock(true);
    },

    /**
     * Settles the patrols marked since (up to SETTLE_PATROLS of them, earliest mark first).
     * Returns how many; 0 also when another settler (another process) holds the work, unless
     * `wait` says to wait for it.
     */
    async settleCells(options: { wait?: boolean } = {}): Promise<number> {
      return owner.transaction(async (tx) => {
        const marks = patrolMarksRepository(tx);
        if (!(await marks.takeSettleLock(options.wait ?? false))) return 0;
        const marked = await marks.pendingCells(SETTLE_PATROLS);
        await settle(tx, marked);
        return marked.length;
      });
    },
  };
}

/**
 * Settles patrols' cells walked every SETTLE_EVERY_MS, at once again while a backlog lasts, for as
 * long as the server runs. Returns a stop that waits for a settling under way.
 */
export function startCellsSettler(settler: { settleCells(): Promise<number> }): () => Promise<void> {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const next = (delay: number) => {
    if (!stopped) timer = setTimeout(tick, delay).unref();
  };
  const tick = () => {
    running = settler.settleCells().then(
      (settled) => next(settled >= SETTLE_PATROLS ? 0 : SETTLE_EVERY_MS),
      (error: unknown) => {
        console.error('settling patrols’ cells walked failed:', error);
        next(SETTLE_EVERY_MS);
      },
    );
  };
  next(SETTLE_EVERY_MS);
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
  };
}
