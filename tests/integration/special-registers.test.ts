import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAccountAsSystem } from '../../api/accounts/service.ts';
import type { Database } from '../../api/db/client.ts';
import { addDays, shanghaiDay } from '../../api/special-populations/follow-up.ts';
import { okJson, signedInBrowser, TEST_PASSWORD, type TestBrowser } from './support/sessions.ts';
import { testApp } from './support/test-database.ts';

type App = Awaited<ReturnType<typeof testApp>>['app'];
interface Entry {
  id: string;
  name: string;
  idNumber: string | null;
  areaCode: string;
  nextDueOn: string | null;
  dueStatus: string;
  riskColour: string;
  version: number;
}
interface Detail {
  created?: boolean;
  entry: Entry & { closedReason: string | null };
  states: { riskLevel: number | null; reason: string | null }[];
  visits: unknown[];
}

const VILLAGE = '511921108209'; // 王坪村: t-chief's scope
const GRID = '511921108209001'; // t-worker's grid
const ID_NUMBER = '511921199001011234';
/** An entry in another village of the township, outside t-chief's and t-worker's scope. */
const OTHER = 'T-SP-OTHER-VILLAGE';

let app: App;
let db: Database;
let chief: TestBrowser;
let worker: TestBrowser;
let township: TestBrowser;
let county: TestBrowser;
/** A household in t-worker's grid (王坪村's only grid), and one in another village of 沙溪镇. */
let inGrid: { code: string; cellCode: string };
let otherGrid: { code: string; cellCode: string };
const today = shanghaiDay(new Date());

async function householdUnder(prefix: string, notUnder?: string) {
  const [row] = await db.rows<{ code: string; cellCode: string }>(sql`
    SELECT code, cell_code AS "cellCode" FROM households
    WHERE cell_code ^@ ${prefix} ${notUnder ? sql`AND NOT cell_code ^@ ${notUnder}` : sql``} ORDER BY code LIMIT 1`);
  return row!;
}

async function auditCount(username: string, action: string, targetId?: string): Promise<number> {
  const [row] = await db.rows<{ n: number }>(sql`
    SELECT count(*)::int AS n FROM audit_log WHERE actor_username = ${username} AND action = ${action}
      ${targetId ? sql`AND target_id = ${targetId}` : sql``}`);
  return row!.n;
}

/**
 * Every entry a list query gives, page after page: other files put overdue entries in the same
 * village (the access matrix), which come first by due day.
 */
async function listAll(browser: TestBrowser, query: string): Promise<Entry[]> {
  const entries: Entry[] = [];
  for (let page = 1; ; page++) {
    const answer = await okJson<{ entries: Entry[]; total: number }>(
      browser.get(`/api/special/entries?${query}&pageSize=200&page=${page}`),
      'list',
    );
    entries.push(...answer.entries);
    if (answer.entries.length === 0 || entries.length >= answer.total) return entries;
  }
}

const register = (body: Record<string, unknown>) => chief.request('POST', '/api/special/entries', body);

let mental: Detail;
let correction: Detail;

beforeAll(async () => {
  ({ app, db } = await testApp());
  chief = await signedInBrowser(app, 't-chief');
  worker = await signedInBrowser(app, 't-worker');
  // Commanders of their own: other files (the access matrix) open break-the-glass grants for the
  // shared test accounts, which would let them read this file's people.
  for (const [username, role, scopeCode] of [
    ['sp-reg-township', 'township_commander', '511921108'],
    ['sp-reg-county', 'county_commander', '511921'],
  ] as const)
    await createAccountAsSystem(db, { username, displayName: username, role, scopeCode, password: TEST_PASSWORD });
  township = await signedInBrowser(app, 'sp-reg-township');
  county = await signedInBrowser(app, 'sp-reg-county');
  inGrid = await householdUnder(GRID);
  otherGrid = await householdUnder('511921108', VILLAGE);
  await db.rows(sql`
    INSERT INTO special_people (id, category, name, household_code, area_code, registered_on, next_due_on)
    VALUES (${OTHER}, 'rental_house', '别村出租屋', ${otherGrid.code}, ${otherGrid.cellCode}, '2026-01-01', '2026-04-01')`);
  mental = await okJson<Detail>(
    register({
      clientId: 'reg-test-mental-1',
      category: 'severe_mental_illness',
      name: '测试患者甲',
      idNumber: ID_NUMBER,
      phone: '13800000001',
      householdCode: inGrid.code,
      riskLevel: 2,
    }),
    'register',
  );
  correction = await okJson<Detail>(
    register({
      clientId: 'reg-test-correction-1',
      category: 'community_correction',
      name: '测试矫正乙',
      householdCode: inGrid.code,
      supervisionGrade: 'normal',
    }),
    'register',
  );
});

