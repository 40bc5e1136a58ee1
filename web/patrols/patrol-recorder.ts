import { fieldDatabase } from '../field/field-db.ts';
import { endOnServer, linkReportOnServer, startOnServer, uploadBatch } from './patrol-api.ts';
import { markPatrolRunning } from './patrol-running.ts';
import { patrolStore, type StoredFix, type StoredPatrol } from './patrol-store.ts';

/** Fixes sent in one batch at most; a phone back from a long dead spell sends several. */
const BATCH_SIZE = 500;
/** How often the phone sends what it has (ms), and notes that the page is alive. */
const SYNC_MS = 10_000;
const HEARTBEAT_MS = 5_000;
/** A silence shorter than this (ms) is no gap worth telling. */
const MIN_GAP_MS = 15_000;
/** The phone's own distance counts only fixes this sure (metres) and no faster than this (m/s), as the server's filter does. */
const LOCAL_MAX_ACCURACY_M = 50;
const LOCAL_MAX_SPEED_MPS = 40;

export interface RecorderState {
  patrol: StoredPatrol | null;
  /** Fixes on the phone not yet on the server. */
  pending: number;
  lastFix: StoredFix | null;
  /** The browser refused or stopped locating: code of the reason, null while fixes come. */
  locationProblem: 'denied' | 'unavailable' | 'unsupported' | null;
}

function metresBetween(a: StoredFix, b: StoredFix): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(h));
}

/**
 * Records the signed-in worker's patrol on the phone: watchPosition with accuracy kept, every fix
 * into IndexedDB first (patrol-store.ts), batches to the server every 10 s and when the network
 * comes back, gaps with their cause (the page closed, the screen locked, locating stopped), and
 * the screen kept on where the browser allows. One per page; it survives a reload by reading back
 * what it stored and carrying on.
 */
class PatrolRecorder {
  private state: RecorderState = { patrol: null, pending: 0, lastFix: null, locationProblem: null };
  private readonly listeners = new Set<(state: RecorderState) => void>();
  private account: string | null = null;
  private watchId: number | null = null;
  private timers: ReturnType<typeof setInterval>[] = [];
  private syncing: Promise<void> | null = null;
  private hiddenSince: number | null = null;
  private problemSince: number | null = null;
  private wakeLock: { release(): Promise<void> } | null = null;
  /** The last accurate fix, for the phone's own distance. */
  private lastAccurate: StoredFix | null = null;

  subscribe(listener: (state: RecorderState) => void): () => void {
    this.listeners.add(listener);
    listener(this.state);
    return () => this.listeners.delete(listener);
  }

  private emit(change: Partial<RecorderState>): void {
    this.state = { ...this.state, ...change };
    for (const listener of this.listeners) listener(this.state);
  }

  /** Reads back the account's patrol; one still running goes on recording, with the time the page was away as a gap. */
  async open(account: string): Promise<void> {
    if (this.account === account) return;
    this.close();
    this.account = account;
    const patrol = (await patrolStore.current(account)) ?? null;
    this.emit({ patrol, pending: patrol ? await patrolStore.countUnsent(patrol.clientId) : 0, lastFix: null });
    this.timers.push(setInterval(() => void this.sync(), SYNC_MS));
    window.addEventListener('online', this.onOnline);
    if (patrol && patrol.endedAt === null) {
      const now = Date.now();
      if (now - patrol.aliveAt > MIN_GAP_MS) await this.addGap(patrol, patrol.aliveAt, now, 'tab_closed');
      this.record();
    }
    void this.sync();
  }

  /** Stops listening (the page leaves the field view); the stored patrol waits for the next open. */
  close(): void {
    this.stopWatching();
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    window.removeEventListener('online', this.onOnline);
    this.account = null;
  }

