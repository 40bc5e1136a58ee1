import type { Database } from '../db/client.ts';
import type { LiveReader } from '../vocabulary/live-events.ts';
import { type LiveEventRow, liveRepository } from './repository.ts';
import { EventFrames } from './sse.ts';

/**
 * Whether a cadre of `departmentCode` may hear of the event: an event about no case, or one whose
 * case its department saw when it happened, as the live log's policy says for the replay
 * (migrations/0009).
 */
export function departmentHears(departmentCode: string, event: LiveEventRow): boolean {
  return event.departmentCodes === null || event.departmentCodes.includes(departmentCode);
}

/** The NOTIFY channel of the live log (migrations/0005: the payload is the new row's id). */
const LIVE_CHANNEL = 'gcc_live';

/**
 * A browser's stream as the hub sees it: a scope (the subscriber gets the events whose scope code
 * starts with it), for a department cadre its department (payloads are cut by its lines too), and
 * a place to put events.
 */
export interface LiveSubscriber extends LiveReader {
  /**
   * Besides the scope, whether this subscriber may hear of the event (a department cadre: only
   * of cases its department sees, see departmentHears); absent, every event in scope.
   */
  accepts?(event: LiveEventRow): boolean;
  /**
   * One event, in id order; `frame` is its encoded SSE message cut for this subscriber's scope
   * (and department), shared by every subscriber of the same scope and department.
   * `late` marks an event that committed so long after a newer one that it was delivered
   * out of order (see HubTiming.holdMs).
   */
  deliver(event: LiveEventRow, frame: Uint8Array, late: boolean): void;
  /** The hub is stopping. */
  close(reason: 'shutdown'): void;
}

export interface HubTiming {
  /** The safety poll, in case a notification is lost (only while someone listens). */
  pollMs: number;
  /** How long newer events wait behind a missing id that may still commit, before they go ahead. */
  holdMs: number;
  /** How long a missing id that events went ahead of is still watched for. */
  lateWatchMs: number;
  /** Rows read per query. */
  batchSize: number;
}

export const DEFAULT_HUB_TIMING: HubTiming = { pollMs: 5_000, holdMs: 2_000, lateWatchMs: 60_000, batchSize: 500 };

/** At start, the ids this far back are checked for ones still in flight. */
const STARTUP_LOOKBACK = 1_000;
/** A jump in ids wider than this is not a set of transactions in flight (a restored database, say). */
const MAX_GAP = 10_000;

/** An id seen missing below one that exists: its transaction may still commit. */
interface Gap {
  /** The read that first saw it missing: only a quiet check before a later read clears it. */
  seenInRead: number;
  /**
   * Above the transaction id that may hold it (repository.appendersXidBound, taken after the read
   * that saw it): once a later read's `xmin` reaches it, that transaction has ended.
   */
  xmax: bigint;
  /** When it was first seen missing (ms), for the hold. */
  since: number;
}

/**
 * The live log's fan-out in one API process. Every NOTIFY on `gcc_live` (or the slow poll, or
 * a reconnect of the listening connection) wakes it; a wake-up reads every row after the last
 * one seen, as the owner, in batches and id order (a burst of notifications costs one read), and
 * hands each row to the subscribers whose scope is a prefix of the row's scope code, as a frame
 * cut for that scope and department (sse.ts EventFrames).
 *
 * Ids are taken in one order and committed in another, so a read can see id 11 while 10 is
 * still in flight. Rows then wait behind the gap until it fills, or until it is shown to be a
 * rollback (no appender in flight, by LIVE_APPEND_LOCK; or every transaction that could hold it
 * ended, by snapshot xmin: see repository.ts), or for holdMs at most; a gap given up on is still
 * watched for a while and delivered late (out of order) if it fills. So subscribers get every
 * event once and in order, and `horizon` is an id below which nothing new will appear, barring
 * that late case.
 */
