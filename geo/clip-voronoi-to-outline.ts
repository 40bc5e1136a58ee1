import { type PlaneRing, ringSignedArea, ringsContain } from './plane-rings';
import { createRingsContainmentIndex } from './rings-containment-index';
import { DegenerateVoronoiError, voronoiCells } from './voronoi-cells';

/**
 * Vertex coordinates of a planar subdivision in the km plane, by vertex id. Faces refer to vertices by id, so
 * a vertex shared by two faces is one number pair and both sides of every edge are bit-for-bit the same.
 */
export interface PlanarVertices {
  xs: number[];
  ys: number[];
}

/** One connected piece of a seed's Voronoi cell inside the outline. */
interface VoronoiFace {
  /** Index of the seed whose Voronoi cell this piece belongs to. */
  seed: number;
  /** Rings of vertex ids, open: first the shell (counter-clockwise), then any holes (clockwise). */
  rings: number[][];
  /** Whether the seed itself lies in this piece: the other pieces of a cell are fragments cut off by the outline. */
  containsSeed: boolean;
  /** Area in km², holes subtracted. */
  area: number;
}

export interface ClippedVoronoi {
  vertices: PlanarVertices;
  faces: VoronoiFace[];
}

/** Below this fraction of an edge, a crossing is treated as touching a vertex: too close to call. */
const CROSSING_TOLERANCE = 1e-11;

/**
 * Intersects the Voronoi diagram of `seeds` with the outline and returns the result as a planar subdivision:
 * every piece of every cell is a face whose rings are vertex ids into one shared table.
 *
 * Why not turf.intersect per cell: clipping each cell on its own computes the point where a cell edge meets
 * the outline twice, once per side, and the two results can differ in the last bits, which leaves slivers
 * and breaks the exact union of cells into grids. Here each crossing of a Voronoi edge with an outline edge is
 * computed once and both cells use it (Weiler–Atherton on shared crossings). Voronoi vertices are shared too,
 * so unions can later be taken topologically, by cancelling edges that two faces share.
 *
 * @param seeds flat [x0, y0, …] in km; every seed must lie inside the outline.
 * @param outline polygons of rings (flat, open, km); shells are made counter-clockwise and holes clockwise.
 * @throws DegenerateVoronoiError when a Voronoi vertex or edge touches the outline exactly.
 */
