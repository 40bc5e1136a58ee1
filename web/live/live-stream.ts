import { useEffect, useRef, useSyncExternalStore } from 'react';
import { isLiveEventType, type LiveEventType, type LiveFrame, LiveFrameSchema } from '../../api/vocabulary/live-events.ts';
import { LIVE_STALL_MS } from '../../api/vocabulary/live-pulse.ts';
import { errorOf, isSessionError, onSessionEnded } from '../api-client.ts';
import { PROBE_PAUSE_MAX_MS, PROBE_PAUSE_MS, PROBE_TIMEOUT_MS, probeRound } from './probe.ts';
import { dataOf, EndSchema, pause, ReadySchema, type SseMessage, SseParser } from './sse.ts';

export type { LiveEventType };

/**
 * One event of the live log as the page receives it: the log row's id, its type, and its payload
 * (cut by the server to this account's scope), checked against the event union's schema.
 */
export type LiveMessage<Type extends LiveEventType = LiveEventType> = Extract<LiveFrame, { type: Type }>;

function isOfType<Type extends LiveEventType>(message: LiveMessage, type: Type): message is LiveMessage<Type> {
  return message.type === type;
}

/**
 * `connecting` before the first answer; `catching-up` once the server answers, while it replays
 * what was missed; `live` once the replay is over (`event: ready`) and its events are passed on;
 * `reconnecting` after the stream dropped or went silent, until the server answers again.
 */
export type LiveConnection = 'connecting' | 'catching-up' | 'live' | 'reconnecting';

const EVENTS_PATH = '/api/live/events';
/** Per tab: a reload asks for what happened since the last event this tab saw. */
const LAST_ID_KEY = 'grid-command.live.last-event-id';
/**
 * The server answers the stream once its replay is read, in well under a second. A request that
 * went out on a connection the blip killed (the browser keeps idle ones for reuse) is never
 * answered: it is given up after this long (ms), and each further unanswered attempt waits twice
 * as long, up to the cap, so a server slow to replay under load is not asked again and again.
 */
const ANSWER_TIMEOUT_MS = 2_000;
const ANSWER_TIMEOUT_MAX_MS = 30_000;
/** How often the stream's silence is checked (ms). */
const WATCHDOG_TICK_MS = 250;
/** After a stream fails before it caught up, the next attempt waits this long, doubling to the cap. */
const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 30_000;
/** The stream stays open this long after its last subscriber leaves, so moving between pages keeps it. */
const IDLE_CLOSE_MS = 5000;
/** How many delivered ids to remember: more than a replay (1,000) can bring back. */
const DELIVERED_MEMORY = 2_000;

function readLastId(): number {
  try {
    const value = Number(sessionStorage.getItem(LAST_ID_KEY));
    return Number.isSafeInteger(value) && value > 0 ? value : 0;
  } catch {
    return 0;
  }
}

function storeLastId(id: number): void {
  try {
    sessionStorage.setItem(LAST_ID_KEY, String(id));
  } catch {
    // Private browsing without storage: a reload then starts from now.
  }
}

/** Why a stream ended: the server or the network ended it, it went silent, or the page no longer wants it. */
type StreamEnd = 'dropped' | 'unanswered' | 'stalled' | 'closed' | 'session';

type Listener = (message: LiveMessage) => void;

/**
 * One stream of the live log for the whole page, however many components listen, read with
 * fetch rather than EventSource, because a wall screen must notice a dead connection by itself:
 * a blip that drops packets tells the browser nothing, and EventSource neither exposes the
 * server's keep-alive comments nor lets a page time out a silent stream. So:
 * - the server beats every LIVE_KEEPALIVE_MS; LIVE_STALL_MS of silence and the stream is dropped;
 * - to come back, cheap probes (PROBE_TIMEOUT_MS each) find the moment the server can be reached
 *   again, and only then is the stream asked for, with Last-Event-ID, so the replay comes at once;
 *   the browser's `online` event starts this at once too;
 * - the state is `live` only once the server's `event: ready` has come after the replay and the
 *   replayed events have been passed on; until then it is `catching-up`.
 * The resume point is the last event seen, or the server's `ready.lastEventId` when that is
 * further on (a page that has heard nothing yet still resumes from when it connected). Ids only
 * grow: an event seen twice (replayed after a reconnect) is passed on once.
 */
