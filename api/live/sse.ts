import type { LiveEventRow } from './repository.ts';

const encoder = new TextEncoder();

/**
 * How long a plain EventSource waits before reconnecting after the stream drops, in ms (the
 * browser's default is 3 s). The app's own client reconnects by its own rules (web/live/live-stream.ts).
 */
export const RECONNECT_MS = 1_000;

/**
 * One live event as an SSE message: `id:` is the log id (what the browser sends back as
 * Last-Event-ID), `event:` its type, `data:` one line of JSON `{id, at, type, scopeCode, payload}`.
 * JSON text holds no raw line breaks (jsonb's output escapes them), so one `data:` line is enough.
 */
export function eventFrame(event: LiveEventRow, options: { late?: boolean } = {}): Uint8Array {
  const data = `{"id":${event.id},"at":${JSON.stringify(event.at.toISOString())},"type":${JSON.stringify(event.type)},"scopeCode":${JSON.stringify(event.scopeCode)},"payload":${event.payloadJson}}`;
  // An event delivered late (out of order) carries no `id:` line: it must not move the browser's
  // Last-Event-ID back, or its next reconnect would replay everything after it once more.
  const id = options.late ? '' : `id: ${event.id}\n`;
  return encoder.encode(`${id}event: ${event.type}\ndata: ${data}\n\n`);
}

/** A message that is not part of the log: no `id:`, so the browser's Last-Event-ID stays where it was. */
export function controlFrame(type: string, data: unknown): Uint8Array {
  return encoder.encode(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
}

/** The first bytes of every stream: the reconnection delay. */
export const OPENING_FRAME = encoder.encode(`retry: ${RECONNECT_MS}\n\n`);

/** A comment line, every LIVE_KEEPALIVE_MS: tells the browser the stream is alive, and keeps proxies from timing it out. */
export const HEARTBEAT_FRAME = encoder.encode(': heartbeat\n\n');
