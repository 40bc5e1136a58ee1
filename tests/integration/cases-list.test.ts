import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../api/db/client.ts';
import { casesContext, HONGJIANG_CELL, newCase, URBAN_CELL, WANGPING_CELL } from './cases-fixtures.ts';

let context: Awaited<ReturnType<typeof casesContext>>;
/** Every fixture of this file carries this word in its description, so lists can be cut to them. */
const MARK = `列表测试${randomUUID().slice(0, 8)}`;

interface Fixture {
  key: string;
  id: string;
  caseNumber: string;
}
const fixtures = new Map<string, Fixture>();

/** Sets a case's clock directly: started `startedMinutesAgo`, due in `dueInMinutes`, counted in natural minutes. */
async function setClock(db: Database, id: string, startedMinutesAgo: number, dueInMinutes: number) {
  const now = Date.now();
  await db.rows(sql`
    UPDATE reports SET clock_stage = 'file', limit_unit = 'minutes', limit_clock = 'natural', limit_amount = ${startedMinutesAgo + dueInMinutes},
      clock_started_at = ${new Date(now - startedMinutesAgo * 60_000).toISOString()}::timestamptz,
      due_at = ${new Date(now + dueInMinutes * 60_000).toISOString()}::timestamptz
    WHERE id = ${id}`);
}

beforeAll(async () => {
  context = await casesContext();
  const { db } = context;
  const day = (offset: number) => new Date(Date.UTC(2026, 5, 1 + offset, 2));
  const add = async (key: string, options: Parameters<typeof newCase>[1]) => {
    const created = await newCase(db, { ...options, description: `${MARK} ${key}` });
    fixtures.set(key, { key, ...created });
    return created.id;
  };
  // Five cases in 王坪村, one in the urban core, one in 红江村 (outside 沙溪镇), on consecutive days.
  await setClock(db, await add('green', { type: 'landslide', urgency: 'urgent', reportedAt: day(0) }), 10, 50);
  await setClock(db, await add('yellow', { type: 'rockfall', urgency: 'normal', reportedAt: day(1) }), 50, 10);
  await setClock(db, await add('red', { type: 'landslide', urgency: 'normal', reportedAt: day(2) }), 40, -5);
  await add('closed', { type: 'flood', urgency: 'normal', state: 'closed', reportedAt: day(3) });
  await setClock(db, await add('urban', { cellCode: URBAN_CELL, type: 'fire', urgency: 'urgent', reportedAt: day(4) }), 0, 30);
  await setClock(
    db,
    await add('hongjiang', { cellCode: HONGJIANG_CELL, type: 'landslide', urgency: 'urgent', reportedAt: day(5) }),
    1,
    29,
  );
  await setClock(db, await add('filed', { type: 'dispute', urgency: 'normal', state: 'filed', reportedAt: day(6) }), 5, 25);
  expect(WANGPING_CELL.startsWith('511921108209')).toBe(true);
});

interface ListPage {
  items: { id: string; caseNumber: string; description: string; light: string; state: string }[];
  total: number;
  page: number;
  pageSize: number;
}

async function list(username: string, query: string): Promise<ListPage> {
  const response = await (await context.as(username)).get(`/api/cases?text=${encodeURIComponent(MARK)}&${query}`);
  expect(response.status).toBe(200);
  return response.json();
}

const keysOf = (page: ListPage) => page.items.map((item) => item.description.split(' ')[1]);

