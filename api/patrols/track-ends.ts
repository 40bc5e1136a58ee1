import type { FixRow, PatrolRow } from './repository.ts';

/** Where a patrol's track ended after a batch this process stored. */
interface TrackEnd {
  /** The patrol's stamp after that batch: every batch that stores a fix moves it on (settleTotals). */
  stamp: number;
  /** Its newest fix time then (ms), of any flag. */
  lastFixAt: number;
  /** Its newest valid fix then: the anchor of a batch that follows it. */
  latestValid: FixRow | null;
}

/** Patrols remembered at most: a county's workers out at once, many times over. */
const DEFAULT_CAPACITY = 10_000;

/**
 * The end of each patrol's track as this process last stored it, so that a batch which only
 * extends the track (a phone sending what it recorded since its last batch) needs no statement
 * to find its anchor (append-fixes.ts). An end is used only while the patrol's locked row still
 * holds the stamp and newest fix time it was remembered with: a batch stored since (by another
 * process too) moves the stamp on, and the anchor is read from the table again. Ends are
 * remembered only after their transaction committed.
 */
export class TrackEnds {
  private readonly ends = new Map<string, TrackEnd>();

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  /** The end of `patrol`'s track, if remembered and nothing was stored since. */
  of(patrol: Pick<PatrolRow, 'id' | 'cellsStamp' | 'lastFixAt'>): TrackEnd | undefined {
    const end = this.ends.get(patrol.id);
    if (!end || end.stamp !== patrol.cellsStamp || end.lastFixAt !== patrol.lastFixAt?.getTime()) return undefined;
    return end;
  }

  /** Remembers `patrol`'s end (its row as the batch left it), the least recently stored forgotten past the capacity. */
  remember(patrol: Pick<PatrolRow, 'id' | 'cellsStamp' | 'lastFixAt'>, latestValid: FixRow | null): void {
    if (!patrol.lastFixAt) return;
    this.ends.delete(patrol.id);
    this.ends.set(patrol.id, { stamp: patrol.cellsStamp, lastFixAt: patrol.lastFixAt.getTime(), latestValid });
    if (this.ends.size > this.capacity) this.ends.delete(this.ends.keys().next().value!);
  }
}