class LiveStream {
  private listeners = new Map<LiveEventType, Set<Listener>>();
  private stateListeners = new Set<() => void>();
  private resyncListeners = new Set<() => void>();
  private users = 0;
  private lastId = readLastId();
  /**
   * Whether `lastId` is a point to resume from: an event seen, or a `ready` heard. On a log with
   * no event yet that point is 0, and a reconnect must still ask for everything after it.
   */
  private resumable = this.lastId > 0;
  /** Ids already passed on, so a replayed event is passed on once (oldest forgotten first). */
  private readonly delivered = new Set<number>();
  private state: LiveConnection = 'connecting';
  /** Set while the connection loop runs; aborting it stops the loop (the page no longer needs the stream). */
  private running: AbortController | null = null;
  /** Aborts what the loop is doing now (a probe, a pause, a stream) so that it tries again at once. */
  private current: AbortController | null = null;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    onSessionEnded(() => this.close());
    // The browser says the network changed: whatever the stream was riding on may be gone.
    window.addEventListener('online', () => this.current?.abort('online'));
    window.addEventListener('offline', () => this.current?.abort('offline'));
  }

  connection(): LiveConnection {
    return this.state;
  }

  /** The id of the last event passed on (0 before any): a screen that loads a list remembers it to know what is newer. */
  lastEventId(): number {
    return this.lastId;
  }

  subscribe<Type extends LiveEventType>(type: Type, listener: (message: LiveMessage<Type>) => void): () => void {
    let set = this.listeners.get(type);
    if (!set) {
      set = new Set();
      this.listeners.set(type, set);
    }
    const typed: Listener = (message) => {
      if (isOfType(message, type)) listener(message);
    };
    set.add(typed);
    const release = this.use();
    return () => {
      set.delete(typed);
      release();
    };
  }

  /**
   * Hears when the server could not replay everything missed (it keeps the last 1,000 events of
   * the last day): lists built from the feed must be read again.
   */
  onResync(listener: () => void): () => void {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }

  watchConnection(listener: () => void): () => void {
    this.stateListeners.add(listener);
    const release = this.use();
    return () => {
      this.stateListeners.delete(listener);
      release();
    };
  }

  /** Keeps the stream open while someone uses it. */
  private use(): () => void {
    this.users += 1;
    clearTimeout(this.idleTimer);
    if (!this.running) void this.run();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.users -= 1;
      if (this.users > 0) return;
      this.idleTimer = setTimeout(() => {
        if (this.users === 0) this.close();
      }, IDLE_CLOSE_MS);
    };
  }

  private setState(next: LiveConnection): void {
    if (next === this.state) return;
    this.state = next;
    for (const listener of this.stateListeners) listener();
  }

  /** The connection loop: stream, and when it ends, find the server again and stream once more. */
  private async run(): Promise<void> {
    const running = new AbortController();
    this.running = running;
    let failures = 0;
    let unanswered = 0;
    let reachable = true;
    let everCaughtUp = false;
    try {
      while (!running.signal.aborted) {
        if (!reachable) await this.probeUntilReachable(running.signal);
        if (running.signal.aborted) return;
        const caughtUp = { value: false };
        const answerTimeout = Math.min(ANSWER_TIMEOUT_MS * 2 ** unanswered, ANSWER_TIMEOUT_MAX_MS);
        const end = await this.stream(running.signal, caughtUp, answerTimeout);
        if (end === 'closed' || end === 'session') return;
        if (caughtUp.value) everCaughtUp = true;
        // 连接中 until the page has once been live; after that, 重连中.
        this.setState(everCaughtUp ? 'reconnecting' : 'connecting');
        reachable = false;
        unanswered = end === 'unanswered' ? unanswered + 1 : 0;
        if (caughtUp.value) failures = 0;
        // Caught up and then dropped, or never answered (a dead connection, not the server's fault): find the server again at once.
        if (caughtUp.value || end === 'unanswered') continue;
        // It failed before catching up (an error answer, a broken replay): do not hammer the server.
        failures += 1;
        const wait = Math.min(RETRY_MIN_MS * 2 ** (failures - 1), RETRY_MAX_MS);
        await this.pauseUnlessWoken(wait * (0.75 + Math.random() * 0.5), running.signal);
      }
    } finally {
      if (this.running === running) this.running = null;
    }
  }

  /** A pause that the browser's `online` or `offline` event cuts short. */
  private async pauseUnlessWoken(ms: number, stop: AbortSignal): Promise<void> {
    if (stop.aborted) return;
    const attempt = new AbortController();
    this.current = attempt;
    const onStop = () => attempt.abort();
    stop.addEventListener('abort', onStop, { once: true });
    await pause(ms, attempt.signal);
    stop.removeEventListener('abort', onStop);
  }

  /** Sends probes until the server answers one: fresh ones quickly while they go unanswered (a blip), slower when refused. */
  private async probeUntilReachable(stop: AbortSignal): Promise<void> {
    let pauseMs = PROBE_PAUSE_MS;
    while (!stop.aborted) {
      if (!navigator.onLine) {
        // Nothing gets out: wait for the browser's `online` (or look again in a while, in case it is wrong).
        await this.pauseUnlessWoken(PROBE_PAUSE_MAX_MS, stop);
        if (!navigator.onLine) continue;
      }
      const attempt = new AbortController();
      this.current = attempt;
      const onStop = () => attempt.abort();
      stop.addEventListener('abort', onStop, { once: true });
      const timer = setTimeout(() => attempt.abort('timeout'), PROBE_TIMEOUT_MS);
      const outcome = await probeRound(attempt.signal);
      clearTimeout(timer);
      // The rest of the round is not needed any more (on a dead connection, aborting closes it).
      attempt.abort('done');
      stop.removeEventListener('abort', onStop);
      if (outcome === 'reached') return;
      if (outcome === 'unanswered') continue;
      await this.pauseUnlessWoken(pauseMs, stop);
      pauseMs = Math.min(pauseMs * 2, PROBE_PAUSE_MAX_MS);
    }
  }

  /** One stream, from the request to its end; `caughtUp` is set once its `ready` has come. */
  private async stream(stop: AbortSignal, caughtUp: { value: boolean }, answerTimeoutMs: number): Promise<StreamEnd> {
    const attempt = new AbortController();
    this.current = attempt;
    const onStop = () => attempt.abort('closed');
    stop.addEventListener('abort', onStop, { once: true });
    let heardAt = Date.now();
    let answered = false;
    let tickedAt = Date.now();
    const watchdog = setInterval(() => {
      const now = Date.now();
      // The page itself was frozen (a long frame, a busy machine): what arrived meanwhile is still
      // queued behind this timer, so silence is not the stream's fault. Judge at the next tick.
      const frozen = now - tickedAt > WATCHDOG_TICK_MS * 4;
      tickedAt = now;
      if (frozen) return;
      const silentMs = now - heardAt;
      if (answered && silentMs > LIVE_STALL_MS) attempt.abort('stalled');
      if (!answered && silentMs > answerTimeoutMs) attempt.abort('unanswered');
    }, WATCHDOG_TICK_MS);
    let ended: StreamEnd | null = null;
    const parser = new SseParser((message) => {
      if (message.event === 'ready') {
        this.caughtUp(message.data);
        caughtUp.value = true;
      } else if (message.event === 'end') {
        // The server ends the stream: signed out (`session_ended`), stopping, or we read too slowly.
        ended = dataOf(EndSchema, message.data)?.reason === 'session_ended' ? 'session' : 'dropped';
      } else if (isLiveEventType(message.event)) {
        this.receive(message);
      }
    });
    try {
      const headers: Record<string, string> = { Accept: 'text/event-stream' };
      if (this.resumable) headers['Last-Event-ID'] = String(this.lastId);
      const response = await fetch(EVENTS_PATH, { headers, cache: 'no-store', signal: attempt.signal });
      if (!response.ok || !response.body) {
        const error = await errorOf(response);
        // A session error has told the app (the login page takes over, and closes this stream).
        return isSessionError(error) ? 'session' : 'dropped';
      }
      answered = true;
      heardAt = Date.now();
      this.setState('catching-up');
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      while (ended === null) {
        const { done, value } = await reader.read();
        if (done) break;
        heardAt = Date.now();
        parser.push(value);
      }
      await reader.cancel().catch(() => {});
      if (ended === 'session') {
        // Make sure: the check reports a session that is really gone to the app.
        const me = await fetch('/api/auth/me', { cache: 'no-store', signal: attempt.signal }).catch(() => null);
        if (me && !me.ok && isSessionError(await errorOf(me))) return 'session';
      }
      return 'dropped';
    } catch {
      if (stop.aborted) return 'closed';
      const reason: unknown = attempt.signal.reason;
      return reason === 'stalled' || reason === 'unanswered' ? reason : 'dropped';
    } finally {
      clearInterval(watchdog);
      stop.removeEventListener('abort', onStop);
    }
  }

  /** `event: ready` after the replay: `{ replayed, complete, lastEventId }`, no id of its own. */
  private caughtUp(data: string): void {
    const ready = dataOf(ReadySchema, data);
    const resumeFrom = Number(ready?.lastEventId);
    if (Number.isSafeInteger(resumeFrom) && resumeFrom >= 0) {
      this.resumable = true;
      if (resumeFrom > this.lastId) {
        this.lastId = resumeFrom;
        storeLastId(resumeFrom);
      }
    }
    if (ready?.complete === false) for (const listener of this.resyncListeners) listener();
    this.setState('live');
  }

  private receive(message: SseMessage): void {
    const live = dataOf(LiveFrameSchema, message.data);
    if (!live || live.type !== message.event) return;
    // The log id is the message's `id:`. An event that committed late (after a newer one was sent)
    // arrives without one: it is passed on (its data still names it), but does not move the resume point back.
    const id = message.id === null ? live.id : Number(message.id);
    if (Number.isSafeInteger(id) && id > 0) {
      if (this.delivered.has(id)) return;
      this.delivered.add(id);
      const oldest = this.delivered.values().next();
      if (this.delivered.size > DELIVERED_MEMORY && !oldest.done) this.delivered.delete(oldest.value);
      if (id > this.lastId && message.id !== null) {
        this.resumable = true;
        this.lastId = id;
        storeLastId(id);
      }
    }
    for (const listener of this.listeners.get(live.type) ?? []) {
      try {
        listener(live);
      } catch (error) {
        console.error(error);
      }
    }
  }

  private close(): void {
    clearTimeout(this.idleTimer);
    this.running?.abort();
    this.running = null;
    this.setState('connecting');
  }
}

export const liveStream = new LiveStream();

/**
 * Calls `onEvent` for every live event of the given types while the component is mounted; the
 * latest `onEvent` is always the one called, so it may close over fresh state.
 */
export function useLiveEvents<Type extends LiveEventType>(
  types: readonly Type[],
  onEvent: (message: LiveMessage<Type>) => void,
): void {
  const handler = useRef(onEvent);
  useEffect(() => {
    handler.current = onEvent;
  });
  const key = types.join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for `types`.
  useEffect(() => {
    const releases = types.map((type) => liveStream.subscribe(type, (message) => handler.current(message)));
    return () => {
      for (const release of releases) release();
    };
  }, [key]);
}

/** The live stream's state; re-renders when that changes. */
export function useLiveConnection(): LiveConnection {
  return useSyncExternalStore(
    (listener) => liveStream.watchConnection(listener),
    () => liveStream.connection(),
  );
}