export function clipVoronoiToOutline(seeds: Float64Array, outline: readonly (readonly PlaneRing[])[]): ClippedVoronoi {
  const seedCount = seeds.length / 2;
  const vertices: PlanarVertices = { xs: [], ys: [] };
  const addVertex = (x: number, y: number): number => {
    vertices.xs.push(x);
    vertices.ys.push(y);
    return vertices.xs.length - 1;
  };

  // Outline rings, oriented, their vertices first in the table: segment s runs from vertex s to vertex nextSegment(s).
  const outlineRings: PlaneRing[] = [];
  const ringStart: number[] = [];
  const ringIsShell: boolean[] = [];
  for (const polygon of outline) {
    polygon.forEach((ring, ringIndex) => {
      const isShell = ringIndex === 0;
      const oriented = ringSignedArea(ring) > 0 === isShell ? ring : reverseRing(ring);
      ringStart.push(vertices.xs.length);
      ringIsShell.push(isShell);
      outlineRings.push(oriented);
      for (let index = 0; index < oriented.length; index += 2) addVertex(oriented[index]!, oriented[index + 1]!);
    });
  }
  const segmentCount = vertices.xs.length;
  const segmentRing = new Int32Array(segmentCount);
  ringStart.forEach((start, ring) => {
    const end = ring + 1 < ringStart.length ? ringStart[ring + 1]! : segmentCount;
    segmentRing.fill(ring, start, end);
  });
  const nextSegment = (segment: number): number => {
    const ring = segmentRing[segment]!;
    const end = ring + 1 < ringStart.length ? ringStart[ring + 1]! : segmentCount;
    return segment + 1 < end ? segment + 1 : ringStart[ring]!;
  };
  const insideOutline = createRingsContainmentIndex(outlineRings);

  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (let index = 0; index < segmentCount; index++) {
    minX = Math.min(minX, vertices.xs[index]!);
    maxX = Math.max(maxX, vertices.xs[index]!);
    minY = Math.min(minY, vertices.ys[index]!);
    maxY = Math.max(maxY, vertices.ys[index]!);
  }
  const { delaunay, cells } = voronoiCells(seeds, { minX, minY, maxX, maxY }, vertices, addVertex);

  // Outline segments bucketed on a square grid, to find the ones a Voronoi edge may cross.
  const bucketSize = Math.max((maxX - minX) / 128, (maxY - minY) / 128, 1e-6);
  const bucketColumns = Math.floor((maxX - minX) / bucketSize) + 1;
  const bucketRows = Math.floor((maxY - minY) / bucketSize) + 1;
  const buckets: number[][] = Array.from({ length: bucketColumns * bucketRows }, () => []);
  const column = (x: number): number => Math.max(0, Math.min(bucketColumns - 1, Math.floor((x - minX) / bucketSize)));
  const row = (y: number): number => Math.max(0, Math.min(bucketRows - 1, Math.floor((y - minY) / bucketSize)));
  for (let segment = 0; segment < segmentCount; segment++) {
    const end = nextSegment(segment);
    const x1 = vertices.xs[segment]!;
    const y1 = vertices.ys[segment]!;
    const x2 = vertices.xs[end]!;
    const y2 = vertices.ys[end]!;
    for (let bucketRow = row(Math.min(y1, y2)); bucketRow <= row(Math.max(y1, y2)); bucketRow++) {
      for (let bucketColumn = column(Math.min(x1, x2)); bucketColumn <= column(Math.max(x1, x2)); bucketColumn++) {
        buckets[bucketRow * bucketColumns + bucketColumn]!.push(segment);
      }
    }
  }

  // Crossings of Voronoi edges with outline segments, each computed once. A crossing is a vertex.
  const crossingSegment = new Map<number, number>();
  const crossingAlongSegment = new Map<number, number>();
  const segmentCrossings = new Map<number, number[]>();
  const insideByVertex = new Map<number, boolean>();
  const isInside = (vertex: number): boolean => {
    let inside = insideByVertex.get(vertex);
    if (inside === undefined) {
      inside = insideOutline(vertices.xs[vertex]!, vertices.ys[vertex]!);
      insideByVertex.set(vertex, inside);
    }
    return inside;
  };
  const keyBase = 2 ** 24;
  /** Crossings of each Voronoi edge, ordered from its lower vertex id to its higher one. */
  const edgeCrossings = new Map<number, number[]>();
  const visitStamp = new Int32Array(segmentCount).fill(-1);
  let stamp = 0;
  const crossingsOf = (from: number, to: number): number[] => {
    const low = Math.min(from, to);
    const high = Math.max(from, to);
    const key = low * keyBase + high;
    const known = edgeCrossings.get(key);
    if (known) return from === low ? known : [...known].reverse();
    stamp++;
    const ax = vertices.xs[low]!;
    const ay = vertices.ys[low]!;
    const rx = vertices.xs[high]! - ax;
    const ry = vertices.ys[high]! - ay;
    const found: { vertex: number; along: number }[] = [];
    const boxOutside =
      Math.max(ax, ax + rx) < minX ||
      Math.min(ax, ax + rx) > maxX ||
      Math.max(ay, ay + ry) < minY ||
      Math.min(ay, ay + ry) > maxY;
    if (!boxOutside) {
      for (let bucketRow = row(Math.min(ay, ay + ry)); bucketRow <= row(Math.max(ay, ay + ry)); bucketRow++) {
        for (let bucketColumn = column(Math.min(ax, ax + rx)); bucketColumn <= column(Math.max(ax, ax + rx)); bucketColumn++) {
          for (const segment of buckets[bucketRow * bucketColumns + bucketColumn]!) {
            if (visitStamp[segment] === stamp) continue;
            visitStamp[segment] = stamp;
            const end = nextSegment(segment);
            const px = vertices.xs[segment]!;
            const py = vertices.ys[segment]!;
            const sx = vertices.xs[end]! - px;
            const sy = vertices.ys[end]! - py;
            const denominator = rx * sy - ry * sx;
            if (denominator === 0) continue;
            const qx = px - ax;
            const qy = py - ay;
            const alongEdge = (qx * sy - qy * sx) / denominator;
            const alongSegment = (qx * ry - qy * rx) / denominator;
            if (alongEdge < -CROSSING_TOLERANCE || alongEdge > 1 + CROSSING_TOLERANCE) continue;
            if (alongSegment < -CROSSING_TOLERANCE || alongSegment > 1 + CROSSING_TOLERANCE) continue;
            const nearEnd = (value: number): boolean =>
              Math.abs(value) <= CROSSING_TOLERANCE || Math.abs(1 - value) <= CROSSING_TOLERANCE;
            if (nearEnd(alongEdge) || nearEnd(alongSegment))
              throw new DegenerateVoronoiError('a Voronoi edge touches an outline vertex');
            const vertex = addVertex(px + alongSegment * sx, py + alongSegment * sy);
            crossingSegment.set(vertex, segment);
            crossingAlongSegment.set(vertex, alongSegment);
            let list = segmentCrossings.get(segment);
            if (!list) {
              list = [];
              segmentCrossings.set(segment, list);
            }
            list.push(vertex);
            found.push({ vertex, along: alongEdge });
          }
        }
      }
    }
    found.sort((a, b) => a.along - b.along);
    const crossings = found.map((crossing) => crossing.vertex);
    if ((crossings.length % 2 === 1) !== (isInside(low) !== isInside(high))) {
      throw new DegenerateVoronoiError('crossing parity disagrees with point-in-polygon');
    }
    edgeCrossings.set(key, crossings);
    return from === low ? crossings : [...crossings].reverse();
  };

  // Boundary of each cell as a sequence of nodes: its vertices with the crossings inserted in order.
  const cellNodes = cells.map((cell) => {
    const nodes: number[] = [];
    const isCrossing: boolean[] = [];
    cell.forEach((vertex, index) => {
      nodes.push(vertex);
      isCrossing.push(false);
      for (const crossing of crossingsOf(vertex, cell[(index + 1) % cell.length]!)) {
        nodes.push(crossing);
        isCrossing.push(true);
      }
    });
    return { nodes, isCrossing };
  });
  for (const list of segmentCrossings.values()) list.sort((a, b) => crossingAlongSegment.get(a)! - crossingAlongSegment.get(b)!);
  const crossingRank = new Map<number, number>();
  for (const list of segmentCrossings.values()) {
    list.forEach((crossing, rank) => {
      crossingRank.set(crossing, rank);
    });
  }

  /** Follows the outline forward from a crossing, appending its vertices to `ring`, up to the next crossing. */
  const followOutline = (crossing: number, ring: number[]): number => {
    let segment = crossingSegment.get(crossing)!;
    const list = segmentCrossings.get(segment)!;
    const rank = crossingRank.get(crossing)!;
    if (rank + 1 < list.length) return list[rank + 1]!;
    for (let step = 0; step <= segmentCount; step++) {
      segment = nextSegment(segment);
      ring.push(segment);
      const next = segmentCrossings.get(segment);
      if (next && next.length > 0) return next[0]!;
    }
    throw new DegenerateVoronoiError('outline walk found no crossing');
  };

  const faces: VoronoiFace[] = [];
  const facesBySeed: VoronoiFace[][] = Array.from({ length: seedCount }, () => []);
  const pushFace = (seed: number, rings: number[][]): VoronoiFace => {
    const face: VoronoiFace = { seed, rings, containsSeed: false, area: 0 };
    faces.push(face);
    facesBySeed[seed]!.push(face);
    return face;
  };

  cellNodes.forEach(({ nodes, isCrossing }, seed) => {
    const cell = cells[seed]!;
    if (!isCrossing.includes(true)) {
      if (isInside(cell[0]!)) pushFace(seed, [cell]);
      return;
    }
    // Crossings alternate between entering the outline and leaving it, starting from the first vertex's side.
    const entering: boolean[] = new Array(nodes.length).fill(false);
    const nodeIndex = new Map<number, number>();
    let inside = isInside(cell[0]!);
    for (let index = 0; index < nodes.length; index++) {
      if (!isCrossing[index]) continue;
      inside = !inside;
      entering[index] = inside;
      nodeIndex.set(nodes[index]!, index);
    }
    const visited = new Set<number>();
    nodes.forEach((_, start) => {
      if (!entering[start] || visited.has(start)) return;
      const ring: number[] = [];
      let current = start;
      for (let guard = 0; ; guard++) {
        if (guard > nodes.length) throw new DegenerateVoronoiError(`cell ${seed} does not close`);
        visited.add(current);
        ring.push(nodes[current]!);
        let next = (current + 1) % nodes.length;
        while (!isCrossing[next]) {
          ring.push(nodes[next]!);
          next = (next + 1) % nodes.length;
        }
        ring.push(nodes[next]!);
        const reentry = nodeIndex.get(followOutline(nodes[next]!, ring));
        if (reentry === undefined || !entering[reentry])
          throw new DegenerateVoronoiError(`cell ${seed} leaves through a foreign edge`);
        if (reentry === start) break;
        current = reentry;
      }
      pushFace(seed, [ring]);
    });
  });

  // Outline rings that no Voronoi edge crosses lie wholly inside one cell: islands become faces, holes go in.
  const uncrossedRings = outlineRings
    .map((_, ring) => ring)
    .filter((ring) => {
      const end = ring + 1 < ringStart.length ? ringStart[ring + 1]! : segmentCount;
      for (let segment = ringStart[ring]!; segment < end; segment++) if (segmentCrossings.has(segment)) return false;
      return true;
    });
  const ringIds = (ring: number): number[] => {
    const end = ring + 1 < ringStart.length ? ringStart[ring + 1]! : segmentCount;
    return Array.from({ length: end - ringStart[ring]! }, (_, offset) => ringStart[ring]! + offset);
  };
  const faceCoordinates = (face: VoronoiFace): number[][] =>
    face.rings.map((ring) => ring.flatMap((vertex) => [vertices.xs[vertex]!, vertices.ys[vertex]!]));
  const ownerOf = (ring: number): number => {
    const owner = delaunay.find(vertices.xs[ringStart[ring]!]!, vertices.ys[ringStart[ring]!]!);
    if (owner >= seedCount) throw new Error('an outline ring lies in a guard cell: the guard ring is too close');
    return owner;
  };
  for (const ring of uncrossedRings.filter((candidate) => ringIsShell[candidate])) pushFace(ownerOf(ring), [ringIds(ring)]);
  for (const ring of uncrossedRings.filter((candidate) => !ringIsShell[candidate])) {
    const x = vertices.xs[ringStart[ring]!]!;
    const y = vertices.ys[ringStart[ring]!]!;
    const host = facesBySeed[ownerOf(ring)]!.find((face) => ringsContain(faceCoordinates(face).slice(0, 1), x, y));
    if (!host) throw new DegenerateVoronoiError('an outline hole lies in no face of its cell');
    host.rings.push(ringIds(ring));
  }

  let facesArea = 0;
  for (const face of faces) {
    const coordinates = faceCoordinates(face);
    face.area = coordinates.reduce((sum, ring) => sum + ringSignedArea(ring), 0);
    face.containsSeed = ringsContain(coordinates, seeds[face.seed * 2]!, seeds[face.seed * 2 + 1]!);
    facesArea += face.area;
  }
  const outlineArea = outlineRings.reduce((sum, ring) => sum + ringSignedArea(ring), 0);
  if (Math.abs(facesArea - outlineArea) > 1e-9 * outlineArea) {
    throw new DegenerateVoronoiError(`faces cover ${facesArea} km² of an outline of ${outlineArea} km²`);
  }
  for (let seed = 0; seed < seedCount; seed++) {
    const seedFaces = facesBySeed[seed]!;
    if (seedFaces.length === 0) throw new DegenerateVoronoiError(`seed ${seed} has an empty cell`);
    if (!seedFaces.some((face) => face.containsSeed)) {
      const largest = seedFaces.reduce((best, face) => (face.area > best.area ? face : best));
      largest.containsSeed = true;
    }
  }
  return { vertices, faces };
}

function reverseRing(ring: PlaneRing): number[] {
  const reversed: number[] = [];
  for (let index = ring.length - 2; index >= 0; index -= 2) reversed.push(ring[index]!, ring[index + 1]!);
  return reversed;
}
