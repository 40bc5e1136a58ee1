import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../api/db/client.ts';
import { DEFAULT_COVERAGE_DISTANCE_M, patrolCellsRepository } from '../../api/patrols/cells-repository.ts';
import { patrolMarksRepository } from '../../api/patrols/cells-settler.ts';
import {
  cellsOf,
  context,
  eastOf,
  fix,
  openCoverageContext,
  startPatrol,
  stretchAt,
  uploadOnly,
} from './patrol-coverage-context.ts';
import { settlePatrolCells } from './support/patrols.ts';
import type { TestBrowser } from './support/sessions.ts';

// The cells walked are derived after the batches that brought the fixes (api/patrols/cells-settler.ts).

let db: Database;
let worker: TestBrowser;
let cellCode: string;

beforeAll(async () => {
  await openCoverageContext();
  ({ db, worker, cellCode } = context);
});

describe('cells walked are derived after the batch', () => {
  it('a batch that comes in while a settling works is derived by the next one', async () => {
    const start = Date.now() - 4 * 3_600_000;
    const patrolId = await startPatrol(worker);
    await uploadOnly(worker, patrolId, [fix('race-a', start, eastOf(80))]);
    // A settler reads what is marked, and a batch walking the cell commits before it clears it.
    const marked = (await patrolMarksRepository(db).pendingCells(1000)).filter((patrol) => patrol.id === patrolId);
    expect(marked).toHaveLength(1);
    await patrolCellsRepository(db).deriveAgain(marked, new Date(), DEFAULT_COVERAGE_DISTANCE_M);
    await uploadOnly(worker, patrolId, [fix('race-b', start + 5 * 60_000, eastOf(20))]);
    await patrolMarksRepository(db).cellsSettled(marked);
    expect(await cellsOf(patrolId)).not.toContain(cellCode);
    // The batch's mark stands, so the next settling derives what it walked.
    await settlePatrolCells(db);
    expect(await cellsOf(patrolId)).toContain(cellCode);
  });

  it('ending a patrol counts its cells at once, in the answer the worker sees last', async () => {
    const patrolId = await startPatrol(worker);
    await uploadOnly(worker, patrolId, stretchAt(20, 'end-now', Date.now() - 120_000));
    const ended = await worker.request('POST', `/api/patrols/${patrolId}/end`, { endedAt: new Date().toISOString() });
    expect(ended.status).toBe(200);
    const { patrol } = (await ended.json()) as { patrol: { cellsWalked: number } };
    expect(patrol.cellsWalked).toBeGreaterThan(0);
    expect(patrol.cellsWalked).toBe((await cellsOf(patrolId)).size);
  });

  it.skipIf(!process.env.DATABASE_URL)('an end while a settling of the same patrol runs waits for it (PostgreSQL)', async () => {
    const patrolId = await startPatrol(worker);
    await uploadOnly(worker, patrolId, stretchAt(20, 'end-during', Date.now() - 180_000));
    const { ending } = await db.transaction(async (tx) => {
      // A settling under way: its turn taken, this patrol's cells derived, its mark not yet cleared.
      const marks = patrolMarksRepository(tx);
      await marks.takeSettleLock(true);
      const marked = (await marks.pendingCells(1000)).filter((patrol) => patrol.id === patrolId);
      await patrolCellsRepository(tx).deriveAgain(marked, new Date(Date.now() + 60_000), DEFAULT_COVERAGE_DISTANCE_M);
      const end = worker.request('POST', `/api/patrols/${patrolId}/end`, { endedAt: new Date().toISOString() });
      await new Promise((resolve) => setTimeout(resolve, 300));
      await marks.cellsSettled(marked);
      // Not awaited here: the end waits for this transaction to commit.
      return { ending: end };
    });
    const ended = await ending;
    expect(ended.status).toBe(200);
    expect(((await ended.json()) as { patrol: { cellsWalked: number } }).patrol.cellsWalked).toBe((await cellsOf(patrolId)).size);
  });

  it.skipIf(!process.env.DATABASE_URL)(
    'a settling does not wait for a batch that holds the patrol: its mark stays for the next (PostgreSQL)',
    async () => {
      const patrolId = await startPatrol(worker);
      await uploadOnly(worker, patrolId, stretchAt(6, 'held', Date.now() - 240_000));
      const marked = (await patrolMarksRepository(db).pendingCells(1000)).filter((patrol) => patrol.id === patrolId);
      expect(marked).toHaveLength(1);
      let release!: () => void;
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      // A batch of the patrol in its transaction, its row locked as a group locks it.
      const holding = db.transaction(async (tx) => {
        await tx.rows(sql`SELECT id FROM patrols WHERE id = ${patrolId} FOR UPDATE`);
        await released;
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      try {
        const cleared = await Promise.race([
          patrolMarksRepository(db)
            .cellsSettled(marked)
            .then(() => 'cleared'),
          new Promise((resolve) => setTimeout(() => resolve('waited'), 3_000)),
        ]);
        expect(cleared).toBe('cleared');
        expect((await patrolMarksRepository(db).pendingCells(1000)).map((patrol) => patrol.id)).toContain(patrolId);
      } finally {
        release();
        await holding;
      }
      await settlePatrolCells(db);
      expect((await cellsOf(patrolId)).size).toBeGreaterThan(0);
      expect((await patrolMarksRepository(db).pendingCells(1000)).map((patrol) => patrol.id)).not.toContain(patrolId);
    },
  );
});
