import { destination } from '@turf/turf';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAccountAsSystem } from '../../api/accounts/service.ts';
import type { Database } from '../../api/db/client.ts';
import type { Role } from '../../api/vocabulary/roles.ts';
import type { LngLat } from '../../geo/types.ts';
import { insertTestReport } from './support/reports.ts';
import { okJson, signedInBrowser, TEST_PASSWORD, type TestBrowser } from './support/sessions.ts';
import { testApp } from './support/test-database.ts';

type App = Awaited<ReturnType<typeof testApp>>['app'];

interface NearbyPatrol {
  patrolId: string;
  workerName: string;
  areaCode: string;
  distanceM: number;
  fixAgeS: number;
  alert: { id: string; acknowledgedAt: string | null } | null;
}
interface AlertResult {
  created: number;
  patrols: string[];
  skipped: string[];
  alerts: { id: string; personRole: string; areaCode: string }[];
}

let app: App;
let db: Database;
let caseId: string;
/** The case's point, WGS84. */
let here: LngLat;
let duty: TestBrowser;
let shaxi: TestBrowser;
/** Patrol ids by walker: a fresh fix at a known distance from the case, or one that must not count. */
const walkers: Record<string, { patrolId: string; browser: TestBrowser; areaCode: string }> = {};

/** The point `metres` east of the case. */
const east = (metres: number): LngLat => destination(here, metres, 90, { units: 'meters' }).geometry.coordinates as LngLat;

/** A fix `secondsAgo` old, `metres` east of the case. */
const fix = (secondsAgo: number, metres: number, accuracyM = 5) => {
  const [lng, lat] = east(metres);
  return {
    clientFixId: crypto.randomUUID(),
    fixedAt: new Date(Date.now() - secondsAgo * 1000).toISOString(),
    lng,
    lat,
    accuracyM,
  };
};

let accounts = 0;
/** A walker with an account of their own (role at `areaCode`), on patrol with these fixes. */
async function walk(name: string, role: Role, areaCode: string, fixes: ReturnType<typeof fix>[], end = false) {
  accounts++;
  const username = `near-${accounts}-${name}`;
  await createAccountAsSystem(db, { username, displayName: `附近${name}`, role, scopeCode: areaCode, password: TEST_PASSWORD });
  const browser = await signedInBrowser(app, username);
  const { patrol } = await okJson<{ patrol: { id: string } }>(
    browser.request('POST', '/api/patrols', {
      clientId: crypto.randomUUID(),
      startedAt: new Date(Date.now() - 3_600_000).toISOString(),
    }),
    'start',
  );
  await okJson(browser.request('POST', `/api/patrols/${patrol.id}/positions`, { fixes }), 'fixes');
  if (end) await okJson(browser.request('POST', `/api/patrols/${patrol.id}/end`, { endedAt: new Date().toISOString() }), 'end');
  walkers[name] = { patrolId: patrol.id, browser, areaCode };
}

async function nearby(browser: TestBrowser, query = 'limit=50') {
  const response = await browser.request('GET', `/api/cases/${caseId}/nearby-patrols?${query}`);
  return {
    status: response.status,
    body: (response.status === 200 ? await response.json() : await response.text()) as { patrols: NearbyPatrol[] },
  };
}

/** The listed walkers of this file, by name, in the order the server gave (other files may leave patrols elsewhere). */
function ours(patrols: NearbyPatrol[]) {
  const nameOf = new Map(Object.entries(walkers).map(([name, walker]) => [walker.patrolId, name]));
  return patrols
    .filter((patrol) => nameOf.has(patrol.patrolId))
    .map((patrol) => ({ ...patrol, name: nameOf.get(patrol.patrolId)! }));
}

