import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { DATUMS } from '../../geo/convert-datum.ts';
import type { AppEnv } from '../app-env.ts';
import type { AuditContext } from '../audit/service.ts';
import { requires } from '../auth/middleware.ts';
import { readPhotoUpload } from '../cases/photos/upload.ts';
import { specialVisitPhotos, specialVisits } from '../db/schema.ts';
import {
  createInsertSchema,
  createSelectSchema,
  ErrorSchema,
  errorResponses,
  idParam,
  isoDateParam,
  isoTimeText,
  pathId,
  queryInt,
  validationHook,
} from '../openapi.ts';
import {
  DUE_STATUS_CODES,
  RISK_COLOUR_CODES,
  SPECIAL_CATEGORY_CODES,
  SUPERVISION_GRADE_CODES,
  VISIT_MODE_CODES,
  VISIT_OUTCOME_CODES,
} from '../vocabulary/special-populations.ts';
import { MAX_VISIT_AGE_DAYS, type SpecialVisitsService } from './service.ts';

const PositionSchema = z.tuple([z.number(), z.number()]).openapi({ description: '[lng, lat], WGS84' });

const VisitPhotoSchema = createSelectSchema(specialVisitPhotos)
  .pick({ id: true, contentType: true, byteSize: true })
  .extend({ url: z.string() })
  .openapi('SpecialVisitPhoto');

const VisitSchema = createSelectSchema(specialVisits, {
  category: z.enum(SPECIAL_CATEGORY_CODES),
  mode: z.enum(VISIT_MODE_CODES),
  outcome: z.enum(VISIT_OUTCOME_CODES),
  visitedAt: isoTimeText(),
  receivedAt: isoTimeText(),
  distanceM: (schema) =>
    schema.openapi({ description: 'Metres from the fix to the household, on the spheroid; null without a fix' }),
})
  .pick({
    id: true,
    clientId: true,
    personId: true,
    category: true,
    areaCode: true,
    visitorName: true,
    visitedAt: true,
    mode: true,
    outcome: true,
    notes: true,
    accuracyM: true,
    distanceM: true,
    patrolId: true,
    receivedAt: true,
  })
  .extend({ personName: z.string(), position: PositionSchema.nullable(), photos: z.array(VisitPhotoSchema) })
  .openapi('SpecialVisit');

const VisitInputSchema = createInsertSchema(specialVisits, {
  clientId: (schema) =>
    schema.min(1).max(64).openapi({ description: 'Generated on the phone: a retry with it gets the same visit' }),
  personId: (schema) => schema.min(1).max(64),
  notes: (schema) => schema.max(2000),
})
  .pick({ clientId: true, personId: true, notes: true })
  .extend({
    visitedAt: isoDateParam.openapi({
      description: `When the visit was made (not when it is sent): not in the future, at most ${MAX_VISIT_AGE_DAYS} days ago`,
    }),
    mode: z.enum(VISIT_MODE_CODES),
    outcome: z.enum(VISIT_OUTCOME_CODES),
    fix: z
      .object({
        lng: z.number().min(-180).max(180),
        lat: z.number().min(-90).max(90),
        accuracyM: z.number().min(0).max(100_000).openapi({ description: 'Metres, as the phone gives it' }),
        datum: z.enum(DATUMS).default('wgs84').openapi({ description: 'The datum lng/lat are written in; stored as WGS84' }),
      })
      .nullable()
      .default(null)
      .openapi({ description: 'The phone’s GPS fix at the visit; null for a phone call or without a fix' }),
  });

const DuePersonSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    category: z.enum(SPECIAL_CATEGORY_CODES),
    riskLevel: z.number().int().nullable(),
    supervisionGrade: z.enum(SUPERVISION_GRADE_CODES).nullable(),
    riskColour: z.enum(RISK_COLOUR_CODES),
    areaCode: z.string(),
    nextDueOn: z.string().nullable().openapi({ format: 'date' }),
    dueStatus: z.enum(DUE_STATUS_CODES),
    lastVisitAt: isoTimeText().nullable(),
    address: z.string().nullable(),
    position: PositionSchema.nullable().openapi({ description: 'The household, [lng, lat] WGS84' }),
    usualOutcome: z.enum(VISIT_OUTCOME_CODES).openapi({ description: 'The most common outcome of the past visits' }),
    usualMode: z.enum(VISIT_MODE_CODES),
  })
  .openapi('DuePerson');

const json = <Schema extends z.ZodType>(schema: Schema, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});
const jsonError = (description: string) => ({ content: { 'application/json': { schema: ErrorSchema } }, description });

