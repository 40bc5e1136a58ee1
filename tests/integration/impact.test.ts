import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Position } from 'geojson';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAccountAsSystem } from '../../api/accounts/service.ts';
import type { Database } from '../../api/db/client.ts';
import type { LngLat } from '../../geo/types.ts';
import { signedInBrowser, TEST_PASSWORD, type TestBrowser } from './support/sessions.ts';
import { testApp } from './support/test-database.ts';

type App = Awaited<ReturnType<typeof testApp>>['app'];
let app: App;
let db: Database;
let duty: TestBrowser;
let informant: TestBrowser;
let worker: TestBrowser;
/** A township commander of 涪阳镇: 沙溪镇's cases are outside its scope. */
let fuyang: TestBrowser;

/** 王坪村第1网格1单元, the test informant's cell, in the test grid worker's grid. */
const CELL = '511921108209001001';
const GRID = '511921108209001';

beforeAll(async () => {
  ({ app, db } = await testApp());
  duty = await signedInBrowser(app, 't-duty');
  informant = await signedInBrowser(app, 't-informant');
  worker = await signedInBrowser(app, 't-worker');
  await createAccountAsSystem(db, {
    username: 'impact-fuyang',
    displayName: '涪阳指挥长',
    role: 'township_commander',
    scopeCode: '511921112',
    password: TEST_PASSWORD,
  });
  fuyang = await signedInBrowser(app, 'impact-fuyang');
});

async function labelPoint(code: string): Promise<LngLat> {
  const [row] = await db.rows<{ lng: number; lat: number }>(
    sql`SELECT ST_X(label_point) AS lng, ST_Y(label_point) AS lat FROM areas WHERE code = ${code}`,
  );
  return [row!.lng, row!.lat];
}

