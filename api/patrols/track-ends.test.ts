import { describe, expect, it } from 'vitest';
import type { FixRow } from './repository.ts';
import { TrackEnds } from './track-ends.ts';

const fix = (id: string): FixRow => ({
  clientFixId: id,
  fixedAt: new Date('2026-12-05T01:00:00Z'),
  accuracyM: 5,
  speedMps: null,
  poorAccuracy: false,
  jump: false,
  lng: 106.5,
  lat: 31.8,
});
const row = (id: string, cellsStamp: number, lastFixAt: string | null) => ({
  id,
  cellsStamp,
  lastFixAt: lastFixAt ? new Date(lastFixAt) : null,
});

describe('track ends', () => {
  it('tell a patrol’s end only while its row holds the stamp and newest fix time they were remembered with', () => {
    const ends = new TrackEnds();
    ends.remember(row('p', 3, '2026-12-05T01:00:05Z'), fix('a'));
    expect(ends.of(row('p', 3, '2026-12-05T01:00:05Z'))).toEqual({
      stamp: 3,
      lastFixAt: Date.parse('2026-12-05T01:00:05Z'),
      latestValid: fix('a'),
    });
    // A batch stored since (here or by another process) moved the stamp on, or the newest fix.
    expect(ends.of(row('p', 4, '2026-12-05T01:00:05Z'))).toBeUndefined();
    expect(ends.of(row('p', 3, '2026-12-05T01:00:09Z'))).toBeUndefined();
    expect(ends.of(row('q', 3, '2026-12-05T01:00:05Z'))).toBeUndefined();
  });

  it('remember no end of a patrol without fixes, and forget the least recently stored past their capacity', () => {
    const ends = new TrackEnds(2);
    ends.remember(row('empty', 1, null), null);
    expect(ends.of(row('empty', 1, null))).toBeUndefined();
    ends.remember(row('a', 1, '2026-12-05T01:00:00Z'), fix('a'));
    ends.remember(row('b', 1, '2026-12-05T01:00:00Z'), fix('b'));
    ends.remember(row('a', 2, '2026-12-05T01:00:01Z'), fix('a2'));
    ends.remember(row('c', 1, '2026-12-05T01:00:00Z'), fix('c'));
    expect(ends.of(row('b', 1, '2026-12-05T01:00:00Z'))).toBeUndefined();
    expect(ends.of(row('a', 2, '2026-12-05T01:00:01Z'))?.latestValid).toEqual(fix('a2'));
    expect(ends.of(row('c', 1, '2026-12-05T01:00:00Z'))?.latestValid).toEqual(fix('c'));
  });
});
