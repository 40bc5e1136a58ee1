import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../api/db/client.ts';
import { areaReader, scopedDatabase } from '../../api/db/scoped.ts';
import type { Kpi } from '../../api/review/contracts.ts';
import { reviewExports } from '../../api/review/export-service.ts';
import { caseSumsSql, fieldSumsSql } from '../../api/review/repository.ts';
import { assessWorkers, reviewService } from '../../api/review/service.ts';
import { at, FIXTURE_CASES, insertFixtureCase, principalOf } from './review-fixtures.ts';
import { testApp } from './support/test-database.ts';

/**
 * The KPI formulas on hand-computed fixtures (review-fixtures.ts): one grid of 沙溪镇 outside 王坪村,
 * in March and April 2033, months no other test writes into.
 */
let db: Database;
let grid: string;
const TOWNSHIP = '511921108';
const now = () => at('2033-07-15 12:00');
const shaxi = principalOf('township_commander', TOWNSHIP);
const kpiOf = (kpis: Kpi[], key: string) => kpis.find((kpi) => kpi.key === key)!;

beforeAll(async () => {
  ({ db } = await testApp());
  const [chosen] = await db.rows<{ grid: string }>(sql`
    SELECT code AS grid FROM areas WHERE level = 'grid' AND code ^@ ${TOWNSHIP} AND code NOT LIKE '511921108209%'
    ORDER BY code DESC LIMIT 1`);
  grid = chosen!.grid;
  const [cell] = await db.rows<{ code: string }>(
    sql`SELECT code FROM areas WHERE level = 'cell' AND code ^@ ${grid} ORDER BY code LIMIT 1`,
  );
  for (const fixture of FIXTURE_CASES) await insertFixtureCase(db, cell!.code, fixture);
});

