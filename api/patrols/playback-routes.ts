import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { compress } from 'hono/compress';
import type { AppEnv } from '../app-env.ts';
import { requires } from '../auth/middleware.ts';
import { errorResponses, validationHook } from '../openapi.ts';
import type { PlaybackService } from './playback-service.ts';

/** The most workers one request names: a county's 561 grid workers and some room. */
const MAX_WORKERS = 1_000;

const PlaybackStopSchema = z
  .object({
    position: z.tuple([z.number(), z.number()]).openapi({ description: '[lng, lat] WGS84, the mean of the fixes there' }),
    fromS: z.number().int().openapi({ description: 'Seconds since the day’s start' }),
    toS: z.number().int(),
  })
  .openapi('PlaybackStop');

const PlaybackWorkerSchema = z
  .object({
    workerId: z.string(),
    workerName: z.string(),
    workerRole: z.string(),
    areaCode: z.string(),
    distanceM: z.number().openapi({ description: 'Metres along the day’s valid fixes (full resolution)' }),
    durationS: z.number().int().openapi({ description: 'Seconds from first to last valid fix of each patrol, summed' }),
    fixes: z.number().int().openapi({ description: 'Valid fixes read, before simplification' }),
    tracks: z.array(
      z.object({
        patrolId: z.string(),
        points: z.array(z.number().int()).openapi({
          description:
            'Flat [lng0, lat0, s0, dLng1, dLat1, dS1, …]: lng/lat in 1e-6 degrees (WGS84), s in seconds since the day’s start; the first fix absolute, each next one as its difference (geo/encode-track.ts)',
        }),
      }),
    ),
    stops: z.array(PlaybackStopSchema).openapi({ description: 'Stays within 30 m for at least 3 minutes' }),
    gaps: z
      .array(z.object({ patrolId: z.string(), fromS: z.number().int(), toS: z.number().int(), cause: z.string() }))
      .openapi({ description: 'Stretches the phone did not record, and why: not "no patrol"' }),
  })
  .openapi('PlaybackWorker');

const playbackDay = createRoute({
  method: 'get',
  path: '/api/patrols/playback',
  tags: ['patrols'],
  summary:
    'A day’s patrol tracks of an area (Asia/Shanghai day), per worker: simplified, delta-encoded tracks, stops, distance, duration, gaps; others’ tracks are audited',
  middleware: [requires('map.view')] as const,
  request: {
    query: z.object({
      day: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
        .optional()
        .openapi({
          description:
            'The day in Asia/Shanghai (00:00-24:00 UTC+8); when left out, the latest day up to today with a track in the area you may see (today when none has one): the answer’s `day` says which',
          example: '2026-06-01',
        }),
      area: z
        .string()
        .regex(/^\d{6}(?:\d{3}){0,4}$/, 'expected an area code')
        .optional()
        .openapi({ description: 'Area code (its workers’ areas lie inside it); your scope when left out' }),
      workers: z
        .string()
        .max(MAX_WORKERS * 65)
        .optional()
        .openapi({ description: 'Comma-separated worker (account) ids; every worker in the area when left out' }),
    }),
  },
  responses: {
    200: {
      content: {
        'application/json': {
          schema: z.object({
            day: z.string(),
            timeZone: z.literal('Asia/Shanghai'),
            dayStart: z.string().openapi({ description: 'The day’s first instant, ISO 8601 UTC: what the seconds count from' }),
            areaCode: z.string(),
            toleranceM: z.number().openapi({ description: 'Douglas–Peucker tolerance the tracks were simplified with, metres' }),
            workers: z.array(PlaybackWorkerSchema),
          }),
        },
      },
      description: 'The day’s playback',
    },
    ...errorResponses(400, 401, 403, 404),
  },
});

/** A day's playback of patrol tracks (api/patrols/playback-service.ts); gzipped when the browser takes it. */
export function playbackRoutes(service: PlaybackService) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use('/api/patrols/playback', compress());
  return app.openapi(playbackDay, async (c) => {
    const query = c.req.valid('query');
    const named = [...new Set((query.workers ?? '').split(',').map((id) => id.trim()))].filter(Boolean).slice(0, MAX_WORKERS);
    const body = await service.day(
      c.get('db'),
      { principal: c.get('principal')!, ip: c.get('clientIp') || null, userAgent: c.req.header('User-Agent') ?? null },
      { day: query.day ?? null, areaCode: query.area ?? null, workerIds: named.length > 0 ? named : null, now: new Date() },
    );
    return c.json(body, 200);
  });
}
