import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../api/db/client.ts';
import { parseLiveEvent } from '../../api/vocabulary/live-events.ts';
import { okJson as ok, signedInBrowser, type TestBrowser } from './support/sessions.ts';
import { testApp } from './support/test-database.ts';

/**
 * Issue 19, the core: dispatch targets every cell (its informant) and grid (its worker) of an area
 * exactly once, with one live event each, inside the dispatcher's scope and lines; the lists and
 * details are cut to the reader's scope and department.
 */

const SHAXI = '511921108';
const VILLAGE = '511921108209';
const GRID = '511921108209001';
const DAY_MS = 86_400_000;

let db: Database;
const browsers: Record<string, TestBrowser> = {};

interface Task {
  id: string;
  targetCount: number;
  counts: Record<string, number>;
  areaCode: string;
  status: string;
}

const deadline = () => new Date(Date.now() + DAY_MS).toISOString();
const notice = (areaCode: string, extra: Record<string, unknown> = {}) => ({
  clientId: randomUUID(),
  lineCode: 'emergency',
  kind: 'notice',
  title: `通知-${randomUUID().slice(0, 6)}`,
  body: '今晚有强降雨，请转告各户',
  areaCode,
  deadline: deadline(),
  ...extra,
});

async function dispatch(who: string, body: Record<string, unknown>): Promise<Task> {
  return (await ok<{ task: Task }>(browsers[who]!.request('POST', '/api/tasks', body), `dispatch by ${who}`)).task;
}

beforeAll(async () => {
  const started = await testApp();
  db = started.db;
  for (const username of ['t-county', 't-shaxi', 't-chief', 't-cadre', 't-ziran', 't-admin', 't-shaxi-admin', 't-informant'])
    browsers[username] = await signedInBrowser(started.app, username);
}, 120_000);

