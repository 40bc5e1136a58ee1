import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountAsSystem } from '../../api/accounts/service.ts';
import type { Database } from '../../api/db/client.ts';
import { appendLiveEvent } from '../../api/live/events.ts';
import { actOk, HONGJIANG_CELL, WANGPING_CELL } from './cases-fixtures.ts';
import { insertTestReport } from './support/reports.ts';
import { okJson as ok, signedInBrowser, TEST_PASSWORD, type TestBrowser } from './support/sessions.ts';
import { isLogEvent, liveData, type SseMessage, SseReader } from './support/sse.ts';
import { testApp } from './support/test-database.ts';

/**
 * case.merged reaches exactly the readers who may see a case it names, each told only of the cases
 * it may read: by area (a merge across townships) and by department (a merge across two
 * departments' cases, each dispatched to its own). Landslides are D02's line (县自然资源局, the
 * county-wide t-ziran), not D05's, D07's or D04's: those see a case only when it is sent to them.
 */

type App = Awaited<ReturnType<typeof testApp>>['app'];
let app: App;
let db: Database;

const SHAXI = '511921108';
const FUYANG = '511921112';

interface Case {
  id: string;
  caseNumber: string;
}

interface Reader {
  name: string;
  scopeCode: string;
  browser: TestBrowser;
  live: SseReader;
  /** Log events of the two merges, live and as replayed after a reconnect. */
  heard: { live: SseMessage[]; replay: SseMessage[] };
}

const readers = new Map<string, Reader>();
const cases = {} as Record<'x1' | 'y1' | 'x2' | 'y2', Case>;
let startId = 0;
/** The last event each reader scope hears, by scope. */
const sentinels = new Map<string, number>();

async function cadreBrowser(name: string, scopeCode: string, departmentCode: string | null, tag: string) {
  const username = `spm-${name}-${tag}`;
  const role = departmentCode ? 'department_cadre' : 'township_commander';
  const { id } = await createAccountAsSystem(db, { username, displayName: username, role, scopeCode, password: TEST_PASSWORD });
  if (departmentCode) await db.rows(sql`UPDATE accounts SET department_code = ${departmentCode} WHERE id = ${id}`);
  return signedInBrowser(app, username);
}

/** A landslide in `cell`, filed and dispatched by the county commander to `departmentCode`. */
async function dispatched(county: TestBrowser, cell: string, departmentCode: string): Promise<Case> {
  const made = await insertTestReport(db, { cellCode: cell, type: 'landslide', description: `合并-${randomUUID().slice(0, 8)}` });
  await actOk(db, county, made.id, 'file');
  await actOk(db, county, made.id, 'dispatch', { townshipCode: cell.slice(0, 9), departmentCode });
  return made;
}

/** Reads a stream up to the sentinel event (live) or to `ready` (replay); keeps the case.merged events. */
async function merges(stream: SseReader, until: (message: SseMessage) => boolean): Promise<SseMessage[]> {
  const kept: SseMessage[] = [];
  for (;;) {
    const message = await stream.next(15_000);
    if (!message || until(message)) return kept;
    if (isLogEvent(message) && message.event === 'case.merged') kept.push(message);
  }
}

