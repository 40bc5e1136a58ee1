import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.ts';
import { requires } from '../auth/middleware.ts';
import { errorResponses, idParam, isoDateParam, validationHook } from '../openapi.ts';
import { TASK_KIND_CODES, TASK_STATUS_CODES } from '../vocabulary/tasks.ts';
import { body, ClientIdSchema, FormSchema, json, TaskDetailSchema, TaskSummarySchema } from './contracts.ts';
import type { TasksService } from './service.ts';

const LineCodeSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{1,31}$/, 'a line code is lower-case letters, digits and _')
  .openapi({ example: 'flood_drought' });
const DepartmentCodesSchema = z.array(z.string().regex(/^D\d{2}$/, 'a department code such as D05')).max(20);

const LineSchema = z
  .object({
    code: z.string(),
    name: z.string(),
    departmentCodes: z.array(z.string()),
    departments: z.array(z.object({ code: z.string(), name: z.string() })),
    active: z.boolean(),
  })
  .openapi('TaskLine');

const listLines = createRoute({
  method: 'get',
  path: '/api/task-lines',
  tags: ['tasks'],
  summary: 'The task lines (条线) and the departments that own each',
  middleware: [requires('map.view')] as const,
  responses: { 200: json(z.object({ lines: z.array(LineSchema) }), 'The lines'), ...errorResponses(401, 403) },
});

const createLine = createRoute({
  method: 'post',
  path: '/api/task-lines',
  tags: ['tasks'],
  summary: 'Add a task line and name its departments (county-level administrators)',
  middleware: [requires('tasks.lines')] as const,
  request: body(
    z.object({ code: LineCodeSchema, name: z.string().trim().min(1).max(40), departmentCodes: DepartmentCodesSchema }),
  ),
  responses: { 201: json(z.object({ line: LineSchema }), 'Added'), ...errorResponses(400, 401, 403, 409) },
});

const updateLine = createRoute({
  method: 'patch',
  path: '/api/task-lines/{code}',
  tags: ['tasks'],
  summary: 'Rename a task line, change its departments, or switch it off (county-level administrators)',
  middleware: [requires('tasks.lines')] as const,
  request: {
    params: z.object({
      code: z
        .string()
        .min(1)
        .max(40)
        .openapi({ param: { name: 'code', in: 'path' } }),
    }),
    ...body(
      z.object({
        name: z.string().trim().min(1).max(40).optional(),
        departmentCodes: DepartmentCodesSchema.optional(),
        active: z.boolean().optional(),
      }),
    ),
  },
  responses: { 200: json(z.object({ line: LineSchema }), 'Changed'), ...errorResponses(400, 401, 403, 404) },
});

const DispatchSchema = z
  .object({
    clientId: ClientIdSchema,
    lineCode: z.string().min(1).max(40),
    kind: z.enum(TASK_KIND_CODES),
    title: z.string().trim().min(1).max(100),
    body: z.string().max(4000).default(''),
    fields: FormSchema.nullable().optional(),
    perHousehold: z.boolean().default(false),
    areaCode: z.string().regex(/^\d{6}(\d{3}){0,4}$/, 'an area code'),
    deadline: isoDateParam,
    escalateAfterMinutes: z.number().int().min(5).max(10080).default(60),
  })
  .openapi('TaskDispatch');

const dispatch = createRoute({
  method: 'post',
  path: '/api/tasks',
  tags: ['tasks'],
  summary: 'Dispatch a notice or a collection task to every cell (its informant) and grid (its worker) of an area',
  description: `One transaction: the task, one target per cell and grid of the area (exactly once), and one live
task.dispatched event per target. A department cadre dispatches only on its department's lines; everyone only inside
their scope. A retry with the same clientId gets the first task (200).`,
  middleware: [requires('tasks.dispatch')] as const,
  request: body(DispatchSchema),
  responses: {
    201: json(z.object({ task: TaskDetailSchema }), 'Dispatched'),
    200: json(z.object({ task: TaskDetailSchema }), 'Already dispatched with this clientId: the same task'),
    ...errorResponses(400, 401, 403),
  },
});

const listTasks = createRoute({
  method: 'get',
  path: '/api/tasks',
  tags: ['tasks'],
  summary: 'Tasks over or inside your scope, newest first, with their targets counted per state in your scope',
  middleware: [requires('tasks.view')] as const,
  request: {
    query: z.object({
      status: z.enum(TASK_STATUS_CODES).optional(),
      line: z.string().max(40).optional(),
      area: z
        .string()
        .regex(/^\d{6}(\d{3}){0,4}$/)
        .optional()
        .openapi({ description: 'Tasks over or inside this area' }),
    }),
  },
  responses: { 200: json(z.object({ tasks: z.array(TaskSummarySchema) }), 'The tasks'), ...errorResponses(400, 401, 403) },
});

const readTask = createRoute({
  method: 'get',
  path: '/api/tasks/{id}',
  tags: ['tasks'],
  summary: 'One task with its form and its targets counted per state in your scope',
  middleware: [requires('tasks.view')] as const,
  request: { params: idParam },
  responses: { 200: json(z.object({ task: TaskDetailSchema }), 'The task'), ...errorResponses(401, 403, 404) },
});

const endRoute = (action: 'close' | 'cancel', summary: string) =>
  createRoute({
    method: 'post',
    path: `/api/tasks/{id}/${action}`,
    tags: ['tasks'],
    summary,
    middleware: [requires('tasks.dispatch')] as const,
    request: { params: idParam },
    responses: { 200: json(z.object({ task: TaskDetailSchema }), 'Ended'), ...errorResponses(401, 403, 404, 409) },
  });
const closeTask = endRoute('close', 'Close an open task (its owner, or a commander above it)');
const cancelTask = endRoute('cancel', 'Cancel an open task (its owner, or a commander above it)');

/** Task lines, dispatch, the lists and the detail (api/tasks; the inbox's routes are in inbox-routes.ts). */
export function tasksRoutes(service: TasksService) {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
    .openapi(listLines, async (c) => c.json({ lines: await service.lines() }, 200))
    .openapi(createLine, async (c) => c.json({ line: await service.createLine(c.get('principal')!, c.req.valid('json')) }, 201))
    .openapi(updateLine, async (c) =>
      c.json({ line: await service.updateLine(c.get('principal')!, c.req.valid('param').code, c.req.valid('json')) }, 200),
    )
    .openapi(dispatch, async (c) => {
      const input = c.req.valid('json');
      const { created, id } = await service.dispatch(c.get('principal')!, { ...input, fields: input.fields ?? undefined });
      return c.json({ task: await service.detail(c.get('db'), id) }, created ? 201 : 200);
    })
    .openapi(listTasks, async (c) => {
      const { status, line, area } = c.req.valid('query');
      return c.json({ tasks: await service.list(c.get('db'), { status, lineCode: line, areaCode: area }) }, 200);
    })
    .openapi(readTask, async (c) => c.json({ task: await service.detail(c.get('db'), c.req.valid('param').id) }, 200))
    .openapi(closeTask, async (c) =>
      c.json({ task: await service.end(c.get('principal')!, c.get('db'), c.req.valid('param').id, 'closed') }, 200),
    )
    .openapi(cancelTask, async (c) =>
      c.json({ task: await service.end(c.get('principal')!, c.get('db'), c.req.valid('param').id, 'cancelled') }, 200),
    );
}
