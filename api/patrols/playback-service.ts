import { encodeTrack } from '../../geo/encode-track.ts';
import { findStops } from '../../geo/find-stops.ts';
import { simplifyTrack } from '../../geo/simplify-track.ts';
import { type TimedTrack, timedTrackLength } from '../../geo/timed-track.ts';
import { type AuditContext, recordRead } from '../audit/service.ts';
import { can } from '../auth/permissions.ts';
import type { Database, Queryable } from '../db/client.ts';
import { badRequest, notFound } from '../errors.ts';
import { type PlaybackGapRow, type PlaybackPatrolRow, type PlaybackWindow, playbackRepository } from './playback-repository.ts';

/**
 * The county's day: Asia/Shanghai, UTC+8 all year (no daylight saving since 1991), so a day is
 * 16:00 UTC of the day before to 16:00 UTC, and it spans two of the positions table's UTC partitions.
 */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;
/** Douglas–Peucker tolerance for drawing, metres: a few metres, under a phone's GPS error. */
const DRAW_TOLERANCE_M = 3;
/** Bytes a fix takes in the packed rows (api/patrols/playback-repository.ts): three int4s. */
const FIX_BYTES = 12;

/** The bounds of `day` (YYYY-MM-DD) in Asia/Shanghai. */
export function shanghaiDayBounds(day: string): { from: Date; to: Date } {
  const from = new Date(Date.parse(`${day}T00:00:00Z`) - SHANGHAI_OFFSET_MS);
  return { from, to: new Date(from.getTime() + DAY_MS) };
}

