import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { context, detail, openCasesContext } from './cases-context.ts';
import {
  act,
  actOk,
  CADRES,
  caseAt,
  HONGJIANG_CELL,
  liveEventsOf,
  newCase,
  SHAXI,
  type Stage,
  stepCount,
  versionOf,
} from './cases-fixtures.ts';

beforeAll(openCasesContext);

describe('legal transitions', () => {
  it.each<[string, Stage, string, string, Record<string, unknown>, string]>([
    ['file', 'reported', 't-duty', 'file', {}, 'filed'],
    ['reject', 'reported', 't-shaxi', 'reject', { note: '重复上报' }, 'rejected'],
    [
      'dispatch to a township and a lead department with co-handlers',
      'filed',
      't-county',
      'dispatch',
      { townshipCode: SHAXI, departmentCode: 'D05', coDepartmentCodes: ['D07'] },
      'dispatched',
    ],
    ['acknowledge (lead department)', 'dispatched', CADRES.D05, 'acknowledge', {}, 'acknowledged'],
    ['handle: a progress note', 'acknowledged', CADRES.D05, 'handle', { note: '已到现场' }, 'acknowledged'],
    ['feedback', 'acknowledged', CADRES.D05, 'feedback', { note: '已处置完毕' }, 'handled'],
    ['check passed: close', 'handled', 't-duty', 'check', { passed: true }, 'closed'],
    ['check failed: rework', 'handled', 't-shaxi', 'check', { passed: false, note: '现场仍有落石' }, 'acknowledged'],
    ['on_spot by a grid worker', 'reported', 't-worker', 'on_spot', { note: '已自行清理' }, 'handled'],
    ['supervise', 'dispatched', 't-county', 'supervise', { note: '请加快办理' }, 'dispatched'],
    [
      'request_extension',
      'acknowledged',
      CADRES.D05,
      'request_extension',
      { note: '需调集机械', amount: 2, unit: 'days' },
      'acknowledged',
    ],
    ['request_send_back', 'dispatched', CADRES.D05, 'request_send_back', { note: '不属本部门职责' }, 'dispatched'],
    ['request_park', 'acknowledged', CADRES.D05, 'request_park', { note: '待汛期后施工' }, 'acknowledged'],
    ['request_cancel', 'dispatched', CADRES.D05, 'request_cancel', { note: '误报' }, 'dispatched'],
    ['resume a parked case', 'parked', 't-duty', 'resume', {}, 'acknowledged'],
  ])('%s: %s → %s', async (_label, from, username, action, fields, expected) => {
    const { db } = context;
    const id = await caseAt(context, from);
    const before = {
      version: await versionOf(db, id),
      steps: await stepCount(db, id),
      events: (await liveEventsOf(db, id)).length,
    };
    const response = await act(db, await context.as(username), id, action, fields);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.replayed).toBe(false);
    expect(body.case.state).toBe(expected);
    expect(body.case.version).toBe(before.version + 1);
    expect(body.step).toMatchObject({ action, toState: expected, fromState: from === 'parked' ? 'parked' : from });
    expect(await stepCount(db, id)).toBe(before.steps + 1);
    const events = await liveEventsOf(db, id);
    expect(events).toHaveLength(before.events + 1);
    expect(events.at(-1)).toMatchObject({
      type: 'case.changed',
      scopeCode: '511921108209001001',
      payload: { case: { id, state: expected }, step: { action } },
    });
  });

  it.each([
    ['extension', 'request_extension', { amount: 3, unit: 'hours' }, 'acknowledged'],
    ['send_back', 'request_send_back', {}, 'filed'],
    ['park', 'request_park', {}, 'parked'],
    ['cancel', 'request_cancel', {}, 'cancelled'],
  ])('approve a %s request → %s', async (kind, request, fields, expected) => {
    const { db } = context;
    const id = await caseAt(context, 'acknowledged');
    await actOk(db, await context.as(CADRES.D05), id, request, { note: '理由', ...fields });
    const pending = await detail('t-shaxi', id);
    expect(pending.pendingRequest).toMatchObject({ kind, reason: '理由', requestedBy: { role: 'department_cadre' } });
    expect(pending.nextActions).toEqual(expect.arrayContaining(['approve', 'deny']));
    const { case: after, step } = await actOk(db, await context.as('t-shaxi'), id, 'approve');
    expect(after.state).toBe(expected);
    expect(after.pendingRequest).toBeNull();
    expect(step.details.request.kind).toBe(kind);
  });

  it('deny clears the request and leaves the state', async () => {
    const { db } = context;
    const id = await caseAt(context, 'acknowledged');
    await actOk(db, await context.as(CADRES.D05), id, 'request_cancel', { note: '理由' });
    const { case: after } = await actOk(db, await context.as('t-county'), id, 'deny', { note: '请继续办理' });
    expect(after).toMatchObject({ state: 'acknowledged', pendingRequest: null, pendingRequestKind: null });
  });
});

