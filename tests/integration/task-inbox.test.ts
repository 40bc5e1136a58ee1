import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAccountAsSystem } from '../../api/accounts/service.ts';
import type { Database } from '../../api/db/client.ts';
import { okJson as ok, signedInBrowser, TEST_PASSWORD, type TestBrowser } from './support/sessions.ts';
import { testApp } from './support/test-database.ts';

/**
 * Issue 19, the field side: an informant's and a grid worker's inbox (delivery receipts), reading,
 * acknowledging and answering their own targets once however often the phone retries, answers
 * checked against the form and kept per household, photos, and escalations, all cut to scope.
 */

const GRID = '511921108209001';
const CELL = '511921108209001001';
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const DAY_MS = 86_400_000;

let db: Database;
let county: TestBrowser;
let informant: TestBrowser;
let neighbour: TestBrowser;
let worker: TestBrowser;
let chief: TestBrowser;
let shaxi: TestBrowser;
let countyBbox: [number, number, number, number];

interface Item {
  targetId: number;
  targetKind: string;
  areaCode: string;
  state: string;
  deliveredAt: string | null;
  task: { id: string };
  households?: { code: string }[];
  responses: { householdCode: string | null; answers: Record<string, unknown> }[];
}
interface Inbox {
  items: Item[];
  escalations: { targetId: number; level: number; personName: string | null; personPhone: string | null }[];
}

const FORM = [
  { key: 'people', label: '在家人数', type: 'number', required: true, integer: true, min: 0 },
  { key: 'door', label: '门牌照片', type: 'photo', required: false },
  { key: 'spot', label: '位置', type: 'location', required: false },
];

async function dispatch(areaCode: string, extra: Record<string, unknown> = {}): Promise<string> {
  const { task } = await ok<{ task: { id: string } }>(
    county.request('POST', '/api/tasks', {
      clientId: randomUUID(),
      lineCode: 'emergency',
      kind: 'notice',
      title: `通知-${randomUUID().slice(0, 6)}`,
      areaCode,
      deadline: new Date(Date.now() + DAY_MS).toISOString(),
      ...extra,
    }),
    'dispatch',
  );
  return task.id;
}

const inboxOf = (browser: TestBrowser) => ok<Inbox>(browser.get('/api/tasks/inbox'), 'inbox');
async function itemOf(browser: TestBrowser, taskId: string): Promise<Item> {
  const item = (await inboxOf(browser)).items.find((entry) => entry.task.id === taskId);
  if (!item) throw new Error(`task ${taskId} not in the inbox`);
  return item;
}
const targetEvents = async (targetId: number) =>
  (
    await db.rows<{ state: string }>(
      sql`SELECT payload->>'state' AS state FROM live_events WHERE type = 'task.target' AND (payload->>'targetId')::bigint = ${targetId} ORDER BY id`,
    )
  ).map((row) => row.state);

beforeAll(async () => {
  const started = await testApp();
  db = started.db;
  const [second] = await db.rows<{ code: string }>(
    sql`SELECT code FROM areas WHERE level = 'cell' AND code LIKE ${`${GRID}%`} AND code <> ${CELL} ORDER BY code LIMIT 1`,
  );
  const username = `inbox-neighbour-${randomUUID().slice(0, 6)}`;
  await createAccountAsSystem(db, {
    username,
    displayName: '邻格信息员',
    role: 'cell_informant',
    scopeCode: second!.code,
    password: TEST_PASSWORD,
  });
  const sign = (name: string) => signedInBrowser(started.app, name);
  [county, informant, neighbour, worker, chief, shaxi] = await Promise.all([
    sign('t-county'),
    sign('t-informant'),
    sign(username),
    sign('t-worker'),
    sign('t-chief'),
    sign('t-shaxi'),
  ]);
  const config = await ok<{ county: { bbox: [number, number, number, number] } }>(county.get('/api/config'), 'config');
  countyBbox = config.county.bbox;
}, 120_000);

