/** A cached tile: the encoded bytes, their gzip, and the validator clients revalidate with. */
export interface CachedTile {
  body: Uint8Array;
  gzipped: Uint8Array | null;
  etag: string;
}

/**
 * Least-recently-used tiles in memory. A Map keeps insertion order, so re-inserting on
 * read moves an entry to the young end and the first key is always the oldest.
 */
export class TileCache {
  private readonly entries = new Map<string, CachedTile>();

  constructor(readonly capacity: number) {}

  get(key: string): CachedTile | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  set(key: string, tile: CachedTile): void {
    if (this.capacity === 0) return;
    this.entries.delete(key);
    this.entries.set(key, tile);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}
