import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.ts';
import { requires, signedIn } from '../auth/middleware.ts';
import { can } from '../auth/permissions.ts';
import { readPhotoUpload } from '../cases/photos/upload.ts';
import { AppError, badRequest } from '../errors.ts';
import { ErrorSchema, errorResponses, idParam, isoTimeText, pathId, validationHook } from '../openapi.ts';
import { TARGET_KIND_CODES, TARGET_STATE_CODES, TASK_KIND_CODES, TASK_STATUS_CODES } from '../vocabulary/tasks.ts';
import { auditContextOf, body, ClientIdSchema, FormSchema, json } from './contracts.ts';
import type { TaskInboxService } from './inbox-service.ts';

const TargetIdSchema = z
  .string()
  .regex(/^\d{1,15}$/, 'a target id')
  .transform(Number)
  .openapi({ type: 'integer', param: { name: 'targetId', in: 'path' } });
const TargetParams = z.object({ targetId: TargetIdSchema });

const LocationSchema = z.object({ lon: z.number(), lat: z.number() }).openapi({ description: 'WGS84 degrees' });

const TargetSchema = z
  .object({
    id: z.number().int(),
    taskId: z.string(),
    targetKind: z.enum(TARGET_KIND_CODES),
    areaCode: z.string(),
    state: z.enum(TARGET_STATE_CODES),
    deliveredAt: isoTimeText().nullable(),
    readAt: isoTimeText().nullable(),
    acknowledgedAt: isoTimeText().nullable(),
    doneAt: isoTimeText().nullable(),
  })
  .openapi('TaskTarget');

const InboxItemSchema = z
  .object({
    targetId: z.number().int(),
    targetKind: z.enum(TARGET_KIND_CODES),
    areaCode: z.string(),
    areaName: z.string(),
    state: z.enum(TARGET_STATE_CODES),
    deliveredAt: isoTimeText().nullable(),
    readAt: isoTimeText().nullable(),
    acknowledgedAt: isoTimeText().nullable(),
    doneAt: isoTimeText().nullable(),
    task: z.object({
      id: z.string(),
      lineName: z.string(),
      kind: z.enum(TASK_KIND_CODES),
      title: z.string(),
      body: z.string(),
      fields: FormSchema.nullable(),
      perHousehold: z.boolean(),
      deadline: isoTimeText(),
      status: z.enum(TASK_STATUS_CODES),
      drill: z.boolean(),
      ownerName: z.string(),
      dispatchedAt: isoTimeText(),
    }),
    households: z.array(z.object({ code: z.string(), address: z.string() })).optional(),
    responses: z.array(
      z.object({ householdCode: z.string().nullable(), answers: z.record(z.string(), z.unknown()), updatedAt: isoTimeText() }),
    ),
  })
  .openapi('TaskInboxItem');

const EscalationSchema = z
  .object({
    taskId: z.string(),
    taskTitle: z.string(),
    targetId: z.number().int(),
    areaCode: z.string(),
    areaName: z.string(),
    level: z.number().int(),
    escalatedAt: isoTimeText(),
    personName: z.string().nullable(),
    personPhone: z.string().nullable(),
  })
  .openapi('TaskEscalation');

const ResponseSchema = z
  .object({
    id: z.number().int(),
    taskId: z.string(),
    targetId: z.number().int(),
    householdCode: z.string().nullable(),
    answers: z.record(z.string(), z.unknown()),
    location: LocationSchema.nullable(),
    responderName: z.string(),
    createdAt: isoTimeText(),
    updatedAt: isoTimeText(),
  })
  .openapi('TaskResponse');

const inbox = createRoute({
  method: 'get',
  path: '/api/tasks/inbox',
  tags: ['tasks'],
  summary: 'My tasks: my cell’s (an informant) or my grid’s (a grid worker), and the silent targets escalated to me',
  description: `Reading the inbox stamps delivered_at on the targets that had none (the delivery receipt, with its live
task.target event). Households of per-household tasks are audited (households.read), the escalated targets' names and
phones too (people.read).`,
  middleware: [requires('tasks.respond')] as const,
  responses: {
    200: json(z.object({ items: z.array(InboxItemSchema), escalations: z.array(EscalationSchema) }), 'My inbox'),
    ...errorResponses(401, 403),
  },
});

const stampRoute = (action: 'read' | 'acknowledge' | 'complete', summary: string) =>
  createRoute({
    method: 'post',
    path: `/api/tasks/targets/{targetId}/${action}`,
    tags: ['tasks'],
    summary,
    middleware: [requires('tasks.respond')] as const,
    request: { params: TargetParams, ...body(z.object({ clientId: ClientIdSchema })) },
    responses: { 200: json(z.object({ target: TargetSchema }), 'The target'), ...errorResponses(400, 401, 403, 404, 409) },
  });
const readTarget = stampRoute('read', 'Mark my target read (a retry changes nothing)');
const acknowledgeTarget = stampRoute('acknowledge', 'Acknowledge my target; a notice is then done (a retry changes nothing)');
const completeTarget = stampRoute('complete', 'Mark my per-household target done with households left unanswered (nobody home)');

