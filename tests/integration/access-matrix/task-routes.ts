import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database } from '../../../api/db/client.ts';
import { tasksRepository } from '../../../api/tasks/repository.ts';
import { accountIdOf } from '../support/patrols.ts';
import { type CaseContext, IN, json, OUT, type RouteCase, type Target } from './route-case.ts';

const DAY_MS = 86_400_000;

/** A line the caller's department owns (cadres dispatch only on their own): the matrix's own, one per department. */
async function lineOf(db: Database, departmentCode: string): Promise<string> {
  const code = `matrix_${departmentCode.toLowerCase()}`;
  await db.rows(sql`
    INSERT INTO task_lines (code, name, department_codes) VALUES (${code}, ${`矩阵条线 ${departmentCode}`}, ARRAY[${departmentCode}]::text[])
    ON CONFLICT (code) DO NOTHING`);
  return code;
}

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

/** The first grid and cell of the target (王坪村 in scope, 红江村 outside). */
async function placeOf(db: Database, target: Target): Promise<{ grid: string; cell: string }> {
  if (target === 'in') return { grid: IN.grid, cell: IN.cell };
  const [cell] = await db.rows<{ code: string }>(
    sql`SELECT code FROM areas WHERE level = 'cell' AND code ^@ ${OUT.village} ORDER BY code LIMIT 1`,
  );
  return { grid: cell!.code.slice(0, 15), cell: cell!.code };
}

let counter = 0;
/**
 * A task owned by the caller to the target's first grid, written as the service writes one
 * (targets and live events included) but without its checks: a township account owns one outside
 * its scope here. A cadre's task is its department's, so the cadre sees it. A notice, or a
 * collection form of one text field, per household if asked.
 */
async function taskFor(ctx: CaseContext, target: Target, form: 'notice' | 'form' | 'households' = 'notice'): Promise<string> {
  counter++;
  const { grid } = await placeOf(ctx.db, target);
  const task = {
    id: randomUUID(),
    clientId: randomUUID(),
    lineCode: 'emergency',
    kind: form === 'notice' ? ('notice' as const) : ('collection' as const),
    title: `矩阵任务 ${target}-${counter}`,
    body: '',
    fields: form === 'notice' ? null : [{ key: 'note', label: '情况', type: 'text' as const, required: true }],
    perHousehold: form === 'households',
    areaCode: grid,
    deadline: new Date(Date.now() + DAY_MS),
    escalateAfterMinutes: 60,
    drill: false,
    ownerId: await accountIdOf(ctx.db, ctx.username).catch(() => 'nobody'),
    ownerName: '矩阵',
    departmentCode: ctx.role === 'department_cadre' ? ctx.departmentCode : null,
  };
  await ctx.db.transaction(async (tx) => {
    await tasksRepository(tx).insertTask(task);
    await tasksRepository(tx).insertTargets(task, '应急管理');
  });
  return task.id;
}

/** The caller's own target of a fresh task (its cell's, or a grid worker's grid's), or the cell's for a role with none. */
async function ownTargetOf(ctx: CaseContext, target: Target, form: 'notice' | 'form' | 'households' = 'notice') {
  const taskId = await taskFor(ctx, target, form);
  const { grid, cell } = await placeOf(ctx.db, target);
  const area = ctx.role === 'grid_worker' ? grid : cell;
  const [row] = await ctx.db.rows<{ id: number }>(
    sql`SELECT id::int AS id FROM task_targets WHERE task_id = ${taskId} AND area_code = ${area}`,
  );
  return { taskId, targetId: row!.id, cell };
}

/** A photo stored for the target's cell of a fresh task. */
async function photoFor(ctx: CaseContext, target: Target): Promise<string> {
  const { taskId, cell } = await ownTargetOf(ctx, target, 'form');
  const id = randomUUID();
  await ctx.db.rows(sql`
    INSERT INTO task_photos (id, task_id, content_type, byte_size, sha256, bytes, area_code, department_code)
    VALUES (${id}, ${taskId}, 'image/png', ${PNG.length}, ${id}, ${PNG}, ${cell},
      ${ctx.role === 'department_cadre' ? ctx.departmentCode : null})`);
  return id;
}

/** Only informants and grid workers have targets of their own; a grid chief finds none, even in scope. */
const noOwnTarget = (role: string): [number, number] | undefined => (role === 'grid_chief' ? [404, 404] : undefined);

