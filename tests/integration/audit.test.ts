import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../api/db/client.ts';
import { signedInBrowser, TestBrowser } from './support/sessions.ts';
import { testApp } from './support/test-database.ts';
import { tileOf } from './support/tiles.ts';

type App = Awaited<ReturnType<typeof testApp>>['app'];
let app: App;
let db: Database;

beforeAll(async () => {
  ({ app, db } = await testApp());
});

async function latest(action: string, actor: string) {
  const [row] = await db.rows<{
    action: string;
    outcome: string;
    targetId: string;
    scopeCode: string;
    ip: string | null;
    details: unknown;
  }>(sql`
    SELECT action, outcome, target_id AS "targetId", scope_code AS "scopeCode", ip, details FROM audit_log
    WHERE action = ${action} AND actor_username = ${actor} ORDER BY id DESC LIMIT 1`);
  return row;
}

describe('the audit trail', () => {
  it('records sign-ins and failed sign-ins, with the address', async () => {
    await new TestBrowser(app, '127.0.0.41').signIn('t-chief', 'wrong-password');
    await new TestBrowser(app, '127.0.0.41').signIn('t-chief');
    expect(await latest('auth.login_failed', 't-chief')).toMatchObject({
      outcome: 'failed',
      ip: '127.0.0.41',
      details: { reason: 'wrong_password' },
    });
    expect(await latest('auth.login', 't-chief')).toMatchObject({ outcome: 'ok', scopeCode: '511921108209', ip: '127.0.0.41' });
  });

  it('records every read of responsible people, under the area read', async () => {
    const chief = await signedInBrowser(app, 't-chief');
    expect((await chief.get('/api/areas/511921108209001')).status).toBe(200);
    const entry = await latest('people.read', 't-chief');
    expect(entry).toMatchObject({ targetId: '511921108209001', scopeCode: '511921108209001' });
    if (!entry) throw new Error('no people.read entry');
    expect((entry.details as { people: string[] }).people.length).toBeGreaterThan(0);
  });

  it('records street-level household tile reads', async () => {
    const [home] = await db.rows<{ lng: number; lat: number }>(sql`
      SELECT ST_X(geom) AS lng, ST_Y(geom) AS lat FROM households WHERE cell_code LIKE '511921108209%' ORDER BY code LIMIT 1`);
    const { z, x, y } = tileOf(home!.lng, home!.lat, 15);
    const chief = await signedInBrowser(app, 't-chief');
    expect((await chief.get(`/tiles/household/${z}/${x}/${y}.mvt`)).status).toBe(200);
    expect(await latest('households.read', 't-chief')).toMatchObject({ targetId: `${z}/${x}/${y}` });
  });

  it('records account changes with what changed', async () => {
    const admin = await signedInBrowser(app, 't-shaxi-admin');
    const created = await admin.request('POST', '/api/accounts', {
      username: 'audited-1',
      displayName: '审计测试',
      role: 'grid_worker',
      scopeCode: '511921108209001',
      password: 'Passw0rd-audit',
    });
    expect(created.status).toBe(201);
    const { account } = await created.json();
    await admin.request('PATCH', `/api/accounts/${account.id}`, { role: 'grid_chief', scopeCode: '511921108209' });
    expect(await latest('account.create', 't-shaxi-admin')).toMatchObject({ targetId: 'audited-1' });
    expect(await latest('account.update', 't-shaxi-admin')).toMatchObject({
      targetId: 'audited-1',
      details: { changes: { role: 'grid_chief', scopeCode: '511921108209' }, before: { role: 'grid_worker' } },
    });
  });

  it('is append-only, even for the database owner', async () => {
    await expect(db.rows(sql`UPDATE audit_log SET action = 'x'`)).rejects.toMatchObject({
      cause: expect.objectContaining({ message: expect.stringMatching(/append-only/) }),
    });
    await expect(db.rows(sql`DELETE FROM audit_log`)).rejects.toMatchObject({
      cause: expect.objectContaining({ message: expect.stringMatching(/append-only/) }),
    });
    await expect(db.rows(sql`TRUNCATE audit_log`)).rejects.toMatchObject({
      cause: expect.objectContaining({ message: expect.stringMatching(/append-only/) }),
    });
  });

  it('shows each reader the entries of their scope, filtered', async () => {
    const townshipAdmin = await signedInBrowser(app, 't-shaxi-admin');
    const page = await (await townshipAdmin.get('/api/audit?pageSize=500')).json();
    expect(page.total).toBeGreaterThan(0);
    for (const entry of page.entries) expect(entry.scopeCode.startsWith('511921108')).toBe(true);
    const failed = await (await townshipAdmin.get('/api/audit?action=auth.login_failed&actor=t-chief')).json();
    expect(failed.entries.length).toBeGreaterThan(0);
    for (const entry of failed.entries) expect(entry).toMatchObject({ action: 'auth.login_failed', actorUsername: 't-chief' });
    const county = await signedInBrowser(app, 't-county');
    const everything = await (await county.get('/api/audit?pageSize=1')).json();
    expect(everything.total).toBeGreaterThan(page.total);
  });

  it('exports as CSV, and records the export', async () => {
    const county = await signedInBrowser(app, 't-county');
    const response = await county.get('/api/audit/export.csv?action=auth.');
    expect(response.headers.get('Content-Type')).toContain('text/csv');
    expect(response.headers.get('Content-Disposition')).toMatch(/attachment; filename="audit-\d{4}-\d{2}-\d{2}\.csv"/);
    const text = await response.text();
    const [header, ...lines] = text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(header).toBe('at,actorUsername,actorRole,action,outcome,targetType,targetId,scopeCode,ip,userAgent,details');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/,auth\./);
    expect(await latest('audit.export', 't-county')).toMatchObject({ details: { filter: { action: 'auth.' } } });
  });
});
