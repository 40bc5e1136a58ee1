import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAccountAsSystem } from '../../api/accounts/service.ts';
import { CSRF_HEADER } from '../../api/auth/middleware.ts';
import {
  ADDRESS_DELAY_STEP_MS,
  addressDelayMs,
  MAX_ADDRESS_DELAY_MS,
  MAX_FAILURES_PER_ACCOUNT,
  MAX_FAILURES_PER_ADDRESS,
} from '../../api/auth/service.ts';
import type { Database } from '../../api/db/client.ts';
import { areaReader, scopedDatabase } from '../../api/db/scoped.ts';
import { signedInBrowser, TEST_PASSWORD, TestBrowser } from './support/sessions.ts';
import { testApp } from './support/test-database.ts';
import { decodeTile, layerFeatures, tileOf } from './support/tiles.ts';

type App = Awaited<ReturnType<typeof testApp>>['app'];
let app: App;
let db: Database;
let shaxi: TestBrowser;

beforeAll(async () => {
  ({ app, db } = await testApp());
  shaxi = await signedInBrowser(app, 't-shaxi');
});

let accountCounter = 0;
async function newAccount(scopeCode = '511921108209001', role = 'grid_worker') {
  accountCounter++;
  const username = `attack-${accountCounter}`;
  const { id } = await createAccountAsSystem(db, { username, displayName: username, role, scopeCode, password: TEST_PASSWORD });
  return { id, username };
}

describe('guessing the ids of another area', () => {
  it('finds nothing of 涪阳镇 as 沙溪镇’s commander, whatever the code', async () => {
    const fuyangCodes = await db.rows<{ code: string }>(sql`SELECT code FROM areas WHERE code LIKE '511921112%' ORDER BY code`);
    expect(fuyangCodes.length).toBeGreaterThan(10);
    for (const { code } of fuyangCodes) {
      expect({ code, status: (await shaxi.get(`/api/areas/${code}`)).status }).toEqual({ code, status: 404 });
    }
    expect((await shaxi.get('/api/areas/511921112200/children')).status).toBe(404);
  });

  it('finds no account of another township by its id', async () => {
    const other = await newAccount('511921112', 'township_commander');
    const admin = await signedInBrowser(app, 't-shaxi-admin');
    expect((await admin.request('PATCH', `/api/accounts/${other.id}`, { disabled: true })).status).toBe(404);
    expect((await admin.request('POST', `/api/accounts/${other.id}/password`, { password: 'Takeover-123' })).status).toBe(404);
  });
});

describe('widening a list with query parameters', () => {
  it('keeps the county tree, its children and search to 沙溪镇', async () => {
    const tree = await (await shaxi.get('/api/areas/tree?root=511921&depth=2')).json();
    expect(tree.tree.children.map((node: { code: string }) => node.code)).toEqual(['511921108']);
    const children = await (await shaxi.get('/api/areas/511921/children')).json();
    expect(children.children.map((area: { code: string }) => area.code)).toEqual(['511921108']);
    for (const q of ['5119211', '%', '_', '村', 'c']) {
      const found = await (await shaxi.get(`/api/areas/search?q=${encodeURIComponent(q)}&limit=100`)).json();
      for (const result of found.results) expect(result.code === '511921' || result.code.startsWith('511921108')).toBe(true);
    }
  });

  it('ignores parameters the routes do not declare', async () => {
    const response = await shaxi.get('/api/areas/511921/children?scope=511921&role=county_commander');
    expect((await response.json()).children).toHaveLength(1);
  });
});

