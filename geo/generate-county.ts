import type { MultiPolygon, Position } from 'geojson';
import { allocateIntegers } from './allocate-integers';
import { compareCodes, townshipKindOfCode } from './area-codes';
import { assembleMultiPolygon } from './assemble-multipolygon';
import { buildCellRegions } from './cell-regions';
import { cleanOutline } from './clean-outline';
import { type ClippedVoronoi, clipVoronoiToOutline } from './clip-voronoi-to-outline';
import {
  CITY_CENTRE_TOWNSHIP_CODE,
  CITY_EDGE_TOWNSHIP_CODE,
  COUNTY_PRESETS,
  COUNTY_SEAT,
  type CountyPreset,
  URBAN_TOWNSHIP_CODES,
} from './county-presets';
import { labelPoint, roundDegrees } from './label-point';
import { mergeRings } from './merge-rings';
import { partitionTownships, type TownshipRegions } from './partition-townships';
import { placeHouseholds, type SettlementPattern } from './place-households';
import { planCounts } from './plan-counts';
import { createPlaneProjection, type PlaneProjection } from './plane-projection';
import { type PlaneRing, ringSignedArea, ringsBounds } from './plane-rings';
import { repairContiguity } from './repair-contiguity';
import { type ContainmentTest, createRingsContainmentIndex } from './rings-containment-index';
import { type Settlement, seedCells } from './seed-cells';
import { createRandomStream, type RandomStream } from './seeded-random';
import { selectPresetScope } from './select-preset-scope';
import { staffCounty } from './staff-county';
import { createTerrainDensity } from './terrain-density';
import type {
  AreaKind,
  AreaLevel,
  Department,
  GeneratedArea,
  GeneratedCounty,
  GeneratedHousehold,
  ReferenceCounty,
} from './types';
import { DegenerateVoronoiError } from './voronoi-cells';

export interface GenerateCountyOptions {
  /** Any integer; the same seed and preset give the same county, byte for byte under JSON.stringify. */
  seed: number;
  preset: CountyPreset;
  /** The departments whose cadres are placed in grids; not geometry, so the caller owns the list. */
  departments: readonly Department[];
}

/**
 * Residents per household, 1 to 6, with these weights: mean 2.88, so 250,000 households hold about 720,000
 * people, as in Tongjiang (about 2.9 per household in the census).
 */
const RESIDENT_WEIGHTS = [0.18, 0.27, 0.23, 0.18, 0.09, 0.05];
/** An informant keeps in touch with 20–45 households. */
const MIN_HOUSEHOLDS_PER_CELL = 20;
const MAX_HOUSEHOLDS_PER_CELL = 45;

/** Typical households per cell, by where the cell is: dense city blocks, market towns, villages. */
function householdWeight(townshipCode: string, isCommunity: boolean): number {
  if (townshipCode === CITY_CENTRE_TOWNSHIP_CODE) return isCommunity ? 43 : 30;
  if (townshipCode === CITY_EDGE_TOWNSHIP_CODE) return isCommunity ? 40 : 30;
  return isCommunity ? 36 : 27;
}

function settlementPattern(townshipCode: string, isCommunity: boolean): SettlementPattern {
  if (!isCommunity) return 'rural';
  return URBAN_TOWNSHIP_CODES.has(townshipCode) ? 'urban' : 'town';
}

/** A synthetic door address: 王坪村3组12号 in a village, 城南社区3栋102室 (building, floor, door) in a community. */
function householdAddress(villageName: string, isCommunity: boolean, cellOrdinal: number, index: number): string {
  if (!isCommunity) return `${villageName}${cellOrdinal}组${index + 1}号`;
  const floor = Math.floor(index / 4) + 1;
  const door = (index % 4) + 1;
  return `${villageName}${cellOrdinal}栋${floor}${String(door).padStart(2, '0')}室`;
}

/**
 * Where each township's people gather: the city around the county seat for 壁州街道, the side of 诺江镇 that
 * faces it (the city spills over), and for a rural township the spot nearest its centre, its market town.
 */
function settlementOf(townshipCode: string, townshipIndex: number, regions: TownshipRegions, seat: [number, number]): Settlement {
  const own = regions.samples[townshipIndex]!;
  const nearestOwnSample = (x: number, y: number): [number, number] => {
    let best: [number, number] = [x, y];
    let bestDistance = Number.POSITIVE_INFINITY;
    for (let sample = 0; sample < own.length / 2; sample++) {
      const distance = (own[sample * 2]! - x) ** 2 + (own[sample * 2 + 1]! - y) ** 2;
      if (distance < bestDistance) {
        bestDistance = distance;
        best = [own[sample * 2]!, own[sample * 2 + 1]!];
      }
    }
    return best;
  };
  const [siteX, siteY] = regions.sites[townshipIndex]!;
  if (townshipCode === CITY_CENTRE_TOWNSHIP_CODE) return { seat, spread: 1.3, share: 0.8 };
  if (townshipCode === CITY_EDGE_TOWNSHIP_CODE) {
    const towardSeat = nearestOwnSample(seat[0] + 0.35 * (siteX - seat[0]), seat[1] + 0.35 * (siteY - seat[1]));
    return { seat: towardSeat, spread: 1.2, share: 0.4 };
  }
  return { seat: nearestOwnSample(siteX, siteY), spread: 0.5, share: 0.12 };
}

