import { type FixFlags, type FixLimits, flagFixes, type TrackFix } from '../../geo/flag-fixes.ts';
import type { FixRow, NewFix } from './repository.ts';

// The jump filter as a batch runs it: on fix time, from the batch's anchor on (service.ts, upload).

const trackFixOf = (row: FixRow): TrackFix => ({
  fixedAtMs: row.fixedAt.getTime(),
  position: [row.lng, row.lat],
  accuracyM: row.accuracyM,
});

/** A fix of a batch as the filter reads it, with the datum it came in. */
export type BatchFix = FixRow & { inputDatum: string };

/**
 * The fixes after the batch's anchor, when they are the batch's own and nothing else: nothing lay
 * after the anchor before it (`fixesAfter`), it stored every fix it brought, and no two at one fix
 * time (whose order the database's collation of client ids decides). As stored, in fix-time order,
 * not flagged yet; null when the filter must read them (a late batch, a retry, a tie).
 */
export function batchAlone(fixes: readonly NewFix[], stored: number, fixesAfter: boolean): BatchFix[] | null {
  if (fixesAfter || stored !== fixes.length) return null;
  const sorted = [...fixes].sort((a, b) => a.fixedAt.getTime() - b.fixedAt.getTime());
  if (sorted.some((fix, index) => index > 0 && fix.fixedAt.getTime() === sorted[index - 1]!.fixedAt.getTime())) return null;
  return sorted.map((fix) => ({
    clientFixId: fix.clientFixId,
    fixedAt: fix.fixedAt,
    accuracyM: fix.accuracyM,
    speedMps: fix.speedMps ?? null,
    poorAccuracy: false,
    jump: false,
    lng: fix.position[0],
    lat: fix.position[1],
    inputDatum: fix.inputDatum ?? 'wgs84',
  }));
}

/**
 * Flags the fixes after `anchor` (the last valid fix before the batch's earliest) again: the
 * filter walks in fix time from the anchor, so a late batch that lands in the middle of a track
 * re-decides what follows it. `fixes` are the patrol's fixes from the anchor on (with no anchor,
 * from the batch's earliest on) in fix-time order, read back or, when the batch holds them all,
 * its own (`batchAlone`). Returns the fixes whose flags changed, and the patrol's newest valid fix
 * now (the anchor when nothing after it is valid).
 */
export function reflag(
  fixes: readonly FixRow[],
  anchor: FixRow | null,
  limits: FixLimits,
): { changes: Pick<FixRow, 'clientFixId' | 'fixedAt' | 'poorAccuracy' | 'jump'>[]; latestValid: FixRow | null } {
  const following = anchor ? fixes.filter((fix) => fix.fixedAt > anchor.fixedAt) : fixes;
  const { flags, latestValid } = flagFrom(following, anchor, limits);
  const changes = following.flatMap((fix, index) => {
    const { poorAccuracy, jump } = flags[index]!;
    return poorAccuracy === fix.poorAccuracy && jump === fix.jump
      ? []
      : [{ clientFixId: fix.clientFixId, fixedAt: fix.fixedAt, poorAccuracy, jump }];
  });
  return { changes, latestValid };
}

/**
 * The flags of `following` (the fixes after `anchor`, in fix-time order) as the filter decides
 * them from `anchor` on, and the newest valid fix of them (the anchor when none is valid).
 */
export function flagFrom(
  following: readonly FixRow[],
  anchor: FixRow | null,
  limits: FixLimits,
): { flags: FixFlags[]; latestValid: FixRow | null } {
  const flags = flagFixes(following.map(trackFixOf), anchor ? trackFixOf(anchor) : null, limits);
  const last = flags.findLastIndex((flag) => !flag.poorAccuracy && !flag.jump);
  return { flags, latestValid: last === -1 ? anchor : { ...following[last]!, poorAccuracy: false, jump: false } };
}
