import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountAsSystem } from '../../api/accounts/service.ts';
import { can } from '../../api/auth/permissions.ts';
import { escalateOverdue } from '../../api/cases/escalation.ts';
import type { Database } from '../../api/db/client.ts';
import { STEP_KINDS } from '../../api/vocabulary/case-timeline.ts';
import { LIVE_EVENT_TYPES } from '../../api/vocabulary/live-events.ts';
import { actOk, otherParties, returnCall } from './cases-fixtures.ts';
import { walkAndStop } from './support/patrols.ts';
import { insertTestReport } from './support/reports.ts';
import { okJson as ok, signedInBrowser, TEST_PASSWORD, type TestBrowser } from './support/sessions.ts';
import { isLogEvent, type SseMessage, SseReader } from './support/sse.ts';
import { remindAndSweep } from './support/task-fixtures.ts';
import { testApp } from './support/test-database.ts';
import { dispatchToEachSide } from './tasks-fixtures.ts';

/**
 * Issue 14: every live event payload and every timeline step is cut to its reader's scope. A
 * county commander acts across two neighbouring townships (沙溪镇 and one it borders): a control
 * zone over the border with everyone alerted, acknowledgements from both sides, a 沙溪镇 case
 * merged into the neighbour's, and every other step kind of the workflow. Then no stream (live
 * and replayed after a reconnect with Last-Event-ID) and no timeline (the case page, the lists
 * and exports) of an account of one township may name a code, a person, an account or a case of
 * the other. The event types and step kinds are enumerated from the vocabulary, so a new one
 * without a scenario here fails the first test.
 */

type App = Awaited<ReturnType<typeof testApp>>['app'];
let app: App;
let db: Database;

const SHAXI = '511921108';
// biome-ignore format: a square's corners read best on one line
const CORNERS = [[-1, -1], [1, -1], [1, 1], [-1, 1], [-1, -1]] as const;

interface Township {
  code: string;
  name: string;
  /** The cell on the shared border, and its grid. */
  cell: string;
  grid: string;
}

/** What a reader of one township must never be told about the other. */
interface Side extends Township {
  /** Case ids, case numbers, descriptions, person ids and names, account ids and names of this side. */
  secrets: Set<string>;
}

interface Reader {
  username: string;
  side: 'shaxi' | 'neighbour';
  scopeCode: string;
  /** May view patrols: only then does it hear where workers are (patrol.moved). */
  hearsPatrols: boolean;
  browser: TestBrowser;
  live: SseReader;
  /** Log events the live stream brought. */
  received: SseMessage[];
}

const sides = {} as Record<'shaxi' | 'neighbour', Side>;
const readers: Reader[] = [];
let county: TestBrowser;
let cadre: TestBrowser;
let startId = 0;
const caseIds: string[] = [];
/** Every leak found: where (an event type, a step kind, or another read), who read it, and which secret. */
const leaks: { where: string; reader: string; secret: string }[] = [];
/** Event types and step kinds seen by some reader: the scenario must produce each. */
const producedEvents = new Set<string>();
const producedSteps = new Set<string>();

/** The county commander's (or a handler's) action on a case, which must succeed. */
const act = (browser: TestBrowser, id: string, action: string, fields: Record<string, unknown> = {}) =>
  actOk(db, browser, id, action, fields);

async function account(username: string, role: string, scopeCode: string, side: Side, departmentCode?: string) {
  const displayName = `${username}-名`;
  const fields = { username, displayName, scopeCode, password: TEST_PASSWORD };
  const { id } = await createAccountAsSystem(db, { ...fields, role: role as never });
  if (departmentCode) await db.rows(sql`UPDATE accounts SET department_code = ${departmentCode} WHERE id = ${id}`);
  side.secrets.add(id);
  side.secrets.add(displayName);
  return signedInBrowser(app, username);
}

async function caseIn(side: Side, description: string): Promise<string> {
  const marked = `${description}-${randomUUID().slice(0, 8)}`;
  const { id, caseNumber } = await insertTestReport(db, { cellCode: side.cell, description: marked, type: 'landslide' });
  for (const secret of [id, caseNumber, marked]) side.secrets.add(secret);
  caseIds.push(id);
  return id;
}

