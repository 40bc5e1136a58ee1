import type { Principal } from '../app-env.ts';
import { can } from '../auth/permissions.ts';
import type { Forgotten, SessionCache } from '../auth/session-cache.ts';
import type { Queryable } from '../db/client.ts';
import { readerSettings } from '../db/scoped.ts';
import type { LiveReader } from '../vocabulary/live-events.ts';
import { LIVE_KEEPALIVE_MS } from '../vocabulary/live-pulse.ts';
import { departmentHears, type LiveHub, type LiveSubscriber } from './hub.ts';
import { type LiveEventRow, liveRepository } from './repository.ts';
import { controlFrame, EventFrames, HEARTBEAT_FRAME, OPENING_FRAME } from './sse.ts';

export interface LiveStreamOptions {
  /**
   * A comment this often on every stream (ms): the browser takes a stream that stays silent for
   * LIVE_STALL_MS for dead, and proxies do not time out an idle one.
   */
  keepAliveMs: number;
  /** Every session with a stream open is checked about this often (ms), on a beat; a revoked one's streams end. */
  sessionCheckMs: number;
  /** A reconnecting browser gets at most this many missed events… */
  replayLimit: number;
  /** …none older than this. */
  replayMaxAgeHours: number;
  /** Messages queued for a browser that does not read; past this the stream is closed (it reconnects and replays). */
  maxQueued: number;
}

const DEFAULT_STREAM_OPTIONS: LiveStreamOptions = {
  keepAliveMs: LIVE_KEEPALIVE_MS,
  sessionCheckMs: 15_000,
  replayLimit: 1_000,
  replayMaxAgeHours: 24,
  maxQueued: 1_000,
};

/** Why the server ended a stream; sent as the last message, `event: end`. */
type EndReason = 'session_ended' | 'shutdown' | 'too_slow';

export interface StreamRequest {
  principal: Principal;
  /** The request's handle cut to the account's scope: the replay reads through it. */
  scoped: Queryable;
  /** The last event the browser has (Last-Event-ID), or null for a browser starting afresh. */
  lastEventId: number | null;
  /** Whether the session still holds (revoked, expired, account disabled: no). */
  sessionHolds: () => Promise<boolean>;
}

interface OpenStream {
  readonly principal: Principal;
  readonly sessionHolds: () => Promise<boolean>;
  push(bytes: Uint8Array): void;
  end(reason: EndReason): void;
}

/**
 * Browsers' live streams: each one subscribes to the hub, first replays what the browser
 * missed (through its scoped handle, so row-level security decides what it may see), then
 * follows the hub. An idle stream holds no database connection. One timer beats for all
 * streams (a comment on each, so a browser can tell a quiet stream from a dead one) and, every
 * few beats, checks each session once; a session forgotten by the session cache (revoked here
 * or, via NOTIFY, in another process) is checked at once and its streams end.
 */