const respond = createRoute({
  method: 'post',
  path: '/api/tasks/targets/{targetId}/responses',
  tags: ['tasks'],
  summary: 'Answer my collection target (per household when the task asks): checked against its form',
  description: `A wrong or unknown field is 400 with a Chinese message naming it. A retry with the same clientId returns the
first answer (200); a new answer for the same household replaces the earlier. The target is done at its first answer, or
once every household has one.`,
  middleware: [requires('tasks.respond')] as const,
  request: {
    params: TargetParams,
    ...body(
      z.object({
        clientId: ClientIdSchema,
        householdCode: z.string().max(40).optional(),
        answers: z.record(z.string(), z.unknown()),
        location: LocationSchema.optional(),
      }),
    ),
  },
  responses: {
    201: json(z.object({ response: ResponseSchema }), 'Stored'),
    200: json(z.object({ response: ResponseSchema }), 'Already stored with this clientId'),
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

const addPhoto = createRoute({
  method: 'post',
  path: '/api/tasks/{id}/photos',
  tags: ['tasks'],
  summary: 'Upload one photo for a photo field of my target of the task; its id is the field’s answer',
  description:
    'multipart/form-data with one file named `photos` (JPEG, PNG or WebP, at most 8 MB); the same bytes again give the same id.',
  middleware: [requires('tasks.respond')] as const,
  request: {
    params: idParam,
    query: z.object({ targetId: TargetIdSchema.openapi({ param: { name: 'targetId', in: 'query' } }) }),
  },
  responses: {
    201: json(z.object({ id: z.string() }), 'Stored (or found again)'),
    ...errorResponses(400, 401, 403, 404, 409),
    413: { content: { 'application/json': { schema: ErrorSchema } }, description: 'Over 8 MB' },
    415: { content: { 'application/json': { schema: ErrorSchema } }, description: 'Not multipart/form-data' },
  },
});

const readPhoto = createRoute({
  method: 'get',
  path: '/api/tasks/photos/{id}',
  tags: ['tasks'],
  summary: 'A photo of a form’s answer in your scope (tasks.view or tasks.respond; audited)',
  middleware: [signedIn] as const,
  request: { params: z.object({ id: pathId() }) },
  responses: {
    200: {
      content: {
        'image/jpeg': { schema: z.string().openapi({ format: 'binary' }) },
        'image/png': { schema: z.string().openapi({ format: 'binary' }) },
        'image/webp': { schema: z.string().openapi({ format: 'binary' }) },
      },
      description: 'The photo',
    },
    ...errorResponses(401, 403, 404),
  },
});

/** The field side of tasks (api/tasks/inbox-service.ts). Mounted before tasksRoutes: its /api/tasks/{id} would take "inbox". */
export function taskInboxRoutes(service: TaskInboxService) {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
    .openapi(inbox, async (c) => c.json(await service.inbox(c.get('db'), auditContextOf(c)), 200))
    .openapi(readTarget, async (c) =>
      c.json({ target: await service.read(c.get('principal')!, c.get('db'), c.req.valid('param').targetId) }, 200),
    )
    .openapi(acknowledgeTarget, async (c) =>
      c.json({ target: await service.acknowledge(c.get('principal')!, c.get('db'), c.req.valid('param').targetId) }, 200),
    )
    .openapi(completeTarget, async (c) =>
      c.json({ target: await service.complete(c.get('principal')!, c.get('db'), c.req.valid('param').targetId) }, 200),
    )
    .openapi(respond, async (c) => {
      const { created, response } = await service.respond(
        c.get('principal')!,
        c.get('db'),
        c.req.valid('param').targetId,
        c.req.valid('json'),
      );
      return c.json({ response }, created ? 201 : 200);
    })
    .openapi(addPhoto, async (c) => {
      const photos = await readPhotoUpload(c);
      if (photos.length !== 1) throw badRequest('one_photo', { zh: '每次上传一张照片', en: 'Upload one photo at a time' });
      const { id } = c.req.valid('param');
      return c.json(await service.addPhoto(c.get('principal')!, c.get('db'), id, c.req.valid('query').targetId, photos[0]!), 201);
    })
    .openapi(readPhoto, async (c) => {
      const principal = c.get('principal')!;
      if (!can(principal.role, 'tasks.view') && !can(principal.role, 'tasks.respond'))
        throw new AppError(
          403,
          'forbidden',
          { zh: '您的角色无权执行此操作', en: 'Your role may not do this' },
          { action: 'tasks.view' },
        );
      const photo = await service.photo(c.get('db'), auditContextOf(c), c.req.valid('param').id);
      return c.body(new Uint8Array(photo.bytes), 200, {
        'Content-Type': photo.contentType,
        'Cache-Control': 'private, max-age=86400, immutable',
        'X-Content-Type-Options': 'nosniff',
        'Content-Disposition': 'inline',
      });
    });
}