describe('illegal transitions answer 409 and write nothing', () => {
  it.each<[Stage, string, string, Record<string, unknown>, string]>([
    ['reported', 't-duty', 'dispatch', { departmentCode: 'D05' }, 'illegal_transition'],
    ['filed', 't-duty', 'file', {}, 'illegal_transition'],
    ['filed', CADRES.D05, 'acknowledge', {}, 'illegal_transition'],
    ['dispatched', CADRES.D05, 'feedback', { note: 'x' }, 'illegal_transition'],
    ['acknowledged', 't-duty', 'check', { passed: true }, 'illegal_transition'],
    ['handled', 't-duty', 'evaluate', {}, 'illegal_transition'],
    ['filed', 't-worker', 'on_spot', { note: 'x' }, 'illegal_transition'],
    ['acknowledged', 't-duty', 'resume', {}, 'illegal_transition'],
    ['closed', 't-county', 'supervise', { note: 'x' }, 'illegal_transition'],
    ['evaluated', 't-duty', 'evaluate', {}, 'illegal_transition'],
    ['acknowledged', 't-duty', 'approve', {}, 'no_pending_request'],
  ])('from %s, %s cannot %s', async (from, username, action, fields, code) => {
    const { db } = context;
    // A flood is of D05's lines (县水利局), so its cadre sees the case before it is dispatched to it.
    const id = await caseAt(context, from, { type: 'flood' });
    const before = {
      version: await versionOf(db, id),
      steps: await stepCount(db, id),
      events: (await liveEventsOf(db, id)).length,
    };
    const response = await act(db, await context.as(username), id, action, fields);
    expect(response.status).toBe(409);
    const { error } = await response.json();
    expect(error.code).toBe(code);
    if (code === 'illegal_transition') expect(error.details).toEqual({ action, state: from });
    expect(await versionOf(db, id)).toBe(before.version);
    expect(await stepCount(db, id)).toBe(before.steps);
    expect((await liveEventsOf(db, id)).length).toBe(before.events);
  });

  it('names the state and the action in Chinese and in English', async () => {
    const { db } = context;
    const id = await caseAt(context, 'reported');
    const duty = await context.as('t-duty');
    const zh = await (await act(db, duty, id, 'dispatch', { departmentCode: 'D05' })).json();
    expect(zh.error.message).toContain('已上报');
    expect(zh.error.message).toContain('派遣');
    const en = await duty.request(
      'POST',
      `/api/cases/${id}/actions`,
      { action: 'check', clientId: randomUUID(), version: await versionOf(db, id), passed: true },
      { 'Accept-Language': 'en' },
    );
    expect((await en.json()).error.message).toMatch(/state reported.*check/);
  });
});

describe('who may act', () => {
  it.each<[string, Stage, string, string, Record<string, unknown>, string]>([
    ['an informant cannot dispatch', 'filed', 't-informant', 'dispatch', { departmentCode: 'D05' }, 'forbidden'],
    ['an informant cannot even file', 'reported', 't-informant', 'file', {}, 'forbidden'],
    ['an administrator takes no case action', 'reported', 't-admin', 'file', {}, 'forbidden'],
    ['a grid worker cannot dispatch', 'filed', 't-worker', 'dispatch', { departmentCode: 'D05' }, 'forbidden'],
    ['a cadre of another department cannot acknowledge', 'dispatched', CADRES.D07, 'acknowledge', {}, 'not_your_case'],
    ['a cadre cannot close', 'handled', CADRES.D05, 'check', { passed: true }, 'forbidden'],
    ['nobody escalates by hand', 'acknowledged', 't-county', 'escalate', {}, 'system_only'],
  ])('%s (403)', async (_label, from, username, action, fields, code) => {
    const { db } = context;
    // A production-safety hazard is of D07's lines (县住房和城乡建设局): it sees the case, and may still not act on it.
    const id = await caseAt(context, from, { type: 'production_safety' });
    const before = await versionOf(db, id);
    const response = await act(db, await context.as(username), id, action, fields);
    expect(response.status).toBe(403);
    expect((await response.json()).error.code).toBe(code);
    expect(await versionOf(db, id)).toBe(before);
  });

  it('lets a co-handling department add progress notes but not give the feedback', async () => {
    const { db } = context;
    const id = await caseAt(context, 'filed');
    await actOk(db, await context.as('t-duty'), id, 'dispatch', { departmentCode: 'D05', coDepartmentCodes: ['D07'] });
    await actOk(db, await context.as(CADRES.D05), id, 'acknowledge');
    const coHandler = await context.as(CADRES.D07);
    expect((await detail(CADRES.D07, id)).nextActions).toEqual(['handle']);
    expect((await act(db, coHandler, id, 'handle', { note: '已协助封路' })).status).toBe(200);
    expect((await act(db, coHandler, id, 'feedback', { note: '完成' })).status).toBe(403);
  });

  it('follows a cadre’s department as it is now, not as it was at sign-in', async () => {
    const { db } = context;
    const id = await caseAt(context, 'dispatched', { type: 'production_safety' });
    const cadre = await context.as(CADRES.D07);
    expect((await act(db, cadre, id, 'acknowledge')).status).toBe(403);
    await db.rows(sql`UPDATE accounts SET department_code = 'D05' WHERE username = ${CADRES.D07}`);
    try {
      expect((await act(db, cadre, id, 'acknowledge')).status).toBe(200);
    } finally {
      await db.rows(sql`UPDATE accounts SET department_code = 'D07' WHERE username = ${CADRES.D07}`);
    }
  });

  it('refuses approving one’s own request', async () => {
    const { db } = context;
    const id = await caseAt(context, 'acknowledged');
    const shaxi = await context.as('t-shaxi');
    await actOk(db, shaxi, id, 'request_park', { note: '待施工' });
    const response = await act(db, shaxi, id, 'approve');
    expect(response.status).toBe(403);
    expect((await response.json()).error.code).toBe('own_request');
  });

  it('leaves approval of a case escalated to the county to county roles', async () => {
    const { db } = context;
    const id = await caseAt(context, 'acknowledged');
    await actOk(db, await context.as(CADRES.D05), id, 'request_extension', { note: '理由', amount: 1, unit: 'days' });
    await db.rows(sql`UPDATE reports SET responsible_level = 'county' WHERE id = ${id}`);
    expect((await act(db, await context.as('t-shaxi'), id, 'approve')).status).toBe(403);
    expect((await act(db, await context.as('t-county'), id, 'approve')).status).toBe(200);
  });

  it('answers 404 for a case outside the scope, to a reader and to an actor alike', async () => {
    const { db } = context;
    const { id } = await newCase(db, { cellCode: HONGJIANG_CELL });
    expect((await (await context.as('t-shaxi')).get(`/api/cases/${id}`)).status).toBe(404);
    const response = await act(db, await context.as('t-shaxi'), id, 'file');
    expect(response.status).toBe(404);
    expect(await versionOf(db, id)).toBe(1);
    expect((await (await context.as('t-county')).get(`/api/cases/${id}`)).status).toBe(200);
  });
});

