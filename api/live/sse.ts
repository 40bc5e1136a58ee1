import { cutLiveEvent, type LiveEvent, type LiveReader, parseLiveEvent } from '../vocabulary/live-events.ts';
import type { LiveEventRow } from './repository.ts';

const encoder = new TextEncoder();

/**
 * How long a plain EventSource waits before reconnecting after the stream drops, in ms (the
 * browser's default is 3 s). The app's own client reconnects by its own rules (web/live/live-stream.ts).
 */
export const RECONNECT_MS = 1_000;

/**
 * One row of the live log as SSE messages, one per reader scope (and department, for cadres):
 * `id:` is the log id (what the browser sends back as Last-Event-ID), `event:` its type, `data:`
 * one line of JSON `{id, at, type, scopeCode, payload}` with the payload cut for the reader
 * (cutLiveEvent). The payload is parsed and checked once, and each scope's frame built once,
 * however many streams of that scope the hub serves (a county-wide event is not serialised again
 * per wall screen).
 * JSON.stringify escapes line breaks, so one `data:` line is enough.
 */
export class EventFrames {
  private event: LiveEvent | null | undefined;
  /** Frames by reader (scope and department); null where the reader hears nothing of the event. */
  private readonly byReader = new Map<string, Uint8Array | null>();

  /**
   * `late`: delivered out of order. Such a frame carries no `id:` line: it must not move the
   * browser's Last-Event-ID back, or its next reconnect would replay everything after it once more.
   */
  constructor(
    readonly row: LiveEventRow,
    private readonly late = false,
  ) {}

  /**
   * The frame for this reader; null for a row whose payload its type's schema refuses (it is not
   * sent to anyone), or one the reader may hear nothing of (cutLiveEvent).
   */
  for(reader: LiveReader): Uint8Array | null {
    const key = `${reader.scopeCode}|${reader.department ?? ''}`;
    const cached = this.byReader.get(key);
    if (cached !== undefined) return cached;
    const event = this.parsed();
    if (!event) return null;
    const { row } = this;
    const cut = cutLiveEvent(event, reader);
    let frame: Uint8Array | null = null;
    if (cut) {
      const data = JSON.stringify({
        id: row.id,
        at: row.at.toISOString(),
        type: cut.type,
        scopeCode: row.scopeCode,
        payload: cut.payload,
      });
      const id = this.late ? '' : `id: ${row.id}\n`;
      frame = encoder.encode(`${id}event: ${cut.type}\ndata: ${data}\n\n`);
    }
    this.byReader.set(key, frame);
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