describe('registering', () => {
  it('puts the entry in the household’s cell with its first state and due day', () => {
    expect(mental.created).toBe(true);
    expect(mental.entry.areaCode).toBe(inGrid.cellCode);
    expect(mental.entry.nextDueOn).toBe(addDays(today, 30));
    expect(mental.states).toMatchObject([{ riskLevel: 2, reason: '登记' }]);
    expect(correction.entry.nextDueOn).toBe(addDays(today, 15));
    expect(correction.entry.riskColour).toBe('yellow');
  });

  it('answers a retry with the same clientId with the entry the first try wrote', async () => {
    const retry = await register({
      clientId: 'reg-test-mental-1',
      category: 'severe_mental_illness',
      name: '测试患者甲',
      householdCode: inGrid.code,
      riskLevel: 2,
    });
    expect(retry.status).toBe(200);
    const answer = (await retry.json()) as Detail;
    expect(answer).toMatchObject({ created: false, entry: { id: mental.entry.id } });
    expect(await auditCount('t-chief', 'special.register', mental.entry.id)).toBe(1);
  });

  it('refuses a household outside the caller’s scope and a field the category has not', async () => {
    const outside = await householdUnder('511921112200');
    const far = await register({ clientId: 'reg-test-out', category: 'rental_house', name: '外村', householdCode: outside.code });
    expect(far.status).toBe(404);
    const wrong = await register({
      clientId: 'reg-test-wrong',
      category: 'rental_house',
      name: '出租屋',
      householdCode: inGrid.code,
      riskLevel: 3,
    });
    expect(wrong.status).toBe(400);
  });
});

describe('scope and personal fields', () => {
  it.each([
    ['grid worker', () => worker],
    ['grid chief', () => chief],
  ])('shows a %s only their own area, even when asked for the township', async (_role, browser) => {
    const listed = await listAll(browser(), 'area=511921108');
    const ids = listed.map((entry) => entry.id);
    expect(ids).toEqual(expect.arrayContaining([mental.entry.id, correction.entry.id]));
    expect(ids).not.toContain(OTHER);
    expect(listed.every((entry) => entry.areaCode.startsWith(GRID))).toBe(true);
    expect((await browser().get(`/api/special/entries/${OTHER}`)).status).toBe(404);
    const due = await okJson<{ overdue: Entry[]; dueSoon: Entry[] }>(browser().get('/api/special/due?area=511921108'), 'due');
    expect([...due.overdue, ...due.dueSoon].every((entry) => entry.areaCode.startsWith(GRID))).toBe(true);
  });

  it('masks the id number in lists and gives it whole in the detail to the entry’s own scope', async () => {
    const list = await listAll(worker, `area=${GRID}`);
    expect(list.find((entry) => entry.id === mental.entry.id)?.idNumber).toBe('511921********1234');
    const detail = await okJson<Detail>(worker.get(`/api/special/entries/${mental.entry.id}`), 'detail');
    expect(detail.entry.idNumber).toBe(ID_NUMBER);
  });

  it.each([
    ['township commander', () => township],
    ['county commander', () => county],
  ])('refuses a %s the personal routes (403)', async (_role, browser) => {
    for (const path of [
      `/api/special/entries?area=${VILLAGE}`,
      `/api/special/entries/${mental.entry.id}`,
      `/api/special/due?area=${VILLAGE}`,
      `/api/special/entries/export.csv?area=${VILLAGE}`,
    ])
      expect({ path, status: (await browser().get(path)).status }).toEqual({ path, status: 403 });
  });

  it('lets a township commander who broke the glass for a village read it, id numbers masked, each read audited with the grant', async () => {
    const opened = await township.request('POST', '/api/special/grants', {
      clientId: crypto.randomUUID(),
      areaCode: VILLAGE,
      reason: '王坪村发生山体滑坡，需核实受威胁的重点人员',
      hours: 1,
    });
    expect(opened.status).toBe(200);
    const { grant } = (await opened.json()) as { grant: { id: string } };
    try {
      const list = await listAll(township, `area=${VILLAGE}`);
      expect(list.map((entry) => entry.id)).toContain(mental.entry.id);
      const detail = await okJson<Detail>(township.get(`/api/special/entries/${mental.entry.id}`), 'detail');
      expect(detail.entry.idNumber).toBe('511921********1234');
      // The grant holds the village, not the township around it.
      expect((await township.get('/api/special/entries?area=511921108')).status).toBe(403);
      const [read] = await db.rows<{ details: { basis: string; grantId: string } }>(sql`
        SELECT details FROM audit_log WHERE actor_username = 'sp-reg-township' AND action = 'special.read'
        ORDER BY id DESC LIMIT 1`);
      expect(read!.details).toMatchObject({ basis: 'grant', grantId: grant.id });
    } finally {
      expect((await township.request('POST', `/api/special/grants/${grant.id}/revoke`)).status).toBe(200);
    }
    expect((await township.get(`/api/special/entries?area=${VILLAGE}`)).status).toBe(403);
  });
});

