import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CoverageReport, checkCoverage } from '../../api/coverage/service.ts';
import type { Database } from '../../api/db/client.ts';
import { seededDatabase } from './support/test-database.ts';

let db: Database;

beforeAll(async () => {
  db = await seededDatabase();
});

class Rollback extends Error {}

/** Runs the checker on a broken copy of the data: the damage is done in a transaction that is rolled back. */
async function checkBroken(damage: (tx: Pick<Database, 'rows'>) => Promise<void>): Promise<CoverageReport> {
  let report: CoverageReport | undefined;
  await db
    .transaction(async (tx) => {
      await damage(tx);
      report = await checkCoverage(tx);
      throw new Rollback();
    })
    .catch((error: unknown) => {
      if (!(error instanceof Rollback)) throw error;
    });
  if (!report) throw new Error('the checker did not run');
  return report;
}

describe('coverage check on the generated county', () => {
  it('finds no gap, overlap, invalid geometry or misplaced household', async () => {
    const report = await checkCoverage(db);
    expect(report.failedChecks).toEqual([]);
    for (const [name, defect] of Object.entries(report.defects))
      expect({ name, count: defect.count }).toEqual({ name, count: 0 });
    expect(report.ok).toBe(true);
    expect(report.counts).toMatchObject({ county: 1, township: 4 });
    expect(report.households).toBeGreaterThan(1000);
  });
});

describe('coverage check on a deliberately broken county', () => {
  it('finds a gap where a cell was shrunk, and measures it', async () => {
    const report = await checkBroken(async (tx) => {
      await tx.rows(sql`
        UPDATE areas SET geom = ST_Multi(ST_Buffer(geom::geography, -30)::geometry)
        WHERE code = (SELECT min(code) FROM areas WHERE level = 'cell' AND code LIKE '511921108209%')`);
    });
    expect(report.ok).toBe(false);
    expect(report.defects.gaps.count).toBeGreaterThan(0);
    expect(report.defects.gaps.items[0]?.parentLevel).toBe('grid');
    expect(report.defects.gaps.maxM2).toBeGreaterThan(1000);
    expect(report.defects.overlaps.count).toBe(0);
  });

  it('finds overlaps and a child outside its parent where a cell was grown', async () => {
    const report = await checkBroken(async (tx) => {
      await tx.rows(sql`
        UPDATE areas SET geom = ST_Multi(ST_Buffer(geom::geography, 200)::geometry)
        WHERE code = (SELECT min(code) FROM areas WHERE level = 'cell' AND code LIKE '511921108209%')`);
    });
    expect(report.defects.overlaps.count).toBeGreaterThan(0);
    expect(report.defects.overlaps.maxM2).toBeGreaterThan(1000);
    expect(report.defects.outsideParent.count).toBeGreaterThan(0);
  });

  it('reports a self-intersecting polygon, an orphan, and misplaced households without crashing', async () => {
    const report = await checkBroken(async (tx) => {
      await tx.rows(sql`
        UPDATE areas SET geom = ST_GeomFromText('MULTIPOLYGON(((107.0 31.9, 107.1 32.0, 107.1 31.9, 107.0 32.0, 107.0 31.9)))', 4326)
        WHERE code = (SELECT max(code) FROM areas WHERE level = 'cell')`);
      await tx.rows(sql`
        INSERT INTO areas (code, level, kind, name, parent_code, geom, label_point)
        VALUES ('511921108999', 'village', 'village', '孤村', '511921777',
                ST_GeomFromText('MULTIPOLYGON(((107.3 31.8, 107.31 31.8, 107.31 31.81, 107.3 31.81, 107.3 31.8)))', 4326),
                ST_SetSRID(ST_MakePoint(107.305, 31.805), 4326))`);
      await tx.rows(sql`
        UPDATE households SET geom = ST_SetSRID(ST_MakePoint(100, 30), 4326)
        WHERE code = (SELECT min(code) FROM households)`);
      await tx.rows(sql`
        UPDATE households SET cell_code = '511921001001001001'
        WHERE code = (SELECT min(code) FROM households WHERE cell_code LIKE '511921108209%')`);
    });
    expect(report.defects.invalidGeometries.items.map((item) => item.reason).join(' ')).toMatch(/Self-intersection/i);
    expect(report.defects.orphans.items).toContainEqual({
      code: '511921108999',
      parentCode: '511921777',
      problem: 'parent_missing',
    });
    // The moved household, and every household of the cell whose outline was replaced.
    expect(report.defects.householdsOutsideCells.count).toBeGreaterThan(1);
    expect(report.failedChecks).toEqual([]);
    expect(report.defects.householdsInWrongCell.count).toBe(1);
    expect(report.ok).toBe(false);
  });
});