/** Clips the Voronoi diagram, moving the seeds by a millimetre and retrying in the (unlikely) degenerate case. */
function clipWithRetry(
  seeds: Float64Array,
  outline: readonly (readonly PlaneRing[])[],
  inside: ContainmentTest,
  random: RandomStream,
): ClippedVoronoi {
  for (let attempt = 0; ; attempt++) {
    try {
      return clipVoronoiToOutline(seeds, outline);
    } catch (error) {
      if (!(error instanceof DegenerateVoronoiError) || attempt >= 5) throw error;
      for (let index = 0; index < seeds.length; index += 2) {
        const x = seeds[index]! + random.uniform(-1e-6, 1e-6);
        const y = seeds[index + 1]! + random.uniform(-1e-6, 1e-6);
        if (!inside(x, y)) continue;
        seeds[index] = x;
        seeds[index + 1] = y;
      }
    }
  }
}

/**
 * Groups the cells by grid and the grids by village, each list in reading order of the seeds (north to south,
 * then west to east), which is the order their codes are given in: 第1网格 is a village's northernmost grid.
 */
function orderByPosition(
  seeds: Float64Array,
  cellGrid: Int32Array,
  gridVillage: readonly number[],
  villageCount: number,
): { cellsOfGrid: number[][]; gridsOfVillage: number[][] } {
  const readingOrder = (a: readonly [number, number], b: readonly [number, number]): number => b[1] - a[1] || a[0] - b[0];
  const seedAt = (seed: number): [number, number] => [seeds[seed * 2]!, seeds[seed * 2 + 1]!];
  const cellsOfGrid: number[][] = gridVillage.map(() => []);
  cellGrid.forEach((grid, seed) => {
    cellsOfGrid[grid]!.push(seed);
  });
  for (const cells of cellsOfGrid) cells.sort((a, b) => readingOrder(seedAt(a), seedAt(b)) || a - b);
  const gridCentre = cellsOfGrid.map((cells): [number, number] => {
    let sumX = 0;
    let sumY = 0;
    for (const seed of cells) {
      sumX += seeds[seed * 2]!;
      sumY += seeds[seed * 2 + 1]!;
    }
    return [sumX / cells.length, sumY / cells.length];
  });
  const gridsOfVillage: number[][] = Array.from({ length: villageCount }, () => []);
  gridVillage.forEach((village, grid) => {
    gridsOfVillage[village]!.push(grid);
  });
  for (const grids of gridsOfVillage) grids.sort((a, b) => readingOrder(gridCentre[a]!, gridCentre[b]!) || a - b);
  return { cellsOfGrid, gridsOfVillage };
}

/** Rings of a generated geometry back in the km plane, without the closing positions. */
function toPlaneRings(geometry: MultiPolygon, projection: PlaneProjection): number[][] {
  return geometry.coordinates.flatMap((polygon) =>
    polygon.map((ring) => ring.slice(0, -1).flatMap((position) => projection.toPlane(position))),
  );
}

/**
 * Generates the whole synthetic county inside the real Tongjiang outline, deterministically from a seed.
 *
 * Real: the outline, the townships' and villages' codes and names. Synthetic: every boundary below the county,
 * the grids and cells, households and people. How it is made:
 *
 * 1. The outline is cleaned (clean-outline.ts) and moved to a local km plane (plane-projection.ts).
 * 2. Townships are laid out on uniform samples of the outline: the urban core (壁州街道 on the seat, 诺江镇
 *    beside it) grown around fixed centres, the rural townships (60–200 km²) as a capacity-constrained
 *    Voronoi tessellation (partition-townships.ts).
 * 3. All counts are fixed up front (plan-counts.ts); cell seeds are then placed top-down by nested
 *    capacity-constrained Voronoi tessellations of settlement-density samples: dense in the city, sparse in
 *    the mountains (seed-cells.ts).
 * 4. Cells are the Voronoi cells of the seeds clipped to the outline, as one planar subdivision with shared
 *    vertices (clip-voronoi-to-outline.ts); fragments go to neighbours (cell-regions.ts) and detached groups
 *    are re-attached (repair-contiguity.ts).
 * 5. Every grid, village, township and the county is the exact union of its children, by cancelling shared
 *    edges (merge-rings.ts); coordinates are rounded once per vertex to 1e-7° (assemble-multipolygon.ts).
 * 6. Households are placed inside their cells (place-households.ts); the network is staffed (staff-county.ts).
 *
 * Areas come out county first, then by level and code; households by code; people by role and area code.
 */