beforeAll(async () => {
  ({ app, db } = await testApp());
  // A village of 沙溪镇 other than 王坪村 (where the other files walk), with three cells in its first grid.
  const cells = await db.rows<{ code: string }>(sql`
    SELECT code FROM areas WHERE level = 'cell' AND code ^@ '511921108' AND NOT code ^@ '511921108209'
    ORDER BY code LIMIT 6`);
  const grid = cells[0]!.code.slice(0, 15);
  const report = await insertTestReport(db, { cellCode: cells[0]!.code, type: 'landslide', urgency: 'urgent' });
  caseId = report.id;
  const [point] = await db.rows<{ lng: number; lat: number }>(
    sql`SELECT ST_X(location) AS lng, ST_Y(location) AS lat FROM reports WHERE id = ${caseId}`,
  );
  here = [point!.lng, point!.lat];
  const cell = (index: number) => cells[index]!.code;
  await walk('a', 'grid_worker', grid, [fix(60, 90), fix(30, 100)]);
  await walk('b', 'cell_informant', cell(0), [fix(20, 300)]);
  await walk('c', 'cell_informant', cell(1), [fix(120, 1000)]);
  // Its last valid fix is 20 minutes old: past the 15-minute limit.
  await walk('stale', 'cell_informant', cell(2), [fix(1200, 50)]);
  // Its newest fix is a jump (2 km in 30 s) right at the case: the valid one before it counts.
  await walk('jumper', 'cell_informant', cell(3), [fix(60, 2000), fix(30, 20)]);
  // Its newest fix is 800 m unsure, at the case: the sure one before it counts.
  await walk('unsure', 'cell_informant', cell(4), [fix(60, 1500), fix(30, 10, 800)]);
  await walk('ended', 'cell_informant', cell(5), [fix(30, 30)], true);
  // A worker of 涪阳镇 standing closest of all: the county sees them, 沙溪镇's commander never does.
  const [fuyangGrid] = await db.rows<{ code: string }>(
    sql`SELECT code FROM areas WHERE level = 'grid' AND code ^@ '511921112' ORDER BY code LIMIT 1`,
  );
  await walk('fuyang', 'grid_worker', fuyangGrid!.code, [fix(15, 40)]);
  duty = await signedInBrowser(app, 't-duty');
  shaxi = await signedInBrowser(app, 't-shaxi');
});

