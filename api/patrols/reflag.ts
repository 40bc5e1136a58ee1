import { type FixLimits, flagFixes, type TrackFix } from '../../geo/flag-fixes.ts';
import type { FixRow, NewFix, PatrolSpan, patrolsRepository } from './repository.ts';

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
 * re-decides what follows it (with no anchor, every fix from the batch's earliest on). Returns the
 * fix times whose flags changed, and the patrol's newest valid fix now (the anchor when nothing
 * after it is valid): every fix after the anchor has just been read. `known` are the fixes after
 * the anchor in fix-time order when the batch already holds them all (see `upload`): then they
 * are not read back.
 */
export async function reflag(
  repository: ReturnType<typeof patrolsRepository>,
  patrol: PatrolSpan,
  { anchor, earliest, known }: { anchor: FixRow | null; earliest: Date; known: FixRow[] | null },
  limits: FixLimits,
): Promise<{ changedAt: number[]; latestValid: FixRow | null }> {
  const fixes = known ?? (await repository.fixesFrom(patrol, anchor ? anchor.fixedAt : earliest));
  const following = anchor ? fixes.filter((fix) => fix.fixedAt > anchor.fixedAt) : fixes;
  const flags = flagFixes(following.map(trackFixOf), anchor ? trackFixOf(anchor) : null, limits);
  const flagged = following.map((fix, index) => ({ ...fix, ...flags[index]! }));
  const changes = flagged
    .filter((fix, index) => fix.poorAccuracy !== following[index]!.poorAccuracy || fix.jump !== following[index]!.jump)
    .map((fix) => ({ clientFixId: fix.clientFixId, fixedAt: fix.fixedAt, poorAccuracy: fix.poorAccuracy, jump: fix.jump }));
  await repository.updateFlags(patrol, changes);
  const latestValid = flagged.findLast((fix) => !fix.poorAccuracy && !fix.jump) ?? anchor;
  return { changedAt: changes.map((change) => change.fixedAt.getTime()), latestValid };
}
