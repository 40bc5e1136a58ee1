import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { getCookie } from 'hono/cookie';
import type { AppEnv } from '../app-env.ts';
import { requires, SESSION_COOKIE } from '../auth/middleware.ts';
import type { AuthService } from '../auth/service.ts';
import { AppError } from '../errors.ts';
import { errorResponses, validationHook } from '../openapi.ts';
import { LIVE_KEEPALIVE_MS, LIVE_STALL_MS } from '../vocabulary/live-pulse.ts';
import type { LiveService } from './service.ts';

const EVENT_ID = /^\d{1,15}$/;
const eventId = z.string().regex(EVENT_ID, 'an event id: digits only');

const events = createRoute({
  method: 'get',
  path: '/api/live/events',
  tags: ['live'],
  summary: 'The live feed of your scope, as Server-Sent Events',
  description: `Every event of the live log whose scope code is inside your scope, as it happens:
\`id:\` the event id, \`event:\` its type (report.created, case.changed, …), \`data:\` JSON
\`{id, at, type, scopeCode, payload}\`, the payload cut to your scope (what it says about an area
outside it is left out or counted). A browser that reconnects sends Last-Event-ID (EventSource
does it by itself; a fresh page passes \`?lastEventId=\`) and first gets what it missed, at most
the last 1,000 events of the last 24 hours, in order and each once. Then comes \`event: ready\`
(no id) with \`{replayed, complete, lastEventId}\`: \`complete: false\` means some were left out,
so reload the lists. A comment line arrives every ${LIVE_KEEPALIVE_MS / 1000} s: a stream silent for
${LIVE_STALL_MS / 1000} s is dead (a network blip tells neither end), reconnect. The server ends the stream with
\`event: end\` \`{reason}\` when the session ends (\`session_ended\`: signing in again is needed,
reconnecting gets 401), when it stops (\`shutdown\`: reconnect), or when the browser does not keep up
(\`too_slow\`: reconnect, the replay fills in).`,
  middleware: [requires('cases.view')] as const,
  request: {
    query: z.object({ lastEventId: eventId.optional().openapi({ description: 'Resume after this event (Last-Event-ID wins)' }) }),
    headers: z.object({ 'last-event-id': eventId.optional() }),
  },
  responses: {
    200: {
      content: { 'text/event-stream': { schema: z.string().openapi({ description: 'An endless stream of SSE messages' }) } },
      description: 'The stream',
    },
    ...errorResponses(400, 401, 403),
  },
});

export function liveRoutes(live: LiveService, auth: AuthService) {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(events, async (c) => {
    const principal = c.get('principal')!;
    const token = getCookie(c, SESSION_COOKIE) ?? '';
    const resumeAfter = c.req.valid('header')['last-event-id'] ?? c.req.valid('query').lastEventId;
    const body = await live.open({
      principal,
      scoped: c.get('db'),
      lastEventId: resumeAfter === undefined ? null : Number(resumeAfter),
      sessionHolds: () =>
        auth.resolve(token).then(
          () => true,
          (error: unknown) => {
            if (error instanceof AppError) return false;
            throw error;
          },
        ),
    });
    return c.body(body, 200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      // no-transform: no proxy may compress or buffer it; X-Accel-Buffering: the same for nginx.
      'Cache-Control': 'no-cache, no-transform',
      'X-Accel-Buffering': 'no',
    });
  });
}
