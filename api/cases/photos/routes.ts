import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { requires } from '../../auth/middleware.ts';
import type { Database } from '../../db/client.ts';
import { reportPhotos } from '../../db/schema.ts';
import { createSelectSchema, ErrorSchema, errorResponses, idParam, validationHook } from '../../openapi.ts';
import { casePhotosService } from './service.ts';
import { readPhotoUpload } from './upload.ts';

/** A stored photo as an upload answers it: its row's id, type and size, and where to read it. */
export const StoredPhotoSchema = createSelectSchema(reportPhotos)
  .pick({ id: true, contentType: true, byteSize: true })
  .extend({ url: z.string() });

const jsonError = (description: string) => ({ content: { 'application/json': { schema: ErrorSchema } }, description });

const addCasePhotos = createRoute({
  method: 'post',
  path: '/api/cases/{id}/photos',
  tags: ['cases'],
  summary:
    'Upload photos for a step of an open case (the handler’s before/after photos); pass their ids as photoIds in the action',
  description: `multipart/form-data with 1 to 6 files named \`photos\` (JPEG, PNG or WebP, sniffed from the bytes, at most
8 MB each, 40 MB in all). A photo already uploaded to this case (same bytes) gives back its first id, so a retried
upload stores nothing twice. The photos are attached to the step whose action names them.`,
  middleware: [requires('cases.handle')] as const,
  request: { params: idParam },
  responses: {
    201: {
      content: { 'application/json': { schema: z.object({ photos: z.array(StoredPhotoSchema) }) } },
      description: 'Stored (or found again)',
    },
    ...errorResponses(400, 401, 403, 404, 409),
    413: jsonError('A photo over 8 MB, or more than 40 MB in all'),
    415: jsonError('Not multipart/form-data'),
  },
});

/** POST /api/cases/{id}/photos: the photos a handler takes of the work, before the action that names them. */
export function casePhotosRoutes(owner: Database) {
  const service = casePhotosService(owner);
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(addCasePhotos, async (c) => {
    const photos = await readPhotoUpload(c);
    return c.json({ photos: await service.add(c.get('principal')!, c.req.valid('param').id, photos) }, 201);
  });
}