describe('the inbox', () => {
  it('gives an informant its own cell’s target and a grid worker its grid’s, stamping delivery once', async () => {
    const taskId = await dispatch(GRID);
    const item = await itemOf(informant, taskId);
    expect(item).toMatchObject({ targetKind: 'cell', areaCode: CELL, state: 'delivered' });
    expect((await itemOf(informant, taskId)).deliveredAt).toBe(item.deliveredAt);
    expect(await targetEvents(item.targetId)).toEqual(['delivered']);
    expect((await itemOf(worker, taskId)).targetKind).toBe('grid');
    expect(
      (await inboxOf(neighbour)).items.filter((entry) => entry.task.id === taskId).map((entry) => entry.areaCode),
    ).not.toContain(CELL);
    expect((await inboxOf(chief)).items).toEqual([]);
  });

  it('reads and acknowledges once however often the phone retries; a notice acknowledged is done', async () => {
    const taskId = await dispatch(CELL);
    const { targetId } = await itemOf(informant, taskId);
    const read = `/api/tasks/targets/${targetId}/read`;
    const first = await ok<{ target: { readAt: string } }>(informant.request('POST', read, { clientId: 'r1' }), 'read');
    const again = await ok<{ target: { readAt: string } }>(informant.request('POST', read, { clientId: 'r1' }), 'read again');
    expect(again.target.readAt).toBe(first.target.readAt);
    const ack = `/api/tasks/targets/${targetId}/acknowledge`;
    const acked = await ok<{ target: { state: string; acknowledgedAt: string } }>(
      informant.request('POST', ack, { clientId: 'a1' }),
      'ack',
    );
    const twice = await ok<{ target: { acknowledgedAt: string } }>(
      informant.request('POST', ack, { clientId: 'a1' }),
      'ack again',
    );
    expect(acked.target.state).toBe('done');
    expect(twice.target.acknowledgedAt).toBe(acked.target.acknowledgedAt);
    expect(await targetEvents(targetId)).toEqual(['delivered', 'read', 'done']);
    expect((await neighbour.request('POST', ack, { clientId: 'x' })).status).toBe(404);
    expect((await worker.request('POST', ack, { clientId: 'x' })).status).toBe(404);
  });
});