describe('reading a tile of another township’s sensitive layer', () => {
  it('gets no household of 涪阳镇 at street level, and its own where it has them', async () => {
    const [fuyang] = await db.rows<{ lng: number; lat: number; code: string }>(
      sql`SELECT code, ST_X(geom) AS lng, ST_Y(geom) AS lat FROM households WHERE cell_code LIKE '511921112%' ORDER BY code LIMIT 1`,
    );
    const address = tileOf(fuyang!.lng, fuyang!.lat, 15);
    const path = `/tiles/household/${address.z}/${address.x}/${address.y}.mvt`;
    const response = await shaxi.get(path);
    expect([200, 204]).toContain(response.status);
    if (response.status === 200) {
      const codes = layerFeatures(decodeTile(await response.arrayBuffer()), 'household', address).map((feature) =>
        String(feature.properties.code),
      );
      expect(codes.filter((code) => code.startsWith('511921112'))).toEqual([]);
    }
    const county = await signedInBrowser(app, 't-county');
    const seen = layerFeatures(decodeTile(await (await county.get(path)).arrayBuffer()), 'household', address);
    expect(seen.map((feature) => feature.properties.code)).toContain(fuyang!.code);
  });

  it('gets no merged household point of 涪阳镇 at z13 either', async () => {
    const [fuyang] = await db.rows<{ lng: number; lat: number }>(
      sql`SELECT ST_X(geom) AS lng, ST_Y(geom) AS lat FROM households WHERE cell_code LIKE '511921112%' ORDER BY code LIMIT 1`,
    );
    const address = tileOf(fuyang!.lng, fuyang!.lat, 13);
    const path = `/tiles/household/${address.z}/${address.x}/${address.y}.mvt`;
    const cellsOf = async (browser: typeof shaxi) => {
      const response = await browser.get(path);
      if (response.status === 204) return [];
      return layerFeatures(decodeTile(await response.arrayBuffer()), 'household', address).map((feature) =>
        String(feature.properties.cell_code),
      );
    };
    expect((await cellsOf(shaxi)).filter((cell) => cell.startsWith('511921112'))).toEqual([]);
    const county = await signedInBrowser(app, 't-county');
    expect((await cellsOf(county)).some((cell) => cell.startsWith('511921112'))).toBe(true);
  });

  it('refuses the household layer to roles without households.view', async () => {
    const cadre = await signedInBrowser(app, 't-cadre');
    const response = await cadre.get('/tiles/household/15/26000/13300.mvt');
    expect(response.status).toBe(403);
  });
});

describe('replaying a session', () => {
  it('refuses a session cookie after logout', async () => {
    const browser = await signedInBrowser(app, 't-worker');
    const stolenCookie = browser.cookieHeader();
    expect((await browser.request('POST', '/api/auth/logout', {})).status).toBe(200);
    const replay = await app.request('http://localhost/api/auth/me', { headers: { Cookie: stolenCookie } });
    expect(replay.status).toBe(401);
    expect((await replay.json()).error.code).toBe('session_expired');
  });

  it('ends every session of an account with logout everywhere', async () => {
    const { username } = await newAccount();
    const phone = await signedInBrowser(app, username);
    const desk = await signedInBrowser(app, username);
    const response = await phone.request('POST', '/api/auth/logout', { everywhere: true });
    expect((await response.json()).sessionsEnded).toBe(2);
    expect((await desk.get('/api/auth/me')).status).toBe(401);
  });

  it('ends a disabled account’s sessions at once', async () => {
    const { id, username } = await newAccount();
    const victim = await signedInBrowser(app, username);
    expect((await victim.get('/api/auth/me')).status).toBe(200);
    const admin = await signedInBrowser(app, 't-shaxi-admin');
    expect((await admin.request('PATCH', `/api/accounts/${id}`, { disabled: true })).status).toBe(200);
    expect((await victim.get('/api/areas/511921108209')).status).toBe(401);
    const again = await new TestBrowser(app).signIn(username);
    expect(again.status).toBe(403);
    expect((await again.json()).error.code).toBe('account_disabled');
  });

  it('ends sessions opened before a password reset', async () => {
    const { id, username } = await newAccount();
    const victim = await signedInBrowser(app, username);
    const admin = await signedInBrowser(app, 't-shaxi-admin');
    expect((await admin.request('POST', `/api/accounts/${id}/password`, { password: 'Fresh-pass-1' })).status).toBe(204);
    expect((await victim.get('/api/auth/me')).status).toBe(401);
    expect((await new TestBrowser(app).signIn(username, 'Fresh-pass-1')).status).toBe(200);
  });
});

