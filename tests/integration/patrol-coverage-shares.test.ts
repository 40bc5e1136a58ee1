import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../api/app-env.ts';
import type { Database } from '../../api/db/client.ts';
import { areaReader, scopedDatabase } from '../../api/db/scoped.ts';
import { countyMidnight, patrolCellsRepository } from '../../api/patrols/cells-repository.ts';
import { childCoverageSql } from '../../api/patrols/coverage-repository.ts';
import { patrolCoverageService } from '../../api/patrols/coverage-service.ts';
import { accountIdOf } from './support/patrols.ts';
import { testApp } from './support/test-database.ts';

/** Shares of cells patrolled in the last 1, 7 and 30 days, per child area, cut to the reader's scope (patrol-coverage.test.ts has how cells count). */
let db: Database;
const DAY_MS = 86_400_000;

beforeAll(async () => {
  ({ db } = await testApp());
});

/** The commander of 沙溪镇 (t-shaxi), as the service sees a signed-in reader. */
async function townshipCommander(): Promise<Principal> {
  return {
    accountId: await accountIdOf(db, 't-shaxi'),
    username: 't-shaxi',
    displayName: '沙溪镇指挥长',
    role: 'township_commander',
    scopeCode: '511921108',
    departmentCode: null,
    sessionId: 'test',
    csrfToken: 'test',
  };
}

describe('coverage shares', () => {
  /** A day far ahead, which no other test walks: "today" for the service below. */
  const today = '2031-06-15';
  const now = () => new Date(`${today}T12:00:00+08:00`);
  let village: string;
  let grid: string;
  let cells: { code: string; lng: number; lat: number }[];

  /** A patrol of fixes written as a bulk insert would, at a cell's label point `daysAgo` days before `today`. */
  async function walkedAt(cell: { code: string; lng: number; lat: number }, daysAgo: number) {
    const id = crypto.randomUUID();
    const at = new Date(countyMidnight(today).getTime() - daysAgo * DAY_MS + 10 * 3_600_000);
    await db.transaction(async (tx) => {
      await tx.rows(sql`
        INSERT INTO patrols (id, client_id, worker_id, worker_name, worker_role, area_code, started_at, last_fix_at)
        VALUES (${id}, ${id}, 'coverage-walker', '测试', 'grid_worker', ${grid}, ${at.toISOString()}::timestamptz, ${at.toISOString()}::timestamptz)`);
      await tx.rows(sql`
        INSERT INTO patrol_positions (patrol_id, client_fix_id, area_code, fixed_at, location, accuracy_m)
        VALUES (${id}, 'one', ${grid}, ${at.toISOString()}::timestamptz, ST_SetSRID(ST_MakePoint(${cell.lng}, ${cell.lat}), 4326), 5)`);
      await patrolCellsRepository(tx).deriveAgain([{ id, changedAt: at }], new Date(at.getTime() + 1), 50);
    });
  }

  beforeAll(async () => {
    // The village of 沙溪镇 with the largest cells: label points there lie far from every other cell.
    const [chosen] = await db.rows<{ grid: string }>(sql`
      SELECT left(code, 15) AS grid FROM areas WHERE level = 'cell' AND code ^@ '511921108' AND code NOT LIKE '511921108209%'
      GROUP BY 1 HAVING count(*) >= 4 ORDER BY min(area_m2) DESC LIMIT 1`);
    grid = chosen!.grid;
    village = grid.slice(0, 12);
    cells = await db.rows(sql`
      SELECT code, ST_X(label_point) AS lng, ST_Y(label_point) AS lat FROM areas
      WHERE level = 'cell' AND code ^@ ${grid} ORDER BY code`);
    for (const cell of cells.slice(0, 4)) {
      const [near] = await db.rows<{ n: number }>(sql`
        SELECT count(*)::int AS n FROM areas WHERE level = 'cell'
          AND ST_DWithin(geom::geography, ST_SetSRID(ST_MakePoint(${cell.lng}, ${cell.lat}), 4326)::geography, 50)`);
      expect(near!.n, `only ${cell.code} lies within 50 m of its label point`).toBe(1);
    }
    await walkedAt(cells[0]!, 0);
    await walkedAt(cells[0]!, 2);
    await walkedAt(cells[1]!, 3);
    await walkedAt(cells[2]!, 20);
    await walkedAt(cells[3]!, 40);
    // After today: not counted.
    await walkedAt(cells[3]!, -1);
  });

  it('counts per child the cells walked in the last 1, 7 and 30 days, over all its cells', async () => {
    const service = patrolCoverageService({ now });
    const reader = scopedDatabase(db, areaReader('511921108'));
    const principal = await townshipCommander();
    const ofVillage = await service.children(reader, principal, village);
    expect(ofVillage.asOf).toBe(today);
    const row = ofVillage.children.find((child) => child.code === grid)!;
    expect(row).toEqual({ code: grid, name: expect.any(String), level: 'grid', cells: cells.length, day1: 1, day7: 2, day30: 3 });
    const [allCells] = await db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM areas WHERE level = 'cell' AND code ^@ ${village}`,
    );
    expect(ofVillage.area).toMatchObject({ code: village, level: 'village', cells: allCells!.n, day1: 1, day7: 2, day30: 3 });
    const ofGrid = await service.children(reader, principal, grid);
    expect(ofGrid.children.map((child) => [child.code, child.day1, child.day7, child.day30])).toEqual(
      cells.map((cell, index) => [cell.code, index === 0 ? 1 : 0, index <= 1 ? 1 : 0, index <= 2 ? 1 : 0]),
    );
    const days = await service.cellDays(reader, principal, grid);
    expect(days).toEqual({
      asOf: today,
      areaCode: grid,
      days: { [cells[0]!.code.slice(15)]: 0, [cells[1]!.code.slice(15)]: 3, [cells[2]!.code.slice(15)]: 20 },
    });
  });

  it('is cut to the reader’s scope in the database', async () => {
    const elsewhere = scopedDatabase(db, areaReader('511921112'));
    const rows = await elsewhere.rows<{ code: string }>(childCoverageSql(village, today));
    expect(rows).toEqual([]);
    const [seen] = await elsewhere.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM patrol_cells WHERE cell_code ^@ ${village}`,
    );
    expect(seen!.n).toBe(0);
    const own = scopedDatabase(db, areaReader('511921108'));
    const [mine] = await own.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM patrol_cells WHERE cell_code ^@ ${village}`);
    expect(mine!.n).toBeGreaterThan(0);
  });
});