const logVisit = createRoute({
  method: 'post',
  path: '/api/special/visits',
  tags: ['special'],
  summary: 'Log a follow-up visit to a person in your reach; a retry with the same clientId gets the same visit',
  description: `The entry's due day is recomputed in the same transaction. A retry whose content differs from the visit
stored under its clientId is refused (409). The fix is converted to WGS84 and its distance to the household computed on
the spheroid; the patrol you were running then is linked.`,
  middleware: [requires('special.visit')] as const,
  request: { body: { content: { 'application/json': { schema: VisitInputSchema } }, required: true } },
  responses: {
    201: json(z.object({ visit: VisitSchema }), 'Logged'),
    200: json(z.object({ visit: VisitSchema }), 'Already logged with this clientId: the same visit'),
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

const myVisits = createRoute({
  method: 'get',
  path: '/api/special/visits/mine',
  tags: ['special'],
  summary: 'Your own recent visits, newest first (audited)',
  middleware: [requires('special.visit')] as const,
  request: { query: z.object({ limit: queryInt(1, 200).default(50) }) },
  responses: { 200: json(z.object({ visits: z.array(VisitSchema) }), 'Your visits'), ...errorResponses(400, 401, 403) },
});

const duePeople = createRoute({
  method: 'get',
  path: '/api/special/visits/due',
  tags: ['special'],
  summary: 'The people in your reach to visit, overdue first, with their household’s address and point (audited)',
  middleware: [requires('special.personal')] as const,
  responses: {
    200: json(z.object({ today: z.string(), people: z.array(DuePersonSchema) }), 'People to visit'),
    ...errorResponses(401, 403),
  },
});

const addPhotos = createRoute({
  method: 'post',
  path: '/api/special/visits/{id}/photos',
  tags: ['special'],
  summary: 'Add photos to your own visit; a photo it already has (same bytes) is not stored again',
  description:
    'multipart/form-data with 1 to 6 files named `photos` (JPEG, PNG or WebP, sniffed from the bytes, at most 8 MB each).',
  middleware: [requires('special.visit')] as const,
  request: { params: idParam },
  responses: {
    201: json(z.object({ photos: z.array(VisitPhotoSchema) }), 'Stored (or found again)'),
    ...errorResponses(400, 401, 403, 404),
    413: jsonError('A photo over 8 MB'),
    415: jsonError('Not multipart/form-data'),
  },
});

const readPhoto = createRoute({
  method: 'get',
  path: '/api/special/visits/{id}/photos/{photoId}',
  tags: ['special'],
  summary: 'One photo of a visit in your reach, with the content type sniffed when it was stored (audited)',
  middleware: [requires('special.personal')] as const,
  request: { params: z.object({ id: pathId(), photoId: pathId('photoId') }) },
  responses: {
    200: {
      content: {
        'image/jpeg': { schema: z.string().openapi({ format: 'binary' }) },
        'image/png': { schema: z.string().openapi({ format: 'binary' }) },
        'image/webp': { schema: z.string().openapi({ format: 'binary' }) },
      },
      description: 'The photo',
    },
    ...errorResponses(400, 401, 403, 404),
  },
});

/** Follow-up visits from the field: log one, its photos, your own list, the people you have to visit. */
export function specialVisitsRoutes(service: SpecialVisitsService) {
  return (
    new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
      .openapi(logVisit, async (c) => {
        const input = c.req.valid('json');
        const { created, visit } = await service.log(c.get('principal')!, {
          ...input,
          notes: input.notes?.trim() || null,
          fix: input.fix,
        });
        return c.json({ visit }, created ? 201 : 200);
      })
      // Before the {id} routes, so "mine" and "due" are not taken for ids.
      .openapi(myVisits, async (c) =>
        c.json({ visits: await service.mine(c.get('db'), auditContextOf(c), c.req.valid('query').limit) }, 200),
      )
      .openapi(duePeople, async (c) => c.json(await service.duePeople(c.get('db'), auditContextOf(c)), 200))
      .openapi(addPhotos, async (c) => {
        const photos = await readPhotoUpload(c);
        return c.json({ photos: await service.addPhotos(c.get('principal')!, c.req.valid('param').id, photos) }, 201);
      })
      .openapi(readPhoto, async (c) => {
        const { id, photoId } = c.req.valid('param');
        const photo = await service.photo(c.get('db'), auditContextOf(c), id, photoId);
        return c.body(new Uint8Array(photo.bytes), 200, {
          'Content-Type': photo.contentType,
          'Cache-Control': 'private, no-store',
          'X-Content-Type-Options': 'nosniff',
          'Content-Disposition': 'inline',
        });
      })
  );
}

function auditContextOf(c: {
  get(key: 'principal'): AppEnv['Variables']['principal'];
  get(key: 'clientIp'): string;
  req: { header(name: string): string | undefined };
}): AuditContext {
  return { principal: c.get('principal')!, ip: c.get('clientIp') || null, userAgent: c.req.header('User-Agent') ?? null };
}