describe('dispatch', () => {
  it('targets every cell and grid of the area exactly once, each with its informant or worker, and tells each one', async () => {
    const task = await dispatch('t-county', notice(SHAXI));
    const expected = await db.rows<{ kind: string; code: string; person: string | null }>(sql`
      SELECT a.level AS kind, a.code,
        (SELECT p.id FROM people p WHERE p.area_code = a.code
          AND p.role = CASE a.level WHEN 'cell' THEN 'cell_informant' ELSE 'grid_worker' END ORDER BY p.id LIMIT 1) AS person
      FROM areas a WHERE a.level IN ('cell', 'grid') AND a.code LIKE ${`${SHAXI}%`} ORDER BY a.level, a.code`);
    const targets = await db.rows<{
      id: number;
      kind: string;
      code: string;
      person: string | null;
      department: string | null;
    }>(sql`
      SELECT id, target_kind AS kind, area_code AS code, person_id AS person, department_code AS department
      FROM task_targets WHERE task_id = ${task.id} ORDER BY target_kind, area_code`);
    expect(expected.length).toBeGreaterThan(10);
    expect(targets.map(({ kind, code, person }) => ({ kind, code, person }))).toEqual(expected);
    expect(targets.every((target) => target.person !== null && target.department === null)).toBe(true);
    expect(task.targetCount).toBe(expected.length);
    expect(task.counts).toEqual({ pending: expected.length, delivered: 0, read: 0, acknowledged: 0, done: 0 });

    const events = await db.rows<{ scope: string; payload: Record<string, unknown>; departments: string }>(sql`
      SELECT scope_code AS scope, payload, array_to_string(department_codes, ',') AS departments
      FROM live_events WHERE type = 'task.dispatched' AND payload->>'taskId' = ${task.id}`);
    expect(events).toHaveLength(targets.length);
    const byTarget = new Map(events.map((event) => [Number(event.payload.targetId), event]));
    for (const target of targets) {
      const event = byTarget.get(Number(target.id));
      expect(event?.scope).toBe(target.code);
      expect(event?.departments).toBe('');
      expect(parseLiveEvent('task.dispatched', event?.payload)).not.toBeNull();
    }
  });

  it('answers a retry with the same task, and targets nothing twice', async () => {
    const body = notice(GRID);
    const first = await browsers['t-shaxi']!.request('POST', '/api/tasks', body);
    expect(first.status).toBe(201);
    const again = await browsers['t-shaxi']!.request('POST', '/api/tasks', body);
    expect(again.status).toBe(200);
    const [a, b] = [(await first.json()) as { task: Task }, (await again.json()) as { task: Task }];
    expect(b.task.id).toBe(a.task.id);
    const [{ n } = { n: 0 }] = await db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM task_targets WHERE task_id = ${a.task.id}`,
    );
    const [{ cells } = { cells: 0 }] = await db.rows<{ cells: number }>(
      sql`SELECT count(*)::int AS cells FROM areas WHERE level IN ('cell', 'grid') AND code LIKE ${`${GRID}%`}`,
    );
    expect(n).toBe(cells);
  });

  it('keeps a township commander inside its township', async () => {
    const [other] = await db.rows<{ code: string }>(
      sql`SELECT code FROM areas WHERE level = 'township' AND code <> ${SHAXI} ORDER BY code LIMIT 1`,
    );
    const response = await browsers['t-shaxi']!.request('POST', '/api/tasks', notice(other!.code));
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('task_area_out_of_scope');
    const [{ n } = { n: 0 }] = await db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM tasks WHERE area_code = ${other!.code}`,
    );
    expect(n).toBe(0);
  });

  it('lets a cadre dispatch on its department’s lines only, and only its department hears and sees the task', async () => {
    const offLine = await browsers['t-cadre']!.request('POST', '/api/tasks', notice(GRID, { lineCode: 'ecology' }));
    expect(offLine.status).toBe(403);
    const task = await dispatch('t-cadre', notice(GRID, { lineCode: 'flood_drought' }));
    const [row] = await db.rows<{ department: string; events: string }>(sql`
      SELECT t.department_code AS department,
        (SELECT string_agg(DISTINCT array_to_string(department_codes, ','), ';') FROM live_events
          WHERE type = 'task.dispatched' AND payload->>'taskId' = t.id) AS events
      FROM tasks t WHERE t.id = ${task.id}`);
    expect(row).toEqual({ department: 'D01', events: 'D01' });
    // The county's geohazard cadre (D02) sees nothing of D01's task, nor of the county commander's.
    expect((await browsers['t-ziran']!.get(`/api/tasks/${task.id}`)).status).toBe(404);
    const county = await dispatch('t-county', notice(GRID));
    const { tasks } = await ok<{ tasks: Task[] }>(browsers['t-ziran']!.get('/api/tasks'), 'cadre list');
    expect(tasks.filter((item) => item.id === task.id || item.id === county.id)).toEqual([]);
    expect((await browsers['t-county']!.get(`/api/tasks/${task.id}`)).status).toBe(200);
  });

  it('checks the form of a collection task, naming the field in Chinese', async () => {
    const form = [
      { key: 'plate', label: '车牌', type: 'text', required: true },
      { key: 'plate', label: '车牌二', type: 'text', required: false },
    ];
    const response = await browsers['t-county']!.request(
      'POST',
      '/api/tasks',
      notice(GRID, { kind: 'collection', fields: form }),
    );
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toBe('字段标识「plate」重复');
    const noticeWithForm = await browsers['t-county']!.request('POST', '/api/tasks', notice(GRID, { fields: [form[0]] }));
    expect(noticeWithForm.status).toBe(400);
    const past = await browsers['t-county']!.request('POST', '/api/tasks', notice(GRID, { deadline: '2020-01-01T00:00:00Z' }));
    expect(past.status).toBe(400);
  });
});

