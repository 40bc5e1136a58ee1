/** Which grid each cell is in, and the fixed grid → village → township tree above it. */
export interface CellHierarchy {
  /** Per cell, its grid; the repair changes it. */
  cellGrid: Int32Array;
  /** Per grid, its village. */
  gridVillage: readonly number[];
  /** Per village, its township. */
  villageTownship: readonly number[];
}

type Level = 'township' | 'village' | 'grid';

/**
 * Makes every township, village and grid one connected piece of cells where it can. Cells were assigned by
 * where their seed fell, so near a ragged border a few cells can end up cut off from the rest of their area.
 * Each such detached group joins the neighbouring area it shares the longest border with, preferring one
 * under the same parent (a grid of the same village, then of the same township).
 *
 * A group is left alone when moving it would leave a grid without cells (the counts are fixed) or when it has
 * no neighbour at all (the county's exclaves, which no repair can attach).
 *
 * @param neighbours per cell, each neighbouring cell and their common border in km.
 * @param areas per cell, km²: the piece with the most area is the one that stays.
 * @returns the number of groups moved.
 */
export function repairContiguity(
  hierarchy: CellHierarchy,
  neighbours: readonly ReadonlyMap<number, number>[],
  areas: readonly number[],
  maxPasses = 4,
): number {
  const { cellGrid, gridVillage, villageTownship } = hierarchy;
  const cellCount = cellGrid.length;
  const gridSize = new Int32Array(gridVillage.length);
  for (let cell = 0; cell < cellCount; cell++) gridSize[cellGrid[cell]!]!++;
  const villageOf = (cell: number): number => gridVillage[cellGrid[cell]!]!;
  const townshipOf = (cell: number): number => villageTownship[villageOf(cell)]!;
  const unitOf = (level: Level, cell: number): number => {
    if (level === 'grid') return cellGrid[cell]!;
    if (level === 'village') return villageOf(cell);
    return townshipOf(cell);
  };
  /** Higher is better: a neighbour under the same village, then the same township. */
  const closeness = (level: Level, from: number, to: number): number => {
    if (level === 'township') return 0;
    if (level === 'grid' && villageOf(from) === villageOf(to)) return 2;
    return townshipOf(from) === townshipOf(to) ? 1 : 0;
  };

  let moves = 0;
  for (let pass = 0; pass < maxPasses; pass++) {
    let movedThisPass = 0;
    for (const level of ['township', 'village', 'grid'] as const) {
      const members = new Map<number, number[]>();
      for (let cell = 0; cell < cellCount; cell++) {
        const unit = unitOf(level, cell);
        const list = members.get(unit);
        if (list) list.push(cell);
        else members.set(unit, [cell]);
      }
      for (const [unit, cells] of members) {
        const seen = new Set<number>();
        const components: { cells: number[]; area: number }[] = [];
        for (const start of cells) {
          if (seen.has(start) || unitOf(level, start) !== unit) continue;
          const component = [start];
          seen.add(start);
          for (let index = 0; index < component.length; index++) {
            for (const neighbour of neighbours[component[index]!]!.keys()) {
              if (seen.has(neighbour) || unitOf(level, neighbour) !== unit) continue;
              seen.add(neighbour);
              component.push(neighbour);
            }
          }
          components.push({ cells: component, area: component.reduce((sum, cell) => sum + areas[cell]!, 0) });
        }
        if (components.length < 2) continue;
        components.sort((a, b) => b.area - a.area || a.cells[0]! - b.cells[0]!);
        for (const component of components.slice(1)) {
          const inComponent = new Map<number, number>();
          for (const cell of component.cells) inComponent.set(cellGrid[cell]!, (inComponent.get(cellGrid[cell]!) ?? 0) + 1);
          if ([...inComponent].some(([grid, count]) => gridSize[grid] === count)) continue;
          let target = -1;
          let targetCloseness = -1;
          let targetLength = 0;
          for (const cell of component.cells) {
            for (const [neighbour, length] of neighbours[cell]!) {
              if (unitOf(level, neighbour) === unit) continue;
              const rank = closeness(level, cell, neighbour);
              if (rank > targetCloseness || (rank === targetCloseness && length > targetLength)) {
                target = neighbour;
                targetCloseness = rank;
                targetLength = length;
              }
            }
          }
          if (target < 0) continue;
          const grid = cellGrid[target]!;
          for (const cell of component.cells) {
            gridSize[cellGrid[cell]!]!--;
            cellGrid[cell] = grid;
            gridSize[grid]!++;
          }
          movedThisPass++;
        }
      }
    }
    moves += movedThisPass;
    if (movedThisPass === 0) break;
  }
  return moves;
}