describe('audit of every personal read', () => {
  it('records the list, the detail, the due list and both exports', async () => {
    // A worker of its own, so that no other file's reads (the access matrix reads as t-worker) count here.
    await createAccountAsSystem(db, {
      username: 'sp-reg-worker',
      displayName: '重点人群审计网格员',
      role: 'grid_worker',
      scopeCode: GRID,
      password: TEST_PASSWORD,
    });
    const worker = await signedInBrowser(app, 'sp-reg-worker');
    const before = {
      list: await auditCount('sp-reg-worker', 'special.list'),
      read: await auditCount('sp-reg-worker', 'special.read', mental.entry.id),
      due: await auditCount('sp-reg-worker', 'special.due_read'),
      export: await auditCount('sp-reg-worker', 'special.export'),
    };
    await okJson(worker.get(`/api/special/entries?area=${GRID}&category=severe_mental_illness`), 'list');
    await okJson(worker.get(`/api/special/entries/${mental.entry.id}`), 'detail');
    await okJson(worker.get(`/api/special/due?area=${GRID}`), 'due');
    const csv = await worker.get(`/api/special/entries/export.csv?area=${GRID}`);
    const xlsx = await worker.get(`/api/special/entries/export.xlsx?area=${GRID}`);
    expect([csv.status, xlsx.status]).toEqual([200, 200]);
    expect({
      list: await auditCount('sp-reg-worker', 'special.list'),
      read: await auditCount('sp-reg-worker', 'special.read', mental.entry.id),
      due: await auditCount('sp-reg-worker', 'special.due_read'),
      export: await auditCount('sp-reg-worker', 'special.export'),
    }).toEqual({ list: before.list + 1, read: before.read + 1, due: before.due + 1, export: before.export + 2 });

    const text = await csv.text();
    const [provenance, header] = text.replace(/^\uFEFF/, '').split('\r\n');
    expect(provenance).toMatch(/^导出人：.*（sp-reg-worker）,导出时间：\d{4}-\d{2}-\d{2} \d{2}:\d{2}（北京时间）$/);
    expect(header?.startsWith('登记编号,类别,姓名/房屋,身份证号')).toBe(true);
    expect(text).toContain('511921********1234');
    expect(text).not.toContain(ID_NUMBER);

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(String(sheet.getRow(1).getCell(1).value)).toMatch(/^导出人：.*（sp-reg-worker）$/);
    expect(workbook.creator).toMatch(/（sp-reg-worker）$/);
  });
});