describe('lists and details', () => {
  it('counts a county task’s targets in the reader’s scope only', async () => {
    const task = await dispatch('t-county', notice('511921'));
    const [{ inShaxi, inVillage } = { inShaxi: 0, inVillage: 0 }] = await db.rows<{ inShaxi: number; inVillage: number }>(sql`
      SELECT count(*) FILTER (WHERE area_code LIKE ${`${SHAXI}%`})::int AS "inShaxi",
        count(*) FILTER (WHERE area_code LIKE ${`${VILLAGE}%`})::int AS "inVillage"
      FROM task_targets WHERE task_id = ${task.id}`);
    const shaxi = await ok<{ task: Task }>(browsers['t-shaxi']!.get(`/api/tasks/${task.id}`), 'township detail');
    expect(shaxi.task.targetCount).toBe(inShaxi);
    const chief = await ok<{ tasks: Task[] }>(browsers['t-chief']!.get(`/api/tasks?status=open&area=${VILLAGE}`), 'chief list');
    expect(chief.tasks.find((item) => item.id === task.id)?.counts.pending).toBe(inVillage);
    const county = await ok<{ task: Task }>(browsers['t-county']!.get(`/api/tasks/${task.id}`), 'county detail');
    expect(county.task.targetCount).toBe(task.targetCount);
    expect(task.targetCount).toBeGreaterThan(inShaxi);
  });

  it('closes a task for its owner or a commander above it, and not twice', async () => {
    const task = await dispatch('t-county', notice(VILLAGE));
    expect((await browsers['t-chief']!.request('POST', `/api/tasks/${task.id}/close`)).status).toBe(403);
    const closed = await ok<{ task: Task }>(browsers['t-shaxi']!.request('POST', `/api/tasks/${task.id}/close`), 'close');
    expect(closed.task.status).toBe('closed');
    expect((await browsers['t-county']!.request('POST', `/api/tasks/${task.id}/cancel`)).status).toBe(409);
    // Over the township, not inside it: the township commander may not end it.
    const county = await dispatch('t-county', notice('511921'));
    expect((await browsers['t-shaxi']!.request('POST', `/api/tasks/${county.id}/cancel`)).status).toBe(403);
  });
});

describe('lines', () => {
  it('lists the lines with their departments’ names', async () => {
    const { lines } = await ok<{ lines: { code: string; departments: { code: string; name: string }[] }[] }>(
      browsers['t-informant']!.get('/api/task-lines'),
      'lines',
    );
    const flood = lines.find((line) => line.code === 'flood_drought');
    expect(flood?.departments.map((department) => department.code)).toEqual(['D05', 'D35', 'D01']);
    expect(flood?.departments.every((department) => department.name.length > 0)).toBe(true);
  });

  it('lets county-level administrators add and change lines, with departments that exist', async () => {
    const code = `line_${randomUUID().slice(0, 6)}`;
    const unknown = await browsers['t-admin']!.request('POST', '/api/task-lines', {
      code,
      name: '新条线',
      departmentCodes: ['D99'],
    });
    expect(unknown.status).toBe(400);
    expect(
      (await browsers['t-shaxi-admin']!.request('POST', '/api/task-lines', { code, name: '新', departmentCodes: [] })).status,
    ).toBe(403);
    const created = await browsers['t-admin']!.request('POST', '/api/task-lines', {
      code,
      name: '新条线',
      departmentCodes: ['D05'],
    });
    expect(created.status).toBe(201);
    expect(
      (await browsers['t-admin']!.request('POST', '/api/task-lines', { code, name: '重复', departmentCodes: [] })).status,
    ).toBe(409);
    const changed = await ok<{ line: { name: string; active: boolean; departmentCodes: string[] } }>(
      browsers['t-admin']!.request('PATCH', `/api/task-lines/${code}`, { active: false, departmentCodes: ['D01', 'D05'] }),
      'patch',
    );
    expect(changed.line).toMatchObject({ name: '新条线', active: false, departmentCodes: ['D01', 'D05'] });
    const onInactive = await browsers['t-county']!.request('POST', '/api/tasks', notice(GRID, { lineCode: code }));
    expect(onInactive.status).toBe(400);
  });
});
