import { sql } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { actOk, CADRES, casesContext, HONGJIANG_CELL, newCase, SHAXI, WANGPING_CELL } from './cases-fixtures.ts';
import { isLogEvent, liveData, SseReader } from './support/sse.ts';

let context: Awaited<ReturnType<typeof casesContext>>;
const open: SseReader[] = [];

beforeAll(async () => {
  context = await casesContext();
});

afterEach(async () => {
  for (const reader of open.splice(0)) await reader.close();
});

/** 涪阳镇, the township of 红江村. */
const FUYANG = '511921112';

interface WorkItem {
  id: string;
  state: string;
  work: string[];
  nextActions: string[];
  light: string;
  dueAt: string | null;
  clockStage: string | null;
  cellCode: string;
  villageName: string | null;
  gridName: string | null;
  cellName: string | null;
  version: number;
}

async function mine(username: string): Promise<{ items: WorkItem[]; total: number; complete: boolean }> {
  const response = await (await context.as(username)).get('/api/cases/mine');
  expect(response.status).toBe(200);
  return response.json();
}

async function workOf(username: string, id: string): Promise<WorkItem | undefined> {
  return (await mine(username)).items.find((item) => item.id === id);
}

/** A new case in `cellCode`, filed and dispatched by the duty officer to `target`. */
async function dispatched(
  target: { townshipCode?: string; departmentCode?: string; coDepartmentCodes?: string[] },
  cellCode = WANGPING_CELL,
): Promise<string> {
  const { db, as } = context;
  const { id } = await newCase(db, { cellCode });
  const duty = await as('t-duty');
  await actOk(db, duty, id, 'file');
  await actOk(db, duty, id, 'dispatch', target);
  return id;
}

describe('GET /api/cases/mine: a grid worker', () => {
  it('lists a case dispatched to its township, with its place, deadline and light, until it has given feedback', async () => {
    const { db, as } = context;
    const id = await dispatched({ townshipCode: SHAXI });
    const waiting = await workOf('t-worker', id);
    expect(waiting).toMatchObject({
      state: 'dispatched',
      work: ['acknowledge'],
      clockStage: 'acknowledge',
      light: 'green',
      cellCode: WANGPING_CELL,
      villageName: '王坪村',
    });
    expect(waiting?.dueAt).toEqual(expect.any(String));
    expect(waiting?.gridName).toEqual(expect.any(String));
    expect(waiting?.cellName).toEqual(expect.any(String));

    const worker = await as('t-worker');
    await actOk(db, worker, id, 'acknowledge');
    expect(await workOf('t-worker', id)).toMatchObject({
      state: 'acknowledged',
      work: ['handle', 'feedback'],
      clockStage: 'handle',
    });

    await actOk(db, worker, id, 'handle', { note: '已到现场，正在清理' });
    expect((await workOf('t-worker', id))?.work).toEqual(['handle', 'feedback']);

    await actOk(db, worker, id, 'feedback', { note: '已清理完毕' });
    expect(await workOf('t-worker', id)).toBeUndefined();
  });

  it('lists no case before dispatch, none given to a department alone, and none of another township', async () => {
    const { db } = context;
    const { id: reported } = await newCase(db);
    const departmentOnly = await dispatched({ departmentCode: 'D05' });
    const elsewhere = await dispatched({ townshipCode: FUYANG }, HONGJIANG_CELL);
    for (const username of ['t-worker', 't-chief', 't-shaxi']) {
      const ids = (await mine(username)).items.map((item) => item.id);
      expect({ username, ids: ids.filter((id) => [reported, departmentOnly, elsewhere].includes(id)) }).toEqual({
        username,
        ids: [],
      });
      expect(JSON.stringify(await mine(username))).not.toContain(HONGJIANG_CELL.slice(0, 12));
    }
  });

  it('gives each case the same next actions as its detail', async () => {
    const id = await dispatched({ townshipCode: SHAXI });
    const { items } = await mine('t-worker');
    expect(items.length).toBeGreaterThan(0);
    for (const item of items.filter((entry) => entry.id === id || entry.state === 'acknowledged').slice(0, 5)) {
      const response = await (await context.as('t-worker')).get(`/api/cases/${item.id}`);
      const detail = (await response.json()).case;
      expect({ id: item.id, nextActions: item.nextActions, version: item.version }).toEqual({
        id: item.id,
        nextActions: detail.nextActions,
        version: detail.version,
      });
    }
  });

  it('puts the most pressing deadline first: overdue before due later', async () => {
    const { db } = context;
    const fresh = await dispatched({ townshipCode: SHAXI });
    const overdue = await dispatched({ townshipCode: SHAXI });
    await db.rows(sql`
      UPDATE reports SET clock_started_at = now() - interval '3 hours', due_at = now() - interval '1 hour', limit_unit = 'minutes'
      WHERE id = ${overdue}`);
    const { items } = await mine('t-worker');
    const order = items.map((item) => item.id);
    expect(items.find((item) => item.id === overdue)?.light).toBe('red');
    expect(order.indexOf(overdue)).toBeGreaterThanOrEqual(0);
    expect(order.indexOf(overdue)).toBeLessThan(order.indexOf(fresh));
    const lights = items.map((item) => item.light);
    const rank = { red: 0, yellow: 1, green: 2, none: 3 } as Record<string, number>;
    expect(lights.map((light) => rank[light])).toEqual([...lights.map((light) => rank[light]!)].sort((a, b) => a - b));
  });
});

