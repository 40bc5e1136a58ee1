/** One dispatched Server-Sent Event, as a browser's EventSource would see it. */
export interface SseMessage {
  /** The `id:` of this message, or null when it had none. */
  id: string | null;
  /** `event:`, or 'message' when absent. */
  event: string;
  data: string;
}

class SseTimeout extends Error {
  constructor(ms: number, what: string) {
    super(`no ${what} within ${ms} ms`);
    this.name = 'SseTimeout';
  }
}

/**
 * Reads Server-Sent Events from a response body (Node has fetch but no EventSource), parsing
 * as the HTML standard says: lines end with LF, CR or CRLF; `field: value` with one optional
 * space; comments start with ':'; a blank line dispatches the message if it has data.
 */
export class SseReader {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new TextDecoder();
  private buffer = '';
  private readonly queue: SseMessage[] = [];
  private pendingRead: Promise<ReadableStreamReadResult<Uint8Array>> | null = null;
  private draft = { id: null as string | null, event: '', data: [] as string[] };
  ended = false;
  /** What EventSource keeps as lastEventId: set by any `id:` field, kept otherwise. */
  lastEventId = '';
  retryMs: number | null = null;
  comments = 0;

  constructor(body: ReadableStream<Uint8Array>) {
    this.reader = body.getReader();
  }

  /** The next message, or null once the stream has ended; throws SseTimeout after `timeoutMs`. */
  async next(timeoutMs = 5_000): Promise<SseMessage | null> {
    await this.readWhile(() => this.queue.length === 0, timeoutMs, 'message');
    return this.queue.shift() ?? null;
  }

  /** Reads until `enough()` (messages stay queued for next()); false if the stream ended first. */
  async readUntil(enough: () => boolean, timeoutMs = 5_000, what = 'condition'): Promise<boolean> {
    await this.readWhile(() => !enough(), timeoutMs, what);
    return enough();
  }

  private async readWhile(more: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (more() && !this.ended) {
      const left = deadline - Date.now();
      if (left <= 0) throw new SseTimeout(timeoutMs, what);
      this.pendingRead ??= this.reader.read();
      let timer: NodeJS.Timeout | undefined;
      const result = await Promise.race([
        this.pendingRead,
        new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), left);
        }),
      ]);
      clearTimeout(timer);
      if (result === 'timeout') throw new SseTimeout(timeoutMs, what);
      this.pendingRead = null;
      if (result.done) {
        this.ended = true;
        this.feed(this.decoder.decode());
      } else this.feed(this.decoder.decode(result.value, { stream: true }));
    }
  }

  /** Messages up to and including the first that satisfies `done`; throws SseTimeout or on a premature end. */
  async until(done: (message: SseMessage) => boolean, timeoutMs = 5_000): Promise<SseMessage[]> {
    const deadline = Date.now() + timeoutMs;
    const seen: SseMessage[] = [];
    while (true) {
      const message = await this.next(Math.max(1, deadline - Date.now()));
      if (!message) throw new Error(`stream ended before the awaited message; got ${JSON.stringify(seen)}`);
      seen.push(message);
      if (done(message)) return seen;
    }
  }

  /** Messages until the stream ends (or `timeoutMs` passes, which throws). */
  async rest(timeoutMs = 5_000): Promise<SseMessage[]> {
    const deadline = Date.now() + timeoutMs;
    const seen: SseMessage[] = [];
    while (true) {
      const message = await this.next(Math.max(1, deadline - Date.now()));
      if (!message) return seen;
      seen.push(message);
    }
  }

  /** The messages that arrive within `ms` (none is an answer here, not a timeout). */
  async within(ms: number): Promise<SseMessage[]> {
    const deadline = Date.now() + ms;
    const seen: SseMessage[] = [];
    while (Date.now() < deadline) {
      try {
        const message = await this.next(Math.max(1, deadline - Date.now()));
        if (!message) return seen;
        seen.push(message);
      } catch (error) {
        if (error instanceof SseTimeout) return seen;
        throw error;
      }
    }
    return seen;
  }

  /** Hangs up, as a closed browser tab does. */
  async close(): Promise<void> {
    this.ended = true;
    await this.reader.cancel().catch(() => {});
  }

  private feed(text: string): void {
    this.buffer += text;
    while (true) {
      const match = /\r\n|\r|\n/.exec(this.buffer);
      // A lone CR at the end may be the first half of CRLF: wait for more, unless the stream ended.
      if (!match || (match[0] === '\r' && match.index === this.buffer.length - 1 && !this.ended)) return;
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      this.line(line);
    }
  }

  private line(line: string): void {
    if (line === '') {
      if (this.draft.id !== null) this.lastEventId = this.draft.id;
      if (this.draft.data.length > 0) {
        this.queue.push({ id: this.draft.id, event: this.draft.event || 'message', data: this.draft.data.join('\n') });
      }
      this.draft = { id: null, event: '', data: [] };
      return;
    }
    if (line.startsWith(':')) {
      this.comments++;
      return;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.draft.data.push(value);
    else if (field === 'event') this.draft.event = value;
    else if (field === 'id' && !value.includes('\0')) this.draft.id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
  }
}

/** The parsed `data:` of a live log event (api/live/sse.ts). */
export interface LiveEventData {
  id: number;
  at: string;
  type: string;
  scopeCode: string;
  payload: Record<string, unknown>;
}

export const liveData = (message: SseMessage) => JSON.parse(message.data) as LiveEventData;

/** True for a message of the live log (not `ready` or `end`). */
export const isLogEvent = (message: SseMessage) => message.event !== 'ready' && message.event !== 'end';
