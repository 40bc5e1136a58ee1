import { type FixLimits, flagFixes, type TrackFix } from '../../geo/flag-fixes.ts';
import type { FixRow, NewFix } from './repository.ts';

// The jump filter as a batch runs it: on fix time, from the batch's anchor on (service.ts, upload).

const trackFixOf = (row: FixRow): TrackFix => ({
  fixedAtMs: row.fixedAt.getTime(),
  position: [row.lng, row.lat],
  accuracyM: row.accuracyM,
});

/**
 * The fixes after the batch's anchor, when they are the batch's own and nothing else: nothing lay
 * after the anchor before it (`fixesAfter`), it stored every fix it brought, and no two at one fix
 * time (whose order the database's collation of client ids decides). As stored, in fix-time order,
 * not flagged yet; null when the filter must read them (a late batch, a retry, a tie).
 */
export function batchAlone(fixes: readonly NewFix[], stored: number, fixesAfter: boolean): FixRow[] | null {
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
  const flags = flagFixes(following.map(trackFixOf), anchor ? trackFixOf(anchor) : null, limits);
  const flagged = following.map((fix, index) => ({ ...fix, ...flags[index]! }));
  const changes = flagged
    .filter((fix, index) => fix.poorAccuracy !== following[index]!.poorAccuracy || fix.jump !== following[index]!.jump)
    .map((fix) => ({ clientFixId: fix.clientFixId, fixedAt: fix.fixedAt, poorAccuracy: fix.poorAccuracy, jump: fix.jump }));
  const latestValid = flagged.findLast((fix) => !fix.poorAccuracy && !fix.jump) ?? anchor;
  return { changes, latestValid };
}