async function reportAs(browser: TestBrowser, side: Side): Promise<string> {
  const [point] = await db.rows<{ lng: number; lat: number }>(
    sql`SELECT ST_X(p) AS lng, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(geom) AS p FROM areas WHERE code = ${side.cell}) s`,
  );
  const description = `上报-${randomUUID().slice(0, 8)}`;
  const body = (await ok(
    browser.request('POST', '/api/reports', {
      clientId: randomUUID(),
      type: 'landslide',
      urgency: 'urgent',
      description,
      lng: point!.lng,
      lat: point!.lat,
    }),
    'report',
  )) as { report: { id: string; caseNumber: string } };
  for (const secret of [body.report.id, body.report.caseNumber, description]) side.secrets.add(secret);
  caseIds.push(body.report.id);
  return body.report.id;
}

/** The other side's secret that `text` names, if any (codes by prefix: every code inside a township starts with its own). */
function leakIn(text: string, reader: Reader): string | null {
  const other = sides[reader.side === 'shaxi' ? 'neighbour' : 'shaxi'];
  if (text.includes(other.code)) return other.code;
  if (text.includes(other.name)) return other.name;
  for (const secret of other.secrets) if (text.includes(secret)) return secret;
  return null;
}

function scan(where: string, text: string, reader: Reader): void {
  const secret = leakIn(text, reader);
  if (secret) leaks.push({ where, reader: reader.username, secret });
}

function scanEvent(message: SseMessage, reader: Reader, how: string): void {
  producedEvents.add(message.event);
  scan(`event ${message.event} (${how})`, message.data, reader);
}

