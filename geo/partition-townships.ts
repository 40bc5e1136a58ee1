import { allocateIntegers } from './allocate-integers';
import { createNearestSampleIndex } from './nearest-sample-index';
import { farthestPointSites, partitionSamples } from './partition-samples';
import type { ContainmentTest } from './rings-containment-index';
import type { RandomStream } from './seeded-random';
import type { TerrainDensity } from './terrain-density';

/** A township to place: its share of the land and whether it is one of the two urban townships. */
export interface TownshipToPlace {
  code: string;
  villageCount: number;
  /** 'centre' for the city-centre street (壁州街道, on the seat), 'edge' for the town beside it (诺江镇). */
  urbanRole: 'centre' | 'edge' | null;
}

/** Township regions (each the set of points nearest to one of its samples), and what later steps need of them. */
export interface TownshipRegions {
  /** Index of the township whose region holds a point of the outline. */
  locate(x: number, y: number): number;
  /** Per township, the uniform samples that fell in it, flat [x0, y0, …] in km. */
  samples: Float64Array[];
  /** Per township, its area estimate in km². */
  areas: number[];
  /** Per township, its area weighted by the terrain density, km²: how much settled land it has. */
  settledAreas: number[];
  /** Per township, its centre, [x, y] in km: the centroid of its samples, or the point it was grown from. */
  sites: [number, number][];
}

/** Area of the urban townships in km²; the rural ones share the rest. */
const URBAN_AREA_KM2 = { centre: 28, edge: 45 } as const;
/** Where 诺江镇 is grown from, km east and north of the seat: beside the city, on its west side. */
const EDGE_OFFSET_KM = [-5.5, -1.5] as const;
/** Rural townships get land in proportion to (villages + this): more villages, more land, but not linearly. */
const RURAL_AREA_OFFSET = 12;
/** Bounds on a rural township's land, km², where the county is big enough for them. */
const RURAL_AREA_KM2 = { min: 70, max: 185 } as const;
/** Uniform samples of the outline, one per 0.2 km²: township borders are only as fine as this, then follow cells. */
const SAMPLE_COUNT = 20_000;
const ROUNDS = 60;

/**
 * Splits the outline into township regions of planned area, on uniform samples of the outline.
 *
 * The urban core is laid out on purpose: 壁州街道 is the 28 km² nearest the county seat, 诺江镇 the 45 km²
 * nearest a point 6 km west of it (so it wraps the city's west side), "nearest" stretched by direction so
 * that both come out as lobed blobs, not discs. The rural townships share the rest by a
 * capacity-constrained Voronoi tessellation (partition-samples.ts): 70–185 km² planned, more for more
 * villages. Final areas differ by some km² since borders end up following cells; the urban townships come out
 * 10–20% larger than planned (about 31 and 54 km²): the Voronoi cells on the edge of a dense town reach
 * halfway to the sparse seeds outside it.
 *
 * @param seat the county seat in the km plane.
 * @param outlineArea km².
 */
