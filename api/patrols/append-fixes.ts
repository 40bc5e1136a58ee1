import type { FixFlags, FixLimits } from '../../geo/flag-fixes.ts';
import { BinaryCopyRows } from '../db/binary-copy.ts';
import type { Transaction } from '../db/client.ts';
import type { GroupEnd, GroupPatrol, GroupStored, patrolGroupRepository } from './group-repository.ts';
import { type BatchFix, batchAlone, flagFrom } from './reflag.ts';
import type { FixRow, PatrolRow } from './repository.ts';
import type { TrackEnds } from './track-ends.ts';

/** A batch of the group (upload-group.ts) that may be appended: its patrol, its bounds and its fixes in WGS84. */
export interface AppendCandidate {
  patrol: Pick<PatrolRow, 'id' | 'areaCode' | 'cellsStamp' | 'lastFixAt'>;
  span: GroupPatrol['span'];
  fixes: GroupPatrol['fixes'];
}

/** What storeFixes would have told of an appended batch, what the filter made of it, and the distance it adds. */
export interface Appended {
  stored: GroupStored;
  latestValid: FixRow | null;
  /** The valid line from the anchor through the batch's valid fixes, as hex EWKB (empty under two points): its length is the distance the batch adds. */
  validLine: string;
}

const COLUMNS = [
  'patrol_id',
  'client_fix_id',
  'area_code',
  'fixed_at',
  'location',
  'accuracy_m',
  'speed_mps',
  'input_datum',
  'poor_accuracy',
  'jump',
] as const;

/** Bytes of a row of the COPY besides its texts: field count, lengths, time, point, floats and flags. */
const FIXED_ROW_BYTES = 2 + 4 * COLUMNS.length + 8 + 25 + 8 + 8 + 1 + 1;

/**
 * Stores the batches of the group that only extend their track, by one binary COPY, flagged
 * before they are stored: the common case, a phone sending what it recorded since its last
 * batch. A batch qualifies when no fix of its patrol lies after its anchor (the last valid fix
 * before the batch's earliest): then no fix of it can be stored already (a fix is the same fix by
 * client id and time), and the filter walks from the anchor over the batch alone. No two of its
 * fixes may share a fix time either (their order is the database's collation of client ids).
 * Each patrol's row is locked by the group, so nothing else stores its fixes meanwhile. The
 * anchor comes from where this process left the track (track-ends.ts) or, when something else
 * stored fixes since, from the table. The rest go through storeFixes, as every batch does where
 * the engine has no COPY (the embedded database).
 *
 * Measured on 50 million positions, batches of 500 (npm run bench and its PostgreSQL CPU per
 * fix): 10.9 µs executing storeFixes' anti-join INSERT and 1.85 binding its arrays, against
 * 6.4-8.6 for the COPY; with the anchor remembered, no statement is planned to read it (0.85 ms a
 * group), and no line read back for the distance (settleTotals).
 */
export async function appendBatches<Item extends AppendCandidate>(
  tx: Transaction,
  repository: ReturnType<typeof patrolGroupRepository>,
  items: readonly Item[],
  context: { limits: FixLimits; trackEnds: TrackEnds },
): Promise<Map<Item, Appended>> {
  const appended = new Map<Item, Appended>();
  if (!tx.copyIn) return appended;
  // A batch that starts at or before the patrol's newest fix (a retry, a late batch) cannot
  // qualify: that fix lies after its anchor. Its row says so, and nothing is read for it.
  const candidates = items
    .filter((item) => item.fixes.length > 0)
    .map((item) => ({ item, earliest: earliestOf(item.fixes) }))
    .filter(({ item, earliest }) => !item.patrol.lastFixAt || item.patrol.lastFixAt < earliest);
  // Where the track ended after this process's last batch, when nothing was stored since: the
  // newest valid fix then is the batch's anchor, and nothing lies after it.
  const known = new Map<string, GroupEnd>();
  for (const { item } of candidates) {
    const end = context.trackEnds.of(item.patrol);
    if (end) known.set(item.patrol.id, { anchor: end.latestValid, fixesAfter: false });
  }
  const read = await repository.ends(
    candidates
      .filter(({ item }) => !known.has(item.patrol.id))
      .map(({ item, earliest }) => ({ span: item.span, before: earliest })),
  );
  let textBytes = 0;
  const ready: { item: Item; fixes: BatchFix[]; flags: FixFlags[] }[] = [];
  for (const { item } of candidates) {
    const end = known.get(item.patrol.id) ?? read.get(item.patrol.id);
    // The batch in fix-time order, or null on a tie.
    const fixes = end && !end.fixesAfter ? batchAlone(item.fixes, item.fixes.length, false) : null;
    if (!end || !fixes) continue;
    const { flags, latestValid } = flagFrom(fixes, end.anchor, context.limits);
    ready.push({ item, fixes, flags });
    const valid = fixes.filter((_, index) => !flags[index]!.poorAccuracy && !flags[index]!.jump);
    appended.set(item, {
      stored: {
        anchor: end.anchor,
        tailM: 0,
        fixesAfter: false,
        stored: fixes.length,
        storedFrom: fixes[0]!.fixedAt,
        storedTo: fixes.at(-1)!.fixedAt,
      },
      latestValid,
      validLine: lineHex(end.anchor ? [end.anchor, ...valid] : valid),
    });
    const perRow = item.patrol.id.length + item.patrol.areaCode.length;
    for (const fix of fixes) textBytes += perRow + fix.clientFixId.length + fix.inputDatum.length;
  }
  if (ready.length === 0) return appended;
  const fixCount = ready.reduce((sum, { fixes }) => sum + fixes.length, 0);
  // UTF-8 takes at most 3 bytes a UTF-16 unit: one buffer, never grown.
  const rows = new BinaryCopyRows(19 + 2 + fixCount * FIXED_ROW_BYTES + 3 * textBytes);
  for (const { item, fixes, flags } of ready) {
    fixes.forEach((fix, index) => {
      rows
        .row(COLUMNS.length)
        .text(item.patrol.id)
        .text(fix.clientFixId)
        .text(item.patrol.areaCode)
        .timestamptz(fix.fixedAt.getTime())
        .pointWgs84(fix.lng, fix.lat)
        .float8(fix.accuracyM)
        .float8(fix.speedMps ?? null)
        .text(fix.inputDatum)
        .bool(flags[index]!.poorAccuracy)
        .bool(flags[index]!.jump);
    });
  }
  await tx.copyIn('patrol_positions', COLUMNS, rows.end());
  return appended;
}

/** An EWKB line string in WGS84 (SRID 4326) through `points`, as hex; with fewer than two, the empty line. */
function lineHex(points: readonly Pick<FixRow, 'lng' | 'lat'>[]): string {
  const count = points.length < 2 ? 0 : points.length;
  const line = Buffer.allocUnsafe(1 + 4 + 4 + 4 + 16 * count);
  let offset = line.writeUInt8(1, 0); // little-endian
  offset = line.writeUInt32LE(EWKB_LINE_WITH_SRID, offset);
  offset = line.writeUInt32LE(4326, offset);
  offset = line.writeUInt32LE(count, offset);
  for (let index = 0; index < count; index++) {
    offset = line.writeDoubleLE(points[index]!.lng, offset);
    offset = line.writeDoubleLE(points[index]!.lat, offset);
  }
  return line.toString('hex');
}

const EWKB_LINE_WITH_SRID = 0x20000002;

const earliestOf = (fixes: AppendCandidate['fixes']) => new Date(Math.min(...fixes.map((fix) => fix.fixedAt.getTime())));