describe('the case KPIs of a grid', () => {
  it('counts March: deferred out of both sides, cancelled and merged nowhere, rework among the handled', async () => {
    const review = reviewService(db, { now });
    const result = await review.area(scopedDatabase(db, areaReader(TOWNSHIP)), shaxi, grid, { from: '2033-03', to: '2033-03' });
    const { kpis, counts } = result.area;
    expect(counts).toEqual({ due: 5, deferred: 1, closed: 3, closedOnTime: 2 });
    expect(kpiOf(kpis, 'on_time_closure')).toMatchObject({ value: 50, numerator: 2, denominator: 4, grade: 'D' });
    expect(kpiOf(kpis, 'closure')).toMatchObject({ value: 75, numerator: 3, denominator: 4, grade: 'B' });
    expect(kpiOf(kpis, 'rework')).toMatchObject({ value: 33.3, numerator: 1, denominator: 3, grade: 'C' });
    expect(kpiOf(kpis, 'on_spot')).toMatchObject({ value: 20, numerator: 1, denominator: 5, grade: null });
    expect(kpiOf(kpis, 'ack_minutes')).toMatchObject({ value: 45, denominator: 2 });
    expect(kpiOf(kpis, 'resident_satisfaction')).toMatchObject({ value: 90, numerator: 9, denominator: 2, grade: 'A' });
    expect(kpiOf(kpis, 'worker_evaluation')).toMatchObject({ value: 60, numerator: 6, denominator: 2, grade: 'C' });
    expect(kpiOf(kpis, 'on_time_closure').formula.zh).toContain('缓办');
  });

  it('counts a case reported in March and due in April in April, and adds months up over the period', async () => {
    const review = reviewService(db, { now });
    const scoped = scopedDatabase(db, areaReader(TOWNSHIP));
    const april = await review.area(scoped, shaxi, grid, { from: '2033-04', to: '2033-04' });
    expect(april.area.counts).toEqual({ due: 1, deferred: 0, closed: 1, closedOnTime: 1 });
    const both = await review.area(scoped, shaxi, grid, { from: '2033-03', to: '2033-04' });
    expect(both.area.counts).toEqual({ due: 6, deferred: 1, closed: 4, closedOnTime: 3 });
    expect(kpiOf(both.area.kpis, 'on_time_closure').value).toBe(60);
    const trend = await review.trend(scoped, shaxi, grid, { from: '2033-02', to: '2033-04' });
    expect(trend.months.map((month) => [month.month, month.counts.due])).toEqual([
      ['2033-02', 0],
      ['2033-03', 5],
      ['2033-04', 1],
    ]);
  });

  it('does not count an open case whose deadline has not yet passed', async () => {
    const review = reviewService(db, { now: () => at('2033-03-22 12:00') });
    const result = await review.area(scopedDatabase(db, areaReader(TOWNSHIP)), shaxi, grid, { from: '2033-03', to: '2033-03' });
    expect(result.area.counts.due).toBe(4); // H falls due on the 25th
  });

  it('lists the cases behind a figure: the numerator, the rest and the deferred', async () => {
    const review = reviewService(db, { now });
    const scoped = scopedDatabase(db, areaReader(TOWNSHIP));
    const base = { month: '2033-03', page: 1, pageSize: 50 } as const;
    const names = async (outcome: 'numerator' | 'outside' | 'deferred' | 'denominator') => {
      const { items, total } = await review.cases(scoped, shaxi, grid, { ...base, kpi: 'on_time_closure', outcome });
      const rows = await db.rows<{ description: string }>(
        sql`SELECT description FROM reports WHERE id = ANY(${sql.param(items.map((item) => item.id))}::text[]) ORDER BY description`,
      );
      expect(total).toBe(items.length);
      return rows.map((row) => row.description.slice(0, 1));
    };
    expect(await names('numerator')).toEqual(['A', 'G']);
    expect(await names('outside')).toEqual(['B', 'H']);
    expect(await names('deferred')).toEqual(['C']);
    expect(await names('denominator')).toEqual(['A', 'B', 'G', 'H']);
  });

  it('exports the cases behind a figure as XLSX, stamped, every page, and audits the export', async () => {
    const review = reviewService(db, { now });
    const exports = reviewExports(db, review, now);
    const context = { principal: shaxi, ip: null, userAgent: null };
    const query = { month: '2033-03', kpi: 'on_time_closure', outcome: 'denominator' } as const;
    const workbook = new ExcelJS.Workbook();
    const bytes = await exports.cases(scopedDatabase(db, areaReader(TOWNSHIP)), context, grid, query, 'zh');
    await workbook.xlsx.load(new Uint8Array(bytes).buffer);
    const sheet = workbook.worksheets[0]!;
    expect(String(sheet.getRow(1).getCell(1).value)).toContain('按期结案率 · 计入分母（2033-03）');
    expect(String(sheet.getRow(2).getCell(1).value)).toBe(
      `导出人：${shaxi.displayName}　导出时间：2033-07-15 12:00（北京时间）　共 4 件`,
    );
    expect(sheet.getRow(4).getCell(1).value).toBe('案件编号');
    const numbers = [5, 6, 7, 8].map((row) => String(sheet.getRow(row).getCell(1).value));
    const listed = await review.cases(scopedDatabase(db, areaReader(TOWNSHIP)), shaxi, grid, { ...query, page: 1, pageSize: 50 });
    expect(numbers).toEqual(listed.items.map((item) => item.caseNumber));
    expect(sheet.rowCount).toBe(8);
    const [audit] = await db.rows<{ targetType: string; targetId: string; details: { rows: number; kpi: string } }>(sql`
      SELECT target_type AS "targetType", target_id AS "targetId", details FROM audit_log
      WHERE action = 'review.export' AND actor_username = ${shaxi.username} ORDER BY at DESC LIMIT 1`);
    expect(audit).toMatchObject({ targetType: 'review_cases', targetId: grid, details: { rows: 4, kpi: 'on_time_closure' } });
    await expect(
      exports.cases(scopedDatabase(db, areaReader(TOWNSHIP)), context, '511921112', query, 'zh'),
    ).rejects.toMatchObject({
      status: 404,
    });
  });

  it('finds the same sums as the raw SQL, per township, village and grid', async () => {
    const review = reviewService(db, { now });
    const result = await review.area(scopedDatabase(db, areaReader(TOWNSHIP)), shaxi, TOWNSHIP, {
      from: '2033-03',
      to: '2033-04',
      levels: 'all',
    });
    const levels = new Set(result.children.map((child) => child.level));
    expect([...levels].sort()).toEqual(['grid', 'village']);
    const raw = await db.rows<{ key: string; due: number }>(
      caseSumsSql(
        { areaCode: TOWNSHIP, start: at('2033-03-01 00:00'), end: at('2033-05-01 00:00'), now: now() },
        { by: 'prefix', lengths: [15] },
      ),
    );
    const gridRow = result.children.find((child) => child.code === grid)!;
    expect(gridRow.counts.due).toBe(raw.find((row) => row.key === grid)!.due);
    expect(result.area.counts.due).toBe(6);
    // Summed once per grid and rolled up, every level's sums are those of grouping at that level alone.
    const window = { areaCode: TOWNSHIP, start: at('2033-03-01 00:00'), end: at('2033-05-01 00:00'), now: now() };
    const byKey = (rows: { key: string }[]) => Object.fromEntries(rows.map(({ key, ...sums }) => [key, sums]));
    const rolledUp = byKey(await db.rows(caseSumsSql(window, { by: 'prefix', lengths: [9, 12, 15] })));
    const alone = byKey([
      ...(await db.rows<{ key: string }>(caseSumsSql(window, { by: 'prefix', lengths: [9] }))),
      ...(await db.rows<{ key: string }>(caseSumsSql(window, { by: 'prefix', lengths: [12] }))),
      ...(await db.rows<{ key: string }>(caseSumsSql(window, { by: 'prefix', lengths: [15] }))),
    ]);
    expect(rolledUp).toEqual(alone);
    expect(rolledUp[TOWNSHIP]).toMatchObject({ due: 6, deferred: 1, closed: 4, closedOnTime: 3 });
  });

  it('assesses departments on the cases dispatched to them', async () => {
    const review = reviewService(db, { now });
    const result = await review.departments(scopedDatabase(db, areaReader(TOWNSHIP)), shaxi, { from: '2033-03', to: '2033-03' });
    const d01 = result.departments.find((department) => department.code === 'D01')!;
    expect(d01.counts).toEqual({ due: 2, deferred: 0, closed: 2, closedOnTime: 1 });
    expect(kpiOf(d01.kpis, 'worker_evaluation').value).toBe(60);
    expect(d01.kpis.some((kpi) => kpi.key === 'on_spot')).toBe(false);
  });

  it('assesses departments inside a drilled-down area, and only inside the reader’s scope', async () => {
    const review = reviewService(db, { now });
    const scoped = scopedDatabase(db, areaReader(TOWNSHIP));
    const march = { from: '2033-03', to: '2033-03' };
    const inGrid = await review.departments(scoped, shaxi, { ...march, area: grid });
    expect(inGrid.areaCode).toBe(grid);
    expect(inGrid.departments.find((department) => department.code === 'D01')!.counts).toEqual({
      due: 2,
      deferred: 0,
      closed: 2,
      closedOnTime: 1,
    });
    const [sibling] = await db.rows<{ code: string }>(sql`
      SELECT code FROM areas WHERE level = 'grid' AND code ^@ ${TOWNSHIP} AND code <> ${grid} ORDER BY code LIMIT 1`);
    const elsewhere = await review.departments(scoped, shaxi, { ...march, area: sibling!.code });
    expect(elsewhere.departments.find((department) => department.code === 'D01')!.counts.due).toBe(0);
    await expect(review.departments(scoped, shaxi, { ...march, area: '511921112' })).rejects.toMatchObject({ status: 404 });
  });
});

describe('grid workers', () => {
  it('assesses each grid worker on their grid with the same formulas', async () => {
    const scoped = scopedDatabase(db, areaReader(TOWNSHIP));
    const window = { areaCode: grid, start: at('2033-03-01 00:00'), end: at('2033-04-01 00:00'), now: now() };
    const workers = await assessWorkers(scoped, grid, window);
    expect(workers.length).toBeGreaterThan(0);
    for (const worker of workers) {
      expect(worker.gridCode).toBe(grid);
      expect(worker.counts).toEqual({ due: 5, deferred: 1, closed: 3, closedOnTime: 2 });
      expect(worker.kpis.map((kpi) => kpi.key)).toContain('worker_survey');
    }
    const [field] = await db.rows<{ cellMonths: number }>(fieldSumsSql(window, { by: 'none' }));
    const [cells] = await db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM areas WHERE level = 'cell' AND code ^@ ${grid}`,
    );
    expect(field!.cellMonths).toBe(cells!.n);
  });
});