export function partitionTownships(
  townships: readonly TownshipToPlace[],
  inside: ContainmentTest,
  bounds: readonly [number, number, number, number],
  outlineArea: number,
  seat: readonly [number, number],
  terrain: TerrainDensity,
  random: RandomStream,
): TownshipRegions {
  const [minX, minY, maxX, maxY] = bounds;
  const samples = new Float64Array(SAMPLE_COUNT * 2);
  for (let count = 0; count < SAMPLE_COUNT; ) {
    const x = random.uniform(minX, maxX);
    const y = random.uniform(minY, maxY);
    if (!inside(x, y)) continue;
    samples[count * 2] = x;
    samples[count * 2 + 1] = y;
    count++;
  }
  const areaPerSample = outlineArea / SAMPLE_COUNT;

  // Land shares: the urban townships exactly their area, the rural ones by village count within 70–185 km²
  // (the bounds hold when the county has enough townships to share it; the small preset's four do not).
  const urbanArea = townships.reduce((sum, township) => sum + (township.urbanRole ? URBAN_AREA_KM2[township.urbanRole] : 0), 0);
  const ruralCount = townships.filter((township) => !township.urbanRole).length;
  const ruralArea = outlineArea - urbanArea;
  const ruralMin = ruralCount * RURAL_AREA_KM2.min <= ruralArea ? RURAL_AREA_KM2.min : 0;
  const ruralMax = ruralCount * RURAL_AREA_KM2.max >= ruralArea ? RURAL_AREA_KM2.max : Number.POSITIVE_INFINITY;
  const samplesOf = (km2: number): number => Math.round(km2 / areaPerSample);
  const capacities = allocateIntegers(
    SAMPLE_COUNT,
    townships.map((township) =>
      township.urbanRole ? 0 : (township.villageCount + RURAL_AREA_OFFSET) * random.uniform(0.85, 1.15),
    ),
    {
      min: townships.map((township) =>
        township.urbanRole ? samplesOf(URBAN_AREA_KM2[township.urbanRole]) : samplesOf(ruralMin),
      ),
      max: townships.map((township) =>
        township.urbanRole ? samplesOf(URBAN_AREA_KM2[township.urbanRole]) : samplesOf(ruralMax),
      ),
    },
  );

  // The urban townships: the samples nearest their centres, the city centre first.
  const labels = new Int32Array(SAMPLE_COUNT).fill(-1);
  const sites: [number, number][] = townships.map(() => [seat[0], seat[1]]);
  const urbanOrder = townships
    .map((township, index) => ({ township, index }))
    .filter(({ township }) => township.urbanRole !== null)
    .sort((a, b) => (a.township.urbanRole === 'centre' ? -1 : 0) - (b.township.urbanRole === 'centre' ? -1 : 0));
  for (const { township, index } of urbanOrder) {
    const centre: [number, number] =
      township.urbanRole === 'centre' ? [seat[0], seat[1]] : [seat[0] + EDGE_OFFSET_KM[0], seat[1] + EDGE_OFFSET_KM[1]];
    sites[index] = centre;
    // Distance stretched by direction, so the town grows as a lobed blob rather than a disc.
    const lobes = [random.uniform(0, 2 * Math.PI), random.uniform(0, 2 * Math.PI)];
    const distance = (sample: number): number => {
      const dx = samples[sample * 2]! - centre[0];
      const dy = samples[sample * 2 + 1]! - centre[1];
      const angle = Math.atan2(dy, dx);
      return Math.hypot(dx, dy) / (1 + 0.22 * Math.sin(2 * angle + lobes[0]!) + 0.12 * Math.sin(3 * angle + lobes[1]!));
    };
    const free = Array.from({ length: SAMPLE_COUNT }, (_, sample) => sample).filter((sample) => labels[sample] === -1);
    const distances = new Float64Array(SAMPLE_COUNT);
    for (const sample of free) distances[sample] = distance(sample);
    free.sort((a, b) => distances[a]! - distances[b]! || a - b);
    for (const sample of free.slice(0, capacities[index]!)) labels[sample] = index;
  }

  // The rural townships share what is left.
  const ruralIndexes = townships.map((_, index) => index).filter((index) => townships[index]!.urbanRole === null);
  const ruralSampleIds = Array.from({ length: SAMPLE_COUNT }, (_, sample) => sample).filter((sample) => labels[sample] === -1);
  const ruralSamples = Float64Array.from(ruralSampleIds.flatMap((sample) => [samples[sample * 2]!, samples[sample * 2 + 1]!]));
  const ruralPartition = partitionSamples(ruralSamples, {
    capacities: ruralIndexes.map((index) => capacities[index]!),
    initialSites: farthestPointSites(ruralSamples, ruralIndexes.length, seat),
    maxRounds: ROUNDS,
  });
  ruralSampleIds.forEach((sample, rank) => {
    labels[sample] = ruralIndexes[ruralPartition.labels[rank]!]!;
  });
  ruralIndexes.forEach((index, rank) => {
    sites[index] = [ruralPartition.sites[rank * 2]!, ruralPartition.sites[rank * 2 + 1]!];
  });

  const nearestSample = createNearestSampleIndex(samples);
  const locate = (x: number, y: number): number => labels[nearestSample(x, y)]!;
  const members: number[][] = townships.map(() => []);
  const settledAreas = townships.map(() => 0);
  for (let sample = 0; sample < SAMPLE_COUNT; sample++) {
    const township = labels[sample]!;
    const x = samples[sample * 2]!;
    const y = samples[sample * 2 + 1]!;
    members[township]!.push(x, y);
    settledAreas[township]! += terrain.at(x, y) * areaPerSample;
  }
  return {
    locate,
    samples: members.map((flat) => Float64Array.from(flat)),
    areas: members.map((flat) => (flat.length / 2) * areaPerSample),
    settledAreas,
    sites,
  };
}
