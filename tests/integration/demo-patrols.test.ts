import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../api/db/client.ts';
import { writeDemoPatrols } from '../../api/demo/demo-patrols.ts';
import { planPatrolHistory } from '../../api/demo/patrol-history.ts';
import { PATROL_HISTORY_DAYS } from '../../api/demo/patrol-history-service.ts';
import { walkersRepository } from '../../api/demo/walkers-repository.ts';
import { planGeohazardWatch } from '../../api/geohazards/demo.ts';
import { countyDay, patrolCellsRepository } from '../../api/patrols/cells-repository.ts';
import { seedIfEmpty } from '../../api/seed/service.ts';
import { freshDatabase } from './support/test-database.ts';

/**
 * The embedded demo's past patrols as a first start writes them, on a database of their own (the
 * shared one holds other tests' patrols, and the demo writes only where there are none).
 */
const SEED = 7;
const COVERAGE_M = 50;

let db: Database;

beforeAll(async () => {
  db = await freshDatabase();
  await seedIfEmpty(db, { seed: SEED, preset: 'small' });
}, 300_000);

afterAll(async () => {
  await db?.close();
});

/** The database, but aborting `stop` once the `count`-th transaction begins: a process stopped half way through. */
function stoppingAt(count: number, stop: AbortController): Database {
  let begun = 0;
  return {
    ...db,
    transaction: (work) => {
      begun += 1;
      if (begun >= count) stop.abort();
      return db.transaction(work);
    },
  };
}

/** The bulk-written patrols stored, by kind, with their fixes and cell-days. */
async function stored() {
  const [row] = await db.rows<{ history: string[] | null; rounds: string[] | null; fixes: number; cellDays: number }>(sql`
    SELECT
      (SELECT array_agg(id ORDER BY id) FROM patrols WHERE client_id = id AND worker_role = 'grid_worker') AS history,
      (SELECT array_agg(id ORDER BY id) FROM patrols WHERE client_id = id AND worker_role = 'cell_informant') AS rounds,
      (SELECT count(*)::int FROM patrol_positions) AS fixes,
      (SELECT count(*)::int FROM patrol_cells) AS "cellDays"`);
  return { history: row!.history ?? [], rounds: row!.rounds ?? [], fixes: row!.fixes, cellDays: row!.cellDays };
}

describe('the demo’s past patrols', () => {
  it('are finished, not doubled, by the start after one that stopped half way; and written once', async () => {
    const stop = new AbortController();
    expect(
      await writeDemoPatrols(stoppingAt(6, stop), { seed: SEED, coverageDistanceM: COVERAGE_M, signal: stop.signal }),
    ).toBeNull();
    const half = await stored();
    expect(half.history.length).toBeGreaterThan(0);

    const line = await writeDemoPatrols(db, { seed: SEED, coverageDistanceM: COVERAGE_M });
    expect(line).toContain('finished');
    const whole = await stored();

    // Exactly the patrols and rounds planned at the first start's instant, each once.
    const [meta] = await db.rows<{ value: string }>(sql`SELECT value FROM dataset_meta WHERE key = 'demo_patrols'`);
    const { plannedAt, writtenAt } = JSON.parse(meta!.value) as { plannedAt: string; writtenAt?: string };
    expect(writtenAt).toBeDefined();
    const now = new Date(plannedAt);
    const grounds = await walkersRepository(db).grounds('');
    const history = [...planPatrolHistory(grounds, { seed: SEED, now, days: PATROL_HISTORY_DAYS }).days].flat();
    expect(whole.history).toEqual(history.map((patrol) => patrol.id).sort());
    expect(whole.history.length).toBeGreaterThan(half.history.length);
    const watch = await planGeohazardWatch(db, { seed: SEED, now });
    const rounds = [...watch!.rounds];
    expect(whole.rounds).toEqual(rounds.map((round) => round.id).sort());
    expect(whole.fixes).toBe(
      history.reduce((sum, patrol) => sum + patrol.fixes.length, 0) + rounds.reduce((sum, round) => sum + round.fixes.length, 0),
    );

    // Each patrol's cells walked are those a rebuild of the days from the stored fixes derives.
    const days = { from: countyDay(new Date(now.getTime() - (PATROL_HISTORY_DAYS + 1) * 86_400_000)), to: countyDay(now) };
    const cells = sql`SELECT patrol_id, cell_code, day, first_at FROM patrol_cells`;
    const difference = await db.transaction(async (tx) => {
      await tx.rows(sql`CREATE TEMP TABLE derived_by_patrol ON COMMIT DROP AS ${cells}`);
      await patrolCellsRepository(tx).rebuildDays(days.from, days.to, COVERAGE_M);
      const [row] = await tx.rows<{ byPatrol: number; missing: number; extra: number }>(sql`
        SELECT (SELECT count(*)::int FROM derived_by_patrol) AS "byPatrol",
          (SELECT count(*)::int FROM (${cells} EXCEPT SELECT * FROM derived_by_patrol) m) AS missing,
          (SELECT count(*)::int FROM (SELECT * FROM derived_by_patrol EXCEPT ${cells}) e) AS extra`);
      return row!;
    });
    expect(difference).toEqual({ byPatrol: whole.cellDays, missing: 0, extra: 0 });
    expect(whole.cellDays).toBeGreaterThan(0);

    // Once written, a start writes nothing more.
    expect(await writeDemoPatrols(db, { seed: SEED, coverageDistanceM: COVERAGE_M })).toBeNull();
    expect(await stored()).toEqual(whole);
  }, 600_000);
});