export function generateCounty(reference: ReferenceCounty, options: GenerateCountyOptions): GeneratedCounty {
  const scope = COUNTY_PRESETS[options.preset];
  const stream = (name: string): RandomStream => createRandomStream(options.seed, name);
  const { townships, villages } = selectPresetScope(reference, options.preset);
  const townshipIndex = new Map(townships.map((township, index) => [township.code, index]));
  const isCommunity = villages.map((village) => village.name.endsWith('社区'));
  const villageTownship = villages.map((village) => townshipIndex.get(village.townshipCode)!);

  // The outline in the km plane.
  const outline = cleanOutline(reference.outline);
  const projection = createPlaneProjection(COUNTY_SEAT);
  const planeOutline = outline.coordinates.map((polygon) =>
    polygon.map((ring) => ring.slice(0, -1).flatMap((position) => projection.toPlane(position))),
  );
  const outlineRings = planeOutline.flat();
  const inside = createRingsContainmentIndex(outlineRings);
  const outlineArea = planeOutline.reduce(
    (sum, polygon) =>
      sum + polygon.reduce((rings, ring, index) => rings + (index === 0 ? 1 : -1) * Math.abs(ringSignedArea(ring)), 0),
    0,
  );
  const seat = projection.toPlane(COUNTY_SEAT) as [number, number];
  const terrain = createTerrainDensity(stream('terrain'));

  // Townships, counts, seeds, cells.
  const regions = partitionTownships(
    townships.map((township) => ({
      code: township.code,
      villageCount: villages.filter((village) => village.townshipCode === township.code).length,
      urbanRole:
        township.code === CITY_CENTRE_TOWNSHIP_CODE ? 'centre' : township.code === CITY_EDGE_TOWNSHIP_CODE ? 'edge' : null,
    })),
    inside,
    ringsBounds(outlineRings),
    outlineArea,
    seat,
    terrain,
    stream('townships'),
  );
  const plan = planCounts(
    townships.map((township, index) => ({ code: township.code, settledArea: regions.settledAreas[index]! })),
    villages.map((village, index) => ({
      code: village.code,
      townshipCode: village.townshipCode,
      isCommunity: isCommunity[index]!,
    })),
    scope,
    stream('counts'),
  );
  const { seeds, seedGrid, gridVillage } = seedCells(
    regions,
    townships.map((township, index) => settlementOf(township.code, index, regions, seat)),
    villages.map((_, index) => ({ townshipIndex: villageTownship[index]!, isCommunity: isCommunity[index]! })),
    plan,
    inside,
    terrain,
    stream('cells'),
  );
  const clipped = clipWithRetry(seeds, planeOutline, inside, stream('jitter'));
  const cellRegions = buildCellRegions(clipped, seedGrid.length);
  const cellGrid = Int32Array.from(seedGrid);
  repairContiguity({ cellGrid, gridVillage, villageTownship }, cellRegions.neighbours, cellRegions.areas);
  const { cellsOfGrid, gridsOfVillage } = orderByPosition(seeds, cellGrid, gridVillage, villages.length);

  // Boundaries: a cell from its faces, every parent the exact union of its children's boundaries.
  const { vertices } = clipped;
  const rounded = new Map<number, Position>();
  const positionOf = (vertex: number): Position => {
    let position = rounded.get(vertex);
    if (!position) {
      const [lng, lat] = projection.toLngLat(vertices.xs[vertex]!, vertices.ys[vertex]!);
      position = [roundDegrees(lng), roundDegrees(lat)];
      rounded.set(vertex, position);
    }
    return position;
  };
  const cellLoops = cellRegions.rings.map((rings) => mergeRings(rings, vertices));
  const gridLoops = cellsOfGrid.map((cells) =>
    mergeRings(
      cells.flatMap((seed) => cellLoops[seed]!),
      vertices,
    ),
  );
  const villageLoops = gridsOfVillage.map((grids) =>
    mergeRings(
      grids.flatMap((grid) => gridLoops[grid]!),
      vertices,
    ),
  );
  const townshipLoops = townships.map((_, township) =>
    mergeRings(villageLoops.filter((_, village) => villageTownship[village] === township).flat(), vertices),
  );
  const countyLoops = mergeRings(townshipLoops.flat(), vertices);

  const areas: GeneratedArea[] = [];
  const addArea = (
    code: string,
    level: AreaLevel,
    kind: AreaKind,
    name: string,
    parentCode: string | null,
    urban: boolean,
    loops: number[][],
  ): { area: GeneratedArea; label: ReturnType<typeof labelPoint> } => {
    const geometry = assembleMultiPolygon(loops.map((loop) => loop.map(positionOf)));
    const label = labelPoint(geometry, projection);
    const area: GeneratedArea = {
      code,
      level,
      kind,
      name,
      parentCode,
      urban,
      population: 0,
      households: 0,
      geometry,
      labelPoint: label.position,
    };
    areas.push(area);
    return { area, label };
  };
  const county = reference.county;
  addArea(county.code, 'county', 'county', county.name, null, false, countyLoops);
  townships.forEach((township, index) => {
    const kind = townshipKindOfCode(township.code) ?? 'town';
    addArea(
      township.code,
      'township',
      kind,
      township.name,
      county.code,
      URBAN_TOWNSHIP_CODES.has(township.code),
      townshipLoops[index]!,
    );
  });

  // Villages, grids and cells with codes in reading order; households inside every cell.
  const householdRandom = stream('households');
  // The village of every cell, in the order the cells are visited below.
  const cellVillages = villages.flatMap((_, village) =>
    gridsOfVillage[village]!.flatMap((grid) => cellsOfGrid[grid]!.map(() => village)),
  );
  const householdCounts = allocateIntegers(
    scope.householdCount,
    cellVillages.map(
      (village) => householdWeight(villages[village]!.townshipCode, isCommunity[village]!) * householdRandom.uniform(0.88, 1.12),
    ),
    { min: MIN_HOUSEHOLDS_PER_CELL, max: MAX_HOUSEHOLDS_PER_CELL },
  );
  const households: GeneratedHousehold[] = [];
  let cellIndex = 0;
  villages.forEach((village, villageIndex) => {
    const urban = URBAN_TOWNSHIP_CODES.has(village.townshipCode);
    const kind = isCommunity[villageIndex] ? 'community' : 'village';
    addArea(village.code, 'village', kind, village.name, village.townshipCode, urban, villageLoops[villageIndex]!);
    const pattern = settlementPattern(village.townshipCode, isCommunity[villageIndex]!);
    let cellOrdinal = 0;
    gridsOfVillage[villageIndex]!.forEach((grid, gridRank) => {
      const gridCode = `${village.code}${String(gridRank + 1).padStart(3, '0')}`;
      const gridName = `${village.name}第${gridRank + 1}网格`;
      addArea(gridCode, 'grid', 'grid', gridName, village.code, urban, gridLoops[grid]!);
      cellsOfGrid[grid]!.forEach((seed, cellRank) => {
        cellOrdinal++;
        const cellCode = `${gridCode}${String(cellRank + 1).padStart(3, '0')}`;
        const { area: cell, label } = addArea(
          cellCode,
          'cell',
          'cell',
          `${gridName}${cellRank + 1}单元`,
          gridCode,
          urban,
          cellLoops[seed]!,
        );
        const [anchorX, anchorY] = projection.toPlane(label.position);
        const anchor = { x: anchorX, y: anchorY, distance: label.insetKm };
        const rings = toPlaneRings(cell.geometry, projection);
        const points = placeHouseholds(rings, householdCounts[cellIndex++]!, pattern, householdRandom, anchor);
        points.forEach(([x, y], index) => {
          const residents = householdRandom.weightedIndex(RESIDENT_WEIGHTS) + 1;
          const [lng, lat] = projection.toLngLat(x, y);
          households.push({
            code: `${cellCode}${String(index + 1).padStart(4, '0')}`,
            cellCode,
            residents,
            address: householdAddress(village.name, isCommunity[villageIndex]!, cellOrdinal, index),
            position: { type: 'Point', coordinates: [roundDegrees(lng), roundDegrees(lat)] },
          });
          cell.population += residents;
          cell.households += 1;
        });
      });
    });
  });

  // Population and households of every parent are the sums over its children, summed bottom-up.
  const byCode = new Map(areas.map((area) => [area.code, area]));
  for (const level of ['cell', 'grid', 'village', 'township'] as const) {
    for (const area of areas) {
      if (area.level !== level || area.parentCode === null) continue;
      const parent = byCode.get(area.parentCode)!;
      parent.population += area.population;
      parent.households += area.households;
    }
  }

  const levelRank: Record<AreaLevel, number> = { county: 0, township: 1, village: 2, grid: 3, cell: 4 };
  areas.sort((a, b) => levelRank[a.level] - levelRank[b.level] || compareCodes(a.code, b.code));
  households.sort((a, b) => compareCodes(a.code, b.code));
  return { seed: options.seed, areas, households, people: staffCounty(areas, options.departments, stream('people')) };
}
