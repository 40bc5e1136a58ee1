import { describe, expect, it } from 'vitest';
import type { PlanarVertices } from './clip-voronoi-to-outline';
import { mergeRings, splitAtRepeatedVertices } from './merge-rings';
import { ringSignedArea } from './plane-rings';

/** A 4×4 lattice of vertices, id = row * 4 + column, at (column, row). */
const lattice: PlanarVertices = {
  xs: Array.from({ length: 16 }, (_, id) => id % 4),
  ys: Array.from({ length: 16 }, (_, id) => Math.floor(id / 4)),
};
/** The unit square with lower-left corner at (column, row), counter-clockwise. */
const square = (column: number, row: number): number[] => {
  const id = row * 4 + column;
  return [id, id + 1, id + 5, id + 4];
};
const area = (loop: number[]): number => ringSignedArea(loop.flatMap((id) => [lattice.xs[id]!, lattice.ys[id]!]));

describe('mergeRings', () => {
  it.each([
    { name: 'one square', squares: [[0, 0]], shells: [1], holes: [] },
    {
      name: 'two squares side by side',
      squares: [
        [0, 0],
        [1, 0],
      ],
      shells: [2],
      holes: [],
    },
    {
      name: 'an L of three squares',
      squares: [
        [0, 0],
        [1, 0],
        [0, 1],
      ],
      shells: [3],
      holes: [],
    },
    {
      name: 'two squares touching at a corner',
      squares: [
        [0, 0],
        [1, 1],
      ],
      shells: [1, 1],
      holes: [],
    },
    {
      name: 'two squares apart',
      squares: [
        [0, 0],
        [2, 2],
      ],
      shells: [1, 1],
      holes: [],
    },
    {
      name: 'a ring of eight squares around a hole',
      squares: [
        [0, 0],
        [1, 0],
        [2, 0],
        [0, 1],
        [2, 1],
        [0, 2],
        [1, 2],
        [2, 2],
      ],
      shells: [9],
      holes: [-1],
    },
    {
      name: 'a hole touching the shell at a corner',
      squares: [
        [0, 0],
        [1, 0],
        [2, 0],
        [0, 1],
        [2, 1],
        [2, 2],
        [1, 2],
      ],
      shells: [8],
      holes: [-1],
    },
  ])('merges $name', ({ squares, shells, holes }) => {
    const loops = mergeRings(
      squares.map(([column = 0, row = 0]) => square(column, row)),
      lattice,
    );
    const areas = loops.map(area);
    expect(areas.filter((value) => value > 0).sort()).toEqual(shells);
    expect(areas.filter((value) => value < 0).sort()).toEqual(holes);
    for (const loop of loops) expect(new Set(loop).size).toBe(loop.length);
  });

  it('returns nothing for a square and its reverse', () => {
    expect(mergeRings([square(0, 0), [...square(0, 0)].reverse()], lattice)).toEqual([]);
  });
});

describe('splitAtRepeatedVertices', () => {
  it.each([
    { walk: [1, 2, 3], loops: [[1, 2, 3]] },
    {
      walk: [1, 2, 3, 2, 4, 5],
      loops: [
        [2, 3],
        [1, 2, 4, 5],
      ],
    },
    {
      walk: [1, 2, 3, 1, 4, 5],
      loops: [
        [1, 2, 3],
        [1, 4, 5],
      ],
    },
  ])('splits $walk', ({ walk, loops }) => {
    expect(splitAtRepeatedVertices(walk)).toEqual(loops);
  });
});