describe('cross-site request forgery', () => {
  it('refuses a state-changing request from another origin, even with the cookie', async () => {
    const admin = await signedInBrowser(app, 't-shaxi-admin');
    const response = await admin.request(
      'POST',
      '/api/accounts',
      { username: 'csrf-victim', displayName: 'x', role: 'admin', scopeCode: '511921108', password: 'Passw0rd-x' },
      { Origin: 'http://evil.example', [CSRF_HEADER]: '' },
    );
    expect(response.status).toBe(403);
    expect((await response.json()).error.code).toBe('cross_origin_request');
  });

  it('refuses a same-site request without the CSRF token', async () => {
    const admin = await signedInBrowser(app, 't-shaxi-admin');
    const response = await app.request('http://localhost/api/accounts', {
      method: 'POST',
      headers: { Cookie: admin.cookieHeader(), 'Content-Type': 'application/json', Host: 'localhost' },
      body: JSON.stringify({
        username: 'csrf-victim',
        displayName: 'x',
        role: 'admin',
        scopeCode: '511921108',
        password: 'Passw0rd-x',
      }),
    });
    expect(response.status).toBe(403);
    expect((await response.json()).error.code).toBe('csrf_token_invalid');
    const [row] = await db.rows<{ count: number }>(
      sql`SELECT count(*)::int AS count FROM accounts WHERE username = 'csrf-victim'`,
    );
    expect(row?.count).toBe(0);
  });

  it('refuses a login posted from another site', async () => {
    const response = await new TestBrowser(app).request(
      'POST',
      '/api/auth/login',
      { username: 't-county', password: TEST_PASSWORD },
      { Origin: 'http://evil.example' },
    );
    expect(response.status).toBe(403);
  });

  it('sends the session cookie httpOnly and SameSite', async () => {
    const response = await new TestBrowser(app).signIn('t-county');
    const cookies = response.headers.getSetCookie();
    expect(cookies.find((cookie) => cookie.startsWith('gcc_session='))).toMatch(/HttpOnly.*SameSite=Lax|SameSite=Lax.*HttpOnly/);
    expect(cookies.find((cookie) => cookie.startsWith('gcc_csrf='))).not.toMatch(/HttpOnly/);
  });
});

describe('brute-forcing a password', () => {
  it('locks the account after repeated failures, even for the right password, with a clear message', async () => {
    const { username } = await newAccount();
    const attacker = new TestBrowser(app, '127.0.0.31');
    for (let attempt = 0; attempt < MAX_FAILURES_PER_ACCOUNT; attempt++) {
      expect((await attacker.signIn(username, `guess-${attempt}`)).status).toBe(401);
    }
    const locked = await attacker.signIn(username, TEST_PASSWORD);
    expect(locked.status).toBe(429);
    const body = await locked.json();
    expect(body.error.code).toBe('login_locked');
    expect(body.error.message).toMatch(/锁定/);
  });

  it('slows an address that fails across many accounts, but still lets a right password in', async () => {
    const office = new TestBrowser(app, '127.0.0.32');
    for (let attempt = 0; attempt < MAX_FAILURES_PER_ADDRESS; attempt++) {
      expect((await office.signIn(`nobody-${attempt}`, 'x')).status).toBe(401);
    }
    // A wrong password is still 401, only later; the delay is recorded in the audit log.
    expect((await office.signIn('nobody-more', 'x')).status).toBe(401);
    const [slowed] = await db.rows<{ details: { reason: string; slowedMs?: number } }>(sql`
      SELECT details FROM audit_log WHERE action = 'auth.login_failed' AND actor_username = 'nobody-more' ORDER BY id DESC LIMIT 1`);
    expect(slowed?.details).toEqual({ reason: 'unknown_account', slowedMs: addressDelayMs(MAX_FAILURES_PER_ADDRESS) });
    // A colleague behind the same address signs in with the right password.
    expect((await office.signIn('t-county')).status).toBe(200);
    // Another address is not slowed at all.
    expect((await new TestBrowser(app, '127.0.0.33').signIn('t-county')).status).toBe(200);
  });

  it.each([
    [0, 0],
    [MAX_FAILURES_PER_ADDRESS - 1, 0],
    [MAX_FAILURES_PER_ADDRESS, ADDRESS_DELAY_STEP_MS],
    [MAX_FAILURES_PER_ADDRESS + 3, 4 * ADDRESS_DELAY_STEP_MS],
    [10_000, MAX_ADDRESS_DELAY_MS],
  ])('an address with %i recent failures waits %i ms per attempt', (failures, delay) => {
    expect(addressDelayMs(failures)).toBe(delay);
  });

  it('stores passwords as argon2id hashes only', async () => {
    const rows = await db.rows<{ hash: string }>(sql`SELECT password_hash AS hash FROM accounts`);
    for (const row of rows) expect(row.hash).toMatch(/^\$argon2id\$v=19\$/);
  });
});