describe('GET /api/cases/mine: department cadres', () => {
  it('gives the lead department the acknowledgement, and a co-handling one the progress notes once acknowledged', async () => {
    const { db, as } = context;
    const id = await dispatched({ townshipCode: SHAXI, departmentCode: 'D05', coDepartmentCodes: ['D07'] });
    expect((await workOf(CADRES.D05, id))?.work).toEqual(['acknowledge']);
    expect(await workOf(CADRES.D07, id)).toBeUndefined();
    expect(await workOf(CADRES.none, id)).toBeUndefined();

    await actOk(db, await as(CADRES.D05), id, 'acknowledge');
    expect((await workOf(CADRES.D05, id))?.work).toEqual(['handle', 'feedback']);
    expect((await workOf(CADRES.D07, id))?.work).toEqual(['handle']);
  });

  it('lists nothing of another department, nor anything for a cadre without a department', async () => {
    const id = await dispatched({ departmentCode: 'D07' });
    expect(await workOf(CADRES.D05, id)).toBeUndefined();
    expect((await workOf(CADRES.D07, id))?.work).toEqual(['acknowledge']);
    expect((await mine(CADRES.none)).items).toEqual([]);
  });

  it('lists nothing outside its scope, even when dispatched to its department', async () => {
    const outside = await dispatched({ departmentCode: 'D05' }, HONGJIANG_CELL);
    expect(await workOf(CADRES.D05, outside)).toBeUndefined();
  });
});

describe('GET /api/cases/mine: roles', () => {
  it('lists nothing for those who direct cases rather than handle them', async () => {
    await dispatched({ townshipCode: SHAXI, departmentCode: 'D05' });
    for (const username of ['t-county', 't-duty']) {
      expect(await mine(username)).toEqual({ items: [], total: 0, complete: true });
    }
  });

  it.each(['t-informant', 't-admin'])('refuses %s, whose role handles no case', async (username) => {
    const response = await (await context.as(username)).get('/api/cases/mine');
    expect(response.status).toBe(403);
    expect((await response.json()).error.code).toBe('forbidden');
  });

  it('is not taken for a case id', async () => {
    const response = await (await context.as('t-worker')).get('/api/cases/mine');
    expect(response.status).toBe(200);
    expect(await response.json()).toHaveProperty('items');
  });
});

describe('the live notice of new work', () => {
  /** Opens `username`'s live stream and reads up to `ready`. */
  async function stream(username: string): Promise<SseReader> {
    const response = await (await context.as(username)).get('/api/live/events');
    expect(response.status).toBe(200);
    const reader = new SseReader(response.body!);
    open.push(reader);
    await reader.until((message) => message.event === 'ready');
    return reader;
  }

  it.each<[string, string, { townshipCode?: string; departmentCode?: string }]>([
    ['a grid worker', 't-worker', { townshipCode: SHAXI }],
    ['a cadre sent down to one grid', CADRES.D05, { departmentCode: 'D05' }],
  ])(
    'reaches %s when a case of its scope is dispatched to it, and no dispatch outside its scope does',
    async (_who, username, target) => {
      const reader = await stream(username);
      const outside = await dispatched(target.townshipCode ? { townshipCode: FUYANG } : target, HONGJIANG_CELL);
      const inside = await dispatched(target);
      const messages = await reader.until(
        (message) =>
          isLogEvent(message) &&
          message.event === 'case.changed' &&
          (liveData(message).payload as { case: { id: string; state: string } }).case.id === inside &&
          (liveData(message).payload as { case: { state: string } }).case.state === 'dispatched',
        10_000,
      );
      const about = (id: string) =>
        messages.filter(
          (message) => isLogEvent(message) && (liveData(message).payload as { case?: { id: string } }).case?.id === id,
        );
      expect(about(outside)).toEqual([]);
      expect(about(inside).length).toBeGreaterThan(0);
      expect(messages.filter(isLogEvent).every((message) => liveData(message).scopeCode.startsWith(SHAXI))).toBe(true);
      expect((await workOf(username, inside))?.work).toEqual(['acknowledge']);
    },
  );
});

describe('the session says where its work is', () => {
  it.each([
    ['t-worker', ['dispatched', 'acknowledged']],
    ['t-shaxi', ['dispatched', 'acknowledged']],
    [CADRES.D05, ['dispatched', 'acknowledged']],
    ['t-duty', []],
    ['t-informant', []],
  ])('%s works on cases in %j', async (username, workStates) => {
    const response = await (await context.as(username)).get('/api/auth/me');
    expect(response.status).toBe(200);
    const { me } = (await response.json()) as { me: { workStates: string[] } };
    expect(me.workStates).toEqual(workStates);
  });
});
