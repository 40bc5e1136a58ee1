import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAccountAsSystem } from '../../api/accounts/service.ts';
import type { Database } from '../../api/db/client.ts';
import { fromWgs84 } from '../../geo/convert-datum.ts';
import { accountIdOf, insertTestPatrol } from './support/patrols.ts';
import { signedInBrowser, TEST_PASSWORD, type TestBrowser } from './support/sessions.ts';
import { insertTestPerson } from './support/special-people.ts';
import { testApp } from './support/test-database.ts';

/** t-worker's grid (王坪村 grid 1), a grid of another village of 沙溪镇 (set in beforeAll), and 红江村 of another township. */
const GRID = '511921108209001';
let NEXT_GRID = '';
const OTHER_TOWNSHIP = '511921112200';

const PNG = new Uint8Array(
  Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex'),
) as Uint8Array<ArrayBuffer>;

interface VisitBody {
  visit: {
    id: string;
    clientId: string;
    personId: string;
    distanceM: number | null;
    position: [number, number] | null;
    patrolId: string | null;
    outcome: string;
    photos: { id: string; url: string; contentType: string; byteSize: number }[];
  };
}
interface ErrorBody {
  error: { code: string; message: string };
}

let db: Database;
let worker: TestBrowser;
let chief: TestBrowser;
let informant: TestBrowser;
let township: TestBrowser;
let county: TestBrowser;

/** Metres along the meridian per degree of latitude at `lat` on the WGS84 spheroid (the meridional radius of curvature). */
function metresPerDegreeLat(lat: number): number {
  const a = 6_378_137;
  const e2 = 0.006_694_379_990_14;
  const sin = Math.sin((lat * Math.PI) / 180);
  return ((a * (1 - e2)) / (1 - e2 * sin * sin) ** 1.5) * (Math.PI / 180);
}

function visitOf(personId: string, extra: Record<string, unknown> = {}) {
  return {
    clientId: randomUUID(),
    personId,
    visitedAt: new Date(Date.now() - 3_600_000).toISOString(),
    mode: 'home',
    outcome: 'seen_stable',
    notes: '情况稳定，按时服药',
    fix: null,
    ...extra,
  };
}

const post = (browser: TestBrowser, body: unknown) => browser.request('POST', '/api/special/visits', body);

function photoForm(bytes: Uint8Array<ArrayBuffer>, name = 'visit.png', type = 'image/png') {
  const form = new FormData();
  form.append('photos', new File([bytes], name, { type }));
  return form;
}

let app: Awaited<ReturnType<typeof testApp>>['app'];

beforeAll(async () => {
  const started = await testApp();
  app = started.app;
  db = started.db;
  const [grid] = await db.rows<{ code: string }>(sql`
    SELECT code FROM areas WHERE level = 'grid' AND code ^@ '511921108' AND NOT code ^@ '511921108209' ORDER BY code LIMIT 1`);
  NEXT_GRID = grid!.code;
  const signIn = (username: string) => signedInBrowser(app, username);
  worker = await signIn('t-worker');
  chief = await signIn('t-chief');
  informant = await signIn('t-informant');
  township = await signIn('t-shaxi');
  county = await signIn('t-county');
});

