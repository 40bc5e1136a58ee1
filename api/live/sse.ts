import { cutLiveEvent, type LiveEvent, parseLiveEvent } from '../vocabulary/live-events.ts';
import type { ReaderScope } from '../vocabulary/reader-scope.ts';
import type { LiveEventRow } from './repository.ts';

const encoder = new TextEncoder();

/**
 * How long a plain EventSource waits before reconnecting after the stream drops, in ms (the
 * browser's default is 3 s). The app's own client reconnects by its own rules (web/live/live-stream.ts).
 */
export const RECONNECT_MS = 1_000;

/**
 * One row of the live log as SSE messages, one per reader scope: `id:` is the log id (what the
 * browser sends back as Last-Event-ID), `event:` its type, `data:` one line of JSON
 * `{id, at, type, scopeCode, payload}` with the payload cut for the reader (cutLiveEvent). The
 * payload is parsed and checked once, and each scope's frame built once, however many streams
 * of that scope the hub serves (a county-wide event is not serialised again per wall screen).
 * JSON.stringify escapes line breaks, so one `data:` line is enough.
 */
export class EventFrames {
  private event: LiveEvent | null | undefined;
  private readonly byScope = new Map<string, Uint8Array>();

  /**
   * `late`: delivered out of order. Such a frame carries no `id:` line: it must not move the
   * browser's Last-Event-ID back, or its next reconnect would replay everything after it once more.
   */
  constructor(
    readonly row: LiveEventRow,
    private readonly late = false,
  ) {}

  /** The frame for a reader of this scope; null for a row whose payload its type's schema refuses (it is not sent). */
  for(reader: ReaderScope): Uint8Array | null {
    const cached = this.byScope.get(reader.scopeCode);
    if (cached) return cached;
    const event = this.parsed();
    if (!event) return null;
    const { row } = this;
    const data = JSON.stringify({
      id: row.id,
      at: row.at.toISOString(),
      type: event.type,
      scopeCode: row.scopeCode,
      payload: cutLiveEvent(event, reader).payload,
    });
    const id = this.late ? '' : `id: ${row.id}\n`;
    const frame = encoder.encode(`${id}event: ${event.type}\ndata: ${data}\n\n`);
    this.byScope.set(reader.scopeCode, frame);
    return frame;
  }

  private parsed(): LiveEvent | null {
    if (this.event !== undefined) return this.event;
    let payload: unknown;
    try {
      payload = JSON.parse(this.row.payloadJson);
    } catch {
      payload = undefined;
    }
    this.event = parseLiveEvent(this.row.type, payload);
    if (!this.event) console.error(`live: event ${this.row.id} (${this.row.type}) does not match its schema; not sent`);
    return this.event;
  }
}

/** A message that is not part of the log: no `id:`, so the browser's Last-Event-ID stays where it was. */
export function controlFrame(type: string, data: unknown): Uint8Array {
  return encoder.encode(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
}

/** The first bytes of every stream: the reconnection delay. */
export const OPENING_FRAME = encoder.encode(`retry: ${RECONNECT_MS}\n\n`);

/** A comment line, every LIVE_KEEPALIVE_MS: tells the browser the stream is alive, and keeps proxies from timing it out. */
export const HEARTBEAT_FRAME = encoder.encode(': heartbeat\n\n');