async function report(browser: TestBrowser, position: LngLat, type = 'landslide'): Promise<{ id: string; caseNumber: string }> {
  const response = await browser.request('POST', '/api/reports', {
    clientId: randomUUID(),
    type,
    urgency: 'urgent',
    description: '边坡落石，岩体松动',
    lng: position[0],
    lat: position[1],
  });
  if (response.status !== 201) throw new Error(`report failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { report: { id: string; caseNumber: string } }).report;
}

/** A square ring of `halfSideDeg` degrees around a point, closed. */
function squareAround([lng, lat]: LngLat, halfSideDeg: number): Position[] {
  return [
    [lng - halfSideDeg, lat - halfSideDeg],
    [lng + halfSideDeg, lat - halfSideDeg],
    [lng + halfSideDeg, lat + halfSideDeg],
    [lng - halfSideDeg, lat + halfSideDeg],
    [lng - halfSideDeg, lat - halfSideDeg],
  ];
}

interface Impact {
  case: { id: string; cellCode: string };
  zone: { geometry: { type: string; coordinates: number[][][] }; source: string; extendsBeyondScope: boolean };
  cells: { code: string; name: string; gridCode: string; households: number; residents: number }[];
  grids: { code: string; name: string }[];
  households: number;
  residents: number;
  people: {
    id: string;
    role: string;
    areaCode: string;
    name: string | null;
    phone: string | null;
    inZone: boolean;
    alertState: string;
    alert: { id: string; acknowledged: boolean; acknowledgedBy: { name: string | null } | null } | null;
  }[];
  alerts: { sent: number; acknowledged: number; pending: number };
}

async function impactOf(browser: TestBrowser, id: string): Promise<Impact> {
  const response = await browser.get(`/api/cases/${id}/impact`);
  expect(response.status).toBe(200);
  return (await response.json()) as Impact;
}

/** What lies in the stored control zone, counted straight from the tables as the owner. */
async function independentCounts(id: string) {
  const [totals] = await db.rows<{ households: number; residents: number }>(sql`
    SELECT count(*)::int AS households, COALESCE(sum(h.residents), 0)::int AS residents
    FROM reports r JOIN households h ON ST_Within(h.geom, r.control_zone) WHERE r.id = ${id}`);
  const perCell = await db.rows<{ code: string; households: number }>(sql`
    SELECT h.cell_code AS code, count(*)::int AS households
    FROM reports r JOIN households h ON ST_Within(h.geom, r.control_zone) WHERE r.id = ${id}
    GROUP BY h.cell_code ORDER BY h.cell_code`);
  const cells = await db.rows<{ code: string }>(sql`
    SELECT c.code FROM reports r JOIN areas c ON c.level = 'cell' AND ST_Intersects(c.geom, r.control_zone)
    WHERE r.id = ${id} ORDER BY c.code`);
  const people = await db.rows<{ id: string }>(sql`
    SELECT p.id FROM people p
    WHERE (p.role = 'cell_informant' AND p.area_code IN (
             SELECT c.code FROM reports r JOIN areas c ON c.level = 'cell' AND ST_Intersects(c.geom, r.control_zone) WHERE r.id = ${id}))
       OR (p.role = 'grid_worker' AND p.area_code IN (
             SELECT c.parent_code FROM reports r JOIN areas c ON c.level = 'cell' AND ST_Intersects(c.geom, r.control_zone) WHERE r.id = ${id}))
    ORDER BY p.id`);
  return { ...totals!, perCell, cells: cells.map((c) => c.code), people: people.map((p) => p.id) };
}

async function eventsOf(id: string, type: string) {
  return db.rows<{ scopeCode: string; payload: Record<string, unknown> }>(sql`
    SELECT scope_code AS "scopeCode", payload FROM live_events WHERE type = ${type} AND payload->'case'->>'id' = ${id} ORDER BY id`);
}

describe('the impact of a case', () => {
  it('lists the default zone’s cells, households, residents and people, matching an independent count', async () => {
    const position = await labelPoint(CELL);
    const { id } = await report(duty, position, 'flood');
    const impact = await impactOf(duty, id);
    expect(impact.zone).toMatchObject({ source: 'default', extendsBeyondScope: false });
    expect(impact.zone.geometry.coordinates[0]).toHaveLength(65);
    const expected = await independentCounts(id);
    expect(impact.cells.map((cell) => cell.code)).toEqual(expected.cells);
    expect(impact.cells.map((cell) => cell.code)).toContain(CELL);
    expect({ households: impact.households, residents: impact.residents }).toEqual({
      households: expected.households,
      residents: expected.residents,
    });
    expect(
      impact.cells.filter((cell) => cell.households > 0).map((cell) => ({ code: cell.code, households: cell.households })),
    ).toEqual(expected.perCell);
    expect(impact.people.map((person) => person.id).sort()).toEqual(expected.people);
    expect(impact.people.find((person) => person.id === `informant-${CELL}`)).toMatchObject({
      role: 'cell_informant',
      areaCode: CELL,
      inZone: true,
      alertState: 'not_alerted',
      name: expect.any(String),
      phone: expect.stringMatching(/^1\d{10}$/),
    });
    expect(impact.grids.map((grid) => grid.code)).toContain(GRID);
    // The people read is audited.
    const [audit] = await db.rows<{ targetId: string }>(sql`
      SELECT target_id AS "targetId" FROM audit_log WHERE action = 'people.read' AND target_type = 'case' ORDER BY id DESC LIMIT 1`);
    expect(audit?.targetId).toBe(id);
  });

  it('is 404 outside the viewer’s scope, 403 without cases.view', async () => {
    const { id } = await report(duty, await labelPoint(CELL));
    expect((await fuyang.get(`/api/cases/${id}/impact`)).status).toBe(404);
    expect((await duty.get(`/api/cases/${randomUUID()}/impact`)).status).toBe(404);
  });
});

describe('drawing the control zone', () => {
  it('stores a drawn polygon, with a timeline step and a live event, and the impact follows it', async () => {
    const position = await labelPoint(CELL);
    const { id } = await report(duty, position);
    const before = await impactOf(duty, id);
    const drawn = { type: 'Polygon', coordinates: [squareAround(position, 0.02)] };
    const response = await duty.request('PUT', `/api/cases/${id}/control-zone`, drawn);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ vertices: 4, controlZone: drawn });

    const [stored] = await db.rows<{ equal: boolean }>(sql`
      SELECT ST_Equals(control_zone, ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(drawn)}), 4326)) AS equal FROM reports WHERE id = ${id}`);
    expect(stored!.equal).toBe(true);
    const steps = await db.rows<{ action: string; details: { vertices: number } }>(sql`
      SELECT action, details FROM case_steps WHERE report_id = ${id} AND action = 'control_zone'`);
    expect(steps).toEqual([{ action: 'control_zone', details: { vertices: 4, areaM2: expect.any(Number) } }]);
    expect(await eventsOf(id, 'case.changed')).toEqual([
      { scopeCode: CELL, payload: expect.objectContaining({ change: 'control_zone', case: expect.objectContaining({ id }) }) },
    ]);

    const after = await impactOf(duty, id);
    expect(after.zone.source).toBe('drawn');
    const expected = await independentCounts(id);
    expect(after.cells.map((cell) => cell.code)).toEqual(expected.cells);
    expect({ households: after.households, residents: after.residents }).toEqual({
      households: expected.households,
      residents: expected.residents,
    });
    expect(after.people.map((person) => person.id).sort()).toEqual(expected.people);
    expect(after.households).toBeGreaterThan(before.households);
    expect(after.cells.length).toBeGreaterThan(1);
  });

  it.each([
    ['an open ring', (p: LngLat) => ({ type: 'Polygon', coordinates: [squareAround(p, 0.01).slice(0, 4)] }), 'ring-not-closed'],
    [
      'a bow tie',
      ([lng, lat]: LngLat) => ({
        type: 'Polygon',
        coordinates: [
          [
            [lng, lat],
            [lng + 0.01, lat + 0.01],
            [lng + 0.01, lat],
            [lng, lat + 0.01],
            [lng, lat],
          ],
        ],
      }),
      'self-intersecting',
    ],
    [
      '501 vertices',
      ([lng, lat]: LngLat) => {
        const ring = Array.from({ length: 501 }, (_, i) => [
          lng + 0.01 * Math.cos((2 * Math.PI * i) / 501),
          lat + 0.01 * Math.sin((2 * Math.PI * i) / 501),
        ]);
        return { type: 'Polygon', coordinates: [[...ring, ring[0]!]] };
      },
      'too-many-vertices',
    ],
    ['over 100 km²', (p: LngLat) => ({ type: 'Polygon', coordinates: [squareAround(p, 0.06)] }), 'too-large'],
    [
      'a hole outside its shell',
      (p: LngLat) => ({ type: 'Polygon', coordinates: [squareAround(p, 0.01), squareAround([p[0] + 0.05, p[1]], 0.005)] }),
      'invalid',
    ],
  ])('refuses %s with 400 and changes nothing', async (_name, drawn, reason) => {
    const position = await labelPoint(CELL);
    const { id } = await report(duty, position);
    const [before] = await db.rows<{ zone: string; steps: number }>(sql`
      SELECT ST_AsText(control_zone) AS zone, (SELECT count(*)::int FROM case_steps WHERE report_id = ${id}) AS steps FROM reports WHERE id = ${id}`);
    const response = await duty.request('PUT', `/api/cases/${id}/control-zone`, drawn(position));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string; details: { reason: string } } }).error).toMatchObject({
      code: 'invalid_control_zone',
      details: { reason },
    });
    const [after] = await db.rows<{ zone: string; steps: number }>(sql`
      SELECT ST_AsText(control_zone) AS zone, (SELECT count(*)::int FROM case_steps WHERE report_id = ${id}) AS steps FROM reports WHERE id = ${id}`);
    expect(after).toEqual(before);
  });

  it('refuses a zone that does not touch the county, a role without cases.command, and a case outside the scope', async () => {
    const { id } = await report(duty, await labelPoint(CELL));
    const beijing = await duty.request('PUT', `/api/cases/${id}/control-zone`, {
      type: 'Polygon',
      coordinates: [squareAround([116.4, 39.9], 0.01)],
    });
    expect(beijing.status).toBe(400);
    expect(((await beijing.json()) as { error: { code: string } }).error.code).toBe('control_zone_outside_county');
    const near = { type: 'Polygon', coordinates: [squareAround(await labelPoint(CELL), 0.01)] };
    expect((await informant.request('PUT', `/api/cases/${id}/control-zone`, near)).status).toBe(403);
    expect((await fuyang.request('PUT', `/api/cases/${id}/control-zone`, near)).status).toBe(404);
    expect((await duty.request('PUT', `/api/cases/${id}/control-zone`, { type: 'Point', coordinates: [107, 32] })).status).toBe(
      400,
    );
  });
});

describe('alerts', () => {
  it('alerts everyone in the zone once, lets each acknowledge once, and shows who has and has not', async () => {
    const position = await labelPoint(CELL);
    const { id } = await report(duty, position);
    // A zone over the informant's cell and its neighbours, all in the test worker's grid or next to it.
    const drawn = { type: 'Polygon', coordinates: [squareAround(position, 0.04)] };
    expect((await duty.request('PUT', `/api/cases/${id}/control-zone`, drawn)).status).toBe(200);
    const expected = await independentCounts(id);
    expect(expected.people.length).toBeGreaterThan(2);

    const clientId = randomUUID();
    const sent = await duty.request('POST', `/api/cases/${id}/alerts`, { clientId });
    expect(sent.status).toBe(201);
    const sentBody = (await sent.json()) as {
      created: number;
      alerts: { personId: string; areaCode: string; acknowledged: boolean }[];
    };
    expect(sentBody.created).toBe(expected.people.length);
    expect(sentBody.alerts.map((alert) => alert.personId).sort()).toEqual(expected.people);
    const [rows] = await db.rows<{ alerts: number; steps: number }>(sql`
      SELECT (SELECT count(*)::int FROM report_alerts WHERE report_id = ${id}) AS alerts,
        (SELECT count(*)::int FROM case_steps WHERE report_id = ${id} AND action = 'alert') AS steps`);
    expect(rows).toEqual({ alerts: expected.people.length, steps: 1 });
    // One live event per cell or grid alerted, scoped to it.
    const sentEvents = await eventsOf(id, 'alert.sent');
    const areas = [...new Set(sentBody.alerts.map((alert) => alert.areaCode))].sort();
    expect(sentEvents.map((event) => event.scopeCode).sort()).toEqual(areas);
    expect(sentEvents.flatMap((event) => (event.payload.alerts as unknown[]) ?? [])).toHaveLength(expected.people.length);

    // Sending again, with the same or a new clientId, alerts nobody twice.
    for (const again of [clientId, randomUUID()]) {
      const repeat = await duty.request('POST', `/api/cases/${id}/alerts`, { clientId: again });
      expect(repeat.status).toBe(200);
      expect(((await repeat.json()) as { created: number }).created).toBe(0);
    }
    const [afterRepeat] = await db.rows<{ alerts: number; steps: number; events: number }>(sql`
      SELECT (SELECT count(*)::int FROM report_alerts WHERE report_id = ${id}) AS alerts,
        (SELECT count(*)::int FROM case_steps WHERE report_id = ${id} AND action = 'alert') AS steps,
        (SELECT count(*)::int FROM live_events WHERE type = 'alert.sent' AND payload->'case'->>'id' = ${id}) AS events`);
    expect(afterRepeat).toEqual({ alerts: expected.people.length, steps: 1, events: sentEvents.length });

    // The informant of the cell sees the alert addressed to them, with the case it is about.
    const mine = (await (await informant.get('/api/alerts/mine')).json()) as {
      alerts: {
        id: string;
        reportId: string;
        personId: string;
        acknowledged: boolean;
        case: { caseNumber: string; position: number[] } | null;
      }[];
    };
    const informantAlert = mine.alerts.find((alert) => alert.reportId === id);
    expect(informantAlert).toMatchObject({ personId: `informant-${CELL}`, acknowledged: false, case: { position } });
    // Of this case's alerts, only the one to the informant (other test files address the account too).
    expect(mine.alerts.filter((alert) => alert.reportId === id).map((alert) => alert.personId)).toEqual([`informant-${CELL}`]);
    const workerAlerts = (await (await worker.get('/api/alerts/mine')).json()) as {
      alerts: { reportId: string; personId: string; id: string }[];
    };
    const workerAlert = workerAlerts.alerts.find((alert) => alert.reportId === id);
    expect(workerAlert?.personId).toBe(`worker-${GRID}`);

    // Only the person addressed may acknowledge; a role without alerts.acknowledge may not at all.
    const notTheirs = await worker.request('POST', `/api/alerts/${informantAlert!.id}/acknowledge`);
    expect(notTheirs.status).toBe(403);
    expect(((await notTheirs.json()) as { error: { code: string } }).error.code).toBe('alert_not_addressed_to_you');
    expect((await duty.request('POST', `/api/alerts/${informantAlert!.id}/acknowledge`)).status).toBe(403);
    expect((await informant.request('POST', `/api/alerts/${randomUUID()}/acknowledge`)).status).toBe(404);

    const acknowledged = await informant.request('POST', `/api/alerts/${informantAlert!.id}/acknowledge`);
    expect(acknowledged.status).toBe(200);
    const first = (await acknowledged.json()) as {
      alert: { acknowledged: boolean; acknowledgedAt: string; acknowledgedBy: { name: string } };
    };
    expect(first.alert).toMatchObject({ acknowledged: true, acknowledgedBy: { name: 't-informant' } });
    const ackEvents = await eventsOf(id, 'alert.acknowledged');
    expect(ackEvents).toEqual([
      { scopeCode: CELL, payload: expect.objectContaining({ alert: expect.objectContaining({ id: informantAlert!.id }) }) },
    ]);

    // Acknowledging again changes nothing.
    const twice = await informant.request('POST', `/api/alerts/${informantAlert!.id}/acknowledge`);
    expect(twice.status).toBe(200);
    expect(((await twice.json()) as typeof first).alert.acknowledgedAt).toBe(first.alert.acknowledgedAt);
    expect(await eventsOf(id, 'alert.acknowledged')).toHaveLength(1);

    // The command center sees who has acknowledged and who has not.
    const impact = await impactOf(duty, id);
    expect(impact.alerts).toEqual({ sent: expected.people.length, acknowledged: 1, pending: expected.people.length - 1 });
    const states = Object.fromEntries(impact.people.map((person) => [person.id, person.alertState]));
    expect(states[`informant-${CELL}`]).toBe('acknowledged');
    expect(states[`worker-${GRID}`]).toBe('alerted');
    expect(impact.people.find((person) => person.id === `informant-${CELL}`)?.alert?.acknowledgedBy?.name).toBe('t-informant');
  });

  it('is 404 for a case outside the scope and 403 for a role without cases.command', async () => {
    const { id } = await report(duty, await labelPoint(CELL));
    expect((await fuyang.request('POST', `/api/cases/${id}/alerts`, { clientId: randomUUID() })).status).toBe(404);
    expect((await informant.request('POST', `/api/cases/${id}/alerts`, { clientId: randomUUID() })).status).toBe(403);
    expect((await duty.request('POST', `/api/cases/${id}/alerts`, { clientId: 'not-a-uuid' })).status).toBe(400);
    const [count] = await db.rows<{ count: number }>(
      sql`SELECT count(*)::int AS count FROM report_alerts WHERE report_id = ${id}`,
    );
    expect(count!.count).toBe(0);
  });
});

describe('near-duplicates and merging', () => {
  /** A place of its own for these tests: a cell of the urban core, where no other test here reports. */
  let origin: LngLat;
  beforeAll(async () => {
    const [cell] = await db.rows<{ code: string }>(sql`
      SELECT code FROM areas WHERE level = 'cell' AND code LIKE '511921%' AND code NOT LIKE '511921108%' AND code NOT LIKE '511921112%'
      ORDER BY code DESC LIMIT 1`);
    origin = await labelPoint(cell!.code);
  });

  /** A point `metres` east of `position`. */
  const east = ([lng, lat]: LngLat, metres: number): LngLat => [lng + metres / (111_320 * Math.cos((lat * Math.PI) / 180)), lat];

  async function duplicatesOf(id: string) {
    const response = await duty.get(`/api/cases/${id}/duplicates`);
    expect(response.status).toBe(200);
    return (await response.json()) as {
      duplicates: { id: string; distanceM: number; secondsApart: number; type: string; state: string }[];
    };
  }

  it('suggests open reports of the same type within 500 m and 24 h, nearest first, as an independent query finds them', async () => {
    const a = await report(duty, origin);
    const b = await report(duty, east(origin, 200));
    const c = await report(duty, east(origin, 450));
    const far = await report(duty, east(origin, 800));
    const otherType = await report(duty, origin, 'flood');
    const old = await report(duty, east(origin, 100));
    await db.rows(sql`UPDATE reports SET reported_at = reported_at - interval '25 hours' WHERE id = ${old.id}`);
    const cancelled = await report(duty, east(origin, 100));
    await db.rows(sql`UPDATE reports SET state = 'cancelled' WHERE id = ${cancelled.id}`);

    const { duplicates } = await duplicatesOf(a.id);
    const ids = duplicates.map((duplicate) => duplicate.id);
    expect(ids.indexOf(b.id)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(b.id)).toBeLessThan(ids.indexOf(c.id));
    for (const excluded of [far, otherType, old, cancelled]) expect(ids).not.toContain(excluded.id);

    const expected = await db.rows<{ id: string; distanceM: number }>(sql`
      SELECT o.id, ST_Distance(o.location::geography, r.location::geography) AS "distanceM"
      FROM reports r JOIN reports o ON o.id <> r.id AND o.type = r.type
        AND abs(EXTRACT(EPOCH FROM o.reported_at - r.reported_at)) <= 24 * 3600
        AND ST_Distance(o.location::geography, r.location::geography) <= 500
        AND o.state NOT IN ('closed', 'evaluated', 'rejected', 'cancelled', 'merged')
      WHERE r.id = ${a.id} ORDER BY 2, o.id`);
    expect(ids.sort()).toEqual(expected.map((row) => row.id).sort());
    const b200 = duplicates.find((duplicate) => duplicate.id === b.id)!;
    expect(b200.distanceM).toEqual(expect.closeTo(expected.find((row) => row.id === b.id)!.distanceM, 0));
    expect(b200.distanceM).toEqual(expect.closeTo(200, -1));
    expect(Math.abs(b200.secondsApart)).toBeLessThan(600);
  });

  it('merges a case into another: merged state, steps on both, a live event; once', async () => {
    const into = await report(duty, origin, 'fire');
    const merged = await report(duty, east(origin, 50), 'fire');
    const clientId = randomUUID();
    const response = await duty.request('POST', `/api/cases/${merged.id}/merge`, { intoId: into.id, clientId });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      created: true,
      case: { id: merged.id, state: 'merged', mergedInto: into.id },
      into: { id: into.id, caseNumber: into.caseNumber },
    });
    const [row] = await db.rows<{ state: string; mergedInto: string; dueAt: string | null }>(sql`
      SELECT state, merged_into AS "mergedInto", due_at AS "dueAt" FROM reports WHERE id = ${merged.id}`);
    expect(row).toEqual({ state: 'merged', mergedInto: into.id, dueAt: null });
    const steps = await db.rows<{ reportId: string; action: string; toState: string }>(sql`
      SELECT report_id AS "reportId", action, to_state AS "toState" FROM case_steps
      WHERE report_id IN (${merged.id}, ${into.id}) AND action IN ('merge', 'merged_in') ORDER BY action`);
    expect(steps).toEqual([
      { reportId: merged.id, action: 'merge', toState: 'merged' },
      { reportId: into.id, action: 'merged_in', toState: 'reported' },
    ]);
    expect(await eventsOf(merged.id, 'case.merged')).toHaveLength(1);

    const again = await duty.request('POST', `/api/cases/${merged.id}/merge`, { intoId: into.id, clientId });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { created: boolean }).created).toBe(false);
    const [count] = await db.rows<{ count: number }>(sql`
      SELECT count(*)::int AS count FROM case_steps WHERE report_id IN (${merged.id}, ${into.id}) AND action IN ('merge', 'merged_in')`);
    expect(count!.count).toBe(2);
    expect((await duplicatesOf(into.id)).duplicates.map((duplicate) => duplicate.id)).not.toContain(merged.id);
  });

  it.each([
    ['into itself', 'self', 400, 'merge_into_itself'],
    ['into a merged case', 'merged', 409, 'merge_target_finished'],
    ['into a closed case', 'closed', 409, 'merge_target_finished'],
    ['across types', 'flood', 409, 'merge_type_mismatch'],
    ['into a case that does not exist', 'missing', 404, 'merge_target_not_found'],
  ])('refuses merging %s', async (_name, target, status, code) => {
    const source = await report(duty, origin, 'road_damage');
    let intoId: string;
    if (target === 'self') intoId = source.id;
    else if (target === 'missing') intoId = randomUUID();
    else if (target === 'flood') intoId = (await report(duty, origin, 'flood')).id;
    else {
      intoId = (await report(duty, origin, 'road_damage')).id;
      await db.rows(sql`UPDATE reports SET state = ${target} WHERE id = ${intoId}`);
    }
    const response = await duty.request('POST', `/api/cases/${source.id}/merge`, { intoId, clientId: randomUUID() });
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code);
    const [row] = await db.rows<{ state: string }>(sql`SELECT state FROM reports WHERE id = ${source.id}`);
    expect(row!.state).toBe('reported');
  });

  it('refuses merging a finished case, without cases.command, or outside the scope', async () => {
    const into = await report(duty, origin, 'other');
    const closed = await report(duty, origin, 'other');
    await db.rows(sql`UPDATE reports SET state = 'closed' WHERE id = ${closed.id}`);
    const closedResponse = await duty.request('POST', `/api/cases/${closed.id}/merge`, {
      intoId: into.id,
      clientId: randomUUID(),
    });
    expect(closedResponse.status).toBe(409);
    expect(((await closedResponse.json()) as { error: { code: string } }).error.code).toBe('case_finished');
    const open = await report(duty, origin, 'other');
    expect(
      (await informant.request('POST', `/api/cases/${open.id}/merge`, { intoId: into.id, clientId: randomUUID() })).status,
    ).toBe(403);
    expect(
      (await fuyang.request('POST', `/api/cases/${open.id}/merge`, { intoId: into.id, clientId: randomUUID() })).status,
    ).toBe(404);
    expect((await fuyang.get(`/api/cases/${open.id}/duplicates`)).status).toBe(404);
  });
});
