import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAccountAsSystem } from '../../api/accounts/service.ts';
import { caseStepsRepository } from '../../api/cases/steps-repository.ts';
import type { Database } from '../../api/db/client.ts';
import { areaReader, type Reader, scopedDatabase } from '../../api/db/scoped.ts';
import { COUNTY_DEPARTMENTS } from '../../api/departments/county-departments.ts';
import { appendLiveEvent } from '../../api/live/events.ts';
import type { Role } from '../../api/vocabulary/roles.ts';
import { HONGJIANG_CELL, URBAN_CELL, WANGPING_CELL } from './cases-fixtures.ts';
import { insertTestReport } from './support/reports.ts';
import { signedInBrowser, TEST_PASSWORD, type TestBrowser } from './support/sessions.ts';
import { isLogEvent, liveData, type SseMessage, SseReader } from './support/sse.ts';
import { testApp } from './support/test-database.ts';

// A department sees its own lines and what is sent to it, within its scope (DESIGN.md, Security).
// 县自然资源局 (D02) answers for geohazards: landslides, rockfall, ground cracks.

const ZIRAN = 'D02';
const COUNTY = '511921';
const SHAXI = '511921108';
/** Every case this file writes says so, so a text filter finds them all and nothing else. */
const MARK = `条线测试${process.pid}`;

type App = Awaited<ReturnType<typeof testApp>>['app'];
let app: App;
let db: Database;
const browsers = new Map<string, TestBrowser>();
const accounts = new Map<string, Reader>();
const streams: SseReader[] = [];

/**
 * The cases of this file, written as the owner: what a geohazard cadre of the county sees, and
 * what it does not.
 */
const cases = {} as Record<
  'landslideShaxi' | 'disputeShaxi' | 'disputeSentToZiran' | 'epidemicCoAssigned' | 'landslideFuyang',
  { id: string; caseNumber: string }
>;

async function newCase(
  cellCode: string,
  type: string,
  sentTo: { department?: string; coDepartments?: string[] } = {},
  description = `${MARK} ${type}`,
): Promise<{ id: string; caseNumber: string }> {
  const report = await insertTestReport(db, { cellCode, type, description });
  if (sentTo.department || sentTo.coDepartments) {
    await db.rows(sql`
      UPDATE reports SET state = 'dispatched', assigned_township_code = ${cellCode.slice(0, 9)},
        assigned_department_code = ${sentTo.department ?? null}, co_department_codes = ${JSON.stringify(sentTo.coDepartments ?? [])}::jsonb,
        clock_stage = 'acknowledge', clock_started_at = now(), dispatched_at = now(), due_at = now() + interval '1 hour',
        limit_amount = 1, limit_unit = 'hours', limit_clock = 'natural'
      WHERE id = ${report.id}`);
  }
  return report;
}

async function account(username: string, role: Role, scopeCode: string, departmentCode: string | null): Promise<void> {
  const { id } = await createAccountAsSystem(db, {
    username,
    displayName: username,
    role,
    scopeCode,
    password: TEST_PASSWORD,
    ...(departmentCode ? { departmentCode } : {}),
  });
  accounts.set(username, { scopeCode, role, departmentCode, accountId: id });
  browsers.set(username, await signedInBrowser(app, username));
}

beforeAll(async () => {
  ({ app, db } = await testApp());
  await account('dep-ziran-county', 'department_cadre', COUNTY, ZIRAN);
  await account('dep-ziran-shaxi', 'department_cadre', SHAXI, ZIRAN);
  await account('dep-commander', 'county_commander', COUNTY, null);
  cases.landslideShaxi = await newCase(WANGPING_CELL, 'landslide');
  cases.disputeShaxi = await newCase(WANGPING_CELL, 'dispute', { department: 'D09' });
  cases.disputeSentToZiran = await newCase(HONGJIANG_CELL, 'dispute', { department: ZIRAN });
  cases.epidemicCoAssigned = await newCase(URBAN_CELL, 'epidemic', { department: 'D04', coDepartments: [ZIRAN] });
  cases.landslideFuyang = await newCase(HONGJIANG_CELL, 'landslide');
});

afterEach(async () => {
  for (const reader of streams.splice(0)) await reader.close();
});