/** Today in Asia/Shanghai, YYYY-MM-DD. */
export function shanghaiToday(now: Date): string {
  return new Date(now.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** Unpacks one patrol's 12-byte fixes into fix-time order (the database packs them unordered; ties keep their order). */
function unpack(bytes: Uint8Array): TimedTrack {
  const count = Math.floor(bytes.byteLength / FIX_BYTES);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const millis = new Int32Array(count);
  let sorted = true;
  for (let index = 0; index < count; index++) {
    millis[index] = view.getInt32(index * FIX_BYTES + 8);
    if (index > 0 && millis[index]! < millis[index - 1]!) sorted = false;
  }
  const order = Int32Array.from({ length: count }, (_, index) => index);
  if (!sorted) order.sort((a, b) => millis[a]! - millis[b]! || a - b);
  const track: TimedTrack = { lngE6: new Int32Array(count), latE6: new Int32Array(count), seconds: new Int32Array(count) };
  for (let index = 0; index < count; index++) {
    const at = order[index]! * FIX_BYTES;
    track.lngE6[index] = view.getInt32(at);
    track.latE6[index] = view.getInt32(at + 4);
    track.seconds[index] = Math.floor(millis[order[index]!]! / 1000);
  }
  return track;
}

const secondsInto = (iso: string, from: Date) =>
  Math.max(0, Math.min(DAY_MS / 1000, Math.round((Date.parse(iso) - from.getTime()) / 1000)));

/** A worker's day as playback sends it. */
interface WorkerDay {
  workerId: string;
  workerName: string;
  workerRole: string;
  areaCode: string;
  /** Metres along the valid fixes (full resolution, not the drawn simplification), per patrol summed. */
  distanceM: number;
  /** Seconds from the first to the last valid fix of each patrol that day, summed. */
  durationS: number;
  /** Valid fixes read, before simplification. */
  fixes: number;
  tracks: { patrolId: string; points: number[] }[];
  stops: { position: [number, number]; fromS: number; toS: number }[];
  gaps: { patrolId: string; fromS: number; toS: number; cause: string }[];
}

/**
 * A day's playback of an area: per worker, the day's valid fixes (no jump, no poor accuracy)
 * simplified for drawing and delta-encoded (geo/encode-track.ts), the stops, distance, duration
 * and the gaps the phone explained. Readers with patrols.view see everyone's in their scope (the
 * database cuts it); anyone else only their own. A read that returns someone else's track is one
 * audit row naming the area, the day and the workers.
 */
export function playbackService(owner: Database) {
  return {
    async day(
      scoped: Queryable,
      context: AuditContext,
      request: { day: string | null; areaCode: string | null; workerIds: readonly string[] | null; now: Date },
    ) {
      const { principal } = context;
      if (request.day !== null) existingDay(request.day);
      const areaCode = areaInScope(request.areaCode, principal.scopeCode);
      const viewer = can(principal.role, 'patrols.view');
      const workerIds = viewer ? request.workerIds : [principal.accountId];
      const repository = playbackRepository(scoped);
      const day = request.day ?? (await latestDay(repository, { areaCode, workerIds }, request.now));
      const { from, to } = shanghaiDayBounds(day);
      const window: PlaybackWindow = { areaCode, from, to, workerIds };
      const rows = await repository.patrols(window);
      // The audit row and the gaps are written and read at once, and the tracks are drawn while
      // they are on their way (a few ms of CPU for a worker's day): the audit row's commit waits
      // for the disk, and drawing after it made a worker's playback the read plus both.
      const others = [...new Set(rows.map((row) => row.workerId))].filter((id) => id !== principal.accountId);
      const audited =
        others.length > 0
          ? recordRead(owner, context, {
              action: 'patrols.playback_read',
              targetType: 'area',
              targetId: areaCode,
              scopeCode: areaCode,
              details: { day, workers: others.length, workerIds: others },
            })
          : Promise.resolve();
      const gaps = repository.gaps(
        window,
        rows.map((row) => row.patrolId),
      );
      const drawn = afterSending(() => drawDays(rows));
      const [gapRows, , days] = await Promise.all([gaps, audited, drawn]);
      const workers = withGaps(days, gapRows, from);
      return {
        day,
        timeZone: 'Asia/Shanghai' as const,
        dayStart: from.toISOString(),
        areaCode,
        toleranceM: DRAW_TOLERANCE_M,
        workers,
      };
    },
  };
}

/** Refuses a day (YYYY-MM-DD) that the calendar does not have, such as 2026-02-30. */
function existingDay(day: string): void {
  const { from } = shanghaiDayBounds(day);
  if (Number.isNaN(from.getTime()) || new Date(from.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10) !== day)
    throw badRequest('invalid_day', { zh: `日期不存在：${day}`, en: `No such day: ${day}` }, { day });
}

/**
 * The county day to open on when none is asked for: the latest with a track the reader may see
 * in the area (today when today has one), or today when there is none at all. Night and early
 * morning, today is empty until the workers go out; opening on it showed an empty map.
 */
async function latestDay(
  repository: ReturnType<typeof playbackRepository>,
  scope: Pick<PlaybackWindow, 'areaCode' | 'workerIds'>,
  now: Date,
): Promise<string> {
  const today = shanghaiToday(now);
  const latest = await repository.latestDrawnFixAt(scope, shanghaiDayBounds(today).to);
  return latest ? shanghaiToday(new Date(latest)) : today;
}

/**
 * The area to read: the one asked for when it lies in the reader's scope, the scope itself when
 * none is asked or a wider one is (the reader sees no more than its scope either way), 404 otherwise.
 */
function areaInScope(requested: string | null, scopeCode: string): string {
  if (!requested || scopeCode.startsWith(requested)) return scopeCode;
  if (requested.startsWith(scopeCode)) return requested;
  throw notFound(
    'area_not_found',
    { zh: '找不到该区域，或不在您的范围内', en: 'No such area in your scope' },
    { code: requested },
  );
}

/**
 * Runs `work` on a later turn of the event loop: the statements just issued are written to their
 * connections first (their promises' next steps run before it), so that CPU work here overlaps
 * their round trips instead of holding them back.
 */
function afterSending<T>(work: () => T): Promise<T> {
  return new Promise((resolve, reject) =>
    setImmediate(() => {
      try {
        resolve(work());
      } catch (error) {
        reject(error);
      }
    }),
  );
}

/** Each worker's day without its gaps (in the rows' order), and the worker of each patrol drawn (none for a patrol without a fix). */
function drawDays(rows: readonly PlaybackPatrolRow[]): { workers: WorkerDay[]; byPatrol: Map<string, WorkerDay> } {
  const byPatrol = new Map<string, WorkerDay>();
  const byWorker = new Map<string, WorkerDay>();
  for (const row of rows) {
    const track = unpack(row.fixes);
    if (track.seconds.length === 0) continue;
    let worker = byWorker.get(row.workerId);
    if (!worker) {
      worker = {
        workerId: row.workerId,
        workerName: row.workerName,
        workerRole: row.workerRole,
        areaCode: row.areaCode,
        distanceM: 0,
        durationS: 0,
        fixes: 0,
        tracks: [],
        stops: [],
        gaps: [],
      };
      byWorker.set(row.workerId, worker);
    }
    byPatrol.set(row.patrolId, worker);
    const last = track.seconds.length - 1;
    worker.distanceM += timedTrackLength(track);
    worker.durationS += track.seconds[last]! - track.seconds[0]!;
    worker.fixes += track.seconds.length;
    worker.tracks.push({ patrolId: row.patrolId, points: encodeTrack(track, simplifyTrack(track, DRAW_TOLERANCE_M)) });
    for (const stop of findStops(track)) {
      worker.stops.push({ position: [stop.lngE6 / 1e6, stop.latE6 / 1e6], fromS: stop.fromS, toS: stop.toS });
    }
  }
  return { workers: [...byWorker.values()], byPatrol };
}

/** The gaps of each patrol drawn, on its worker's day (in the gaps' order: by patrol, then start), and distances rounded to 0.1 m. */
function withGaps(days: ReturnType<typeof drawDays>, gaps: readonly PlaybackGapRow[], from: Date): WorkerDay[] {
  for (const gap of gaps) {
    days.byPatrol.get(gap.patrolId)?.gaps.push({
      patrolId: gap.patrolId,
      fromS: secondsInto(gap.startedAt, from),
      toS: secondsInto(gap.endedAt, from),
      cause: gap.cause,
    });
  }
  return days.workers.map((worker) => ({ ...worker, distanceM: Math.round(worker.distanceM * 10) / 10 }));
}

export type PlaybackService = ReturnType<typeof playbackService>;