describe('the case list', () => {
  it.each([
    ['', ['filed', 'hongjiang', 'urban', 'closed', 'red', 'yellow', 'green']],
    ['state=filed,closed', ['filed', 'closed']],
    ['type=landslide', ['hongjiang', 'red', 'green']],
    ['urgency=urgent', ['hongjiang', 'urban', 'green']],
    ['area=511921108209', ['filed', 'closed', 'red', 'yellow', 'green']],
    ['area=511921001', ['urban']],
    ['light=green', ['filed', 'hongjiang', 'urban', 'green']],
    ['light=yellow', ['yellow']],
    ['light=red', ['red']],
    ['light=none', ['closed']],
    ['from=2026-06-02T00:00:00Z&to=2026-06-04T03:00:00Z', ['closed', 'red', 'yellow']],
    ['from=2026-06-02T02:00:00Z&to=2026-06-04T02:00:00Z', ['red', 'yellow']],
    ['type=landslide&urgency=normal', ['red']],
    ['sort=reportedAt&order=asc', ['green', 'yellow', 'red', 'closed', 'urban', 'hongjiang', 'filed']],
    ['sort=dueAt&order=asc&area=511921108', ['red', 'yellow', 'filed', 'green', 'closed']],
    ['sort=urgency&order=desc&area=511921108', ['green', 'filed', 'closed', 'red', 'yellow']],
    ['sort=state&order=asc&area=511921108', ['red', 'yellow', 'green', 'filed', 'closed']],
  ])('as the county commander, %s → %o', async (query, expected) => {
    const page = await list('t-county', query);
    expect(keysOf(page)).toEqual(expected);
    expect(page.total).toBe(expected.length);
  });

  it('finds a case by its case number', async () => {
    const { caseNumber } = fixtures.get('yellow')!;
    const response = await (await context.as('t-duty')).get(`/api/cases?text=${encodeURIComponent(caseNumber)}`);
    const page = (await response.json()) as ListPage;
    expect(page.items.map((item) => item.caseNumber)).toEqual([caseNumber]);
  });

  it('pages: page 2 of size 3, with the total of all pages', async () => {
    const page = await list('t-county', 'sort=reportedAt&order=asc&page=2&pageSize=3');
    expect(keysOf(page)).toEqual(['closed', 'urban', 'hongjiang']);
    expect(page).toMatchObject({ total: 7, page: 2, pageSize: 3 });
    const lightPage = await list('t-county', 'light=green&sort=reportedAt&order=asc&page=2&pageSize=2');
    expect(keysOf(lightPage)).toEqual(['hongjiang', 'filed']);
    expect(lightPage.total).toBe(4);
  });

  it('cuts the list to the scope: 沙溪镇 sees neither the urban core nor 红江村', async () => {
    const page = await list('t-shaxi', '');
    expect(keysOf(page)).toEqual(['filed', 'closed', 'red', 'yellow', 'green']);
  });

  it.each([['state=bogus'], ['type=meteor'], ['area=12'], ['light=blue'], ['pageSize=201'], ['sort=name'], ['from=yesterday']])(
    'refuses %s with 400',
    async (query) => {
      const response = await (await context.as('t-duty')).get(`/api/cases?${query}`);
      expect(response.status).toBe(400);
      expect((await response.json()).error.code).toBe('invalid_request');
    },
  );

  it('is open to every role that views cases, administrators and informants included', async () => {
    expect((await (await context.as('t-admin')).get('/api/cases')).status).toBe(200);
    expect((await (await context.as('t-informant')).get('/api/cases')).status).toBe(200);
  });
});

describe('exports', () => {
  it('exports the filtered cases as CSV with a BOM, Chinese headers and Shanghai times, and audits it', async () => {
    const response = await (await context.as('t-duty')).get(
      `/api/cases/export.csv?text=${encodeURIComponent(MARK)}&type=landslide&sort=reportedAt&order=asc`,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('Content-Disposition')).toMatch(/^attachment; filename="cases-\d{4}-\d{2}-\d{2}\.csv"$/);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.slice(3));
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]!.split(',').slice(0, 5)).toEqual(['案卷号', '类型', '紧急程度', '状态', '红黄绿灯']);
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain(fixtures.get('green')!.caseNumber);
    expect(lines[1]).toContain('滑坡');
    expect(lines[1]).toContain('紧急');
    // Reported 2026-06-01 02:00 UTC is 10:00 in Shanghai.
    expect(lines[1]).toContain('2026-06-01 10:00');
    const [audit] = await context.db.rows<{ targetId: string; details: { rows: number } }>(sql`
      SELECT target_id AS "targetId", details FROM audit_log WHERE action = 'cases.export' AND actor_username = 't-duty' ORDER BY id DESC LIMIT 1`);
    expect(audit).toMatchObject({ targetId: 'csv', details: { rows: 3 } });
  });

  it('exports XLSX that reads back with the same cells', async () => {
    const response = await (await context.as('t-county')).get(
      `/api/cases/export.xlsx?text=${encodeURIComponent(MARK)}&area=511921108&sort=reportedAt&order=asc`,
      { 'Accept-Language': 'en' },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(response.headers.get('Content-Disposition')).toMatch(/filename="cases-\d{4}-\d{2}-\d{2}\.xlsx"/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    const sheet = workbook.worksheets[0]!;
    expect(sheet.name).toBe('Cases');
    expect(sheet.rowCount).toBe(6);
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 4)).toEqual(['Case number', 'Type', 'Urgency', 'State']);
    const column = (name: string) => header.indexOf(name) + 1;
    const first = sheet.getRow(2);
    expect(first.getCell(column('Case number')).value).toBe(fixtures.get('green')!.caseNumber);
    expect(first.getCell(column('Type')).value).toBe('Landslide');
    expect(first.getCell(column('Light')).value).toBe('Green');
    expect((first.getCell(column('Reported at')).value as Date).toISOString()).toBe('2026-06-01T10:00:00.000Z');
    expect(sheet.getRow(5).getCell(column('State')).value).toBe('Closed');
    expect(sheet.getRow(6).getCell(column('Description')).value).toBe(`${MARK} filed`);
  });

  it.each(['t-worker', 't-informant', 't-cadre'])('is refused to %s (no cases.export)', async (username) => {
    expect((await (await context.as(username)).get('/api/cases/export.csv')).status).toBe(403);
    expect((await (await context.as(username)).get('/api/cases/export.xlsx')).status).toBe(403);
  });
});