  async start(): Promise<void> {
    if (!this.account || (this.state.patrol && this.state.patrol.endedAt === null)) return;
    const previous = this.state.patrol;
    if (previous) await patrolStore.forget(previous);
    const now = Date.now();
    const patrol: StoredPatrol = {
      account: this.account,
      clientId: crypto.randomUUID(),
      serverId: null,
      startedAt: now,
      endedAt: null,
      endSent: false,
      aliveAt: now,
      localDistanceM: 0,
      server: null,
      reportClientIds: [],
      linkedReportIds: [],
    };
    await patrolStore.save(patrol);
    this.lastAccurate = null;
    this.emit({ patrol, pending: 0, lastFix: null, locationProblem: null });
    this.record();
    void this.sync();
  }

  async stop(): Promise<void> {
    const patrol = this.state.patrol;
    if (!patrol || patrol.endedAt !== null) return;
    this.stopWatching();
    markPatrolRunning(null);
    await this.keep({ endedAt: Date.now() });
    void this.sync();
  }

  /** Remembers a report made during the running patrol (its outbox client id): linked once both have reached the server. */
  async noteReport(reportClientId: string): Promise<void> {
    const patrol = this.state.patrol;
    if (!patrol || patrol.endedAt !== null) return;
    await this.keep({ reportClientIds: [...patrol.reportClientIds, reportClientId] });
  }

  private record(): void {
    markPatrolRunning(this.account);
    document.addEventListener('visibilitychange', this.onVisibility);
    void this.keepScreenOn();
    this.timers.push(setInterval(() => void this.heartbeat(), HEARTBEAT_MS));
    if (!('geolocation' in navigator)) {
      this.emit({ locationProblem: 'unsupported' });
      return;
    }
    this.watchId = navigator.geolocation.watchPosition(this.onPosition, this.onPositionError, {
      enableHighAccuracy: true,
      maximumAge: 0,
      timeout: 60_000,
    });
  }

  private stopWatching(): void {
    if (this.watchId !== null) navigator.geolocation.clearWatch(this.watchId);
    this.watchId = null;
    document.removeEventListener('visibilitychange', this.onVisibility);
    void this.wakeLock?.release().catch(() => {});
    this.wakeLock = null;
  }

  /** Asks the browser to keep the screen on (Screen Wake Lock); where it cannot, the page says so. */
  private async keepScreenOn(): Promise<void> {
    const wakeLock = (navigator as Navigator & { wakeLock?: { request(type: 'screen'): Promise<{ release(): Promise<void> }> } })
      .wakeLock;
    if (!wakeLock || document.visibilityState !== 'visible') return;
    this.wakeLock = await wakeLock.request('screen').catch(() => null);
  }

  private readonly onOnline = () => void this.sync();

  private readonly onVisibility = () => {
    const patrol = this.state.patrol;
    if (document.visibilityState === 'hidden') {
      this.hiddenSince = Date.now();
      return;
    }
    void this.keepScreenOn();
    const since = this.hiddenSince;
    this.hiddenSince = null;
    if (patrol && since !== null && Date.now() - since > MIN_GAP_MS) void this.addGap(patrol, since, Date.now(), 'screen_locked');
  };

  private readonly onPosition = (position: GeolocationPosition) => {
    const patrol = this.state.patrol;
    if (!patrol || patrol.endedAt !== null) return;
    const { coords } = position;
    const fix: StoredFix = {
      clientFixId: crypto.randomUUID(),
      patrolClientId: patrol.clientId,
      fixedAt: position.timestamp,
      lng: coords.longitude,
      lat: coords.latitude,
      accuracyM: coords.accuracy,
      speedMps: coords.speed !== null && Number.isFinite(coords.speed) ? coords.speed : null,
      sent: 0,
    };
    let localDistanceM = patrol.localDistanceM;
    if (fix.accuracyM <= LOCAL_MAX_ACCURACY_M) {
      const last = this.lastAccurate;
      const metres = last ? metresBetween(last, fix) : 0;
      const seconds = last ? Math.max(1, (fix.fixedAt - last.fixedAt) / 1000) : 1;
      if (!last || metres / seconds <= LOCAL_MAX_SPEED_MPS) {
        localDistanceM += metres;
        this.lastAccurate = fix;
      }
    }
    const next = { ...patrol, localDistanceM, aliveAt: Date.now() };
    const problemSince = this.problemSince;
    this.problemSince = null;
    if (problemSince !== null && fix.fixedAt - problemSince > MIN_GAP_MS) {
      void this.addGap(patrol, problemSince, fix.fixedAt, 'location_stopped');
    }
    this.emit({ patrol: next, lastFix: fix, pending: this.state.pending + 1, locationProblem: null });
    void patrolStore.addFix(fix, next);
  };