const stamp = (action: string): RouteCase => ({
  probe: async (target, ctx) => ({
    method: 'POST',
    path: `/api/tasks/targets/${(await ownTargetOf(ctx, target, action === 'complete' ? 'households' : 'notice')).targetId}/${action}`,
    body: { clientId: randomUUID() },
  }),
  ok: 200,
  outOfScope: 'not-found',
  refusedFor: noOwnTarget,
});

/** The task routes' entries of the access matrix (api/tasks). */
export const TASK_ROUTES: Record<string, RouteCase> = {
  'GET /api/task-lines': { probe: () => ({ method: 'GET', path: '/api/task-lines' }), ok: 200, outOfScope: 'no-scope' },
  'POST /api/task-lines': {
    probe: () => ({
      method: 'POST',
      path: '/api/task-lines',
      body: { code: `matrix_line_${++counter}`, name: '矩阵新条线', departmentCodes: ['D05'] },
    }),
    ok: 201,
    countyOnly: true,
    outOfScope: 'no-scope',
  },
  'PATCH /api/task-lines/:code': {
    probe: () => ({ method: 'PATCH', path: '/api/task-lines/civil_affairs', body: { active: true } }),
    ok: 200,
    countyOnly: true,
    outOfScope: 'no-scope',
  },
  'POST /api/tasks': {
    probe: async (target, ctx) => ({
      method: 'POST',
      path: '/api/tasks',
      body: {
        clientId: randomUUID(),
        lineCode: await lineOf(ctx.db, ctx.departmentCode),
        kind: 'notice',
        title: '矩阵下发',
        areaCode: target === 'in' ? IN.cell : OUT.village,
        deadline: new Date(Date.now() + DAY_MS).toISOString(),
      },
    }),
    ok: 201,
    outOfScope: 'forbidden',
  },
  'GET /api/tasks': {
    probe: async (target, ctx) => {
      await taskFor(ctx, target);
      return { method: 'GET', path: '/api/tasks' };
    },
    ok: 200,
    outOfScope: 'cut',
    leaks: async (response) => (await json(response)).includes('矩阵任务 out'),
  },
  'GET /api/tasks/:id': {
    probe: async (target, ctx) => ({ method: 'GET', path: `/api/tasks/${await taskFor(ctx, target)}` }),
    ok: 200,
    outOfScope: 'not-found',
  },
  'POST /api/tasks/:id/close': {
    probe: async (target, ctx) => ({ method: 'POST', path: `/api/tasks/${await taskFor(ctx, target)}/close` }),
    ok: 200,
    outOfScope: 'not-found',
  },
  'GET /api/tasks/inbox': {
    probe: async (target, ctx) => {
      await taskFor(ctx, target);
      return { method: 'GET', path: '/api/tasks/inbox' };
    },
    ok: 200,
    outOfScope: 'cut',
    leaks: async (response) => (await json(response)).includes('矩阵任务 out'),
  },
  'POST /api/tasks/targets/:targetId/read': stamp('read'),
  'POST /api/tasks/targets/:targetId/acknowledge': stamp('acknowledge'),
  'POST /api/tasks/targets/:targetId/complete': stamp('complete'),
  'POST /api/tasks/targets/:targetId/responses': {
    probe: async (target, ctx) => ({
      method: 'POST',
      path: `/api/tasks/targets/${(await ownTargetOf(ctx, target, 'form')).targetId}/responses`,
      body: { clientId: randomUUID(), answers: { note: '已核实' } },
    }),
    ok: 201,
    outOfScope: 'not-found',
    refusedFor: noOwnTarget,
  },
  'POST /api/tasks/:id/photos': {
    probe: async (target, ctx) => {
      const { taskId, targetId } = await ownTargetOf(ctx, target, 'form');
      const form = new FormData();
      form.append('photos', new Blob([PNG], { type: 'image/png' }), 'door.png');
      return { method: 'POST', path: `/api/tasks/${taskId}/photos?targetId=${targetId}`, body: form };
    },
    ok: 201,
    outOfScope: 'not-found',
    refusedFor: noOwnTarget,
  },
  'GET /api/tasks/photos/:id': {
    probe: async (target, ctx) => ({ method: 'GET', path: `/api/tasks/photos/${await photoFor(ctx, target)}` }),
    ok: 200,
    outOfScope: 'not-found',
    refusedFor: (role) => (role === 'admin' ? [403, 403] : undefined),
  },
  'POST /api/tasks/:id/cancel': {
    probe: async (target, ctx) => ({ method: 'POST', path: `/api/tasks/${await taskFor(ctx, target)}/cancel` }),
    ok: 200,
    outOfScope: 'not-found',
  },
};