export class LiveHub {
  private readonly subscribers = new Set<LiveSubscriber>();
  private readonly repository;
  /** Highest id read. */
  private maxSeen = 0;
  private deliveredUpTo = 0;
  /** Rows read but waiting behind a gap, by id. */
  private readonly waiting = new Map<number, LiveEventRow>();
  /** Missing ids that newer rows wait behind. */
  private readonly gaps = new Map<number, Gap>();
  /** Missing ids nothing waits for any more (held too long, or older than the hub), watched until `until`. */
  private readonly late = new Map<number, Gap & { until: number }>();
  /** Reads started so far; wakeAndWait() callers wait for a given one to finish. */
  private reads = 0;
  private readonly waiters: { read: number; resolve: () => void }[] = [];
  private reading: Promise<void> | null = null;
  private wakeAgain = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private unlisten: (() => Promise<void>) | null = null;
  private state: 'new' | 'running' | 'stopped' = 'new';

  constructor(
    private readonly db: Pick<Database, 'rows' | 'listen'>,
    private readonly timing: HubTiming = DEFAULT_HUB_TIMING,
  ) {
    this.repository = liveRepository(db);
  }

  /** Every event at or below this id has been delivered, or will never exist. */
  get horizon(): number {
    return this.deliveredUpTo;
  }

  /**
   * Whether events after `eventId` have been removed from the log by retention (retention.ts): the
   * log's oldest event is newer than the one after it. A gap of rolled-back ids there answers yes
   * too, which costs the browser no more than a reload of its lists.
   */
  async removedAfter(eventId: number): Promise<boolean> {
    const oldest = await this.repository.oldestId();
    return oldest !== null && oldest > eventId + 1;
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  async start(): Promise<void> {
    if (this.state !== 'new') throw new Error('a live hub starts once');
    this.state = 'running';
    // Ids missing among the newest may belong to transactions still in flight: they are watched
    // (and delivered late if they commit), but what comes next does not wait for them.
    const { ids, snapshot } = await this.repository.recentIds(STARTUP_LOOKBACK);
    const xmax = await this.repository.appendersXidBound(snapshot);
    const now = Date.now();
    const present = new Set(ids);
    const latest = ids.length === 0 ? 0 : Math.max(...ids);
    for (let id = Math.max(1, latest - STARTUP_LOOKBACK + 1); id < latest; id++) {
      if (!present.has(id)) this.late.set(id, { seenInRead: 0, xmax, since: now, until: now + this.timing.lateWatchMs });
    }
    this.maxSeen = latest;
    this.deliveredUpTo = latest;
    this.unlisten = await this.db.listen(
      LIVE_CHANNEL,
      () => this.wake(),
      () => this.wake(),
    );
    await this.wakeAndWait();
    this.pollTimer = setInterval(() => {
      if (this.subscribers.size > 0 || this.gaps.size > 0 || this.late.size > 0) this.wake();
    }, this.timing.pollMs);
    this.pollTimer.unref();
  }

  /** Stops listening and polling, and closes every subscriber. Idempotent. */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const unlisten = this.unlisten;
    this.unlisten = null;
    await unlisten?.().catch(() => {});
    await this.reading?.catch(() => {});
    this.settleWaiters(Number.POSITIVE_INFINITY);
    for (const subscriber of [...this.subscribers]) subscriber.close('shutdown');
    this.subscribers.clear();
  }

  /** Adds a subscriber; returns its remover. Events already delivered are not repeated to it. */
  subscribe(subscriber: LiveSubscriber): () => void {
    if (this.state === 'stopped') throw new Error('the live hub has stopped');
    this.subscribers.add(subscriber);
    return () => {
      this.subscribers.delete(subscriber);
    };
  }

  /** Something may have been appended: read. Calls during a read are folded into one more read. */
  wake(): void {
    void this.wakeAndWait();
  }

  /**
   * Like wake(), resolving once the hub has read (and delivered) everything committed before
   * this call, or failed trying: `horizon` then covers it, bar ids still in flight. A steady
   * flow of events keeps the hub reading, but does not keep this waiting.
   */
  wakeAndWait(): Promise<void> {
    if (this.state !== 'running') return Promise.resolve();
    const read = this.reads + 1;
    const done = new Promise<void>((resolve) => this.waiters.push({ read, resolve }));
    this.wakeAgain = true;
    this.reading ??= this.readUntilCaughtUp();
    return done;
  }

