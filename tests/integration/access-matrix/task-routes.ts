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

let counter = 0;
/**
 * A notice owned by the caller to the target's cell (王坪村 in scope, 红江村 outside), written as the
 * service writes one (targets and live events included) but without its checks: a township account
 * owns one outside its scope here. A cadre's task is its department's, so the cadre sees it.
 */
async function taskFor(ctx: CaseContext, target: Target): Promise<string> {
  counter++;
  const [outCell] = await ctx.db.rows<{ code: string }>(
    sql`SELECT code FROM areas WHERE level = 'cell' AND code ^@ ${OUT.village} ORDER BY code LIMIT 1`,
  );
  const areaCode = target === 'in' ? IN.cell : outCell!.code;
  const task = {
    id: randomUUID(),
    clientId: randomUUID(),
    lineCode: 'emergency',
    kind: 'notice' as const,
    title: `矩阵任务 ${target}-${counter}`,
    body: '',
    fields: null,
    perHousehold: false,
    areaCode,
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
  'POST /api/tasks/:id/cancel': {
    probe: async (target, ctx) => ({ method: 'POST', path: `/api/tasks/${await taskFor(ctx, target)}/cancel` }),
    ok: 200,
    outOfScope: 'not-found',
  },
};