const as = (username: string) => browsers.get(username)!;

async function listed(username: string, query = ''): Promise<{ ids: string[]; total: number }> {
  const response = await as(username).get(`/api/cases?pageSize=200&text=${encodeURIComponent(MARK)}${query}`);
  expect(response.status).toBe(200);
  const body = (await response.json()) as { items: { id: string }[]; total: number };
  return { ids: body.items.map((item) => item.id).sort(), total: body.total };
}

const idsOf = (...names: (keyof typeof cases)[]) => names.map((name) => cases[name].id).sort();

/** The cases of the whole county a D02 cadre of the county may see, counted as the owner. */
async function expectedCountyTotal(): Promise<number> {
  const lines = COUNTY_DEPARTMENTS.find((department) => department.code === ZIRAN)!.reportTypes;
  const [row] = await db.rows<{ count: number }>(sql`
    SELECT count(*)::int AS count FROM reports
    WHERE type = ANY (${`{${lines.join(',')}}`}::text[]) OR assigned_department_code = ${ZIRAN} OR co_department_codes ? ${ZIRAN}
      OR reporter_id = ${accounts.get('dep-ziran-county')!.accountId}`);
  return row!.count;
}

describe('the departments and their lines', () => {
  it('lists every department with the report types it answers for', async () => {
    const response = await as('dep-commander').get('/api/departments');
    expect(response.status).toBe(200);
    const listed = (await response.json()) as {
      departments: { code: string; name: string; reportTypes: string[]; kind: string; active: boolean }[];
    };
    // Service providers other tests add are listed too, after the departments (kind 'provider').
    const departments = listed.departments.filter((department) => department.kind === 'department');
    expect(departments).toHaveLength(65);
    expect(departments).toEqual(
      COUNTY_DEPARTMENTS.map(({ code, name, reportTypes }) => ({ code, name, reportTypes, kind: 'department', active: true })),
    );
    const byName = new Map(departments.map((department) => [department.name, department.reportTypes]));
    expect(byName.get('县自然资源局')).toEqual(['landslide', 'rockfall', 'ground_crack']);
    expect(byName.get('县水利局')).toEqual(['flood']);
    expect(byName.get('县消防救援大队')).toEqual(['fire']);
    expect(byName.get('县卫生健康局')).toEqual(['epidemic']);
    for (const name of ['县司法局', '县信访局', '县委政法委员会']) expect(byName.get(name)).toContain('dispute');
  });

  it('wrote the same lines into databases seeded before migration 0009', async () => {
    const { readFileSync } = await import('node:fs');
    const migration = readFileSync(new URL('../../migrations/0009_department_lines.sql', import.meta.url), 'utf8');
    const backfilled = Object.fromEntries(
      [...migration.matchAll(/\('(D\d\d)', ARRAY\[([^\]]*)\]::text\[\]\)/g)].map(([, code, types]) => [
        code,
        [...types!.matchAll(/'(\w+)'/g)].map(([, type]) => type),
      ]),
    );
    const expected = Object.fromEntries(
      COUNTY_DEPARTMENTS.filter((department) => department.reportTypes.length > 0).map((department) => [
        department.code,
        [...department.reportTypes],
      ]),
    );
    expect(backfilled).toEqual(expected);
  });
});

