import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountAsSystem } from '../../api/accounts/service.ts';
import type { Database } from '../../api/db/client.ts';
import { signedInBrowser, TEST_PASSWORD, type TestBrowser } from './support/sessions.ts';
import { testApp } from './support/test-database.ts';

let db: Database;
let duty: TestBrowser;
let informant: TestBrowser;
let shaxiAdmin: TestBrowser;
let fuyangCadre: TestBrowser;
let since: number;

beforeAll(async () => {
  const { app, db: database } = await testApp();
  db = database;
  duty = await signedInBrowser(app, 't-duty');
  informant = await signedInBrowser(app, 't-informant');
  shaxiAdmin = await signedInBrowser(app, 't-shaxi-admin');
  await createAccountAsSystem(db, {
    username: 'drill-fuyang-cadre',
    displayName: '红江村下沉干部',
    role: 'department_cadre',
    scopeCode: '511921112200',
    departmentCode: 'D01',
    password: TEST_PASSWORD,
  });
  fuyangCadre = await signedInBrowser(app, 'drill-fuyang-cadre');
  const [row] = await db.rows<{ id: string | null }>(sql`SELECT max(id)::text AS id FROM live_events`);
  since = Number(row?.id ?? 0);
});

afterAll(async () => {
  // Drill reports are real rows: take them out of the open cases other tests look at.
  await db.rows(sql`UPDATE reports SET state = 'cancelled', clock_stage = NULL, due_at = NULL WHERE source = 'drill'`);
});

describe('drill mode', () => {
  it('is off until someone starts it', async () => {
    const response = await duty.get('/api/drill');
    expect(response.status).toBe(200);
    expect((await response.json()).drill).toMatchObject({ running: false, reportsFiled: 0 });
  });

  it('files a drill report through the real path at once, and announces itself live', async () => {
    const response = await duty.request('PUT', '/api/drill', { running: true, intervalSeconds: 600 });
    expect(response.status).toBe(200);
    const { drill } = await response.json();
    expect(drill).toMatchObject({ running: true, intervalSeconds: 600, scopeCode: '511921', reportsFiled: 1 });

    const reports = await db.rows<{ state: string; description: string; cell_code: string; due_at: Date | null }>(
      // Its own: other files run drills of their own on the shared database.
      sql`SELECT state, description, cell_code, due_at FROM reports
          WHERE source = 'drill' AND reporter_id = (SELECT id FROM accounts WHERE username = 't-duty')`,
    );
    expect(reports).toHaveLength(1);
    expect(reports[0]!.state).toBe('reported');
    expect(reports[0]!.description.startsWith('【演练】')).toBe(true);
    expect(reports[0]!.cell_code).toMatch(/^511921\d{12}$/);
    expect(reports[0]!.due_at).not.toBeNull();

    const events = await db.rows<{ type: string }>(sql`SELECT type FROM live_events WHERE id > ${since} ORDER BY id`);
    expect(events.map((event) => event.type)).toEqual(expect.arrayContaining(['drill.changed', 'report.created']));
  });

  it('stops, and says so to everyone in scope', async () => {
    const response = await duty.request('PUT', '/api/drill', { running: false });
    expect(response.status).toBe(200);
    expect((await response.json()).drill).toMatchObject({ running: false, reportsFiled: 1 });
    const [last] = await db.rows<{ type: string; payload: { drill: { running: boolean } } }>(
      sql`SELECT type, payload FROM live_events WHERE type = 'drill.changed' ORDER BY id DESC LIMIT 1`,
    );
    expect(last!.payload.drill.running).toBe(false);
  });

  it('refuses an interval out of range, and roles without drill.run', async () => {
    expect((await duty.request('PUT', '/api/drill', { running: true, intervalSeconds: 1 })).status).toBe(400);
    const refused = await informant.request('PUT', '/api/drill', { running: true });
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.code).toBe('forbidden');
  });
});

describe('drills belong to a scope', () => {
  const scopesSeenBy = async (browser: TestBrowser) =>
    ((await (await browser.get('/api/drill')).json()).drills as { scopeCode: string }[]).map((drill) => drill.scopeCode);

  it('runs the county’s and 沙溪镇’s at once, each seen only where its scope overlaps the viewer’s', async () => {
    expect((await duty.request('PUT', '/api/drill', { running: true, intervalSeconds: 600 })).status).toBe(200);
    expect((await shaxiAdmin.request('PUT', '/api/drill', { running: true, intervalSeconds: 600 })).status).toBe(200);
    expect(await scopesSeenBy(duty)).toEqual(['511921', '511921108']);
    expect(await scopesSeenBy(shaxiAdmin)).toEqual(['511921', '511921108']);
    // A cadre placed in 涪阳镇 sees the county's drill, which covers it, and nothing of 沙溪镇's.
    const seen = await (await fuyangCadre.get('/api/drill')).text();
    expect(JSON.parse(seen).drills.map((drill: { scopeCode: string }) => drill.scopeCode)).toEqual(['511921']);
    expect(seen).not.toContain('511921108');
    expect(seen).not.toContain('t-shaxi-admin');
  });

  it('lets 沙溪镇’s administrator stop only 沙溪镇’s drill, never the county’s', async () => {
    const refused = await shaxiAdmin.request('PUT', '/api/drill', { running: false, scopeCode: '511921' });
    expect({ status: refused.status, code: (await refused.json()).error.code }).toEqual({
      status: 403,
      code: 'drill_outside_scope',
    });
    const stopped = await shaxiAdmin.request('PUT', '/api/drill', { running: false });
    expect((await stopped.json()).drill).toMatchObject({ running: false, scopeCode: '511921108' });
    expect(await scopesSeenBy(duty)).toEqual(['511921']);
  });

  it('lets the county stop a drill inside it by naming its scope', async () => {
    expect((await shaxiAdmin.request('PUT', '/api/drill', { running: true, intervalSeconds: 600 })).status).toBe(200);
    const stopped = await duty.request('PUT', '/api/drill', { running: false, scopeCode: '511921108' });
    expect((await stopped.json()).drill).toMatchObject({ running: false, scopeCode: '511921108' });
    expect(await scopesSeenBy(shaxiAdmin)).toEqual(['511921']);
    await duty.request('PUT', '/api/drill', { running: false });
    expect(await scopesSeenBy(duty)).toEqual([]);
  });
});
