import * as z from 'zod/mini';

/** `event: ready`: the replay is over (api/live/service.ts). */
export const ReadySchema = z.object({ complete: z.boolean(), lastEventId: z.number() });
/** `event: end`: why the server ended the stream. */
export const EndSchema = z.object({ reason: z.string() });

/** A message's `data:` checked against a schema; null for text that is not JSON or does not match. */
export function dataOf<Schema extends z.ZodMiniType>(schema: Schema, data: string): z.infer<Schema> | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return null;
  }
  const checked = schema.safeParse(parsed);
  return checked.success ? checked.data : null;
}

/** One message of the stream, as the SSE format defines it. */
export interface SseMessage {
  event: string;
  data: string;
  /** The message's own `id:` line, or null: a late event has none (see api/live/sse.ts). */
  id: string | null;
}

/**
 * Reads the SSE format (https://html.spec.whatwg.org/#event-stream-interpretation) from text
 * chunks: lines end in CR, LF or CRLF, a blank line dispatches, `:` starts a comment.
 */
export class SseParser {
  private buffer = '';
  private event = '';
  private data: string[] = [];
  private id: string | null = null;

  constructor(private readonly onMessage: (message: SseMessage) => void) {}

  push(text: string): void {
    this.buffer += text;
    const lines = this.buffer.split(/\r\n|\r|\n/);
    this.buffer = lines.pop() ?? '';
    for (const line of lines) this.line(line);
  }

  private line(line: string): void {
    if (line === '') {
      if (this.data.length > 0) this.onMessage({ event: this.event || 'message', data: this.data.join('\n'), id: this.id });
      this.event = '';
      this.data = [];
      this.id = null;
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
    else if (field === 'id' && !value.includes('\0')) this.id = value;
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