describe('answers', () => {
  it('checks answers against the form through the route, naming the field, and keeps one row per client id', async () => {
    const taskId = await dispatch(CELL, { kind: 'collection', fields: FORM });
    const { targetId } = await itemOf(informant, taskId);
    const path = `/api/tasks/targets/${targetId}/responses`;
    const wrong = await informant.request('POST', path, { clientId: randomUUID(), answers: { people: 'three' } });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { error: { message: string } }).error.message).toBe('「在家人数」应为数字');
    const unknown = await informant.request('POST', path, { clientId: randomUUID(), answers: { people: 1, pets: 2 } });
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toBe('表单中没有字段「pets」');
    const far = await informant.request('POST', path, {
      clientId: randomUUID(),
      answers: { people: 1, spot: { lon: 0, lat: 0 } },
    });
    expect(((await far.json()) as { error: { message: string } }).error.message).toBe('「位置」不在本县范围内');
    const noPhoto = await informant.request('POST', path, { clientId: randomUUID(), answers: { people: 1, door: 'nope' } });
    expect(((await noPhoto.json()) as { error: { message: string } }).error.message).toBe('「门牌照片」的照片尚未上传');

    const form = new FormData();
    form.append('photos', new Blob([PNG], { type: 'image/png' }), 'door.png');
    const photo = await ok<{ id: string }>(
      informant.request('POST', `/api/tasks/${taskId}/photos?targetId=${targetId}`, form),
      'photo',
    );
    const spot = { lon: (countyBbox[0] + countyBbox[2]) / 2, lat: (countyBbox[1] + countyBbox[3]) / 2 };
    const body = { clientId: randomUUID(), answers: { people: 3, door: photo.id, spot } };
    const first = await informant.request('POST', path, body);
    expect(first.status).toBe(201);
    const retry = await informant.request('POST', path, body);
    expect(retry.status).toBe(200);
    const [a, b] = [(await first.json()) as { response: { id: number } }, (await retry.json()) as { response: { id: number } }];
    expect(b.response.id).toBe(a.response.id);
    const [{ n } = { n: 0 }] = await db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM task_responses WHERE task_id = ${taskId}`,
    );
    expect(n).toBe(1);
    expect((await itemOf(informant, taskId)).state).toBe('done');

    // The photo: read in scope (audited), not by the neighbouring cell's informant.
    expect((await shaxi.get(`/api/tasks/photos/${photo.id}`)).status).toBe(200);
    expect((await neighbour.get(`/api/tasks/photos/${photo.id}`)).status).toBe(404);
    const [audit] = await db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'tasks.photo_read' AND target_id = ${photo.id}`,
    );
    expect(audit?.n).toBe(1);
  });

  it('keeps one answer per household, the latest, and is done when every household has one or by hand', async () => {
    const fields = [{ key: 'people', label: '在家人数', type: 'number', required: true }];
    const taskId = await dispatch(CELL, { kind: 'collection', fields, perHousehold: true });
    const item = await itemOf(informant, taskId);
    const households = item.households ?? [];
    expect(households.length).toBeGreaterThan(1);
    const path = `/api/tasks/targets/${item.targetId}/responses`;
    const first = households[0]!.code;
    await ok(informant.request('POST', path, { clientId: randomUUID(), householdCode: first, answers: { people: 2 } }), 'first');
    await ok(informant.request('POST', path, { clientId: randomUUID(), householdCode: first, answers: { people: 5 } }), 'again');
    const noHousehold = await informant.request('POST', path, { clientId: randomUUID(), answers: { people: 1 } });
    expect(noHousehold.status).toBe(400);
    let now = await itemOf(informant, taskId);
    expect(now.responses).toEqual([{ householdCode: first, answers: { people: 5 }, updatedAt: expect.any(String) }]);
    expect(now.state).not.toBe('done');
    for (const household of households.slice(1))
      await ok(
        informant.request('POST', path, { clientId: randomUUID(), householdCode: household.code, answers: { people: 1 } }),
        'each',
      );
    now = await itemOf(informant, taskId);
    expect(now.state).toBe('done');
    expect(now.responses).toHaveLength(households.length);

    const other = await dispatch(CELL, { kind: 'collection', fields, perHousehold: true });
    const { targetId } = await itemOf(informant, other);
    const done = await ok<{ target: { state: string } }>(
      informant.request('POST', `/api/tasks/targets/${targetId}/complete`, { clientId: randomUUID() }),
      'complete',
    );
    expect(done.target.state).toBe('done');
    const [audit] = await db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'households.read' AND target_type = 'task_inbox'`,
    );
    expect(audit?.n).toBeGreaterThan(0);
  });
});

describe('escalations', () => {
  it('shows a grid worker the silent cells escalated to it, with the informant’s name and phone (audited)', async () => {
    const taskId = await dispatch(GRID);
    await db.rows(sql`UPDATE task_targets SET escalation_level = 1, escalated_at = now()
      WHERE task_id = ${taskId} AND target_kind = 'cell' AND area_code = ${CELL}`);
    const { escalations } = await inboxOf(worker);
    const mine = escalations.filter((escalation) => escalation.level === 1);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine[0]?.personName).toBeTruthy();
    expect((await inboxOf(chief)).escalations.some((escalation) => escalation.level === 1)).toBe(false);
    const [audit] = await db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'people.read' AND target_type = 'task_escalations'`,
    );
    expect(audit?.n).toBeGreaterThan(0);
  });
});
