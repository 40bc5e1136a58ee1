import { Delaunay } from 'd3-delaunay';
import type { PlanarVertices } from './clip-voronoi-to-outline';
import { ringSignedArea } from './plane-rings';

/**
 * The seeds were placed so that a Voronoi vertex or edge touches the outline exactly (probability zero for
 * random seeds, but floating point makes it possible). The caller moves the seeds by a hair and tries again.
 */
export class DegenerateVoronoiError extends Error {
  readonly code = 'DEGENERATE_VORONOI';
  constructor(message: string) {
    super(message);
    this.name = 'DegenerateVoronoiError';
  }
}

/** Guard points around the county: they close every real Voronoi cell without touching the outline. */
const GUARD_COUNT = 64;

/** Axis-aligned bounds of the outline in the km plane. */
interface PlaneBounds {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/**
 * The Voronoi cell of every seed as a counter-clockwise ring of vertex ids, its vertices (one per distinct
 * circumcentre) added to the shared table through `addVertex`. The triangulation takes a far ring of guard
 * points around `bounds` as well, so every real cell is closed; the Delaunay is returned to find the seed
 * nearest a point.
 *
 * @param seeds flat [x0, y0, …] in km.
 * @throws DegenerateVoronoiError when seeds are collinear, coincide or lie on the hull.
 */
export function voronoiCells(
  seeds: Float64Array,
  { minX, minY, maxX, maxY }: PlaneBounds,
  vertices: PlanarVertices,
  addVertex: (x: number, y: number) => number,
): { delaunay: Delaunay<Float64Array>; cells: number[][] } {
  const seedCount = seeds.length / 2;
  const centreX = (minX + maxX) / 2;
  const centreY = (minY + maxY) / 2;
  const guardRadius = Math.hypot(maxX - minX, maxY - minY) + 20;
  const points = new Float64Array((seedCount + GUARD_COUNT) * 2);
  points.set(seeds);
  for (let guard = 0; guard < GUARD_COUNT; guard++) {
    const angle = (2 * Math.PI * (guard + 0.5)) / GUARD_COUNT;
    points[(seedCount + guard) * 2] = centreX + guardRadius * Math.cos(angle);
    points[(seedCount + guard) * 2 + 1] = centreY + guardRadius * Math.sin(angle);
  }
  const delaunay = new Delaunay(points);
  const { triangles, halfedges, inedges } = delaunay;

  // Voronoi vertices: one per distinct circumcentre.
  const triangleVertex = new Int32Array(triangles.length / 3).fill(-1);
  const vertexByCoordinates = new Map<string, number>();
  const circumcentreVertex = (triangle: number): number => {
    const known = triangleVertex[triangle]!;
    if (known >= 0) return known;
    const a = triangles[triangle * 3]! * 2;
    const b = triangles[triangle * 3 + 1]! * 2;
    const c = triangles[triangle * 3 + 2]! * 2;
    const ax = points[a]!;
    const ay = points[a + 1]!;
    const dx = points[b]! - ax;
    const dy = points[b + 1]! - ay;
    const ex = points[c]! - ax;
    const ey = points[c + 1]! - ay;
    const twiceCross = 2 * (dx * ey - dy * ex);
    if (twiceCross === 0) throw new DegenerateVoronoiError('collinear seeds');
    const lengthB = dx * dx + dy * dy;
    const lengthC = ex * ex + ey * ey;
    const x = ax + (ey * lengthB - dy * lengthC) / twiceCross;
    const y = ay + (dx * lengthC - ex * lengthB) / twiceCross;
    const key = `${x},${y}`;
    let vertex = vertexByCoordinates.get(key);
    if (vertex === undefined) {
      vertex = addVertex(x, y);
      vertexByCoordinates.set(key, vertex);
    }
    triangleVertex[triangle] = vertex;
    return vertex;
  };

  const cells: number[][] = [];
  for (let seed = 0; seed < seedCount; seed++) {
    const firstEdge = inedges[seed]!;
    if (firstEdge === -1) throw new DegenerateVoronoiError(`seed ${seed} coincides with another`);
    const cell: number[] = [];
    let edge = firstEdge;
    do {
      const vertex = circumcentreVertex(Math.floor(edge / 3));
      if (cell[cell.length - 1] !== vertex) cell.push(vertex);
      edge = edge % 3 === 2 ? edge - 2 : edge + 1;
      if (triangles[edge] !== seed) throw new DegenerateVoronoiError(`broken triangulation around seed ${seed}`);
      edge = halfedges[edge]!;
    } while (edge !== firstEdge && edge !== -1);
    if (edge === -1) throw new DegenerateVoronoiError(`seed ${seed} is on the hull`);
    if (cell.length > 1 && cell[0] === cell[cell.length - 1]) cell.pop();
    const flat = cell.flatMap((vertex) => [vertices.xs[vertex]!, vertices.ys[vertex]!]);
    cells.push(ringSignedArea(flat) >= 0 ? cell : cell.reverse());
  }
  return { delaunay, cells };
}
