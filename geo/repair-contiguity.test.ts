import { describe, expect, it } from 'vitest';
import { repairContiguity } from './repair-contiguity';

/** Cells 0…n-1 in a row, each bordering the next along 1 km. */
function row(count: number): Map<number, number>[] {
  return Array.from({ length: count }, (_, cell) => {
    const neighbours = new Map<number, number>();
    if (cell > 0) neighbours.set(cell - 1, 1);
    if (cell < count - 1) neighbours.set(cell + 1, 1);
    return neighbours;
  });
}

describe('repairContiguity', () => {
  it.each([
    {
      case: 'a stray cell joins the grid around it',
      cellGrid: [0, 0, 1, 0, 1, 1],
      gridVillage: [0, 0],
      villageTownship: [0],
      expected: [0, 0, 1, 1, 1, 1],
      moves: 1,
    },
    {
      case: 'a detached tail of a village goes to the neighbouring village',
      cellGrid: [0, 0, 1, 0],
      gridVillage: [0, 1],
      villageTownship: [0, 0],
      expected: [0, 0, 1, 1],
      moves: 1,
    },
    {
      case: 'nothing moves when every area is in one piece',
      cellGrid: [0, 0, 1, 1, 2, 2],
      gridVillage: [0, 0, 1],
      villageTownship: [0, 0],
      expected: [0, 0, 1, 1, 2, 2],
      moves: 0,
    },
    {
      case: 'a piece that is a whole grid stays, since moving it would leave the grid empty',
      cellGrid: [0, 1, 2],
      gridVillage: [0, 1, 0],
      villageTownship: [0, 0],
      expected: [0, 1, 2],
      moves: 0,
    },
  ])('$case', ({ cellGrid, gridVillage, villageTownship, expected, moves }) => {
    const hierarchy = { cellGrid: Int32Array.from(cellGrid), gridVillage, villageTownship };
    const areas = cellGrid.map(() => 1);
    expect(repairContiguity(hierarchy, row(cellGrid.length), areas)).toBe(moves);
    expect([...hierarchy.cellGrid]).toEqual(expected);
  });
});
