import { describe, expect, it } from 'vitest';
import { clipVoronoiToOutline } from './clip-voronoi-to-outline';
import { mergeRings } from './merge-rings';
import { ringSignedArea, ringsContain } from './plane-rings';
import { createRandomStream } from './seeded-random';
import { DegenerateVoronoiError } from './voronoi-cells';

/** An L-shaped county (km) with a square hole, and a small island to its east. */
const outline = [
  [
    [0, 0, 10, 0, 10, 4, 4, 4, 4, 10, 0, 10],
    [1, 1, 1, 2, 2, 2, 2, 1],
  ],
  [[12, 0, 13, 0, 13, 1, 12, 1]],
];
const outlineArea = 10 * 4 + 4 * 6 - 1 + 1;

function seedsInside(count: number, seed: number): Float64Array {
  const random = createRandomStream(seed);
  const seeds: number[] = [];
  while (seeds.length < count * 2) {
    const x = random.uniform(0, 10);
    const y = random.uniform(0, 10);
    if (ringsContain(outline[0]!, x, y)) seeds.push(x, y);
  }
  return Float64Array.from(seeds);
}

describe('clipVoronoiToOutline', () => {
  it.each([
    [5, 1],
    [40, 2],
    [300, 3],
  ])('tiles the outline exactly with the cells of %d seeds (seed %d)', (count, seed) => {
    const seeds = seedsInside(count, seed);
    const { faces, vertices } = clipVoronoiToOutline(seeds, outline);
    const total = faces.reduce((sum, face) => sum + face.area, 0);
    expect(total).toBeCloseTo(outlineArea, 9);
    for (let index = 0; index < count; index++) expect(faces.some((face) => face.seed === index && face.containsSeed)).toBe(true);

    // Every face is counter-clockwise and the union of all faces is the outline itself, edge for edge.
    for (const face of faces)
      expect(ringSignedArea(face.rings[0]!.flatMap((id) => [vertices.xs[id]!, vertices.ys[id]!]))).toBeGreaterThan(0);
    const boundary = mergeRings(
      faces.flatMap((face) => face.rings),
      vertices,
    ).map((loop) => ringSignedArea(loop.flatMap((id) => [vertices.xs[id]!, vertices.ys[id]!])));
    expect(boundary.sort((a, b) => a - b)).toEqual([expect.closeTo(-1, 9), expect.closeTo(1, 9), expect.closeTo(64, 9)]);
  });

  it('gives an island no seed reaches to the cell whose Voronoi region holds it', () => {
    const { faces } = clipVoronoiToOutline(Float64Array.from([2, 8.5, 8, 2]), outline);
    const island = faces.find((face) => !face.containsSeed);
    expect(island?.seed).toBe(1);
    expect(island?.area).toBeCloseTo(1, 12);
  });

  it('reports a Voronoi edge through an outline vertex as degenerate, for the caller to nudge the seeds', () => {
    // The bisector of (2, 8) and (8, 2) is the line y = x, through the outline's corners (0, 0) and (4, 4).
    expect(() => clipVoronoiToOutline(Float64Array.from([2, 8, 8, 2]), outline)).toThrow(DegenerateVoronoiError);
  });
});