describe('logging a visit', () => {
  it('stores it with the distance to the household on the spheroid and the due day recomputed', async () => {
    const person = await insertTestPerson(db, GRID);
    const [lng, lat] = person.position;
    const body = visitOf(person.id, { fix: { lng, lat: lat + 0.001, accuracyM: 8, datum: 'wgs84' } });
    const response = await post(worker, body);
    expect(response.status).toBe(201);
    const { visit } = (await response.json()) as VisitBody;
    expect(visit.distanceM).toBeCloseTo(0.001 * metresPerDegreeLat(lat + 0.0005), 1);
    expect(visit.position).toEqual([expect.closeTo(lng, 9), expect.closeTo(lat + 0.001, 9)]);
    const [entry] = await db.rows<{ nextDueOn: string; lastVisitAt: string }>(sql`
      SELECT next_due_on::text AS "nextDueOn", last_visit_at::text AS "lastVisitAt" FROM special_people WHERE id = ${person.id}`);
    const visitDay = new Date(Date.parse(body.visitedAt) + 8 * 3_600_000);
    visitDay.setUTCDate(visitDay.getUTCDate() + 30);
    expect(entry?.nextDueOn).toBe(visitDay.toISOString().slice(0, 10));
    expect(entry?.lastVisitAt).not.toBeNull();
  });

  it('converts a GCJ-02 fix to WGS84 as patrol fixes are, and stores no distance without a fix', async () => {
    const person = await insertTestPerson(db, GRID);
    const [lng, lat] = person.position;
    const [gcjLng, gcjLat] = fromWgs84([lng + 0.0002, lat], 'gcj02');
    const response = await post(worker, visitOf(person.id, { fix: { lng: gcjLng, lat: gcjLat, accuracyM: 12, datum: 'gcj02' } }));
    const { visit } = (await response.json()) as VisitBody;
    expect(visit.position?.[0]).toBeCloseTo(lng + 0.0002, 7);
    expect(visit.position?.[1]).toBeCloseTo(lat, 7);
    expect(visit.distanceM).toBeGreaterThan(15);
    expect(visit.distanceM).toBeLessThan(25);
    const phone = (await (await post(worker, visitOf(person.id, { mode: 'phone' }))).json()) as VisitBody;
    expect(phone.visit).toMatchObject({ distanceM: null, position: null });
  });

  it('is idempotent by the phone’s client id: a retry gets the same visit, a different one under the same id is refused', async () => {
    const person = await insertTestPerson(db, GRID);
    const body = visitOf(person.id);
    const [first, second] = await Promise.all([post(worker, body), post(worker, body)]);
    expect([first.status, second.status].sort()).toEqual([200, 201]);
    const ids = await Promise.all([first, second].map(async (answer) => ((await answer.json()) as VisitBody).visit.id));
    expect(ids[0]).toBe(ids[1]);
    const again = await post(worker, body);
    expect(again.status).toBe(200);
    const conflicting = await post(worker, { ...body, outcome: 'not_home' });
    expect(conflicting.status).toBe(409);
    expect(((await conflicting.json()) as ErrorBody).error).toMatchObject({ code: 'visit_client_id_conflict' });
    const [count] = await db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM special_visits WHERE person_id = ${person.id}`,
    );
    expect(count?.n).toBe(1);
  });

  it('refuses a visit in the future or far in the past with a Chinese message', async () => {
    const person = await insertTestPerson(db, GRID);
    const future = await post(worker, visitOf(person.id, { visitedAt: new Date(Date.now() + 3_600_000).toISOString() }));
    expect(future.status).toBe(400);
    const futureError = ((await future.json()) as ErrorBody).error;
    expect(futureError.code).toBe('visit_in_future');
    expect(futureError.message).toMatch(/走访时间晚于当前时间/);
    const old = await post(worker, visitOf(person.id, { visitedAt: new Date(Date.now() - 60 * 86_400_000).toISOString() }));
    expect(old.status).toBe(400);
    expect(((await old.json()) as ErrorBody).error).toMatchObject({
      code: 'visit_too_old',
      message: expect.stringMatching(/30天/),
    });
  });

  it('reaches only the people in the visitor’s scope; informants and township commanders cannot log', async () => {
    const nextGrid = await insertTestPerson(db, NEXT_GRID);
    const otherTownship = await insertTestPerson(db, OTHER_TOWNSHIP);
    const refused = await post(worker, visitOf(nextGrid.id));
    expect(refused.status).toBe(404);
    expect(((await refused.json()) as ErrorBody).error.code).toBe('special_person_not_found');
    expect((await post(worker, visitOf(otherTownship.id))).status).toBe(404);
    // The village's grid chief reaches every grid of the village, not another village.
    expect((await post(chief, visitOf((await insertTestPerson(db, '511921108209')).id))).status).toBe(201);
    expect((await post(chief, visitOf(nextGrid.id))).status).toBe(404);
    expect((await post(chief, visitOf(otherTownship.id))).status).toBe(404);
    const mine = await insertTestPerson(db, GRID);
    expect((await post(informant, visitOf(mine.id))).status).toBe(403);
    expect((await post(township, visitOf(mine.id))).status).toBe(403);
    expect((await post(county, visitOf(mine.id))).status).toBe(403);
    const [count] = await db.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM special_visits WHERE person_id = ${mine.id}`);
    expect(count?.n).toBe(0);
  });

  it('refuses a visit to an entry that left the register', async () => {
    const closed = await insertTestPerson(db, GRID, { active: false });
    const response = await post(worker, visitOf(closed.id));
    expect(response.status).toBe(409);
    expect(((await response.json()) as ErrorBody).error.code).toBe('special_person_closed');
  });

  it('links the visitor’s patrol running at the time of the visit, and no patrol before it started', async () => {
    // A worker of its own: other files start patrols of t-worker at any moment, and the newest one
    // running is the one a visit links.
    await createAccountAsSystem(db, {
      username: 'visit-walker',
      displayName: '走访巡查员',
      role: 'grid_worker',
      scopeCode: GRID,
      password: TEST_PASSWORD,
    });
    const walker = await signedInBrowser(app, 'visit-walker');
    const person = await insertTestPerson(db, GRID);
    const workerId = await accountIdOf(db, 'visit-walker');
    const patrol = await insertTestPatrol(db, { workerId, areaCode: GRID });
    const during = (await (await post(walker, visitOf(person.id, { visitedAt: new Date().toISOString() }))).json()) as VisitBody;
    expect(during.visit.patrolId).toBe(patrol.id);
    const before = (await (
      await post(walker, visitOf(person.id, { visitedAt: new Date(Date.now() - 2 * 3_600_000).toISOString() }))
    ).json()) as VisitBody;
    expect(before.visit.patrolId).toBeNull();
    await db.rows(sql`UPDATE patrols SET ended_at = now() WHERE id = ${patrol.id}`);
  });
});

