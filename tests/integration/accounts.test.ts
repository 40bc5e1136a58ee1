import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../api/db/client.ts';
import { signedInBrowser, type TestBrowser } from './support/sessions.ts';
import { testApp } from './support/test-database.ts';

let db: Database;
let admin: TestBrowser;
let me: { id: string };

beforeAll(async () => {
  const context = await testApp();
  db = context.db;
  admin = await signedInBrowser(context.app, 't-shaxi-admin');
  const list = await (await admin.get('/api/accounts?q=t-shaxi-admin')).json();
  me = list.accounts[0];
});

const valid = { displayName: '新网格员', role: 'grid_worker', scopeCode: '511921108209001', password: 'Passw0rd-new' };

describe('creating accounts', () => {
  it('creates an account in scope, lower-casing the username, and lists it with its area name', async () => {
    const response = await admin.request('POST', '/api/accounts', { ...valid, username: 'New.Worker' });
    expect(response.status).toBe(201);
    const { account } = await response.json();
    expect(account).toMatchObject({
      username: 'new.worker',
      role: 'grid_worker',
      scopeCode: '511921108209001',
      scopeName: '王坪村第1网格',
      disabled: false,
    });
    const list = await (await admin.get('/api/accounts?role=grid_worker')).json();
    expect(list.accounts.map((row: { username: string }) => row.username)).toContain('new.worker');
  });

  it.each([
    [{ username: 'ab' }, 400, 'invalid_username'],
    [{ username: 'has space' }, 400, 'invalid_username'],
    [{ username: 'weak-1', password: 'short1' }, 400, 'weak_password'],
    [{ username: 'weak-2', password: 'onlyletters' }, 400, 'weak_password'],
    [{ username: 'bad-role', role: 'emperor' }, 400, 'invalid_role'],
    [{ username: 'bad-code', scopeCode: '5119' }, 400, 'invalid_area_code'],
    [{ username: 'no-area', scopeCode: '511921108999' }, 404, 'area_not_found'],
    [{ username: 'other-town', scopeCode: '511921112' }, 403, 'scope_outside_yours'],
    [{ username: 'whole-county', scopeCode: '511921', role: 'county_commander' }, 403, 'scope_outside_yours'],
    [{ username: 't-county' }, 409, 'username_taken'],
  ])('refuses %j with %i %s and writes nothing', async (change, status, code) => {
    const [before] = await db.rows<{ count: number }>(sql`SELECT count(*)::int AS count FROM accounts`);
    const response = await admin.request('POST', '/api/accounts', { ...valid, ...change });
    expect(response.status).toBe(status);
    const body = await response.json();
    expect(body.error.code).toBe(code);
    expect(body.error.message).toMatch(/[\u4e00-\u9fff]/);
    const [after] = await db.rows<{ count: number }>(sql`SELECT count(*)::int AS count FROM accounts`);
    expect(after?.count).toBe(before?.count);
  });

  it('refuses a body that is not what the contract says', async () => {
    const response = await admin.request('POST', '/api/accounts', { username: 'x' });
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe('invalid_request');
  });
});

describe('changing accounts', () => {
  it('re-scopes and changes the role inside the admin’s scope', async () => {
    const { account } = await (await admin.request('POST', '/api/accounts', { ...valid, username: 'mover' })).json();
    const response = await admin.request('PATCH', `/api/accounts/${account.id}`, {
      role: 'grid_chief',
      scopeCode: '511921108209',
    });
    expect(response.status).toBe(200);
    expect((await response.json()).account).toMatchObject({ role: 'grid_chief', scopeCode: '511921108209', scopeName: '王坪村' });
    const outside = await admin.request('PATCH', `/api/accounts/${account.id}`, { scopeCode: '511921112200' });
    expect(outside.status).toBe(403);
  });

  it('will not let an admin disable or re-scope themselves', async () => {
    const response = await admin.request('PATCH', `/api/accounts/${me.id}`, { disabled: true });
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe('cannot_change_self');
  });

  it('disables and enables', async () => {
    const { account } = await (await admin.request('POST', '/api/accounts', { ...valid, username: 'toggler' })).json();
    expect(
      (await (await admin.request('PATCH', `/api/accounts/${account.id}`, { disabled: true })).json()).account.disabled,
    ).toBe(true);
    const hidden = await (await admin.get('/api/accounts?includeDisabled=false&q=toggler')).json();
    expect(hidden.accounts).toEqual([]);
    expect(
      (await (await admin.request('PATCH', `/api/accounts/${account.id}`, { disabled: false })).json()).account.disabled,
    ).toBe(false);
  });
});