export function liveService(hub: LiveHub, sessions: SessionCache, options: LiveStreamOptions = DEFAULT_STREAM_OPTIONS) {
  const streams = new Set<OpenStream>();
  const checking = new Map<string, Promise<boolean | undefined>>();
  let heartbeat: NodeJS.Timeout | null = null;
  let beats = 0;
  /** Beats between two session checks. */
  const checkEvery = Math.max(1, Math.round(options.sessionCheckMs / options.keepAliveMs));
  let closed = false;

  /**
   * One check per session however many streams it has open. Undefined when the check itself
   * failed (database away): the streams stay, since ending every stream in the county because
   * the database blinked would only bring every browser back at once.
   */
  function checkSession(stream: OpenStream): Promise<boolean | undefined> {
    const sessionId = stream.principal.sessionId;
    let check = checking.get(sessionId);
    if (!check) {
      check = stream
        .sessionHolds()
        .catch(() => undefined)
        .finally(() => checking.delete(sessionId));
      checking.set(sessionId, check);
    }
    return check;
  }

  async function recheck(which: OpenStream[], beat: boolean): Promise<void> {
    let unknown = 0;
    await Promise.all(
      which.map(async (stream) => {
        const holds = await checkSession(stream);
        if (holds === undefined) unknown++;
        if (holds === false) stream.end('session_ended');
        else if (beat) stream.push(HEARTBEAT_FRAME);
      }),
    );
    if (unknown > 0) console.error(`live: could not check the sessions of ${unknown} streams; they stay open`);
  }

  const stopFollowing = sessions.onForget((forgotten: Forgotten) => {
    const affected = [...streams].filter(
      (stream) =>
        'all' in forgotten ||
        ('tokenHash' in forgotten && stream.principal.sessionId === forgotten.tokenHash) ||
        ('accountId' in forgotten && stream.principal.accountId === forgotten.accountId),
    );
    // A forget also follows harmless changes (a new display name): check before ending anything.
    if (affected.length > 0) void recheck(affected, false);
  });

  /** Every beat writes a comment on every stream; a checking beat writes it once the session is known to hold. */
  function beat(): void {
    beats++;
    if (beats % checkEvery === 0) {
      void recheck([...streams], true);
      return;
    }
    for (const stream of streams) stream.push(HEARTBEAT_FRAME);
  }

  function track(stream: OpenStream): void {
    streams.add(stream);
    if (heartbeat) return;
    beats = 0;
    heartbeat = setInterval(beat, options.keepAliveMs);
    heartbeat.unref();
  }

  function untrack(stream: OpenStream): void {
    streams.delete(stream);
    if (streams.size > 0 || !heartbeat) return;
    clearInterval(heartbeat);
    heartbeat = null;
  }

  return {
    get openStreams(): number {
      return streams.size;
    },

    /**
     * Opens a browser's stream. The replay is read before this resolves (so a failure is an
     * HTTP error, not a broken stream) while live events are already being collected: the hub
     * subscription comes first, the replay stops at the hub's horizon (after the hub has caught
     * up with what is committed), and whatever the hub delivers meanwhile follows it, each id once.
     */
    async open(request: StreamRequest): Promise<ReadableStream<Uint8Array>> {
      if (closed) throw new Error('the live service has closed');
      const { principal } = request;
      let controller: ReadableStreamDefaultController<Uint8Array> | null = null;
      const pending: Uint8Array[] = [OPENING_FRAME];
      let ended = false;
      let replaying = true;
      let lastSent = 0;
      let replayed = new Set<number>();
      const held: { row: LiveEventRow; frame: Uint8Array; late: boolean }[] = [];

      const push = (bytes: Uint8Array) => {
        if (ended) return;
        if (!controller) {
          pending.push(bytes);
          return;
        }
        if ((controller.desiredSize ?? 0) < -options.maxQueued) {
          stream.end('too_slow');
          return;
        }
        controller.enqueue(bytes);
      };

      const send = (row: LiveEventRow, frame: Uint8Array, late: boolean) => {
        // A late event is older than what was sent, but new to this browser unless the replay had it.
        if (late ? replayed.has(row.id) : row.id <= lastSent) return;
        if (!late) lastSent = row.id;
        push(frame);
      };

      const hears = readerHears(principal);
      const reader = liveReader(principal);
      const subscriber: LiveSubscriber = {
        ...reader,
        accepts: hears,
        deliver: (row, frame, late) => {
          if (replaying) held.push({ row, frame, late });
          else send(row, frame, late);
        },
        close: (reason) => stream.end(reason),
      };

      let unsubscribe = () => {};
      const finish = () => {
        ended = true;
        unsubscribe();
        untrack(stream);
      };
      const stream: OpenStream = {
        principal,
        sessionHolds: request.sessionHolds,
        push,
        end(reason) {
          if (ended) return;
          finish();
          const last = controlFrame('end', { reason });
          if (!controller) {
            pending.push(last);
            return;
          }
          try {
            controller.enqueue(last);
            controller.close();
          } catch {
            // Already cancelled by the browser.
          }
        },
      };

      unsubscribe = hub.subscribe(subscriber);
      track(stream);
      try {
        // Let the hub catch up with what is committed now, so the replay reaches the present.
        await hub.wakeAndWait();
        const upTo = hub.horizon;
        let ready = { replayed: 0, complete: true, lastEventId: upTo };
        if (request.lastEventId !== null) {
          const missed = await liveRepository(request.scoped).missed(request.lastEventId, upTo, {
            maxAgeHours: options.replayMaxAgeHours,
            limit: options.replayLimit,
          });
          for (const row of missed.rows) {
            if (!hears(row)) continue;
            const frame = new EventFrames(row).for(reader);
            if (frame) push(frame);
          }
          replayed = new Set(missed.rows.map((row) => row.id));
          // Events after the browser's id that retention removed were older than any replay reaches:
          // as for an id older than the replay, the replay is not whole.
          const complete = missed.complete && !(await hub.removedAfter(request.lastEventId));
          ready = { replayed: missed.rows.length, complete, lastEventId: Math.max(upTo, request.lastEventId) };
        }
        lastSent = Math.max(upTo, request.lastEventId ?? 0);
        // Not part of the log (no id): tells the browser the replay is over and whether it was whole.
        push(controlFrame('ready', ready));
        replaying = false;
        for (const { row, frame, late } of held.splice(0)) send(row, frame, late);
      } catch (error) {
        finish();
        throw error;
      }

      return new ReadableStream<Uint8Array>({
        start(streamController) {
          controller = streamController;
          for (const bytes of pending.splice(0)) streamController.enqueue(bytes);
          if (ended) streamController.close();
        },
        cancel() {
          finish();
        },
      });
    },

    /** Ends every stream (the server is stopping). */
    async close(): Promise<void> {
      closed = true;
      stopFollowing();
      for (const stream of [...streams]) stream.end('shutdown');
      await Promise.all(checking.values());
    },
  };
}

export type LiveService = ReturnType<typeof liveService>;

/** The reader as the payload cuts see it: its scope, and a department cadre's department (readerSettings). */
function liveReader(principal: Principal): LiveReader {
  const { department } = readerSettings(principal);
  return { scopeCode: principal.scopeCode, department: department || null };
}

/**
 * Besides the scope, which events a reader hears, live and in a replay alike: a department cadre
 * only those about cases its department sees (departmentHears); where workers on patrol are, only
 * an account that may view patrols (patrols.view). A worker's position is personal data: a cell
 * informant or a neighbouring worker whose scope contains the walker's area does not hear it.
 */
function readerHears(principal: Principal): (row: LiveEventRow) => boolean {
  const { department } = readerSettings(principal);
  const seesPatrols = can(principal.role, 'patrols.view');
  return (row) => {
    if (row.type === 'patrol.moved' && !seesPatrols) return false;
    return department ? departmentHears(department, row) : true;
  };
}
