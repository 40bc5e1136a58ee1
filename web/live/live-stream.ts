import { useEffect, useRef, useSyncExternalStore } from 'react';
import type { LiveEventType } from '../../api/live/events.ts';
import { fetchMe, isSessionError, onSessionEnded } from '../api-client.ts';

export type { LiveEventType };

/** One event of the live log as the page receives it: the log row's id, its type, and its payload. */
export interface LiveMessage {
  id: number;
  type: LiveEventType;
  payload: Record<string, unknown>;
}

/**
 * `connecting` before the first answer; `live` while the stream is open; `reconnecting` after it
 * dropped, until it is open again (the browser retries by itself, and so do we when it gives up).
 */
export type LiveConnection = 'connecting' | 'live' | 'reconnecting';

const EVENTS_PATH = '/api/live/events';
/** Per tab: a reload asks for what happened since the last event this tab saw. */
const LAST_ID_KEY = 'grid-command.live.last-event-id';
/** When the browser gives up (an HTTP error instead of a stream), we try again after this, doubling up to the cap. */
const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 30_000;
/** The stream stays open this long after its last subscriber leaves, so moving between pages keeps it. */
const IDLE_CLOSE_MS = 5000;

const EVENT_TYPES: readonly LiveEventType[] = [
  'report.created',
  'case.changed',
  'case.escalated',
  'case.merged',
  'alert.sent',
  'alert.acknowledged',
  'drill.changed',
];

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

/** The event's payload: the server sends the log row's JSON payload as `data`. */
/** How many delivered ids to remember: more than a replay (1,000) can bring back. */
const DELIVERED_MEMORY = 2_000;

/** The log id a message's data carries (`{ id, … }`), if any. */
function idOf(data: string): number | null {
  const match = /^\{"id":(\d+)/.exec(data);
  return match ? Number(match[1]) : null;
}

function payloadOf(data: string): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(data);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
    const body = parsed as Record<string, unknown>;
    // A server may wrap the payload with the row's facts: `{ id, type, at, payload }`.
    if ('payload' in body && typeof body.payload === 'object' && body.payload !== null) {
      return body.payload as Record<string, unknown>;
    }
    return body;
  } catch {
    return null;
  }
}

type Listener = (message: LiveMessage) => void;

/**
 * One EventSource on the live log for the whole page, however many components listen. The
 * browser reconnects by itself and then sends Last-Event-ID; a fresh page (or a stream the
 * browser gave up on) starts with `?lastEventId=` from this tab's last seen event, so nothing
 * is missed. Ids only grow: an event seen twice (replayed after a reconnect) is passed on once.
 */
class LiveStream {
  private source: EventSource | null = null;
  private listeners = new Map<LiveEventType, Set<Listener>>();
  private stateListeners = new Set<() => void>();
  private resyncListeners = new Set<() => void>();
  private users = 0;
  private lastId = readLastId();
  /** Ids already passed on, so a replayed event is passed on once (oldest forgotten first). */
  private readonly delivered = new Set<number>();
  private state: LiveConnection = 'connecting';
  private retryMs = RETRY_MIN_MS;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    onSessionEnded(() => this.close());
  }

  connection(): LiveConnection {
    return this.state;
  }

  /** The id of the last event passed on (0 before any): a screen that loads a list remembers it to know what is newer. */
  lastEventId(): number {
    return this.lastId;
  }

  subscribe(type: LiveEventType, listener: Listener): () => void {
    let set = this.listeners.get(type);
    if (!set) {
      set = new Set();
      this.listeners.set(type, set);
    }
    set.add(listener);
    const release = this.use();
    return () => {
      set.delete(listener);
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
    if (!this.source && this.retryTimer === undefined) this.open();
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

  private open(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const url = this.lastId > 0 ? `${EVENTS_PATH}?lastEventId=${this.lastId}` : EVENTS_PATH;
    const source = new EventSource(url, { withCredentials: true });
    this.source = source;
    source.onopen = () => {
      this.retryMs = RETRY_MIN_MS;
      this.setState('live');
    };
    source.onerror = () => {
      if (this.source !== source) return;
      if (source.readyState === EventSource.CLOSED) {
        // The browser gave up (the server answered with an error, not a stream): find out whether
        // the session is gone (the login page then takes over), else try again later.
        this.source = null;
        this.setState('reconnecting');
        this.checkSessionThenRetry();
        return;
      }
      this.setState('reconnecting');
    };
    for (const type of EVENT_TYPES) source.addEventListener(type, (event) => this.receive(type, event as MessageEvent<string>));
    // After the replay: `{ replayed, complete, lastEventId }`, no id of its own.
    source.addEventListener('ready', (event) => {
      const ready = payloadOf((event as MessageEvent<string>).data);
      if (ready?.complete === false) for (const listener of this.resyncListeners) listener();
    });
  }

  private checkSessionThenRetry(): void {
    fetchMe()
      .then(() => this.scheduleRetry())
      .catch((error: unknown) => {
        if (!isSessionError(error)) this.scheduleRetry();
      });
  }

  private scheduleRetry(): void {
    if (this.users === 0 || this.source) return;
    const delay = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
    this.retryTimer = setTimeout(() => this.open(), delay);
  }

  private receive(type: LiveEventType, event: MessageEvent<string>): void {
    // The log id is in the data. An event that committed late (after a newer one was sent)
    // arrives without an `id:` line, so EventSource repeats the previous id: read the data's.
    const id = idOf(event.data) ?? Number(event.lastEventId);
    if (Number.isFinite(id) && id > 0) {
      if (this.delivered.has(id)) return;
      this.delivered.add(id);
      if (this.delivered.size > DELIVERED_MEMORY) this.delivered.delete(this.delivered.values().next().value as number);
      if (id > this.lastId && event.lastEventId === String(id)) {
        this.lastId = id;
        storeLastId(id);
      }
    }
    const payload = payloadOf(event.data);
    if (!payload) return;
    const message: LiveMessage = { id, type, payload };
    for (const listener of this.listeners.get(type) ?? []) {
      try {
        listener(message);
      } catch (error) {
        console.error(error);
      }
    }
  }

  private close(): void {
    clearTimeout(this.retryTimer);
    clearTimeout(this.idleTimer);
    this.retryTimer = undefined;
    this.source?.close();
    this.source = null;
    this.retryMs = RETRY_MIN_MS;
    this.setState('connecting');
  }
}

export const liveStream = new LiveStream();

/**
 * Calls `onEvent` for every live event of the given types while the component is mounted; the
 * latest `onEvent` is always the one called, so it may close over fresh state.
 */
export function useLiveEvents(types: readonly LiveEventType[], onEvent: (message: LiveMessage) => void): void {
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

/** Whether the live stream is open; re-renders when that changes. */
export function useLiveConnection(): LiveConnection {
  return useSyncExternalStore(
    (listener) => liveStream.watchConnection(listener),
    () => liveStream.connection(),
  );
}