describe('photos of a visit', () => {
  it('stores a photo sniffed from its bytes once, refuses what is no image, and audits every read', async () => {
    const person = await insertTestPerson(db, GRID);
    const { visit } = (await (await post(worker, visitOf(person.id))).json()) as VisitBody;
    const path = `/api/special/visits/${visit.id}/photos`;
    const stored = await worker.request('POST', path, photoForm(PNG, 'door.jpg', 'image/jpeg'));
    expect(stored.status).toBe(201);
    const [photo] = ((await stored.json()) as { photos: VisitBody['visit']['photos'] }).photos;
    expect(photo).toMatchObject({ contentType: 'image/png', byteSize: PNG.length });
    const retried = (await (await worker.request('POST', path, photoForm(PNG))).json()) as { photos: { id: string }[] };
    expect(retried.photos[0]?.id).toBe(photo!.id);

    const text = await worker.request('POST', path, photoForm(new TextEncoder().encode('not a photo'), 'a.jpg', 'image/jpeg'));
    expect(text.status).toBe(400);
    expect(((await text.json()) as ErrorBody).error.code).toBe('photo_not_an_image');
    expect((await worker.request('POST', path, { photos: [] })).status).toBe(415);
    // Only the visitor adds photos to a visit.
    expect((await chief.request('POST', path, photoForm(PNG))).status).toBe(404);

    const read = await chief.get(photo!.url);
    expect(read.status).toBe(200);
    expect(read.headers.get('Content-Type')).toBe('image/png');
    expect(new Uint8Array(await read.arrayBuffer())).toEqual(PNG);
    const audit = await db.rows<{ actor: string; targetId: string; scopeCode: string }>(sql`
      SELECT actor_username AS actor, target_id AS "targetId", scope_code AS "scopeCode" FROM audit_log
      WHERE action = 'special.visit_photo_read' AND target_id = ${visit.id}`);
    expect(audit).toEqual([{ actor: 't-chief', targetId: visit.id, scopeCode: person.cellCode }]);
    // Aggregates only for commanders; outside the scope it does not exist.
    expect((await township.get(photo!.url)).status).toBe(403);
    const outsider = await insertTestPerson(db, OTHER_TOWNSHIP);
    const [other] = await db.rows<{ id: string }>(sql`
      INSERT INTO special_visits (id, client_id, person_id, category, area_code, visitor_id, visitor_name, visited_at, mode, outcome)
      VALUES (${randomUUID()}, ${randomUUID()}, ${outsider.id}, 'severe_mental_illness', ${outsider.cellCode}, 'x', 'x', now(), 'home',
        'seen_stable') RETURNING id`);
    await db.rows(sql`
      INSERT INTO special_visit_photos (id, visit_id, area_code, content_type, byte_size, sha256, bytes)
      VALUES ('photo-out', ${other!.id}, ${outsider.cellCode}, 'image/png', ${PNG.length}, 'x', ${Buffer.from(PNG)})`);
    expect((await worker.get(`/api/special/visits/${other!.id}/photos/photo-out`)).status).toBe(404);
  });
});

describe('the visitor’s lists', () => {
  it('lists one’s own visits newest first, and the people to visit in scope with the most pressing first', async () => {
    const overdue = await insertTestPerson(db, GRID, { name: '逾期测试' });
    await db.rows(sql`UPDATE special_people SET next_due_on = '2020-01-01' WHERE id = ${overdue.id}`);
    const outsider = await insertTestPerson(db, NEXT_GRID, { name: '邻格测试' });
    const { visit } = (await (
      await post(worker, visitOf(overdue.id, { visitedAt: new Date().toISOString() }))
    ).json()) as VisitBody;
    const mine = (await (await worker.get('/api/special/visits/mine?limit=5')).json()) as { visits: { id: string }[] };
    expect(mine.visits[0]?.id).toBe(visit.id);
    const chiefs = (await (await chief.get('/api/special/visits/mine')).json()) as { visits: { id: string }[] };
    expect(chiefs.visits.some((entry) => entry.id === visit.id)).toBe(false);

    await db.rows(sql`UPDATE special_people SET next_due_on = '2020-01-01' WHERE id = ${overdue.id}`);
    const due = (await (await worker.get('/api/special/visits/due')).json()) as {
      people: { id: string; dueStatus: string; riskColour: string; position: [number, number] | null }[];
    };
    expect(due.people[0]).toMatchObject({ dueStatus: 'overdue' });
    const listed = due.people.find((person) => person.id === overdue.id);
    expect(listed).toMatchObject({ dueStatus: 'overdue', riskColour: 'yellow' });
    expect(listed?.position?.[0]).toBeCloseTo(overdue.position[0], 9);
    expect(due.people.some((person) => person.id === outsider.id)).toBe(false);
    const [audit] = await db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'special.due_people_read' AND actor_username = 't-worker'`,
    );
    expect(audit?.n).toBeGreaterThan(0);
  });
});