beforeAll(async () => {
  ({ app, db } = await testApp());
  const tag = randomUUID().slice(0, 6);
  const county = await signedInBrowser(app, 't-county');
  const [other] = await db.rows<{ code: string }>(sql`
    SELECT code FROM areas WHERE level = 'cell' AND code LIKE ${`${SHAXI}%`} AND code <> ${WANGPING_CELL} ORDER BY code DESC LIMIT 1`);
  // Across departments inside 沙溪镇: X1 sent to D05, merged into Y1 sent to D07.
  cases.x1 = await dispatched(county, WANGPING_CELL, 'D05');
  cases.y1 = await dispatched(county, other!.code, 'D07');
  // Across townships and departments: X2 (沙溪镇, D05) merged into Y2 (涪阳镇, D07).
  cases.x2 = await dispatched(county, WANGPING_CELL, 'D05');
  cases.y2 = await dispatched(county, HONGJIANG_CELL, 'D07');

  const browsers: [string, string, TestBrowser][] = [
    ['shaxi', SHAXI, await cadreBrowser('shaxi', SHAXI, null, tag)],
    ['fuyang', FUYANG, await cadreBrowser('fuyang', FUYANG, null, tag)],
    ['d05-shaxi', SHAXI, await cadreBrowser('d05s', SHAXI, 'D05', tag)],
    ['d07-shaxi', SHAXI, await cadreBrowser('d07s', SHAXI, 'D07', tag)],
    ['d05-fuyang', FUYANG, await cadreBrowser('d05f', FUYANG, 'D05', tag)],
    ['d07-fuyang', FUYANG, await cadreBrowser('d07f', FUYANG, 'D07', tag)],
    ['d04-shaxi', SHAXI, await cadreBrowser('d04s', SHAXI, 'D04', tag)],
    ['d02-county', '511921', await signedInBrowser(app, 't-ziran')],
  ];
  const [{ max } = { max: 0 }] = await db.rows<{ max: number }>(sql`SELECT coalesce(max(id), 0)::int AS max FROM live_events`);
  startId = max;
  for (const [name, scopeCode, browser] of browsers) {
    const response = await browser.get('/api/live/events', { 'Last-Event-ID': String(startId) });
    expect(response.status).toBe(200);
    readers.set(name, { name, scopeCode, browser, live: new SseReader(response.body!), heard: { live: [], replay: [] } });
  }

  for (const [from, into] of [
    [cases.x1, cases.y1],
    [cases.x2, cases.y2],
  ] as const) {
    await ok(county.request('POST', `/api/cases/${from.id}/merge`, { intoId: into.id, clientId: randomUUID() }), 'merge');
  }
  // An event about no case in each reader's scope (county last): once it arrives, the merges before it have too.
  const drill = { running: false, intervalSeconds: 600, startedBy: null, startedAt: null, reportsFiled: 0 };
  for (const scopeCode of [SHAXI, FUYANG, '511921']) {
    const id = await db.transaction((tx) =>
      appendLiveEvent(tx, { type: 'drill.changed', scopeCode, payload: { drill: { ...drill, scopeCode } } }),
    );
    sentinels.set(scopeCode, id);
  }

  for (const reader of readers.values()) {
    const sentinel = sentinels.get(reader.scopeCode)!;
    reader.heard.live = await merges(reader.live, (message) => message.id === String(sentinel));
    const again = await reader.browser.get('/api/live/events', { 'Last-Event-ID': String(startId) });
    const replay = new SseReader(again.body!);
    reader.heard.replay = await merges(replay, (message) => message.event === 'ready');
    await replay.close();
  }
}, 300_000);

afterAll(async () => {
  for (const reader of readers.values()) await reader.live?.close();
});

/** What a reader learned of one merge: the id of each side it was shown, or 'outside'; null when it heard nothing. */
function learned(messages: SseMessage[], from: Case): { case: string; into: string }[] | null {
  const about = messages
    .map((message) => liveData(message).payload as { case: Record<string, unknown>; into: Record<string, unknown> })
    .filter((payload) => payload.case.id === from.id || payload.into.id === mergedInto(from).id);
  if (about.length === 0) return null;
  const side = (ref: Record<string, unknown>) => (ref.outsideScope === true ? 'outside' : String(ref.id));
  // A reader whose scope holds both cases' cells hears the merge once from each: the same payload.
  const distinct = new Map(about.map((payload) => [JSON.stringify(payload), payload]));
  return [...distinct.values()].map((payload) => ({ case: side(payload.case), into: side(payload.into) }));
}

/** The cases each reader may read. */
const VISIBLE: Record<string, (keyof typeof cases)[]> = {
  shaxi: ['x1', 'y1', 'x2'],
  fuyang: ['y2'],
  'd02-county': ['x1', 'y1', 'x2', 'y2'],
  'd05-shaxi': ['x1', 'x2'],
  'd07-shaxi': ['y1'],
  'd05-fuyang': [],
  'd07-fuyang': ['y2'],
  'd04-shaxi': [],
};