  private async readUntilCaughtUp(): Promise<void> {
    try {
      while (this.wakeAgain && this.state === 'running') {
        this.wakeAgain = false;
        const full = await this.readOnce();
        if (full) this.wakeAgain = true;
        // A full batch means more is committed than was read: waiters wait for the rest.
        else this.settleWaiters(this.reads);
      }
    } catch (error) {
      // The database is away: the poll (or the listener's resync) will try again.
      if (this.state === 'running') console.error('live hub: reading the live log failed:', error);
    } finally {
      this.reading = null;
      this.settleWaiters(Number.POSITIVE_INFINITY);
    }
    this.scheduleGapCheck();
  }

  private settleWaiters(finishedRead: number): void {
    for (const waiter of [...this.waiters]) {
      if (waiter.read > finishedRead) continue;
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }

  /** One read; true when the batch was full, so there is more to read at once. */
  private async readOnce(): Promise<boolean> {
    const read = ++this.reads;
    const quiet = this.gaps.size > 0 || this.late.size > 0 ? await this.repository.noAppenderInFlight() : false;
    const { rows, snapshot } = await this.repository.after(
      this.maxSeen,
      [...this.gaps.keys(), ...this.late.keys()],
      this.timing.batchSize,
    );
    const now = Date.now();
    let fresh = 0;
    const missing: number[] = [];
    for (const row of rows) {
      if (this.gaps.delete(row.id)) {
        this.waiting.set(row.id, row);
      } else if (this.late.delete(row.id)) {
        this.fanOut(row, true);
      } else if (row.id > this.maxSeen) {
        fresh++;
        if (row.id - this.maxSeen <= MAX_GAP) {
          for (let id = this.maxSeen + 1; id < row.id; id++) missing.push(id);
        }
        this.maxSeen = row.id;
        this.waiting.set(row.id, row);
      }
    }
    if (missing.length > 0) {
      const xmax = await this.repository.appendersXidBound(snapshot);
      for (const id of missing) this.gaps.set(id, { seenInRead: read, xmax, since: now });
    }
    // Still missing in a read after the one that saw it: dead if no appender was in flight since
    // then, or if every transaction that could hold it has ended (then this read would have seen
    // its row). Never in the read that saw it: its bound is taken after that read, and the
    // transaction may have ended in between, committed but too late for the read.
    const dead = (gap: Gap) => gap.seenInRead < read && (quiet || snapshot.xmin >= gap.xmax);
    for (const [id, gap] of this.gaps) {
      if (dead(gap)) this.gaps.delete(id);
      else if (now - gap.since >= this.timing.holdMs) {
        this.gaps.delete(id);
        this.late.set(id, { ...gap, until: now + this.timing.lateWatchMs });
      }
    }
    for (const [id, gap] of this.late) if (dead(gap) || gap.until <= now) this.late.delete(id);
    this.release();
    return fresh >= this.timing.batchSize;
  }

  /** Delivers, in order, the waiting rows below the first gap. */
  private release(): void {
    let firstGap = Number.POSITIVE_INFINITY;
    for (const id of this.gaps.keys()) firstGap = Math.min(firstGap, id);
    const ready = [...this.waiting.keys()].filter((id) => id < firstGap).sort((a, b) => a - b);
    for (const id of ready) {
      const row = this.waiting.get(id)!;
      this.waiting.delete(id);
      this.fanOut(row, false);
    }
    this.deliveredUpTo = Number.isFinite(firstGap) ? firstGap - 1 : this.maxSeen;
  }

  private fanOut(row: LiveEventRow, late: boolean): void {
    const frames = new EventFrames(row, late);
    for (const subscriber of this.subscribers) {
      if (!row.scopeCode.startsWith(subscriber.scopeCode)) continue;
      if (subscriber.accepts && !subscriber.accepts(row)) continue;
      const frame = frames.for(subscriber);
      if (!frame) continue;
      try {
        subscriber.deliver(row, frame, late);
      } catch (error) {
        console.error('live hub: a subscriber failed:', error);
      }
    }
  }

  /** While gaps are open, look again soon: a rollback sends no notification. */
  private scheduleGapCheck(): void {
    if (this.state !== 'running' || this.retryTimer || this.gaps.size === 0) return;
    let oldest = Number.POSITIVE_INFINITY;
    for (const gap of this.gaps.values()) oldest = Math.min(oldest, gap.since);
    const waited = Date.now() - oldest;
    const delay = Math.min(250, Math.max(20, waited / 4), Math.max(0, this.timing.holdMs - waited));
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.wake();
    }, delay);
    this.retryTimer.unref();
  }
}
