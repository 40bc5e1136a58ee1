import { insertTestResponse, insertTestTask } from '../support/task-fixtures.ts';
import { type CaseContext, IN, OUT, type RouteCase, type Target } from './route-case.ts';

/**
 * A fresh collection task in 王坪村 (in every test account's scope) or 红江村 (outside all but the
 * county's), of the caller's department (a cadre sees its own department's tasks only), with one
 * answer in its first cell.
 */
async function taskFor(target: Target, ctx: CaseContext): Promise<string> {
  const task = await insertTestTask(ctx.db, {
    areaCode: target === 'in' ? IN.village : OUT.village,
    kind: 'collection',
    fields: [{ key: 'note', label: '情况', type: 'text', required: true }],
    departmentCode: ctx.departmentCode,
    title: `矩阵任务 ${target}`,
  });
  const cell = task.targets.find((row) => row.targetKind === 'cell')!;
  await insertTestResponse(ctx.db, task.id, cell, { note: `矩阵填报 ${target}` });
  return task.id;
}

/** A route about one task: a task outside the caller's scope is not found. */
const byTask = (method: string, path: (id: string) => string, ok = 200, body?: () => unknown): RouteCase => ({
  probe: async (target, ctx) => ({ method, path: path(await taskFor(target, ctx)), ...(body ? { body: body() } : {}) }),
  ok,
  outOfScope: 'not-found',
});

/**
 * The command side's task routes (api/task-monitor). That a county task is cut to a township's part
 * of it, in targets, curves, reminders and exports, is tested in task-monitor.test.ts.
 */
export const TASK_MONITOR_ROUTES: Record<string, RouteCase> = {
  'GET /api/tasks/:id/targets': byTask('GET', (id) => `/api/tasks/${id}/targets`),
  'GET /api/tasks/:id/reach': byTask('GET', (id) => `/api/tasks/${id}/reach`),
  'POST /api/tasks/:id/remind': byTask(
    'POST',
    (id) => `/api/tasks/${id}/remind`,
    200,
    () => ({ clientId: crypto.randomUUID() }),
  ),
  'GET /api/tasks/:id/reminders': byTask('GET', (id) => `/api/tasks/${id}/reminders`),
  'GET /api/tasks/:id/results': byTask('GET', (id) => `/api/tasks/${id}/results`),
  'GET /api/tasks/:id/results.xlsx': byTask('GET', (id) => `/api/tasks/${id}/results.xlsx`),
  'GET /api/tasks/:id/results.csv': byTask('GET', (id) => `/api/tasks/${id}/results.csv`),
  // No drill runs in the matrix's app: an allowed caller gets past access to 409 drill_not_running
  // (task-drill.test.ts sends one during a drill); an area outside its scope is refused first.
  'POST /api/drill/tasks': {
    probe: (target) => ({
      method: 'POST',
      path: '/api/drill/tasks',
      body: { areaCode: target === 'in' ? IN.village : OUT.village },
    }),
    ok: 409,
    outOfScope: 'forbidden',
  },
};