describe('workers on patrol near a case', () => {
  it('are listed nearest first at their distance in metres, without stale, ended, jumped or unsure positions', async () => {
    const { status, body } = await nearby(duty);
    expect(status).toBe(200);
    const listed = ours(body.patrols);
    expect(listed.map((patrol) => patrol.name)).toEqual(['fuyang', 'a', 'b', 'c', 'unsure', 'jumper']);
    const expected = { fuyang: 40, a: 100, b: 300, c: 1000, unsure: 1500, jumper: 2000 };
    for (const patrol of listed)
      expect(patrol.distanceM).toEqual(expect.closeTo(expected[patrol.name as keyof typeof expected], -1));
    // Every listed distance is in order, ours among whatever else is out.
    const distances = body.patrols.map((patrol) => patrol.distanceM);
    expect(distances).toEqual([...distances].sort((x, y) => x - y));
    expect(listed.find((patrol) => patrol.name === 'a')!.fixAgeS).toBeGreaterThanOrEqual(30);
    expect(listed.find((patrol) => patrol.name === 'c')!.fixAgeS).toBeGreaterThanOrEqual(120);
  });

  it('keeps to the limit (10 by default) and the radius', async () => {
    const all = (await nearby(duty)).body.patrols;
    const two = (await nearby(duty, 'limit=2')).body.patrols;
    expect(two.map((patrol) => patrol.patrolId)).toEqual(all.slice(0, 2).map((patrol) => patrol.patrolId));
    expect((await nearby(duty, '')).body.patrols.length).toBe(Math.min(10, all.length));
    const within = ours((await nearby(duty, 'radiusM=500')).body.patrols).map((patrol) => patrol.name);
    expect(within).toEqual(['fuyang', 'a', 'b']);
  });

  it('never shows a township commander a worker of another township, and hides the case from one outside', async () => {
    const listed = ours((await nearby(shaxi)).body.patrols);
    expect(listed.map((patrol) => patrol.name)).toEqual(['a', 'b', 'c', 'unsure', 'jumper']);
    expect((await nearby(shaxi)).body.patrols.filter((patrol) => !patrol.areaCode.startsWith('511921108'))).toEqual([]);
    await createAccountAsSystem(db, {
      username: 'near-fuyang-commander',
      displayName: '涪阳',
      role: 'township_commander',
      scopeCode: '511921112',
      password: TEST_PASSWORD,
    });
    const fuyang = await signedInBrowser(app, 'near-fuyang-commander');
    expect((await nearby(fuyang)).status).toBe(404);
  });

  it('writes every read to the audit log with the patrols it showed', async () => {
    const before = await db.rows<{ id: string }>(
      sql`SELECT id::text FROM audit_log WHERE action = 'patrols.nearby_read' AND target_id = ${caseId} AND actor_username = 't-shaxi'`,
    );
    const { body } = await nearby(shaxi, 'limit=3');
    const after = await db.rows<{ details: { patrols: string[] } }>(sql`
      SELECT details FROM audit_log WHERE action = 'patrols.nearby_read' AND target_id = ${caseId} AND actor_username = 't-shaxi'
      ORDER BY id DESC`);
    expect(after.length).toBe(before.length + 1);
    const details = typeof after[0]!.details === 'string' ? JSON.parse(after[0]!.details) : after[0]!.details;
    expect(details.patrols).toEqual(body.patrols.map((patrol) => patrol.patrolId));
  });

  it('refuses roles that may not view patrols and bad numbers, with a message', async () => {
    expect((await nearby(walkers.a!.browser)).status).toBe(403);
    const bad = await duty.request('GET', `/api/cases/${caseId}/nearby-patrols?limit=0`, undefined, { 'Accept-Language': 'en' });
    expect(bad.status).toBe(400);
    const { error } = (await bad.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('invalid_request');
    expect(error.message).toContain('Invalid request parameters');
    expect((await nearby(duty, 'radiusM=far')).status).toBe(400);
    expect((await duty.request('GET', `/api/cases/${crypto.randomUUID()}/nearby-patrols`)).status).toBe(404);
  });
});

describe('alerting the workers nearby', () => {
  it('alerts the selected workers still out, once per clientId, and the timeline and their field page say so', async () => {
    const clientId = crypto.randomUUID();
    const body = { clientId, patrolIds: [walkers.a!.patrolId, walkers.b!.patrolId, walkers.stale!.patrolId] };
    const first = await duty.request('POST', `/api/cases/${caseId}/nearby-patrols/alerts`, body);
    expect(first.status).toBe(201);
    const sent = (await first.json()) as AlertResult;
    expect(sent.created).toBe(2);
    expect(sent.skipped).toEqual([walkers.stale!.patrolId]);
    expect(sent.patrols.sort()).toEqual([walkers.a!.patrolId, walkers.b!.patrolId].sort());

    const again = await duty.request('POST', `/api/cases/${caseId}/nearby-patrols/alerts`, body);
    expect(again.status).toBe(200);
    expect(((await again.json()) as AlertResult).created).toBe(0);
    const [counts] = await db.rows<{ alerts: number; steps: number }>(sql`
      SELECT (SELECT count(*)::int FROM report_alerts WHERE report_id = ${caseId}) AS alerts,
        (SELECT count(*)::int FROM case_steps WHERE report_id = ${caseId} AND action = 'alert') AS steps`);
    expect(counts).toEqual({ alerts: 2, steps: 1 });
    // Already alerted: a new click alerts nobody twice.
    const newClick = await duty.request('POST', `/api/cases/${caseId}/nearby-patrols/alerts`, {
      ...body,
      clientId: crypto.randomUUID(),
    });
    expect(newClick.status).toBe(200);
    expect(((await newClick.json()) as AlertResult).created).toBe(0);

    // The timeline says who was told because they were near, and how far.
    const { case: detail } = await okJson<{
      case: { steps: { action: string; details: { reason?: string; alerted: { distanceM?: number }[] } }[] };
    }>(duty.request('GET', `/api/cases/${caseId}`), 'case');
    const step = detail.steps.find((candidate) => candidate.action === 'alert')!;
    expect(step.details.reason).toBe('nearby');
    // Metres on the spheroid, measured against turf's sphere: within a few metres.
    const told = step.details.alerted.map((person) => person.distanceM!).sort((x, y) => x - y);
    expect(told).toEqual([expect.closeTo(100, -1), expect.closeTo(300, -1)]);

    // The alerted worker sees it on the field page and acknowledges it; the list shows the acknowledgement.
    const mine = await okJson<{ alerts: { id: string; reportId: string; case: { id: string } | null }[] }>(
      walkers.a!.browser.request('GET', '/api/alerts/mine'),
      'mine',
    );
    const alert = mine.alerts.find((candidate) => candidate.reportId === caseId)!;
    expect(alert.case?.id).toBe(caseId);
    await okJson(walkers.a!.browser.request('POST', `/api/alerts/${alert.id}/acknowledge`), 'acknowledge');
    const listed = ours((await nearby(duty)).body.patrols);
    expect(listed.find((patrol) => patrol.name === 'a')!.alert).toMatchObject({
      id: alert.id,
      acknowledgedAt: expect.any(String),
    });
    expect(listed.find((patrol) => patrol.name === 'b')!.alert).toMatchObject({ acknowledgedAt: null });
    expect(listed.find((patrol) => patrol.name === 'c')!.alert).toBeNull();

    // The live event is scoped to the worker's own area, so that worker hears it.
    const events = await db.rows<{ scope: string }>(sql`
      SELECT scope_code AS scope FROM live_events WHERE type = 'alert.sent' AND payload::text LIKE ${`%${caseId}%`} ORDER BY id`);
    expect(events.map((event) => event.scope).sort()).toEqual([walkers.a!.areaCode, walkers.b!.areaCode].sort());
  });

  it('alerts everyone the list holds when nobody is selected, within the caller’s scope only', async () => {
    const result = await okJson<AlertResult>(
      shaxi.request('POST', `/api/cases/${caseId}/nearby-patrols/alerts`, { clientId: crypto.randomUUID(), radiusM: 1200 }),
      'alert all',
    );
    // a and b were told already (once each still); c is new; 涪阳镇's worker is outside 沙溪镇's
    // commander's scope. Other files may have walkers of their own within the radius: they count too.
    expect(result.created).toBeGreaterThanOrEqual(1);
    expect(result.patrols).toContain(walkers.c!.patrolId);
    expect(result.patrols).not.toContain(walkers.fuyang!.patrolId);
    const addressees = result.alerts.map((alert) => `${alert.personRole}|${alert.areaCode}`);
    expect(addressees.filter((addressee) => addressee === `grid_worker|${walkers.a!.areaCode}`)).toHaveLength(1);
    expect(addressees).toContain(`cell_informant|${walkers.c!.areaCode}`);
    expect(result.alerts.filter((alert) => alert.areaCode === walkers.fuyang!.areaCode)).toEqual([]);
  });

  it('refuses with a clear error when none of the selected is out, and writes nothing', async () => {
    const before = await db.rows(sql`SELECT id FROM report_alerts WHERE report_id = ${caseId}`);
    for (const patrolIds of [[walkers.stale!.patrolId], [walkers.ended!.patrolId], [walkers.fuyang!.patrolId]]) {
      const response = await shaxi.request(
        'POST',
        `/api/cases/${caseId}/nearby-patrols/alerts`,
        { clientId: crypto.randomUUID(), patrolIds },
        { 'Accept-Language': 'en' },
      );
      expect(response.status).toBe(409);
      const { error } = (await response.json()) as { error: { code: string; message: string } };
      expect(error).toMatchObject({ code: 'no_patrol_nearby', message: expect.stringContaining('15 minutes') });
    }
    const zh = await shaxi.request('POST', `/api/cases/${caseId}/nearby-patrols/alerts`, {
      clientId: crypto.randomUUID(),
      patrolIds: [walkers.stale!.patrolId],
    });
    expect(((await zh.json()) as { error: { message: string } }).error.message).toContain('15 分钟');
    expect(await db.rows(sql`SELECT id FROM report_alerts WHERE report_id = ${caseId}`)).toHaveLength(before.length);
    const notUuid = await shaxi.request('POST', `/api/cases/${caseId}/nearby-patrols/alerts`, { clientId: 'x' });
    expect(notUuid.status).toBe(400);
    expect(
      (await walkers.a!.browser.request('POST', `/api/cases/${caseId}/nearby-patrols/alerts`, { clientId: crypto.randomUUID() }))
        .status,
    ).toBe(403);
  });
});
