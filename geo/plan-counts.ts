import { allocateIntegers } from './allocate-integers';
import { CITY_CENTRE_TOWNSHIP_CODE, CITY_EDGE_TOWNSHIP_CODE, type PresetScope } from './county-presets';
import type { RandomStream } from './seeded-random';

export interface TownshipCounts {
  code: string;
  /** Land weighted by how settled it is, km² (see terrain-density.ts); rural cells are shared by it. */
  settledArea: number;
}

export interface VillageCounts {
  code: string;
  townshipCode: string;
  isCommunity: boolean;
}

/** How many cells each township and village gets, and how those cells fall into grids. */
export interface CountPlan {
  /** Cells per township, in input order. */
  townshipCells: number[];
  /** Cells per village, in input order. */
  villageCells: number[];
  /** Per village, the cell count of each of its grids. */
  gridCells: number[][];
}

/** Share of all cells in each urban township: together about a quarter of the cells, two thirds of them in 壁州街道. */
const URBAN_CELL_SHARE: Readonly<Record<string, number>> = { [CITY_CENTRE_TOWNSHIP_CODE]: 0.16, [CITY_EDGE_TOWNSHIP_CODE]: 0.08 };
/** Grids are about this many cells each (most rural grids hold one village's 10–15 cells). */
const MIN_CELLS_PER_GRID = 8;
const MAX_CELLS_PER_GRID = 25;

/** Relative cell count of a village: city communities are dense, a rural township's seat (its community) is bigger. */
function villageWeight(village: VillageCounts): number {
  if (village.townshipCode === CITY_CENTRE_TOWNSHIP_CODE) return village.isCommunity ? 1.0 : 0.8;
  if (village.townshipCode === CITY_EDGE_TOWNSHIP_CODE) return village.isCommunity ? 3.0 : 1.0;
  return village.isCommunity ? 1.6 : 1.0;
}

/** Cells a grid of this village aims at: urban grids are bigger, as they have more staff per grid. */
function cellsPerGridTarget(village: VillageCounts): number {
  if (village.townshipCode === CITY_CENTRE_TOWNSHIP_CODE) return village.isCommunity ? 20 : 16;
  if (village.townshipCode === CITY_EDGE_TOWNSHIP_CODE) return village.isCommunity ? 20 : 14;
  return village.isCommunity ? 14 : 12;
}

/**
 * Fixes every count of the generated county before any geometry is drawn, so that the totals of the preset
 * (561 grids, 7,709 cells for the full county) hold exactly whatever the shapes turn out to be:
 *
 * - cells per township: the urban townships a fixed share, rural ones in proportion to their settled land;
 * - cells per village: by kind (community or village, urban or rural), with ±25% jitter;
 * - grids per village: in proportion to cells / target grid size, at least one, so that grids hold 8–25 cells
 *   where the totals allow it (the small preset has too few cells for that and gets smaller grids);
 * - cells per grid: an even split with ±20% jitter.
 */
export function planCounts(
  townships: readonly TownshipCounts[],
  villages: readonly VillageCounts[],
  scope: PresetScope,
  random: RandomStream,
): CountPlan {
  const villagesOf = townships.map((township) => villages.filter((village) => village.townshipCode === township.code));
  const urbanCells = townships.map((township) => Math.round((URBAN_CELL_SHARE[township.code] ?? 0) * scope.cellCount));
  // Urban townships get exactly their share; the others split the rest by settled land.
  const ruralTotal = scope.cellCount - urbanCells.reduce((sum, cells) => sum + cells, 0);
  const ruralIndexes = townships.map((_, index) => index).filter((index) => !(townships[index]!.code in URBAN_CELL_SHARE));
  const ruralCells = allocateIntegers(
    ruralTotal,
    ruralIndexes.map((index) => townships[index]!.settledArea),
    { min: ruralIndexes.map((index) => villagesOf[index]!.length * 4) },
  );
  const townshipCells = urbanCells.slice();
  ruralIndexes.forEach((index, rank) => {
    townshipCells[index] = ruralCells[rank]!;
  });

  const villageCells = villages.map(() => 0);
  townships.forEach((township, townshipIndex) => {
    const members = villages.map((_, index) => index).filter((index) => villages[index]!.townshipCode === township.code);
    const shares = allocateIntegers(
      townshipCells[townshipIndex]!,
      members.map((index) => villageWeight(villages[index]!) * random.uniform(0.75, 1.25)),
      { min: Math.min(4, Math.floor(townshipCells[townshipIndex]! / Math.max(1, members.length))) },
    );
    members.forEach((index, rank) => {
      villageCells[index] = shares[rank]!;
    });
  });

  // The smallest grid size (≤ 8) that still lets the preset's grid count fit.
  let minCells = MIN_CELLS_PER_GRID;
  const gridCapacity = (size: number): number =>
    villageCells.reduce((sum, cells) => sum + Math.max(1, Math.floor(cells / size)), 0);
  while (minCells > 1 && gridCapacity(minCells) < scope.gridCount) minCells--;
  const gridCounts = allocateIntegers(
    scope.gridCount,
    villages.map((village, index) => villageCells[index]! / cellsPerGridTarget(village)),
    {
      min: villageCells.map((cells) =>
        Math.max(1, Math.min(Math.ceil(cells / MAX_CELLS_PER_GRID), Math.floor(cells / minCells))),
      ),
      max: villageCells.map((cells) => Math.max(1, Math.floor(cells / minCells))),
    },
  );
  const gridCells = villages.map((_, index) => {
    const cells = villageCells[index]!;
    const grids = gridCounts[index]!;
    return allocateIntegers(
      cells,
      Array.from({ length: grids }, () => random.uniform(0.8, 1.2)),
      { min: Math.min(minCells, Math.floor(cells / grids)), max: Math.max(MAX_CELLS_PER_GRID, Math.ceil(cells / grids)) },
    );
  });
  return { townshipCells, villageCells, gridCells };
}