beforeAll(async () => {
  ({ app, db } = await testApp());
  // A 沙溪镇 cell on the border with another township, the neighbour's cell across it, and a point on the border.
  const [border] = await db.rows<{ shaxiCell: string; neighbourCell: string; lng: number; lat: number }>(sql`
    SELECT a.code AS "shaxiCell", b.code AS "neighbourCell",
           ST_X(ST_PointOnSurface(ST_Intersection(a.geom, b.geom))) AS lng, ST_Y(ST_PointOnSurface(ST_Intersection(a.geom, b.geom))) AS lat
    FROM areas a JOIN areas b ON a.geom && b.geom AND ST_Intersects(a.geom, b.geom)
    WHERE a.level = 'cell' AND b.level = 'cell' AND a.code LIKE ${`${SHAXI}%`} AND b.code NOT LIKE ${`${SHAXI}%`}
    ORDER BY a.code, b.code LIMIT 1`);
  if (!border) throw new Error('沙溪镇 borders no other township in the test county');
  const township = async (cell: string): Promise<Side> => {
    const code = cell.slice(0, 9);
    const [row] = await db.rows<{ name: string }>(sql`SELECT name FROM areas WHERE code = ${code}`);
    return { code, name: row!.name, cell, grid: cell.slice(0, 15), secrets: new Set() };
  };
  sides.shaxi = await township(border.shaxiCell);
  sides.neighbour = await township(border.neighbourCell);

  county = await signedInBrowser(app, 't-county');
  const tag = randomUUID().slice(0, 6);
  for (const key of ['shaxi', 'neighbour'] as const) {
    const side = sides[key];
    for (const [role, scopeCode] of [
      ['township_commander', side.code],
      ['grid_worker', side.grid],
      ['cell_informant', side.cell],
    ] as const) {
      const username = `sp-${key.slice(0, 1)}-${role.slice(0, 6)}-${tag}`;
      const browser = await account(username, role, scopeCode, side);
      const hearsPatrols = can(role, 'patrols.view');
      readers.push({ username, side: key, scopeCode, hearsPatrols, browser, live: null as never, received: [] });
    }
  }
  cadre = await account(`sp-cadre-${tag}`, 'department_cadre', sides.shaxi.grid, sides.shaxi, 'D05');
  // People who may be alerted on each side: their ids and names are secrets of their side.
  for (const side of Object.values(sides)) {
    const people = await db.rows<{ id: string; name: string }>(
      sql`SELECT id, name FROM people WHERE area_code LIKE ${`${side.code}%`}`,
    );
    for (const person of people) {
      side.secrets.add(person.id);
      side.secrets.add(person.name);
    }
  }

  const [{ max } = { max: 0 }] = await db.rows<{ max: number }>(sql`SELECT coalesce(max(id), 0)::int AS max FROM live_events`);
  startId = max;
  for (const reader of readers) {
    const response = await reader.browser.get('/api/live/events', { 'Last-Event-ID': String(startId) });
    expect(response.status).toBe(200);
    reader.live = new SseReader(response.body!);
  }

  await runScenario(border);

  // Everything each stream should have heard by now: up to the last event in its scope.
  for (const reader of readers) {
    const [{ last } = { last: 0 }] = await db.rows<{ last: number }>(
      sql`SELECT coalesce(max(id), 0)::int AS last FROM live_events WHERE id > ${startId} AND scope_code LIKE ${`${reader.scopeCode}%`}
        AND (type <> 'patrol.moved' OR ${reader.hearsPatrols})`,
    );
    const messages: SseMessage[] = [];
    while (last > 0 && !messages.some((message) => message.id === String(last))) {
      const message = await reader.live.next(15_000);
      if (!message) break;
      messages.push(message);
    }
    reader.received = messages.filter(isLogEvent);
    for (const message of reader.received) scanEvent(message, reader, 'live');
    // Reconnect as a browser would after a drop: the replay goes through the same cut.
    const again = await reader.browser.get('/api/live/events', { 'Last-Event-ID': String(startId) });
    const replay = new SseReader(again.body!);
    const until: SseMessage[] = [];
    for (;;) {
      const message = await replay.next(15_000);
      if (!message || message.event === 'ready') break;
      until.push(message);
    }
    await replay.close();
    for (const message of until.filter(isLogEvent)) scanEvent(message, reader, 'replay');
  }

  // Timelines and every other read that carries steps or case references.
  for (const reader of readers) {
    for (const id of caseIds) {
      const response = await reader.browser.get(`/api/cases/${id}`);
      if (response.status === 404) continue;
      const body = (await ok(response, `case ${id}`)) as { case: { steps: { action: string }[] } };
      const { steps, ...rest } = body.case;
      for (const step of steps) {
        producedSteps.add(step.action);
        scan(`step ${step.action}`, JSON.stringify(step), reader);
      }
      scan('case detail', JSON.stringify(rest), reader);
    }
    for (const path of ['/api/cases/export.csv', '/api/cases?pageSize=200', '/api/cases/mine', '/api/reports/mine']) {
      const response = await reader.browser.get(path);
      if (response.status === 403) continue;
      expect(response.status, path).toBe(200);
      scan(path, await response.text(), reader);
    }
  }
  const counts = new Map<string, number>();
  for (const leak of leaks) counts.set(leak.where, (counts.get(leak.where) ?? 0) + 1);
  console.info(`scoped payloads: ${leaks.length} leaks`, Object.fromEntries([...counts].sort()));
}, 300_000);

afterAll(async () => {
  for (const reader of readers) await reader.live?.close();
});

