import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { createAccountAsSystem } from '../../api/accounts/service.ts';
import type { Database } from '../../api/db/client.ts';
import { insertTestReport, type TestReportOptions } from './support/reports.ts';
import { signedInBrowser, TEST_PASSWORD, type TestBrowser } from './support/sessions.ts';
import { testApp } from './support/test-database.ts';

/** 王坪村 (沙溪镇, rural), its first grid's first cell: inside every test account's scope. */
export const WANGPING_CELL = '511921108209001001';
const WANGPING_GRID = '511921108209001';
export const SHAXI = '511921108';
/** 红江村 (涪阳镇): outside every scope but the county's. */
export const HONGJIANG_CELL = '511921112200001001';
/** 城南社区 in 壁州街道, the urban core. */
export const URBAN_CELL = '511921001001001001';

/**
 * Department cadres for the workflow tests: D05 (县水利局), D07 (县住房和城乡建设局) and one
 * without a department, all sent down to 王坪村's first grid.
 */
export const CADRES = { D05: 'cases-cadre-d05', D07: 'cases-cadre-d07', none: 'cases-cadre-none' } as const;

let cadres: Promise<void> | undefined;

function ensureCadres(db: Database): Promise<void> {
  cadres ??= (async () => {
    for (const [department, username] of Object.entries(CADRES)) {
      const { id } = await createAccountAsSystem(db, {
        username,
        displayName: `${department} 下沉干部`,
        role: 'department_cadre',
        scopeCode: WANGPING_GRID,
        password: TEST_PASSWORD,
      });
      if (department !== 'none') await db.rows(sql`UPDATE accounts SET department_code = ${department} WHERE id = ${id}`);
    }
  })();
  return cadres;
}

type App = Awaited<ReturnType<typeof testApp>>['app'];

/** The app, the database, and signed-in browsers by username (signed in once per file). */
export async function casesContext() {
  const { app, db } = await testApp();
  await ensureCadres(db);
  const browsers = new Map<string, TestBrowser>();
  const as = async (username: string): Promise<TestBrowser> => {
    let browser = browsers.get(username);
    if (!browser) {
      browser = await signedInBrowser(app as App, username);
      browsers.set(username, browser);
    }
    return browser;
  };
  return { app, db, as };
}

export async function newCase(
  db: Database,
  options: Partial<TestReportOptions> = {},
): Promise<{ id: string; caseNumber: string }> {
  return insertTestReport(db, { cellCode: WANGPING_CELL, ...options });
}

export async function versionOf(db: Database, id: string): Promise<number> {
  const [row] = await db.rows<{ version: number }>(sql`SELECT version FROM reports WHERE id = ${id}`);
  return Number(row!.version);
}

export async function stepCount(db: Database, id: string): Promise<number> {
  const [row] = await db.rows<{ count: number }>(sql`SELECT count(*)::int AS count FROM case_steps WHERE report_id = ${id}`);
  return row!.count;
}

/** Live events about the case, oldest first. */
export interface CaseLiveEvent {
  type: string;
  scopeCode: string;
  payload: { case: { id: string; state: string }; step?: { action: string }; fromLevel?: string; toLevel?: string };
}

export async function liveEventsOf(db: Database, id: string): Promise<CaseLiveEvent[]> {
  return db.rows(sql`
    SELECT type, scope_code AS "scopeCode", payload FROM live_events WHERE payload->'case'->>'id' = ${id} ORDER BY id`);
}

/** Takes an action as `browser` on the case's current version; returns the raw response. */
export async function act(
  db: Database,
  browser: TestBrowser,
  id: string,
  action: string,
  fields: Record<string, unknown> = {},
): Promise<Response> {
  return browser.request('POST', `/api/cases/${id}/actions`, {
    action,
    clientId: randomUUID(),
    version: await versionOf(db, id),
    ...fields,
  });
}

/** As `act`, failing unless the server answers 200; returns the body. */
export async function actOk(
  db: Database,
  browser: TestBrowser,
  id: string,
  action: string,
  fields: Record<string, unknown> = {},
) {
  const response = await act(db, browser, id, action, fields);
  if (response.status !== 200) throw new Error(`${action} on ${id}: ${response.status} ${await response.text()}`);
  // The body as the web client gets it; tests read into it freely.
  // biome-ignore lint/suspicious/noExplicitAny: response bodies in tests
  return response.json() as Promise<{ case: any; step: any; replayed: boolean }>;
}

/** A return call (回访) recorded by `browser`: the resident's satisfaction, which moves a closed case to evaluated. */
export async function returnCall(browser: TestBrowser, id: string, score: number) {
  const response = await browser.request('POST', `/api/cases/${id}/evaluations/return-call`, {
    clientId: randomUUID(),
    score,
    calledName: '王大姐',
    calledPhone: '13800001234',
  });
  if (response.status !== 201) throw new Error(`return call on ${id}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** The other two parties of the three-party evaluation: the lead department's view (its cadre), the grid worker's rating of it. */
export async function otherParties(cadre: TestBrowser, worker: TestBrowser, id: string) {
  for (const [browser, party] of [
    [cadre, 'department'],
    [worker, 'grid-worker'],
  ] as const) {
    const response = await browser.request('POST', `/api/cases/${id}/evaluations/${party}`, { clientId: randomUUID(), score: 4 });
    if (response.status !== 201) throw new Error(`${party} evaluation of ${id}: ${response.status} ${await response.text()}`);
  }
}

export type Stage = 'reported' | 'filed' | 'dispatched' | 'acknowledged' | 'handled' | 'closed' | 'evaluated' | 'parked';

/**
 * A new case in 王坪村 driven through the workflow to `stage` over HTTP: filed and dispatched by
 * the duty officer to 沙溪镇 and D05 (县水利局), acknowledged and handled by the D05 cadre,
 * checked by the duty officer, evaluated on the duty officer's return call (回访); parked on the cadre's request approved by 沙溪镇.
 */
export async function caseAt(
  context: Awaited<ReturnType<typeof casesContext>>,
  stage: Stage,
  options: Partial<TestReportOptions> = {},
): Promise<string> {
  const { db, as } = context;
  const { id } = await newCase(db, options);
  const order: Stage[] = ['reported', 'filed', 'dispatched', 'acknowledged', 'handled', 'closed', 'evaluated'];
  const target = stage === 'parked' ? 'acknowledged' : stage;
  const duty = await as('t-duty');
  const cadre = await as(CADRES.D05);
  const steps: [Stage, () => Promise<unknown>][] = [
    ['filed', () => actOk(db, duty, id, 'file')],
    ['dispatched', () => actOk(db, duty, id, 'dispatch', { townshipCode: SHAXI, departmentCode: 'D05' })],
    ['acknowledged', () => actOk(db, cadre, id, 'acknowledge')],
    ['handled', () => actOk(db, cadre, id, 'feedback', { note: '已清理落石，设置警示牌' })],
    ['closed', () => actOk(db, duty, id, 'check', { passed: true })],
    ['evaluated', () => returnCall(duty, id, 5)],
  ];
  for (const [reached, step] of steps) {
    if (order.indexOf(reached) > order.indexOf(target)) break;
    await step();
  }
  if (stage === 'parked') {
    await actOk(db, cadre, id, 'request_park', { note: '需等待汛期过后施工' });
    await actOk(db, await as('t-shaxi'), id, 'approve');
  }
  return id;
}
