import { randomUUID } from 'node:crypto';
import type { Datum } from '../../geo/convert-datum.ts';
import { DEFAULT_FIX_LIMITS, type FixLimits } from '../../geo/flag-fixes.ts';
import type { Principal } from '../app-env.ts';
import { type AuditContext, recordRead } from '../audit/service.ts';
import { can } from '../auth/permissions.ts';
import type { Database, Queryable } from '../db/client.ts';
import { notFound } from '../errors.ts';
import { appendLiveEvent, type NewLiveEvent } from '../live/events.ts';
import type { PatrolGapCause } from '../vocabulary/patrols.ts';
import { countyDay, DEFAULT_COVERAGE_DISTANCE_M, patrolCellsRepository } from './cells-repository.ts';
import { cellsSettler } from './cells-settler.ts';
import {
  earliestFixOf,
  type FixRow,
  type GapRow,
  type PatrolRow,
  type PatrolSpan,
  partitionDay,
  patrolsRepository,
} from './repository.ts';
import { TrackEnds } from './track-ends.ts';
import { DEFAULT_UPLOAD_GROUPS, type UploadGroupLimits, uploadGroups } from './upload-group.ts';

const DAY_MS = 86_400_000;
/** Day partitions created ahead of today, so a fix never waits for one and the default partition stays small. */
export const PARTITION_DAYS_AHEAD = 7;
/** A fix stamped further ahead than this (ms) is refused: the phone's clock is wrong, and no partition would hold it. */
const FUTURE_SLACK_MS = 10 * 60_000;
/** A patrol not ended but silent for this long (ms) no longer counts as out now. */
const ACTIVE_SILENCE_MS = 2 * 3_600_000;
/** The live feed hears of one worker at most this often (ms), however often its batches come. */
const LIVE_INTERVAL_MS = 1_000;

export interface FixInput {
  clientFixId: string;
  fixedAt: Date;
  lng: number;
  lat: number;
  accuracyM: number;
  speedMps: number | null;
  datum: Datum;
}

export interface GapInput {
  clientGapId: string;
  startedAt: Date;
  endedAt: Date;
  cause: PatrolGapCause;
}

export interface PatrolsOptions {
  /** Days positions are kept (default 180). */
  retentionDays: number;
  limits?: FixLimits;
  /** Metres from a valid track within which a cell counts as walked (default 50; PATROL_COVERAGE_DISTANCE_M). */
  coverageDistanceM?: number;
  now?: () => Date;
  /** How batches are grouped (upload-group.ts); on the embedded database one group at a time, as it runs one query at a time. */
  groups?: UploadGroupLimits;
}

const patrolNotFound = (id: string) => notFound('patrol_not_found', { zh: '找不到该巡查记录', en: 'No such patrol' }, { id });

/** A patrol as it leaves the server. */
function patrolView(row: PatrolRow, cellsWalked: number) {
  return {
    id: row.id,
    clientId: row.clientId,
    workerId: row.workerId,
    workerName: row.workerName,
    areaCode: row.areaCode,
    startedAt: row.startedAt.toISOString(),
    endedAt: row.endedAt?.toISOString() ?? null,
    distanceM: Math.round(row.distanceM * 10) / 10,
    lastFixAt: row.lastFixAt?.toISOString() ?? null,
    cellsWalked,
  };
}

function fixView(row: FixRow) {
  return {
    clientFixId: row.clientFixId,
    fixedAt: row.fixedAt.toISOString(),
    position: [row.lng, row.lat] as [number, number],
    accuracyM: row.accuracyM,
    speedMps: row.speedMps,
    poorAccuracy: row.poorAccuracy,
    jump: row.jump,
  };
}

function gapView(row: GapRow) {
  return { startedAt: row.startedAt.toISOString(), endedAt: row.endedAt.toISOString(), cause: row.cause };
}

/** The UTC midnight of `instant`. */
const utcDay = (instant: Date) => new Date(Math.floor(instant.getTime() / DAY_MS) * DAY_MS);

/**
 * Patrol tracks: start and end, batches of fixes from the phone (idempotent per client fix id,
 * converted to WGS84, flagged on fix time), the worker's own list, reads of a track (others'
 * audited), who is out now, partitions ahead and retention.
 */