describe('a geohazard cadre of the county (县自然资源局)', () => {
  it('lists its lines and what is dispatched or co-assigned to it, nothing else', async () => {
    expect((await listed('dep-ziran-county')).ids).toEqual(
      idsOf('landslideShaxi', 'disputeSentToZiran', 'epidemicCoAssigned', 'landslideFuyang'),
    );
    expect((await listed('dep-commander')).ids).toEqual(idsOf(...(Object.keys(cases) as (keyof typeof cases)[])));
  });

  it('counts in its list exactly the county cases of its department', async () => {
    const response = await as('dep-ziran-county').get('/api/cases?pageSize=1');
    const { total } = (await response.json()) as { total: number };
    const everything = (await (await as('dep-commander').get('/api/cases?pageSize=1')).json()) as { total: number };
    expect(total).toBe(await expectedCountyTotal());
    expect(total).toBeLessThan(everything.total);
  });

  it('opens its cases with their timeline, and does not find any other (404)', async () => {
    for (const name of ['landslideShaxi', 'disputeSentToZiran', 'epidemicCoAssigned'] as const) {
      const response = await as('dep-ziran-county').get(`/api/cases/${cases[name].id}`);
      expect({ name, status: response.status }).toEqual({ name, status: 200 });
      const body = (await response.json()) as { case: { steps: unknown[] } };
      expect(body.case.steps.length).toBeGreaterThan(0);
    }
    const hidden = cases.disputeShaxi.id;
    for (const path of [`/api/cases/${hidden}`, `/api/cases/${hidden}/impact`, `/api/cases/${hidden}/duplicates`]) {
      const response = await as('dep-ziran-county').get(path);
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
    }
    const action = await as('dep-ziran-county').request('POST', `/api/cases/${hidden}/actions`, {
      action: 'acknowledge',
      clientId: randomUUID(),
      version: 1,
    });
    expect(action.status).toBe(404);
  });

  it('reads no timeline step, photo or alert of a case it cannot see', async () => {
    await db.rows(sql`
      INSERT INTO report_alerts (id, report_id, person_id, person_name, person_role, area_code)
      VALUES (${randomUUID()}, ${cases.disputeShaxi.id}, ${randomUUID()}, '条线', 'cell_informant', ${WANGPING_CELL}),
             (${randomUUID()}, ${cases.landslideShaxi.id}, ${randomUUID()}, '条线', 'cell_informant', ${WANGPING_CELL})`);
    const count = (reader: Reader, table: 'case_steps' | 'report_alerts', id: string) =>
      scopedDatabase(db, reader)
        .rows<{ count: number }>(sql`SELECT count(*)::int AS count FROM ${sql.raw(table)} WHERE report_id = ${id}`)
        .then(([row]) => row!.count);
    const cadre = accounts.get('dep-ziran-county')!;
    for (const table of ['case_steps', 'report_alerts'] as const) {
      expect({ table, hidden: await count(cadre, table, cases.disputeShaxi.id) }).toEqual({ table, hidden: 0 });
      expect({ table, own: await count(cadre, table, cases.landslideShaxi.id) }).toEqual({ table, own: 1 });
      expect({ table, county: await count(areaReader(COUNTY), table, cases.disputeShaxi.id) }).toEqual({ table, county: 1 });
    }
  });

  it('counts on the duty board only what it sees', async () => {
    const summary = async (username: string) =>
      (await (await as(username).get('/api/cases/summary')).json()) as {
        totals: { reportedToday: number; open: number };
        byType: { type: string; reportedToday: number }[];
      };
    const before = { cadre: await summary('dep-ziran-county'), commander: await summary('dep-commander') };
    await newCase(WANGPING_CELL, 'dispute', {}, '看板');
    await newCase(WANGPING_CELL, 'rockfall', {}, '看板');
    const after = { cadre: await summary('dep-ziran-county'), commander: await summary('dep-commander') };
    expect(after.commander.totals.reportedToday - before.commander.totals.reportedToday).toBe(2);
    expect(after.cadre.totals.reportedToday - before.cadre.totals.reportedToday).toBe(1);
    expect(after.cadre.totals.open - before.cadre.totals.open).toBe(1);
    const disputes = (s: typeof before.cadre) => s.byType.find((row) => row.type === 'dispute')?.reportedToday ?? 0;
    expect(disputes(after.cadre)).toBe(disputes(before.cadre));
  });

  it('has in its work what is dispatched to its department, and nothing sent elsewhere', async () => {
    const response = await as('dep-ziran-county').get('/api/cases/mine');
    expect(response.status).toBe(200);
    const ids = ((await response.json()) as { items: { id: string }[] }).items.map((item) => item.id);
    expect(ids).toContain(cases.disputeSentToZiran.id);
    expect(ids).not.toContain(cases.disputeShaxi.id);
  });

  it('exports only its cases', async () => {
    const response = await as('dep-commander').get(`/api/cases/export.csv?text=${encodeURIComponent(MARK)}`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(cases.disputeShaxi.caseNumber);
    // A department cadre has no export right; its account may change role, the rows may not leak then either.
    const cadre = await as('dep-ziran-county').get(`/api/cases/export.csv?text=${encodeURIComponent(MARK)}`);
    expect(cadre.status).toBe(403);
  });

  it('hears live only of its cases, in the replay and after it', async () => {
    const [mark] = await db.rows<{ id: number }>(sql`SELECT coalesce(max(id), 0)::float8 AS id FROM live_events`);
    const about = (kase: { id: string }, cellCode: string) =>
      db.transaction(async (tx) => {
        const liveCase = await caseStepsRepository(tx).liveCase(kase.id);
        return appendLiveEvent(tx, { type: 'report.created', scopeCode: cellCode, payload: { case: liveCase } });
      });
    const hiddenBefore = await about(cases.disputeShaxi, WANGPING_CELL);
    const seenBefore = await about(cases.landslideShaxi, WANGPING_CELL);
    const response = await as('dep-ziran-county').get(`/api/live/events?lastEventId=${mark!.id}`);
    expect(response.status).toBe(200);
    const reader = new SseReader(response.body!);
    streams.push(reader);
    const replay = (await reader.until((message) => message.event === 'ready')).filter(isLogEvent);
    const replayed = replay.map((message) => Number(message.id));
    expect(replayed).toContain(seenBefore);
    expect(replayed).not.toContain(hiddenBefore);

    const hiddenAfter = await about(cases.disputeShaxi, WANGPING_CELL);
    const seenAfter = await about(cases.disputeSentToZiran, HONGJIANG_CELL);
    const live: SseMessage[] = (await reader.until((message) => message.id === String(seenAfter), 10_000)).filter(isLogEvent);
    const heard = live.map((message) => Number(message.id));
    expect(heard).not.toContain(hiddenAfter);
    expect((liveData(live.at(-1)!).payload as { case: { id: string } }).case.id).toBe(cases.disputeSentToZiran.id);
    expect(hiddenAfter).toBeLessThan(seenAfter);
  });
});

describe('a geohazard cadre of a township (沙溪镇)', () => {
  it('sees its lines inside its township and nothing outside it, even what is sent to its department', async () => {
    expect((await listed('dep-ziran-shaxi')).ids).toEqual(idsOf('landslideShaxi'));
    for (const name of ['disputeSentToZiran', 'epidemicCoAssigned', 'landslideFuyang', 'disputeShaxi'] as const) {
      const response = await as('dep-ziran-shaxi').get(`/api/cases/${cases[name].id}`);
      expect({ name, status: response.status }).toEqual({ name, status: 404 });
    }
    const work = ((await (await as('dep-ziran-shaxi').get('/api/cases/mine')).json()) as { items: { id: string }[] }).items;
    expect(work.map((item) => item.id)).not.toContain(cases.disputeSentToZiran.id);
  });
});

describe('a pooled read connection shared by accounts', () => {
  it('answers each account in its own settings, whoever used the connection before', async () => {
    const cadre = accounts.get('dep-ziran-county')!;
    const commander = accounts.get('dep-commander')!;
    const hidden = cases.disputeShaxi.id;
    const sees = async (reader: Reader) => {
      const [row] = await scopedDatabase(db, reader).rows<{ count: number; department: string }>(sql`
        SELECT count(*)::int AS count, current_setting('gcc.department') AS department FROM reports WHERE id = ${hidden}`);
      return row!;
    };
    // Interleaved, many at once: the pool hands the same connections to both accounts in turn.
    const readers = Array.from({ length: 24 }, (_, index) => (index % 2 === 0 ? cadre : commander));
    const answers = await Promise.all(readers.map((reader) => sees(reader)));
    answers.forEach((answer, index) => {
      const expected = index % 2 === 0 ? { count: 0, department: ZIRAN } : { count: 1, department: '' };
      expect({ index, ...answer }).toEqual({ index, ...expected });
    });
    // And over HTTP: the commander, right after the cadre, lists its whole scope.
    expect((await listed('dep-ziran-county')).ids).not.toContain(hidden);
    expect((await listed('dep-commander')).ids).toContain(hidden);
    expect((await listed('dep-ziran-county')).ids).not.toContain(hidden);
  });
});