async function runScenario(border: { lng: number; lat: number }): Promise<void> {
  const { shaxi, neighbour } = sides;
  const informantOf = (key: 'shaxi' | 'neighbour') =>
    readers.find((reader) => reader.side === key && reader.scopeCode === sides[key].cell)!.browser;
  const workerOf = (key: 'shaxi' | 'neighbour') =>
    readers.find((reader) => reader.side === key && reader.scopeCode === sides[key].grid)!.browser;

  // report.created and the report step: the 沙溪镇 informant reports on the border.
  const reported = await reportAs(informantOf('shaxi'), shaxi);
  const across = await caseIn(neighbour, '涪阳对面');

  // The whole workflow on a 沙溪镇 case, by the county commander and the D05 cadre.
  await act(county, reported, 'file');
  await act(county, reported, 'dispatch', { townshipCode: shaxi.code, departmentCode: 'D05', coDepartmentCodes: ['D07'] });
  await act(county, reported, 'supervise', { note: '请尽快处置' });

  // A control zone across the border, everyone in it alerted, acknowledgements from both sides.
  const half = 0.01;
  const { lng, lat } = border;
  await ok(
    county.request('PUT', `/api/cases/${reported}/control-zone`, {
      type: 'Polygon',
      coordinates: [CORNERS.map(([x, y]) => [lng + x * half, lat + y * half])],
    }),
    'control zone',
  );
  await ok(county.request('POST', `/api/cases/${reported}/alerts`, { clientId: randomUUID() }), 'alerts');
  for (const key of ['shaxi', 'neighbour'] as const) {
    for (const browser of [informantOf(key), workerOf(key)]) {
      const mine = (await ok(browser.get('/api/alerts/mine'), 'my alerts')) as { alerts: { id: string; reportId: string }[] };
      for (const alert of mine.alerts.filter((item) => item.reportId === reported)) {
        await ok(browser.request('POST', `/api/alerts/${alert.id}/acknowledge`), 'acknowledge');
      }
    }
  }

  await act(cadre, reported, 'acknowledge');
  await act(cadre, reported, 'handle', { note: '已到现场' });
  await act(cadre, reported, 'request_extension', { note: '需要更多时间', amount: 2, unit: 'hours' });
  await act(county, reported, 'approve');
  await act(cadre, reported, 'request_park', { note: '等待汛期过后' });
  await act(county, reported, 'approve');
  await act(county, reported, 'resume');
  await act(cadre, reported, 'request_send_back', { note: '不属本部门' });
  await act(county, reported, 'deny');
  await act(cadre, reported, 'feedback', { note: '已清理' });
  await act(county, reported, 'check', { passed: false, note: '未清理干净' });
  await act(cadre, reported, 'feedback', { note: '已清理干净' });
  await act(county, reported, 'check', { passed: true });
  await returnCall(county, reported, 5);
  await otherParties(cadre, workerOf('shaxi'), reported);

  const rejected = await caseIn(shaxi, '不予立案');
  await act(county, rejected, 'reject', { note: '不属于受理范围' });
  const cancelled = await caseIn(shaxi, '作废');
  await act(county, cancelled, 'file');
  await act(county, cancelled, 'dispatch', { townshipCode: shaxi.code, departmentCode: 'D05' });
  await act(cadre, cancelled, 'request_cancel', { note: '重复上报' });
  await act(county, cancelled, 'approve');
  const onSpot = await caseIn(shaxi, '自行处置');
  await act(workerOf('shaxi'), onSpot, 'on_spot', { note: '已现场处置' });
  // Escalation: a dispatched case whose deadline has passed.
  const overdue = await caseIn(shaxi, '超时');
  await act(county, overdue, 'file');
  await act(county, overdue, 'dispatch', { townshipCode: shaxi.code, departmentCode: 'D05' });
  await db.rows(sql`UPDATE reports SET due_at = now() - interval '1 minute' WHERE id = ${overdue}`);
  await escalateOverdue(db, new Date());
  // A 沙溪镇 case merged into the neighbour's, by the county commander.
  const merged = await reportAs(informantOf('shaxi'), shaxi);
  await ok(county.request('POST', `/api/cases/${merged}/merge`, { intoId: across, clientId: randomUUID() }), 'merge');

  for (const key of ['shaxi', 'neighbour'] as const) await walkAndStop(db, workerOf(key), sides[key]); // patrol.moved
  await dispatchToEachSide(county, [shaxi, neighbour], [informantOf('shaxi'), informantOf('neighbour')]); // task.*
  await ok(county.request('PUT', '/api/drill', { running: true, intervalSeconds: 600, scopeCode: shaxi.code }), 'drill');
  await ok(county.request('PUT', '/api/drill', { running: false, scopeCode: shaxi.code }), 'drill stop');
  const ours = sql`source = 'drill' AND cell_code LIKE ${`${shaxi.code}%`}
    AND reporter_id = (SELECT id FROM accounts WHERE username = 't-county')`;
  const drillCases = await db.rows<{ id: string; caseNumber: string; description: string }>(
    sql`SELECT id, case_number AS "caseNumber", description FROM reports WHERE ${ours}`,
  );
  for (const row of drillCases) for (const secret of [row.id, row.caseNumber, row.description]) shaxi.secrets.add(secret);
  await db.rows(sql`UPDATE reports SET state = 'cancelled', clock_stage = NULL, due_at = NULL WHERE ${ours}`);
  await remindAndSweep(db, county, [shaxi.grid, neighbour.grid]); // task.reminded, task.escalated
}

