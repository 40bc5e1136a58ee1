import type { ClippedVoronoi } from './clip-voronoi-to-outline';

/** Each seed's final region in the planar subdivision, and who borders whom. */
export interface CellRegions {
  /** Per seed, the rings (vertex ids) of the faces it owns; merge them for its boundary. */
  rings: number[][][];
  /** Per seed, its area in km². */
  areas: number[];
  /** Per seed, each neighbouring seed and the length of their common boundary in km. */
  neighbours: Map<number, number>[];
}

const KEY_BASE = 2 ** 24;

/**
 * Turns the clipped Voronoi faces into cell regions. Where the outline cuts a Voronoi cell into several
 * pieces, only the piece around the seed stays with it; every other piece (a fragment) joins the neighbour it
 * shares the longest boundary with, so cells stay in one piece. Pieces that reach no owned piece (the
 * county's small exclaves, possibly cut into several pieces) go together to the seed of their largest piece.
 */
export function buildCellRegions(clipped: ClippedVoronoi, seedCount: number): CellRegions {
  const { faces, vertices } = clipped;
  const edgeFaces = new Map<number, number[]>();
  const edgeLength = new Map<number, number>();
  faces.forEach((face, faceIndex) => {
    for (const ring of face.rings) {
      ring.forEach((from, index) => {
        const to = ring[(index + 1) % ring.length]!;
        const key = Math.min(from, to) * KEY_BASE + Math.max(from, to);
        let list = edgeFaces.get(key);
        if (!list) {
          list = [];
          edgeFaces.set(key, list);
          edgeLength.set(key, Math.hypot(vertices.xs[to]! - vertices.xs[from]!, vertices.ys[to]! - vertices.ys[from]!));
        }
        list.push(faceIndex);
      });
    }
  });

  const faceNeighbours = faces.map(() => new Map<number, number>());
  for (const [key, list] of edgeFaces) {
    const [first, second] = list;
    if (list.length !== 2 || first === undefined || second === undefined || first === second) continue;
    const length = edgeLength.get(key)!;
    faceNeighbours[first]!.set(second, (faceNeighbours[first]!.get(second) ?? 0) + length);
    faceNeighbours[second]!.set(first, (faceNeighbours[second]!.get(first) ?? 0) + length);
  }

  const owner = faces.map((face) => (face.containsSeed ? face.seed : -1));
  for (let changed = true; changed; ) {
    changed = false;
    faces.forEach((_, faceIndex) => {
      if (owner[faceIndex]! >= 0) return;
      let best = -1;
      let bestLength = 0;
      for (const [neighbour, length] of faceNeighbours[faceIndex]!) {
        if (owner[neighbour]! >= 0 && (length > bestLength || (length === bestLength && neighbour < best))) {
          best = neighbour;
          bestLength = length;
        }
      }
      if (best < 0) return;
      owner[faceIndex] = owner[best]!;
      changed = true;
    });
  }
  // Fragments with no owned neighbour form islands (an exclave cut by Voronoi edges): each island goes whole
  // to the seed of its largest piece, so it is one extra part of one cell, not of several.
  faces.forEach((_, start) => {
    if (owner[start]! >= 0) return;
    const island = [start];
    const inIsland = new Set(island);
    for (let index = 0; index < island.length; index++) {
      for (const neighbour of faceNeighbours[island[index]!]!.keys()) {
        if (owner[neighbour]! >= 0 || inIsland.has(neighbour)) continue;
        inIsland.add(neighbour);
        island.push(neighbour);
      }
    }
    const largest = island.reduce((best, faceIndex) => (faces[faceIndex]!.area > faces[best]!.area ? faceIndex : best));
    for (const faceIndex of island) owner[faceIndex] = faces[largest]!.seed;
  });

  const rings: number[][][] = Array.from({ length: seedCount }, () => []);
  const areas: number[] = new Array(seedCount).fill(0);
  faces.forEach((face, faceIndex) => {
    rings[owner[faceIndex]!]!.push(...face.rings);
    areas[owner[faceIndex]!]! += face.area;
  });
  const neighbours = Array.from({ length: seedCount }, () => new Map<number, number>());
  for (const [key, list] of edgeFaces) {
    const [first, second] = list;
    if (list.length !== 2 || first === undefined || second === undefined) continue;
    const a = owner[first]!;
    const b = owner[second]!;
    if (a === b) continue;
    const length = edgeLength.get(key)!;
    neighbours[a]!.set(b, (neighbours[a]!.get(b) ?? 0) + length);
    neighbours[b]!.set(a, (neighbours[b]!.get(a) ?? 0) + length);
  }
  return { rings, areas, neighbours };
}