  private readonly onPositionError = (error: GeolocationPositionError) => {
    this.problemSince ??= Date.now();
    this.emit({ locationProblem: error.code === error.PERMISSION_DENIED ? 'denied' : 'unavailable' });
  };

  private async heartbeat(): Promise<void> {
    const patrol = this.state.patrol;
    if (!patrol || patrol.endedAt !== null || document.visibilityState !== 'visible') return;
    await this.keep({ aliveAt: Date.now() });
  }

  private async addGap(patrol: StoredPatrol, startedAt: number, endedAt: number, cause: string): Promise<void> {
    await patrolStore.addGap({
      clientGapId: crypto.randomUUID(),
      patrolClientId: patrol.clientId,
      startedAt,
      endedAt,
      cause,
      sent: 0,
    });
  }

  /** Sends what the phone has, in order: the start, the batches, the reports to link, the end. One at a time. */
  sync(): Promise<void> {
    this.syncing ??= this.sendAll()
      .catch(() => {
        // Offline, or the server is away: everything stays on the phone and goes at the next try.
      })
      .finally(() => {
        this.syncing = null;
      });
    return this.syncing;
  }

  private async sendAll(): Promise<void> {
    const patrol = this.state.patrol;
    if (!patrol || !navigator.onLine) return;
    const serverId = patrol.serverId ?? (await startOnServer(patrol.clientId, patrol.startedAt)).id;
    if (!patrol.serverId) await this.keep({ serverId });
    for (;;) {
      const { fixes, gaps } = await patrolStore.unsent(patrol.clientId, BATCH_SIZE);
      if (fixes.length === 0 && gaps.length === 0) break;
      const answer = await uploadBatch(serverId, fixes, gaps);
      await patrolStore.markSent(
        fixes.map((fix) => fix.clientFixId),
        gaps.map((gap) => gap.clientGapId),
      );
      await this.keep({ server: { distanceM: answer.patrol.distanceM, cellsWalked: answer.patrol.cellsWalked } });
      this.emit({ pending: await patrolStore.countUnsent(patrol.clientId) });
      if (fixes.length < BATCH_SIZE) break;
    }
    await this.linkReports(serverId);
    const now = this.state.patrol;
    if (now && now.endedAt !== null && !now.endSent) {
      const ended = await endOnServer(serverId, now.endedAt);
      await this.keep({ endSent: true, server: { distanceM: ended.distanceM, cellsWalked: ended.cellsWalked } });
    }
  }

  private async linkReports(serverId: string): Promise<void> {
    const patrol = this.state.patrol;
    if (!patrol) return;
    const waiting = patrol.reportClientIds.filter((id) => !patrol.linkedReportIds.includes(id));
    if (waiting.length === 0) return;
    const db = await fieldDatabase();
    for (const clientId of waiting) {
      const item = await db.get('outbox', clientId);
      if (!item?.result) continue;
      await linkReportOnServer(serverId, item.result.id);
      await this.keep({ linkedReportIds: [...(this.state.patrol?.linkedReportIds ?? []), clientId] });
    }
  }

  /** Merges `change` into the patrol as it is now (fixes may have come meanwhile), shows it, and stores it. */
  private async keep(change: Partial<StoredPatrol>): Promise<void> {
    const current = this.state.patrol;
    if (!current) return;
    const next = { ...current, ...change };
    this.emit({ patrol: next });
    await patrolStore.save(next);
  }
}

export const patrolRecorder = new PatrolRecorder();