describe('live payloads and timelines cut to the reader’s scope (issue 14)', () => {
  it('produced every live event type and every step kind across the two townships', () => {
    expect([...LIVE_EVENT_TYPES].filter((type) => !producedEvents.has(type))).toEqual([]);
    expect([...STEP_KINDS].filter((kind) => !producedSteps.has(kind))).toEqual([]);
  });

  it.each([...LIVE_EVENT_TYPES])('no %s frame, live or replayed, names the other township', (type) => {
    expect(leaks.filter((leak) => leak.where.startsWith(`event ${type} `))).toEqual([]);
  });

  it.each([...STEP_KINDS])('no %s timeline step names the other township', (kind) => {
    expect(leaks.filter((leak) => leak.where === `step ${kind}`)).toEqual([]);
  });

  it('no case page, list, export or own-work read names the other township', () => {
    expect(leaks.filter((leak) => !leak.where.startsWith('event ') && !leak.where.startsWith('step '))).toEqual([]);
  });

  it('still tells each reader what happened in its own township', () => {
    const shaxiCommander = readers.find((reader) => reader.side === 'shaxi' && reader.scopeCode === sides.shaxi.code)!;
    const types = new Set(shaxiCommander.received.map((message) => message.event));
    expect([...types].sort()).toEqual(
      expect.arrayContaining(['alert.acknowledged', 'alert.sent', 'case.changed', 'case.merged']),
    );
    const neighbourInformant = readers.find((one) => one.side === 'neighbour' && one.scopeCode === sides.neighbour.cell)!;
    expect(neighbourInformant.received.map((message) => message.event)).toContain('alert.sent');
  });
});

describe('what lies outside the reader’s scope becomes a count or a mention', () => {
  it('shows the 沙溪镇 commander its own people alerted and only counts of the others, and a merge into a case it cannot open', async () => {
    const commander = readers.find((reader) => reader.side === 'shaxi' && reader.scopeCode === sides.shaxi.code)!;
    const informant = readers.find((reader) => reader.side === 'shaxi' && reader.scopeCode === sides.shaxi.cell)!;
    const stepsOf = async (reader: Reader, id: string) =>
      ((await ok(reader.browser.get(`/api/cases/${id}`), 'case')) as { case: { steps: { action: string; details: never }[] } })
        .case.steps;
    const [alertedCase, mergedCase] = [caseIds[0]!, caseIds.at(-1)!];
    const alert = (await stepsOf(commander, alertedCase)).find((step) => step.action === 'alert')!.details as {
      alerted: { areaCode: string }[];
      alertedOutside: { count: number; inOwnTownship: number; otherTownships: number } | null;
    };
    expect(alert.alerted.length).toBeGreaterThan(0);
    expect(alert.alerted.every((person) => person.areaCode.startsWith(sides.shaxi.code))).toBe(true);
    expect(alert.alertedOutside).toMatchObject({ inOwnTownship: 0, count: expect.any(Number) });
    expect(alert.alertedOutside!.count).toBeGreaterThan(0);
    expect(alert.alertedOutside!.otherTownships).toBeGreaterThanOrEqual(1);
    // The informant answers for one cell: everyone else, in its township or not, is a count.
    const informantAlert = (await stepsOf(informant, alertedCase)).find((step) => step.action === 'alert')!.details as {
      alerted: { areaCode: string }[];
      alertedOutside: { count: number; inOwnTownship: number } | null;
    };
    // Its own cell's people, and its own grid's worker (the grid is an area the informant's cell lies in).
    expect(informantAlert.alerted.every((person) => sides.shaxi.cell.startsWith(person.areaCode))).toBe(true);
    expect(informantAlert.alertedOutside!.count).toBe(
      alert.alerted.length + alert.alertedOutside!.count - informantAlert.alerted.length,
    );
    const merge = (await stepsOf(commander, mergedCase)).find((step) => step.action === 'merge')!.details;
    expect(merge).toEqual({ intoOutside: { outsideScope: true, inOwnTownship: false } });
    const countySteps = (await ok(county.get(`/api/cases/${mergedCase}`), 'case')) as {
      case: { steps: { action: string; details: Record<string, unknown> }[]; mergedInto: string | null };
    };
    expect(countySteps.case.steps.find((step) => step.action === 'merge')!.details).toMatchObject({
      intoCellCode: sides.neighbour.cell,
    });
    expect(countySteps.case.mergedInto).not.toBeNull();
  });
});
