import { farthestPointSites, partitionSamples } from './partition-samples';
import type { TownshipRegions } from './partition-townships';
import type { CountPlan } from './plan-counts';
import type { ContainmentTest } from './rings-containment-index';
import type { RandomStream } from './seeded-random';
import type { TerrainDensity } from './terrain-density';

/**
 * Where a township's people concentrate: a Gaussian peak of settlement around its seat (the city for the
 * urban townships, the market street of a rural township's seat), on top of terrain-weighted countryside.
 */
export interface Settlement {
  /** The seat, [x, y] in km. */
  seat: [number, number];
  /** Standard deviation of the peak, km. */
  spread: number;
  /** Share of the township's cells drawn from the peak. */
  share: number;
}

export interface VillageToSeed {
  townshipIndex: number;
  isCommunity: boolean;
}

/** Cell seeds with the grid each was made for. */
export interface CellSeeds {
  /** Flat [x0, y0, …] in km, every seed inside the outline, no two equal. */
  seeds: Float64Array;
  /** Per seed, its grid (an index into `gridVillage`). */
  seedGrid: Int32Array;
  /** Per grid, its village (an index into the villages given). */
  gridVillage: number[];
}

/** Density samples per planned cell: enough for centroids that do not jitter, few enough to stay fast. */
const SAMPLES_PER_CELL = 16;

function centroidOf(samples: Float64Array): [number, number] {
  let sumX = 0;
  let sumY = 0;
  const count = samples.length / 2;
  for (let sample = 0; sample < count; sample++) {
    sumX += samples[sample * 2]!;
    sumY += samples[sample * 2 + 1]!;
  }
  return count > 0 ? [sumX / count, sumY / count] : [0, 0];
}

function withLabel(samples: Float64Array, labels: Int32Array, label: number): Float64Array {
  const kept: number[] = [];
  for (let sample = 0; sample < labels.length; sample++) {
    if (labels[sample] === label) kept.push(samples[sample * 2]!, samples[sample * 2 + 1]!);
  }
  return Float64Array.from(kept);
}

function nearestSample(samples: Float64Array, x: number, y: number): [number, number] | null {
  let best = -1;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (let sample = 0; sample < samples.length / 2; sample++) {
    const distance = (samples[sample * 2]! - x) ** 2 + (samples[sample * 2 + 1]! - y) ** 2;
    if (distance < bestDistance) {
      bestDistance = distance;
      best = sample;
    }
  }
  return best < 0 ? null : [samples[best * 2]!, samples[best * 2 + 1]!];
}

/**
 * Places the cell seeds top-down, so that every count of the plan holds by construction: each township's
 * area is sampled with its settlement density (16 samples per planned cell), the samples are split into its
 * villages, each village's into its grids and each grid's into its cells, every split a capacity-constrained
 * Voronoi tessellation (see partition-samples.ts) giving each region exactly 16 samples per cell it plans.
 * Each cell's seed is the centroid of its 16 samples. Since a region of n cells holds n·16 samples wherever it
 * is, cells come out small where the density is high (the city) and large where it is low (the mountains).
 *
 * Communities start at the township's seat and villages around it, so the city's communities are in the city
 * and a rural township's community is its market town.
 */
