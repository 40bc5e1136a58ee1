import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAccountAsSystem } from '../../api/accounts/service.ts';
import { context, openCasesContext } from './cases-context.ts';
import { act, actOk, HONGJIANG_CELL, newCase, SHAXI, WANGPING_CELL } from './cases-fixtures.ts';
import { signedInBrowser, TEST_PASSWORD } from './support/sessions.ts';

beforeAll(openCasesContext);

async function pointIn(cellCode: string): Promise<[number, number]> {
  const [cell] = await context.db.rows<{ lng: number; lat: number }>(sql`
    SELECT ST_X(label_point) AS lng, ST_Y(label_point) AS lat FROM areas WHERE code = ${cellCode}`);
  return [Number(cell!.lng), Number(cell!.lat)];
}

let sequence = 0;
async function providerBody(cellCode: string, serves: string[]) {
  sequence++;
  return {
    name: `王坪村测试志愿服务队 ${process.pid}-${sequence}`,
    category: 'volunteer',
    services: ['邻里互助', '防汛巡查'],
    serviceAreaCodes: serves,
    position: await pointIn(cellCode),
    contactName: '李建国',
    contactPhone: '13900001111',
  };
}

/** A provider as the routes answer it (api/providers/routes.ts): the fields these tests read by name, the rest matched. */
interface Provider {
  code: string;
  name: string;
  position: [number, number];
  active: boolean;
  [field: string]: unknown;
}

/** What a POST answers: the provider when it was created, the error when it was refused (the test knows which from the status). */
interface CreateAnswer {
  provider: Provider;
  error: { code: string; message: string };
}

async function create(username: string, body: unknown) {
  const response = await (await context.as(username)).request('POST', '/api/providers', body);
  return { status: response.status, body: (await response.json()) as CreateAnswer };
}

describe('service providers', () => {
  it('are created by the county as departments of kind provider, listed and drawn for everyone on the map', async () => {
    const { status, body } = await create('t-county', await providerBody(WANGPING_CELL, ['511921108209']));
    expect(status).toBe(201);
    const { provider } = body;
    expect(provider.code).toMatch(/^P\d{3}$/);
    expect(provider).toMatchObject({
      category: 'volunteer',
      areaCode: WANGPING_CELL,
      active: true,
      services: ['邻里互助', '防汛巡查'],
    });

    const informant = await context.as('t-informant');
    const list = await (await informant.get('/api/providers')).json();
    expect(list.providers.map((row: { code: string }) => row.code)).toContain(provider.code);
    const features = await informant.get('/api/providers/features');
    expect(features.status).toBe(200);
    const collection = await features.json();
    const feature = collection.features.find((row: { id: string }) => row.id === provider.code);
    expect(feature.geometry.coordinates).toEqual([
      expect.closeTo(provider.position[0], 6),
      expect.closeTo(provider.position[1], 6),
    ]);
    expect(feature.properties).toMatchObject({ name: provider.name, serviceAreaCodes: ['511921108209'] });
    const departments = await (await informant.get('/api/departments')).json();
    expect(departments.departments).toContainEqual(
      expect.objectContaining({ code: provider.code, kind: 'provider', active: true }),
    );
    const [audit] = await context.db.rows<{ action: string }>(sql`
      SELECT action FROM audit_log WHERE target_type = 'service_provider' AND target_id = ${provider.code}`);
    expect(audit?.action).toBe('providers.create');
  });

  it('are managed only in the manager’s scope, and not by those without providers.manage', async () => {
    const outside = await create('t-shaxi-admin', await providerBody(HONGJIANG_CELL, []));
    expect(outside.status).toBe(403);
    expect(outside.body.error.code).toBe('provider_outside_scope');
    const servesOutside = await create('t-shaxi-admin', await providerBody(WANGPING_CELL, ['511921112']));
    expect(servesOutside.status).toBe(403);
    expect((await create('t-shaxi-admin', await providerBody(WANGPING_CELL, [SHAXI]))).status).toBe(201);
    expect((await create('t-duty', await providerBody(WANGPING_CELL, []))).status).toBe(403);
    const far = await create('t-county', { ...(await providerBody(WANGPING_CELL, [])), position: [100, 30] });
    expect(far.status).toBe(400);
    expect(far.body.error.code).toBe('outside_county');
  });

  it('take cases like a department: dispatched to, acknowledged by its cadre; once deactivated, no longer dispatched to', async () => {
    const { body } = await create('t-county', await providerBody(WANGPING_CELL, ['511921108209']));
    const code: string = body.provider.code;
    const username = `provider-cadre-${code}-${process.pid}`;
    await createAccountAsSystem(context.db, {
      username,
      displayName: `${code} 干部`,
      role: 'department_cadre',
      scopeCode: '511921108209001',
      departmentCode: code,
      password: TEST_PASSWORD,
    });
    const cadre = await signedInBrowser(context.app as never, username);
    const duty = await context.as('t-duty');
    const { id } = await newCase(context.db, { type: 'other' });
    await actOk(context.db, duty, id, 'file');
    const dispatched = await actOk(context.db, duty, id, 'dispatch', { departmentCode: code });
    expect(dispatched.case).toMatchObject({ assignedDepartmentCode: code, assignedDepartmentName: body.provider.name });
    const acknowledged = await actOk(context.db, cadre, id, 'acknowledge');
    expect(acknowledged.case.state).toBe('acknowledged');

    const renamed = await (await context.as('t-county')).request('PATCH', `/api/providers/${code}`, {
      name: `${body.provider.name}（更名）`,
    });
    expect(renamed.status).toBe(200);
    const [department] = await context.db.rows<{ name: string }>(sql`SELECT name FROM departments WHERE code = ${code}`);
    expect(department?.name).toMatch(/更名/);

    const off = await (await context.as('t-county')).request('POST', `/api/providers/${code}/deactivate`);
    expect(off.status).toBe(200);
    expect((await off.json()).provider.active).toBe(false);
    const features = await (await context.as('t-duty')).get('/api/providers/features');
    expect((await features.json()).features.map((row: { id: string }) => row.id)).not.toContain(code);
    const other = await newCase(context.db, { type: 'other' });
    await actOk(context.db, duty, other.id, 'file');
    const refused = await act(context.db, duty, other.id, 'dispatch', { departmentCode: code });
    expect(refused.status).toBe(400);
    expect((await refused.json()).error.code).toBe('provider_inactive');
  });
});
