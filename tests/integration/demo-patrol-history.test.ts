import { booleanPointInPolygon } from '@turf/turf';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { isWorkdayDate, shanghaiDate } from '../../api/cases/working-time.ts';
import type { Database } from '../../api/db/client.ts';
import { HISTORY_FIX_INTERVAL_MS, planPatrolHistory } from '../../api/demo/patrol-history.ts';
import { type HistoryPatrol, type WalkerGround, walkersRepository } from '../../api/demo/walkers-repository.ts';
import { seededDatabase } from './support/test-database.ts';

/** 沙溪镇: a township of the small county, enough grids for some to fall behind. */
const TOWNSHIP = '511921108';
/** Ninety days ahead: days no other test file writes fixes to (a fix already in the default partition would block its day's partition). */
const NOW = new Date(Date.now() + 90 * 86_400_000);
const DAYS = 30;

let db: Database;
let grounds: WalkerGround[];
let behind: string[];
let days: HistoryPatrol[][];
let utcDays: Date[];

/** Rolls a transaction back on purpose: the shared database keeps none of these rows or partitions. */
class RolledBack extends Error {}

beforeAll(async () => {
  db = await seededDatabase();
  grounds = await walkersRepository(db).grounds(TOWNSHIP);
  const plan = planPatrolHistory(grounds, { seed: 5, now: NOW, days: DAYS });
  behind = plan.behindGrids;
  utcDays = plan.utcDays;
  days = [...plan.days];
});

const shanghaiDay = (patrol: HistoryPatrol) => shanghaiDate(patrol.startedAt);

describe('the demo’s past patrols', () => {
  it('cover the 30 days before today, working days only, one or two patrols a worker', () => {
    const patrols = days.flat();
    const today = shanghaiDate(NOW);
    const dates = new Set(patrols.map(shanghaiDay));
    expect(dates.size).toBeGreaterThanOrEqual(15);
    for (const date of dates) {
      expect(isWorkdayDate(date)).toBe(true);
      expect(date < today).toBe(true);
      expect((NOW.getTime() - new Date(`${date}T00:00:00+08:00`).getTime()) / 86_400_000).toBeLessThanOrEqual(DAYS + 1);
    }
    const perWorkerDay = new Map<string, number>();
    for (const patrol of patrols) {
      const key = `${patrol.areaCode}/${shanghaiDay(patrol)}`;
      perWorkerDay.set(key, (perWorkerDay.get(key) ?? 0) + 1);
    }
    expect(Math.max(...perWorkerDay.values())).toBe(2);
    expect(Math.min(...perWorkerDay.values())).toBe(1);
  });

  it('leave behind grids without a patrol on many working days, and the others patrolled on most', () => {
    expect(grounds.length).toBeGreaterThan(5);
    expect(behind.length).toBeGreaterThan(0);
    const workdays = days.length;
    const daysPatrolled = (grid: string) => days.filter((day) => day.some((patrol) => patrol.areaCode === grid)).length;
    for (const grid of behind) expect(daysPatrolled(grid)).toBeLessThan(workdays * 0.6);
    const onTrack = grounds.filter((ground) => !behind.includes(ground.gridCode));
    for (const ground of onTrack) expect(daysPatrolled(ground.gridCode)).toBeGreaterThan(workdays * 0.6);
  });

  it('keep a fix every five minutes inside the grid, with poor fixes flagged and gaps explained', () => {
    const patrols = days.flat();
    const byGrid = new Map(grounds.map((ground) => [ground.gridCode, ground]));
    for (const patrol of patrols.slice(0, 200)) {
      const grid = byGrid.get(patrol.areaCode)!.grid;
      for (const fix of patrol.fixes) expect(booleanPointInPolygon(fix.position, grid)).toBe(true);
      const steps = patrol.fixes.slice(1).map((fix, index) => fix.fixedAtMs - patrol.fixes[index]!.fixedAtMs);
      // Regular steps, but for a jump (a fix seconds after another) and a gap (no fixes for a while).
      const irregular = steps.filter((step) => step !== HISTORY_FIX_INTERVAL_MS);
      expect(irregular.length).toBeLessThanOrEqual(2 * patrol.fixes.filter((fix) => fix.jump).length + patrol.gaps.length);
    }
    const fixes = patrols.flatMap((patrol) => patrol.fixes);
    expect(fixes.some((fix) => fix.poorAccuracy)).toBe(true);
    expect(patrols.some((patrol) => patrol.gaps.length > 0)).toBe(true);
  });

  it('land in their day partitions, never the default one, with distances along the valid fixes', async () => {
    const patrols = days.flat();
    const ids = patrols.map((patrol) => patrol.id);
    let checked = false;
    await expect(
      db.transaction(async (tx) => {
        const repository = walkersRepository(tx);
        await repository.ensureDayPartitions(utcDays);
        let stored = 0;
        for (const day of days) stored += await repository.insertHistory(day);
        expect(stored).toBe(patrols.reduce((sum, patrol) => sum + patrol.fixes.length, 0));
        const placed = await tx.rows<{ partition: string; day: string; n: number }>(sql`
          SELECT tableoid::regclass::text AS partition, to_char(fixed_at AT TIME ZONE 'UTC', 'YYYYMMDD') AS day, count(*)::int AS n
          FROM patrol_positions WHERE patrol_id = ANY(${sql.param(ids)}::text[])
          GROUP BY 1, 2`);
        expect(placed.reduce((sum, row) => sum + row.n, 0)).toBe(stored);
        for (const row of placed) expect(row.partition).toBe(`patrol_positions_${row.day}`);
        const [totals] = await tx.rows<{ zero: number; gaps: number; flagged: number }>(sql`
          SELECT (SELECT count(*)::int FROM patrols WHERE id = ANY(${sql.param(ids)}::text[]) AND (distance_m <= 0 OR last_fix_at IS NULL)) AS zero,
            (SELECT count(*)::int FROM patrol_gaps WHERE patrol_id = ANY(${sql.param(ids)}::text[])) AS gaps,
            (SELECT count(*)::int FROM patrol_positions WHERE patrol_id = ANY(${sql.param(ids)}::text[]) AND poor_accuracy) AS flagged`);
        expect(totals).toEqual({
          zero: 0,
          gaps: patrols.reduce((sum, patrol) => sum + patrol.gaps.length, 0),
          flagged: patrols.flatMap((patrol) => patrol.fixes).filter((fix) => fix.poorAccuracy).length,
        });
        checked = true;
        throw new RolledBack();
      }),
    ).rejects.toBeInstanceOf(RolledBack);
    expect(checked).toBe(true);
  });
});
