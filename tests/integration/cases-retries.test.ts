import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { context, detail, openCasesContext } from './cases-context.ts';
import { act, CADRES, caseAt, liveEventsOf, type Stage, stepCount, versionOf } from './cases-fixtures.ts';

beforeAll(openCasesContext);

describe('concurrency and retries', () => {
  it('refuses a stale version with 409 stale_case and writes nothing', async () => {
    const { db } = context;
    const id = await caseAt(context, 'filed');
    const duty = await context.as('t-duty');
    const response = await duty.request('POST', `/api/cases/${id}/actions`, {
      action: 'dispatch',
      clientId: randomUUID(),
      version: (await versionOf(db, id)) - 1,
      departmentCode: 'D05',
    });
    expect(response.status).toBe(409);
    expect((await response.json()).error).toMatchObject({
      code: 'stale_case',
      details: { currentVersion: await versionOf(db, id) },
    });
    expect((await detail('t-duty', id)).state).toBe('filed');
  });

  it('applies a retried clientId once and answers the same step', async () => {
    const { db } = context;
    const id = await caseAt(context, 'reported');
    const duty = await context.as('t-duty');
    const body = { action: 'file', clientId: randomUUID(), version: await versionOf(db, id), note: '核实属实' };
    const first = await (await duty.request('POST', `/api/cases/${id}/actions`, body)).json();
    const counts = {
      steps: await stepCount(db, id),
      events: (await liveEventsOf(db, id)).length,
      version: await versionOf(db, id),
    };
    const retry = await duty.request('POST', `/api/cases/${id}/actions`, body);
    expect(retry.status).toBe(200);
    const second = await retry.json();
    expect(second.replayed).toBe(true);
    expect(second.step).toEqual(first.step);
    expect(second.case.state).toBe('filed');
    expect({
      steps: await stepCount(db, id),
      events: (await liveEventsOf(db, id)).length,
      version: await versionOf(db, id),
    }).toEqual(counts);
  });

  it('applies the same clientId sent twice at once only once', async () => {
    const { db } = context;
    const id = await caseAt(context, 'reported');
    const duty = await context.as('t-duty');
    const body = { action: 'file', clientId: randomUUID(), version: await versionOf(db, id) };
    const responses = await Promise.all([1, 2].map(() => duty.request('POST', `/api/cases/${id}/actions`, body)));
    const statuses = responses.map((response) => response.status);
    // One applies; the other either replays it or lost the version race.
    expect(statuses).toContain(200);
    expect(statuses.every((status) => status === 200 || status === 409)).toBe(true);
    expect(await versionOf(db, id)).toBe(2);
    const [row] = await db.rows<{ count: number }>(
      sql`SELECT count(*)::int AS count FROM case_steps WHERE report_id = ${id} AND action = 'file'`,
    );
    expect(row!.count).toBe(1);
  });

  it('refuses a clientId reused for another action', async () => {
    const { db } = context;
    const id = await caseAt(context, 'reported');
    const duty = await context.as('t-duty');
    const clientId = randomUUID();
    await duty.request('POST', `/api/cases/${id}/actions`, { action: 'file', clientId, version: await versionOf(db, id) });
    const response = await duty.request('POST', `/api/cases/${id}/actions`, {
      action: 'dispatch',
      clientId,
      version: await versionOf(db, id),
      departmentCode: 'D05',
    });
    expect(response.status).toBe(409);
    expect((await response.json()).error.code).toBe('client_id_reused');
  });
});

describe('bad input answers 400 and writes nothing', () => {
  it.each<[Stage, string, string, Record<string, unknown>, string]>([
    ['filed', 't-duty', 'dispatch', {}, 'dispatch_target_required'],
    ['filed', 't-duty', 'dispatch', { departmentCode: 'D99' }, 'unknown_department'],
    ['filed', 't-duty', 'dispatch', { townshipCode: '511921112' }, 'township_mismatch'],
    ['filed', 't-duty', 'dispatch', { departmentCode: 'D05', coDepartmentCodes: ['D05'] }, 'co_department_is_lead'],
    ['acknowledged', CADRES.D05, 'feedback', {}, 'note_required'],
    ['acknowledged', CADRES.D05, 'feedback', { note: '   ' }, 'note_required'],
    ['acknowledged', CADRES.D05, 'feedback', { note: '完成', photoIds: ['no-such-photo'] }, 'unknown_photo'],
    ['handled', 't-duty', 'check', {}, 'passed_required'],
    ['handled', 't-duty', 'check', { passed: false }, 'note_required'],
    ['closed', 't-duty', 'evaluate', { satisfaction: 5 }, 'evaluate_by_return_call'],
    ['acknowledged', CADRES.D05, 'request_extension', { note: '理由' }, 'extension_amount_required'],
    ['reported', 't-duty', 'reject', {}, 'note_required'],
    ['reported', 't-duty', 'nonsense', {}, 'invalid_request'],
  ])('from %s, %s %s with %o: %s', async (from, username, action, fields, code) => {
    const { db } = context;
    const id = await caseAt(context, from);
    const before = { version: await versionOf(db, id), steps: await stepCount(db, id) };
    const response = await act(db, await context.as(username), id, action, fields);
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe(code);
    expect({ version: await versionOf(db, id), steps: await stepCount(db, id) }).toEqual(before);
  });

  it('refuses a body without a clientId or a version', async () => {
    const { db } = context;
    const id = await caseAt(context, 'reported');
    const duty = await context.as('t-duty');
    expect((await duty.request('POST', `/api/cases/${id}/actions`, { action: 'file', version: 1 })).status).toBe(400);
    expect((await duty.request('POST', `/api/cases/${id}/actions`, { action: 'file', clientId: randomUUID() })).status).toBe(400);
    expect((await duty.request('POST', `/api/cases/${id}/actions`, { action: 'file', clientId: 'x', version: 1 })).status).toBe(
      400,
    );
    expect(await versionOf(db, id)).toBe(1);
  });
});