describe('keeping the register', () => {
  it('refuses a stale edit with 409 and a message that says what to do', async () => {
    const edit = { version: mental.entry.version, name: '测试患者甲', householdCode: inGrid.code, phone: '13800000002' };
    const first = await okJson<Detail>(chief.request('PATCH', `/api/special/entries/${mental.entry.id}`, edit), 'edit');
    expect(first.entry.version).toBe(mental.entry.version + 1);
    const stale = await chief.request('PATCH', `/api/special/entries/${mental.entry.id}`, { ...edit, phone: '13800000003' });
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({
      error: { code: 'special_entry_stale', message: '该登记已被他人修改，请刷新后重新填写' },
    });
  });

  it('changes the risk level with a reason, brings the visit forward, and does not add a second row on a retry', async () => {
    const current = await okJson<Detail>(chief.get(`/api/special/entries/${mental.entry.id}`), 'detail');
    const change = { version: current.entry.version, riskLevel: 4, reason: '评估为4级' };
    const changed = await okJson<Detail>(chief.request('POST', `/api/special/entries/${mental.entry.id}/state`, change), 'state');
    expect(changed.entry.nextDueOn).toBe(addDays(today, 7));
    expect(changed.entry.riskColour).toBe('red');
    expect(changed.states[0]).toMatchObject({ riskLevel: 4, reason: '评估为4级' });
    const retry = await okJson<Detail>(chief.request('POST', `/api/special/entries/${mental.entry.id}/state`, change), 'retry');
    expect(retry.states).toHaveLength(2);
  });

  it('closes an entry: nothing due, and closing again answers it as it is', async () => {
    const current = await okJson<Detail>(chief.get(`/api/special/entries/${correction.entry.id}`), 'detail');
    const close = { version: current.entry.version, reason: '矫正期满' };
    const closed = await okJson<Detail>(
      chief.request('POST', `/api/special/entries/${correction.entry.id}/close`, close),
      'close',
    );
    expect(closed.entry).toMatchObject({ nextDueOn: null, dueStatus: 'none', closedReason: '矫正期满' });
    expect((await chief.request('POST', `/api/special/entries/${correction.entry.id}/close`, close)).status).toBe(200);
    expect(await auditCount('t-chief', 'special.close', correction.entry.id)).toBe(1);
  });
});

describe('rules', () => {
  it('lets any special.view role read them and only the county set them, recomputing the category’s due days', async () => {
    const rules = await okJson<{ versions: { category: string; current: boolean }[] }>(
      township.get('/api/special/rules'),
      'rules',
    );
    expect(rules.versions.filter((version) => version.current)).toHaveLength(5);
    const house = await okJson<Detail>(
      register({ clientId: 'reg-test-house-1', category: 'rental_house', name: '测试出租屋', householdCode: inGrid.code }),
      'register',
    );
    expect(house.entry.nextDueOn).toBe(addDays(today, 90));
    const set = (intervalDays: number) =>
      county.request('PUT', '/api/special/rules/rental_house', { effectiveFrom: today, rule: { intervalDays } });
    const answer = await okJson<{ recomputed: number }>(set(30), 'set rule');
    expect(answer.recomputed).toBeGreaterThan(0);
    expect((await okJson<Detail>(chief.get(`/api/special/entries/${house.entry.id}`), 'detail')).entry.nextDueOn).toBe(
      addDays(today, 30),
    );
    await okJson(set(90), 'restore the default'); // the same day's version is replaced
    expect((await okJson<Detail>(chief.get(`/api/special/entries/${house.entry.id}`), 'detail')).entry.nextDueOn).toBe(
      addDays(today, 90),
    );
    const bad = await county.request('PUT', '/api/special/rules/rental_house', {
      effectiveFrom: today,
      rule: { intervalDays: 0 },
    });
    expect(bad.status).toBe(400);
    const past = await county.request('PUT', '/api/special/rules/rental_house', {
      effectiveFrom: '2020-01-01',
      rule: { intervalDays: 30 },
    });
    expect(past.status).toBe(400);
  });
});