describe('case detail', () => {
  it('shows the place, the areas by name, the timeline and the viewer’s next actions', async () => {
    const id = await caseAt(context, 'dispatched');
    const asDuty = await detail('t-duty', id);
    expect(asDuty.areas).toEqual({
      township: { code: SHAXI, name: '沙溪镇' },
      village: { code: '511921108209', name: '王坪村' },
      grid: { code: '511921108209001', name: '王坪村第1网格' },
      cell: { code: '511921108209001001', name: '王坪村第1网格1单元' },
    });
    expect(asDuty.position).toHaveLength(2);
    expect(asDuty.assignedDepartmentName).toBe('县水利局');
    expect(asDuty.steps.map((step: { action: string }) => step.action)).toEqual(['report', 'file', 'dispatch']);
    expect(asDuty.nextActions).toEqual(['supervise']);
    expect((await detail('t-shaxi', id)).nextActions).toEqual([
      'acknowledge',
      'supervise',
      'request_send_back',
      'request_park',
      'request_cancel',
    ]);
    expect(asDuty.light).toBe('green');
    expect(asDuty.usedShare).toBeGreaterThanOrEqual(0);
    expect((await detail(CADRES.D05, id)).nextActions).toEqual([
      'acknowledge',
      'request_send_back',
      'request_park',
      'request_cancel',
    ]);
    expect((await (await context.as(CADRES.D07)).get(`/api/cases/${id}`)).status).toBe(404);
    expect((await detail('t-informant', id)).nextActions).toEqual([]);
    expect(asDuty.takenAt).not.toBeNull();
  });

  it('attaches photos of the case to the step that carried them', async () => {
    const { db } = context;
    const id = await caseAt(context, 'acknowledged');
    const [cell] = await db.rows<{ cell: string }>(sql`SELECT cell_code AS cell FROM reports WHERE id = ${id}`);
    const photoId = randomUUID();
    await db.rows(sql`
      INSERT INTO report_photos (id, report_id, content_type, byte_size, sha256, bytes, cell_code)
      VALUES (${photoId}, ${id}, 'image/jpeg', 3, 'abc', '\\x010203'::bytea, ${cell!.cell})`);
    const { step } = await actOk(db, await context.as(CADRES.D05), id, 'feedback', { note: '见照片', photoIds: [photoId] });
    expect(step.photoIds).toEqual([photoId]);
    const current = await detail('t-duty', id);
    expect(current.steps.at(-1).photoIds).toEqual([photoId]);
    expect(current.steps[0].photoIds).toEqual([]);
    expect(current.photos.map((photo: { id: string }) => photo.id)).toContain(photoId);
  });

  it('answers 404 for an unknown case', async () => {
    const response = await (await context.as('t-duty')).get(`/api/cases/${randomUUID()}`);
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe('case_not_found');
  });
});
