import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LngLat } from '../../geo/types.ts';
import {
  CELL,
  db,
  duty,
  eventsOf,
  fuyang,
  GRID,
  impactOf,
  independentCounts,
  informant,
  labelPoint,
  openImpact,
  report,
  squareAround,
  worker,
} from './impact-fixtures.ts';

beforeAll(openImpact);

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