describe('replaying a submission after the account was re-scoped', () => {
  it('does not show the report again once it is outside the account’s scope', async () => {
    const worker = await newAccount('511921108209001', 'grid_worker');
    const phone = await signedInBrowser(app, worker.username);
    const [cell] = await db.rows<{ lng: number; lat: number }>(
      sql`SELECT ST_X(label_point) AS lng, ST_Y(label_point) AS lat FROM areas WHERE code = '511921108209001001'`,
    );
    const submission = {
      clientId: crypto.randomUUID(),
      type: 'landslide',
      urgency: 'urgent',
      description: '重新划定范围前的上报',
      lng: cell!.lng,
      lat: cell!.lat,
    };
    const first = await phone.request('POST', '/api/reports', submission);
    expect(first.status).toBe(201);
    const { report } = await first.json();
    // Within scope, a retry answers the same report.
    expect((await (await phone.request('POST', '/api/reports', submission)).json()).report.id).toBe(report.id);

    // The worker moves to another grid of the township: the old report is outside the new scope.
    const admin = await signedInBrowser(app, 't-admin');
    const [otherGrid] = await db.rows<{ code: string }>(
      sql`SELECT code FROM areas WHERE level = 'grid' AND code LIKE '511921108%' AND code NOT LIKE '511921108209%' ORDER BY code LIMIT 1`,
    );
    expect((await admin.request('PATCH', `/api/accounts/${worker.id}`, { scopeCode: otherGrid!.code })).status).toBe(200);
    const moved = await signedInBrowser(app, worker.username);
    expect((await moved.get(`/api/cases/${report.id}`)).status).toBe(404);

    const replay = await moved.request('POST', '/api/reports', submission);
    const text = await replay.text();
    expect(replay.status).toBe(409);
    expect(JSON.parse(text).error.code).toBe('submission_outside_scope');
    for (const leaked of [report.id, report.caseNumber, report.cellCode, '重新划定范围前的上报'])
      expect(text).not.toContain(leaked);
  });
});

describe('scope in the database itself', () => {
  it('cuts every table to the scope for the scoped role, whatever the query asks', async () => {
    const scoped = scopedDatabase(db, areaReader('511921108'));
    const [outside] = await scoped.rows<{
      areas: number;
      households: number;
      people: number;
      tiles: number;
      clusters: number;
    }>(sql`
      SELECT (SELECT count(*)::int FROM areas WHERE code LIKE '511921112%') AS areas,
             (SELECT count(*)::int FROM households WHERE cell_code LIKE '511921112%') AS households,
             (SELECT count(*)::int FROM people WHERE area_code LIKE '511921112%') AS people,
             (SELECT count(*)::int FROM area_tile_geometries WHERE code LIKE '511921112%') AS tiles,
             (SELECT count(*)::int FROM household_clusters WHERE cell_code LIKE '511921112%') AS clusters`);
    expect(outside).toEqual({ areas: 0, households: 0, people: 0, tiles: 0, clusters: 0 });
    const [ownClusters] = await scoped.rows<{ count: number }>(
      sql`SELECT count(*)::int AS count FROM household_clusters WHERE cell_code LIKE '511921108%'`,
    );
    expect(ownClusters?.count).toBeGreaterThan(0);
    const [inside] = await scoped.rows<{ households: number }>(sql`SELECT count(*)::int AS households FROM households`);
    const [owner] = await db.rows<{ households: number }>(
      sql`SELECT count(*)::int AS households FROM households WHERE cell_code LIKE '511921108%'`,
    );
    expect(inside?.households).toBe(owner?.households);
    await expect(scoped.rows(sql`UPDATE areas SET name = 'x' WHERE code = '511921108'`)).rejects.toMatchObject({
      cause: expect.objectContaining({ message: expect.stringMatching(/permission denied/) }),
    });
  });
});
