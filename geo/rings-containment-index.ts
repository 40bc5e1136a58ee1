import type { PlaneRing } from './plane-rings';

/** Answers whether a point in the km plane is inside a fixed set of rings (even-odd rule). */
export type ContainmentTest = (x: number, y: number) => boolean;

/**
 * Builds an even-odd point-in-polygon test for many queries against one large set of rings (the county
 * outline has about 1,800 vertices and is queried some 10^6 times while sampling). Edges are bucketed into
 * horizontal bands so that a query only crosses the edges of its own band; the answer is exact, the same as
 * `ringsContain`.
 */
export function createRingsContainmentIndex(rings: readonly PlaneRing[], bandCount = 256): ContainmentTest {
  let minY = Number.POSITIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (const ring of rings) {
    for (let index = 1; index < ring.length; index += 2) {
      minY = Math.min(minY, ring[index]!);
      maxY = Math.max(maxY, ring[index]!);
    }
  }
  const bandHeight = (maxY - minY) / bandCount || 1;
  /** Per band, the edges overlapping it as flat [x1, y1, x2, y2, …]. */
  const bands: number[][] = Array.from({ length: bandCount }, () => []);
  for (const ring of rings) {
    let previousX = ring[ring.length - 2]!;
    let previousY = ring[ring.length - 1]!;
    for (let index = 0; index < ring.length; index += 2) {
      const x = ring[index]!;
      const y = ring[index + 1]!;
      const first = Math.max(0, Math.floor((Math.min(y, previousY) - minY) / bandHeight));
      const last = Math.min(bandCount - 1, Math.floor((Math.max(y, previousY) - minY) / bandHeight));
      for (let band = first; band <= last; band++) bands[band]!.push(previousX, previousY, x, y);
      previousX = x;
      previousY = y;
    }
  }
  return (x, y) => {
    if (!(y >= minY && y <= maxY)) return false;
    const edges = bands[Math.min(bandCount - 1, Math.floor((y - minY) / bandHeight))]!;
    let inside = false;
    for (let index = 0; index < edges.length; index += 4) {
      const x1 = edges[index]!;
      const y1 = edges[index + 1]!;
      const x2 = edges[index + 2]!;
      const y2 = edges[index + 3]!;
      if (y2 > y !== y1 > y && x < x1 + ((y - y1) * (x2 - x1)) / (y2 - y1)) inside = !inside;
    }
    return inside;
  };
}