export function seedCells(
  regions: TownshipRegions,
  settlements: readonly Settlement[],
  villages: readonly VillageToSeed[],
  plan: CountPlan,
  inside: ContainmentTest,
  terrain: TerrainDensity,
  random: RandomStream,
): CellSeeds {
  const seeds: number[] = [];
  const seedGrid: number[] = [];
  const gridVillage: number[] = [];

  settlements.forEach((settlement, townshipIndex) => {
    const sampleCount = plan.townshipCells[townshipIndex]! * SAMPLES_PER_CELL;
    const samples = sampleSettlement(regions, townshipIndex, settlement, sampleCount, inside, terrain, random);
    const members = villages.map((_, index) => index).filter((index) => villages[index]!.townshipIndex === townshipIndex);
    const communities = members.filter((index) => villages[index]!.isCommunity);
    const countryside = members.filter((index) => !villages[index]!.isCommunity);

    // Communities start around the seat, villages farther out.
    const coreRadius = Math.max(2 * settlement.spread, 1.2);
    const isCore = (sample: number): boolean =>
      Math.hypot(samples[sample * 2]! - settlement.seat[0], samples[sample * 2 + 1]! - settlement.seat[1]) <= coreRadius;
    const core = samples.filter((_, index) => isCore(index >> 1));
    const outer = samples.filter((_, index) => !isCore(index >> 1));
    const communitySites =
      communities.length === 0
        ? []
        : [
            settlement.seat[0],
            settlement.seat[1],
            ...farthestPointSites(core.length > 0 ? core : samples, communities.length - 1, settlement.seat),
          ];
    const villageSites = farthestPointSites(
      outer.length >= countryside.length * 2 ? outer : samples,
      countryside.length,
      settlement.seat,
    );
    const ordered = [...communities, ...countryside];
    const villageSplit = partitionSamples(samples, {
      capacities: ordered.map((index) => plan.villageCells[index]! * SAMPLES_PER_CELL),
      initialSites: Float64Array.from([...communitySites, ...villageSites]),
      maxRounds: 40,
    });

    ordered.forEach((villageIndex, villageRank) => {
      const villageSamples = withLabel(samples, villageSplit.labels, villageRank);
      const gridSizes = plan.gridCells[villageIndex]!;
      const gridSplit = partitionSamples(villageSamples, {
        capacities: gridSizes.map((cells) => cells * SAMPLES_PER_CELL),
        initialSites: farthestPointSites(villageSamples, gridSizes.length, centroidOf(villageSamples)),
        maxRounds: 30,
      });
      gridSizes.forEach((cellCount, gridRank) => {
        const grid = gridVillage.length;
        gridVillage.push(villageIndex);
        const gridSamples = withLabel(villageSamples, gridSplit.labels, gridRank);
        const cellSplit = partitionSamples(gridSamples, {
          capacities: Array.from({ length: cellCount }, () => SAMPLES_PER_CELL),
          initialSites: farthestPointSites(gridSamples, cellCount, centroidOf(gridSamples)),
          maxRounds: 25,
        });
        for (let cell = 0; cell < cellCount; cell++) {
          let x = cellSplit.sites[cell * 2]!;
          let y = cellSplit.sites[cell * 2 + 1]!;
          if (!inside(x, y)) [x, y] = nearestSample(withLabel(gridSamples, cellSplit.labels, cell), x, y) ?? [x, y];
          seeds.push(x, y);
          seedGrid.push(grid);
        }
      });
    });
  });

  // Two seeds on the same spot (a grid with fewer samples than cells) would share one Voronoi cell: nudge them.
  const taken = new Set<string>();
  for (let seed = 0; seed < seedGrid.length; seed++) {
    for (let attempt = 0; taken.has(`${seeds[seed * 2]},${seeds[seed * 2 + 1]}`); attempt++) {
      const x = seeds[seed * 2]! + random.uniform(-0.02, 0.02);
      const y = seeds[seed * 2 + 1]! + random.uniform(-0.02, 0.02);
      if (inside(x, y) || attempt > 1000) {
        seeds[seed * 2] = x;
        seeds[seed * 2 + 1] = y;
      }
    }
    taken.add(`${seeds[seed * 2]},${seeds[seed * 2 + 1]}`);
  }
  return { seeds: Float64Array.from(seeds), seedGrid: Int32Array.from(seedGrid), gridVillage };
}

/**
 * Draws `count` points in one township with its settlement density: a share from the Gaussian peak at the
 * seat, the rest uniform over the township with terrain-weighted rejection. Points outside the township's
 * region (or the outline) are rejected, so the peak is cut at the township boundary.
 */
function sampleSettlement(
  regions: TownshipRegions,
  townshipIndex: number,
  settlement: Settlement,
  count: number,
  inside: ContainmentTest,
  terrain: TerrainDensity,
  random: RandomStream,
): Float64Array {
  const ownSamples = regions.samples[townshipIndex]!;
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (let sample = 0; sample < ownSamples.length / 2; sample++) {
    minX = Math.min(minX, ownSamples[sample * 2]!);
    maxX = Math.max(maxX, ownSamples[sample * 2]!);
    minY = Math.min(minY, ownSamples[sample * 2 + 1]!);
    maxY = Math.max(maxY, ownSamples[sample * 2 + 1]!);
  }
  if (!(maxX >= minX))
    [minX, minY, maxX, maxY] = [settlement.seat[0] - 1, settlement.seat[1] - 1, settlement.seat[0] + 1, settlement.seat[1] + 1];
  const margin = 1;
  const points = new Float64Array(count * 2);
  for (let drawn = 0, attempts = 0; drawn < count; attempts++) {
    if (attempts > count * 10_000) throw new Error(`cannot sample township ${townshipIndex}: its region is empty`);
    let x: number;
    let y: number;
    if (random.next() < settlement.share) {
      x = settlement.seat[0] + settlement.spread * random.normal();
      y = settlement.seat[1] + settlement.spread * random.normal();
    } else {
      x = random.uniform(minX - margin, maxX + margin);
      y = random.uniform(minY - margin, maxY + margin);
      if (random.next() * terrain.maximum > terrain.at(x, y)) continue;
    }
    if (!inside(x, y) || regions.locate(x, y) !== townshipIndex) continue;
    points[drawn * 2] = x;
    points[drawn * 2 + 1] = y;
    drawn++;
  }
  return points;
}