export function patrolsService(owner: Database, options: PatrolsOptions) {
  const limits = options.limits ?? DEFAULT_FIX_LIMITS;
  const now = options.now ?? (() => new Date());
  const coverageDistanceM = options.coverageDistanceM ?? DEFAULT_COVERAGE_DISTANCE_M;
  const settler = cellsSettler(owner, { coverageDistanceM, until: () => new Date(now().getTime() + FUTURE_SLACK_MS + 1) });
  /** When the live feed last heard of each patrol (ms), per process. */
  const lastLive = new Map<string, number>();

  const grouped = uploadGroups(
    owner,
    {
      limits,
      spanOf: (patrol) => spanOf(patrol),
      view: patrolView,
      notFound: patrolNotFound,
      announcement: (patrol, latest) => announcement(patrol, latest),
      heard: lastLive,
      trackEnds: new TrackEnds(),
    },
    options.groups ?? (owner.engine === 'pglite' ? { ...DEFAULT_UPLOAD_GROUPS, running: 1 } : DEFAULT_UPLOAD_GROUPS),
  );

  /** The time bounds of `patrol`'s fixes, as every read of them passes them on (repository.ts). */
  const spanOf = (patrol: Pick<PatrolRow, 'id' | 'startedAt'>): PatrolSpan => ({
    id: patrol.id,
    from: earliestFixOf(patrol),
    to: new Date(now().getTime() + FUTURE_SLACK_MS),
  });

  /**
   * The caller's own patrol, locked for the command (see findToWrite), or 404 (another person's
   * patrol is not theirs to write to, in scope or not).
   */
  async function ownPatrol(repository: ReturnType<typeof patrolsRepository>, principal: Principal, id: string) {
    const patrol = await repository.findToWrite(id);
    if (!patrol || patrol.workerId !== principal.accountId) throw patrolNotFound(id);
    return patrol;
  }

  /** The patrol as it leaves the server, read through `db` (the command's transaction). */
  async function summary(db: Queryable, id: string) {
    const row = await patrolsRepository(db).find(id);
    if (!row) throw patrolNotFound(id);
    return patrolView(row, await patrolCellsRepository(db).cellsWalked(id));
  }

  return {
    /** Starts a patrol for the caller, in its own area; a retried start (same client id) gets the same patrol back. */
    async start(principal: Principal, input: { clientId: string; startedAt: Date }) {
      return owner.transaction(async (tx) => {
        const repository = patrolsRepository(tx);
        const existing = await repository.findByClient(principal.accountId, input.clientId);
        if (existing) return { created: false, patrol: await summary(tx, existing.id) };
        const row = await repository.insert({
          id: randomUUID(),
          clientId: input.clientId,
          workerId: principal.accountId,
          workerName: principal.displayName,
          workerRole: principal.role,
          areaCode: principal.scopeCode,
          startedAt: input.startedAt,
        });
        return { created: true, patrol: patrolView(row, 0) };
      });
    },

    /**
     * Stores a batch of the caller's fixes and gaps, in one transaction with the batches waiting
     * beside it (upload-group.ts). A fix already stored is skipped (`duplicates`); one stamped in
     * the future, or more than EARLY_FIX_SLACK_MS before the patrol's start, is refused
     * (`refused`), the rest kept. The live feed hears of the newest valid fix, at most once a
     * second per worker.
     */
    upload: (principal: Principal, patrolId: string, batch: { fixes: FixInput[]; gaps: GapInput[] }) =>
      grouped({ principal, patrolId, batch }),

    /** Ends the caller's patrol; ending it again changes nothing. Late batches are still taken after the end. */
    async end(principal: Principal, patrolId: string, endedAt: Date) {
      return owner.transaction(async (tx) => {
        const repository = patrolsRepository(tx);
        // The settler's turn before the patrol's row, in the settler's own order: the other way
        // round, a settling of this patrol and this end would each wait for the other.
        await settler.waitForTurn(tx);
        const patrol = await ownPatrol(repository, principal, patrolId);
        if (!patrol.endedAt) {
          // The summary the worker sees last counts every cell walked.
          if (patrol.cellsFrom)
            await settler.settle(tx, [{ id: patrol.id, changedAt: patrol.cellsFrom, stamp: patrol.cellsStamp }]);
          await repository.end(patrol.id, endedAt < patrol.startedAt ? patrol.startedAt : endedAt);
          lastLive.delete(patrol.id);
          // The event names the patrol and says it is over: the row read above has all it needs.
          await appendLiveEvent(tx, announcement(patrol, await repository.latestValidFix(spanOf(patrol)), true)!);
        }
        return summary(tx, patrol.id);
      });
    },

    /**
     * Links a report the caller made to its own patrol (a hazard tagged on the way); linking it
     * again changes nothing. The link is filed under the patrol's area, where the track is read.
     */
    async linkReport(principal: Principal, patrolId: string, reportId: string) {
      return owner.transaction(async (tx) => {
        const repository = patrolsRepository(tx);
        const patrol = await ownPatrol(repository, principal, patrolId);
        const cellCode = await repository.ownReportCell(reportId, principal.accountId);
        if (!cellCode)
          throw notFound('report_not_found', { zh: '找不到您的这条上报', en: 'No such report of yours' }, { reportId });
        await repository.linkReport(patrol.id, reportId, patrol.areaCode);
        return { reports: await repository.reportsOf(patrol.id) };
      });
    },

    /** Derives the cells walked of the patrols batches marked since (cells-settler.ts); the server does it every second. */
    settleCells: settler.settleCells,

    /** The caller's own patrols, newest first. */
    async mine(scoped: Queryable, principal: Principal, limit: number) {
      const rows = await patrolsRepository(scoped).ofWorker(principal.accountId, limit);
      const cells = patrolCellsRepository(scoped);
      return Promise.all(rows.map(async (row) => patrolView(row, await cells.cellsWalked(row.id))));
    },

    /**
     * One patrol's track: every fix with its flags, the gaps and the linked reports. The caller's own
     * track, or, with patrols.view, one in its scope (row-level security cuts the rest to 404); a
     * read of someone else's track is written to the audit log.
     */
    async track(scoped: Queryable, context: AuditContext, patrolId: string) {
      const { principal } = context;
      const repository = patrolsRepository(scoped);
      const patrol = await repository.find(patrolId);
      if (!patrol) throw patrolNotFound(patrolId);
      const own = patrol.workerId === principal.accountId;
      if (!own && !can(principal.role, 'patrols.view')) throw patrolNotFound(patrolId);
      const [fixes, gaps, reports, cellsWalked] = await Promise.all([
        repository.fixesFrom(spanOf(patrol), null),
        repository.gapsOf(patrolId),
        repository.reportsOf(patrolId),
        patrolCellsRepository(scoped).cellsWalked(patrolId),
      ]);
      if (!own) {
        await recordRead(owner, context, {
          action: 'patrols.track_read',
          targetType: 'patrol',
          targetId: patrolId,
          scopeCode: patrol.areaCode,
          details: { workerId: patrol.workerId, fixes: fixes.length },
        });
      }
      return { patrol: patrolView(patrol, cellsWalked), fixes: fixes.map(fixView), gaps: gaps.map(gapView), reports };
    },

    /** Workers out now in the caller's scope, each at its latest valid fix; the read is audited (positions of others). */
    async active(scoped: Queryable, context: AuditContext) {
      const at = now().getTime();
      const rows = await patrolsRepository(scoped).active(new Date(at - ACTIVE_SILENCE_MS), new Date(at + FUTURE_SLACK_MS));
      await recordRead(owner, context, {
        action: 'patrols.active_read',
        targetType: 'area',
        targetId: context.principal.scopeCode,
        scopeCode: context.principal.scopeCode,
        details: { patrols: rows.map((row) => row.id) },
      });
      return rows.map(({ lng, lat, ...row }) => ({ ...row, position: [lng, lat] as [number, number] }));
    },

    /**
     * Derives the cells walked (patrol_cells) again for the county days from `from` to `to` from the
     * stored positions, in one transaction: what a bulk insert of fixes (the demo's 30 days of
     * history) calls once at the end. Returns the cell-days written.
     */
    async rebuildCells(range: { from: Date; to: Date }): Promise<number> {
      return owner.transaction((tx) =>
        patrolCellsRepository(tx).rebuildDays(countyDay(range.from), countyDay(range.to), coverageDistanceM),
      );
    },

    /** Creates the day partitions from today to PARTITION_DAYS_AHEAD days on; returns the names created. */
    async ensurePartitions(): Promise<string[]> {
      const repository = patrolsRepository(owner);
      const existing = new Set(await repository.partitions());
      const today = utcDay(now());
      const created: string[] = [];
      for (let ahead = 0; ahead <= PARTITION_DAYS_AHEAD; ahead++) {
        const day = new Date(today.getTime() + ahead * DAY_MS);
        const name = `patrol_positions_${day.toISOString().slice(0, 10).replaceAll('-', '')}`;
        if (existing.has(name)) continue;
        await repository.createPartition(day);
        created.push(name);
      }
      return created;
    },

    /**
     * Removes positions older than the retention period: whole day partitions that end before the
     * cutoff are dropped, what remains before it (the default partition, the cutoff's own day) is
     * deleted row by row, and so are gaps and patrols over by then.
     */
    async applyRetention() {
      const cutoff = new Date(now().getTime() - options.retentionDays * DAY_MS);
      return owner.transaction(async (tx) => {
        const repository = patrolsRepository(tx);
        const dropped: string[] = [];
        for (const name of await repository.partitions()) {
          const day = partitionDay(name);
          if (!day || day.getTime() + DAY_MS > cutoff.getTime()) continue;
          await repository.dropPartition(name);
          dropped.push(name);
        }
        return { cutoff: cutoff.toISOString(), dropped, ...(await repository.deleteBefore(cutoff)) };
      });
    },
  };

  /**
   * What tells the live feed where the patrol is now (its newest valid fix): null when it was told
   * less than a second ago; an end is always told. Appended in the command's transaction: a batch
   * that rolls back is heard of by nobody.
   */
  function announcement(patrol: PatrolRow, latest: FixRow | null, ended = false): NewLiveEvent | null {
    const at = now().getTime();
    if (!ended && at - (lastLive.get(patrol.id) ?? 0) < LIVE_INTERVAL_MS) return null;
    if (!ended) lastLive.set(patrol.id, at);
    return {
      type: 'patrol.moved',
      scopeCode: patrol.areaCode,
      payload: {
        patrol: {
          id: patrol.id,
          workerId: patrol.workerId,
          workerName: patrol.workerName,
          workerRole: patrol.workerRole,
          areaCode: patrol.areaCode,
          startedAt: patrol.startedAt.toISOString(),
          active: !ended && !patrol.endedAt,
        },
        fix: latest
          ? { position: [latest.lng, latest.lat], fixedAt: latest.fixedAt.toISOString(), accuracyM: latest.accuracyM }
          : null,
      },
    };
  }
}

export type PatrolsService = ReturnType<typeof patrolsService>;
