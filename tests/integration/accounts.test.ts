import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../api/db/client.ts';
import { signedInBrowser, type TestBrowser } from './support/sessions.ts';
import { testApp } from './support/test-database.ts';

let db: Database;
let admin: TestBrowser;
let countyAdmin: TestBrowser;
let me: { id: string };

beforeAll(async () => {
  const context = await testApp();
  db = context.db;
  admin = await signedInBrowser(context.app, 't-shaxi-admin');
  countyAdmin = await signedInBrowser(context.app, 't-admin');
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
    [{ username: 'no-area', scopeCode: '511921108999001' }, 404, 'area_not_found'],
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

describe('what an administrator may grant', () => {
  const accountCount = async () => Number((await db.rows<{ n: string }>(sql`SELECT count(*) AS n FROM accounts`))[0]?.n);

  it.each([
    ['a county commander inside 沙溪镇', 'county_commander', '511921108', 400, 'scope_level_mismatch'],
    ['a duty officer inside 沙溪镇', 'duty_officer', '511921108209', 400, 'scope_level_mismatch'],
    ['a grid worker scoped at a village', 'grid_worker', '511921108209', 400, 'scope_level_mismatch'],
    ['an informant scoped at a grid', 'cell_informant', '511921108209001', 400, 'scope_level_mismatch'],
    ['沙溪镇’s own commander', 'township_commander', '511921108', 403, 'grant_beyond_yours'],
    ['another administrator of 沙溪镇', 'admin', '511921108', 403, 'grant_beyond_yours'],
  ])('a township administrator cannot make %s', async (_name, role, scopeCode, status, code) => {
    const before = await accountCount();
    const response = await admin.request('POST', '/api/accounts', {
      ...valid,
      username: `g-${role.slice(0, 8)}-${scopeCode.length}`,
      role,
      scopeCode,
    });
    expect({ status: response.status, code: (await response.json()).error.code }).toEqual({ status, code });
    expect(await accountCount()).toBe(before);
  });

  it.each([
    ['grid_chief', '511921108209'],
    ['grid_worker', '511921108209001'],
    ['cell_informant', '511921108209001001'],
    ['admin', '511921108209'],
  ])('a township administrator makes a %s below its level', async (role, scopeCode) => {
    const response = await admin.request('POST', '/api/accounts', { ...valid, username: `below-${role}`, role, scopeCode });
    expect(response.status).toBe(201);
  });

  it('a county administrator makes the county’s commanders and duty officers', async () => {
    for (const role of ['county_commander', 'duty_officer']) {
      const response = await countyAdmin.request('POST', '/api/accounts', {
        ...valid,
        username: `county-${role}`,
        role,
        scopeCode: '511921',
      });
      expect(response.status).toBe(201);
    }
  });

  it('a township administrator can neither reset the password of its commander nor change it', async () => {
    const list = await (await admin.get('/api/accounts?q=t-shaxi')).json();
    const commander = list.accounts.find((account: { username: string }) => account.username === 't-shaxi');
    expect(commander).toBeDefined();
    const reset = await admin.request('POST', `/api/accounts/${commander.id}/password`, { password: 'Takeover-123' });
    expect({ status: reset.status, code: (await reset.json()).error.code }).toEqual({ status: 403, code: 'grant_beyond_yours' });
    const renamed = await admin.request('PATCH', `/api/accounts/${commander.id}`, { displayName: '被接管' });
    expect(renamed.status).toBe(403);
    const [row] = await db.rows<{ name: string }>(sql`SELECT display_name AS name FROM accounts WHERE id = ${commander.id}`);
    expect(row?.name).not.toBe('被接管');
  });

  it('a township administrator cannot raise a worker to a commander', async () => {
    const created = await (
      await admin.request('POST', '/api/accounts', { ...valid, username: 'to-be-raised', scopeCode: '511921108209001' })
    ).json();
    const raised = await admin.request('PATCH', `/api/accounts/${created.account.id}`, {
      role: 'township_commander',
      scopeCode: '511921108',
    });
    expect({ status: raised.status, code: (await raised.json()).error.code }).toEqual({
      status: 403,
      code: 'grant_beyond_yours',
    });
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
