import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../api/db/client.ts';
import { signedInBrowser, type TestBrowser } from './support/sessions.ts';
import { testApp } from './support/test-database.ts';

/** The review cut to scope: a township commander (t-shaxi, 沙溪镇) against the county commander (t-county). */
let db: Database;
let shaxi: TestBrowser;
let county: TestBrowser;
const SHAXI = '511921108';
const FUYANG = '511921112';
const PERIOD = 'from=2026-01&to=2026-03';

beforeAll(async () => {
  const test = await testApp();
  db = test.db;
  shaxi = await signedInBrowser(test.app, 't-shaxi');
  county = await signedInBrowser(test.app, 't-county');
});

describe('a township commander', () => {
  it('reviews their township and its villages, and any part of it down to a grid', async () => {
    const response = await shaxi.request('GET', `/api/review/areas/${SHAXI}?${PERIOD}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      area: { code: string; kpis: unknown[] };
      children: { code: string; level: string }[];
    };
    expect(body.area.code).toBe(SHAXI);
    expect(body.area.kpis).toHaveLength(12);
    expect(body.children.length).toBeGreaterThan(0);
    expect(body.children.every((child) => child.code.startsWith(SHAXI) && child.level === 'village')).toBe(true);
    const all = (await (await shaxi.request('GET', `/api/review/areas/${SHAXI}?${PERIOD}&levels=all`)).json()) as {
      children: { level: string }[];
    };
    expect(new Set(all.children.map((child) => child.level))).toEqual(new Set(['village', 'grid']));
    expect((await shaxi.request('GET', `/api/review/areas/511921108209001/trend?${PERIOD}`)).status).toBe(200);
  });

  it('is refused another township, the county and a bad code, with the reason in Chinese', async () => {
    for (const path of [`/api/review/areas/${FUYANG}`, '/api/review/areas/511921', `/api/review/workers?area=${FUYANG}`]) {
      const response = await shaxi.request('GET', path);
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
      const { error } = (await response.json()) as { error: { message: string } };
      expect(error.message).toMatch(/管辖范围/);
    }
    expect((await shaxi.request('GET', '/api/review/areas/51192110820900100100')).status).toBe(400);
    expect((await shaxi.request('GET', `/api/review/areas/${SHAXI}?from=2026-05&to=2026-01`)).status).toBe(400);
    expect((await shaxi.request('GET', `/api/review/areas/${SHAXI}/cases?kpi=patrol_coverage`)).status).toBe(400);
  });

  it('sees their township against the county’s urban and rural aggregates, and no other township’s row', async () => {
    const body = (await (await shaxi.request('GET', `/api/review/urban-rural?${PERIOD}`)).json()) as {
      urban: { townships: number };
      rural: { townships: number };
      townships: { code: string }[];
    };
    expect(body.townships.map((township) => township.code)).toEqual([SHAXI]);
    expect(body.urban.townships).toBe(2);
    expect(body.urban.townships + body.rural.townships).toBeGreaterThan(2);
  });
});

describe('the county commander', () => {
  it('sees the comparison township by township, the urban core marked', async () => {
    const body = (await (await county.request('GET', `/api/review/urban-rural?${PERIOD}`)).json()) as {
      urban: { townships: number };
      rural: { townships: number };
      townships: { code: string; urban: boolean }[];
      gap: { key: string }[];
    };
    expect(body.townships).toHaveLength(body.urban.townships + body.rural.townships);
    expect(body.townships.filter((township) => township.urban)).toHaveLength(2);
    expect(body.gap.map((row) => row.key)).toContain('on_time_closure');
  });

  it('exports a table as XLSX stamped with who and when, and the export is audited', async () => {
    const response = await county.request('GET', `/api/review/areas/511921/export.xlsx?${PERIOD}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    const sheet = workbook.worksheets[0]!;
    expect(String(sheet.getRow(2).getCell(1).value)).toMatch(/导出人：t-county　导出时间：\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    expect(sheet.getRow(3).getCell(4).value).toBe('按期结案率');
    expect(sheet.rowCount).toBeGreaterThan(4);
    const [audit] = await db.rows<{ targetType: string; actorUsername: string }>(sql`
      SELECT target_type AS "targetType", actor_username AS "actorUsername" FROM audit_log
      WHERE action = 'review.export' ORDER BY at DESC LIMIT 1`);
    expect(audit).toEqual({ targetType: 'review_areas', actorUsername: 't-county' });
  });

  it('reads the grid workers’ scores, and the read is audited', async () => {
    const response = await county.request('GET', `/api/review/workers?area=511921108209&${PERIOD}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { workers: { gridCode: string }[] };
    expect(body.workers.every((worker) => worker.gridCode.startsWith('511921108209'))).toBe(true);
    const [audit] = await db.rows<{ targetId: string }>(sql`
      SELECT target_id AS "targetId" FROM audit_log WHERE action = 'review.workers_read' ORDER BY at DESC LIMIT 1`);
    expect(audit?.targetId).toBe('511921108209');
  });
});