const mergedInto = (from: Case): Case => (from === cases.x1 ? cases.y1 : cases.y2);

describe('case.merged is cut by area and by department (live and replayed)', () => {
  const cut = (name: string, from: 'x1' | 'x2', expected: { case: string; into: string } | null) =>
    it.each(['live', 'replay'] as const)(`${name}, ${from} merged: %s`, (how) => {
      const reader = readers.get(name)!;
      const heard = learned(reader.heard[how], cases[from]);
      const resolve = (side: string) => (side === 'outside' ? side : cases[side as keyof typeof cases].id);
      expect(heard).toEqual(expected ? [{ case: resolve(expected.case), into: resolve(expected.into) }] : null);
    });

  // Across departments, inside 沙溪镇.
  cut('shaxi', 'x1', { case: 'x1', into: 'y1' });
  cut('d02-county', 'x1', { case: 'x1', into: 'y1' });
  cut('d05-shaxi', 'x1', { case: 'x1', into: 'outside' });
  cut('d07-shaxi', 'x1', { case: 'outside', into: 'y1' });
  cut('d04-shaxi', 'x1', null);
  cut('fuyang', 'x1', null);
  cut('d07-fuyang', 'x1', null);
  // Across townships and departments.
  cut('shaxi', 'x2', { case: 'x2', into: 'outside' });
  cut('fuyang', 'x2', { case: 'outside', into: 'y2' });
  cut('d02-county', 'x2', { case: 'x2', into: 'y2' });
  cut('d05-shaxi', 'x2', { case: 'x2', into: 'outside' });
  cut('d07-shaxi', 'x2', null);
  cut('d07-fuyang', 'x2', { case: 'outside', into: 'y2' });
  cut('d05-fuyang', 'x2', null);
  cut('d04-shaxi', 'x2', null);

  it('names no case a reader may not read, and never which departments see a case', () => {
    const leaks: string[] = [];
    for (const reader of readers.values()) {
      for (const message of [...reader.heard.live, ...reader.heard.replay]) {
        if (message.data.includes('"departments"')) leaks.push(`${reader.name}: departments`);
        for (const [key, one] of Object.entries(cases)) {
          if (VISIBLE[reader.name]!.includes(key as keyof typeof cases)) continue;
          if (message.data.includes(one.id) || message.data.includes(one.caseNumber)) leaks.push(`${reader.name}: ${key}`);
        }
      }
    }
    expect(leaks).toEqual([]);
  });

  it("names in a case's timeline no case of the merge its reader may not read", async () => {
    const leaks: string[] = [];
    for (const reader of readers.values()) {
      for (const key of VISIBLE[reader.name]!) {
        const response = await reader.browser.get(`/api/cases/${cases[key].id}`);
        expect(response.status, `${reader.name} reads ${key}`).toBe(200);
        const body = await response.text();
        for (const [other, one] of Object.entries(cases)) {
          if (VISIBLE[reader.name]!.includes(other as keyof typeof cases)) continue;
          if (body.includes(one.id) || body.includes(one.caseNumber)) leaks.push(`${reader.name} in ${key}: ${other}`);
        }
        if (/"(into|from)Readable"/.test(body)) leaks.push(`${reader.name} in ${key}: the readable flag`);
      }
    }
    expect(leaks).toEqual([]);
    // The other side is named where the reader may read it: 沙溪镇's commander sees X1 merged into Y1.
    const shaxi = await (await readers.get('shaxi')!.browser.get(`/api/cases/${cases.x1.id}`)).text();
    expect(shaxi).toContain(cases.y1.caseNumber);
  });

  it('tells a cadre who may read only the merged case that it was merged', () => {
    const [payload] = readers.get('d05-shaxi')!.heard.live.map((message) => liveData(message).payload);
    expect(payload).toMatchObject({ case: { id: cases.x1.id, state: 'merged' }, into: { outsideScope: true } });
  });
});
