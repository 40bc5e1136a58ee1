/** A partition of sample points into regions of exactly the requested sizes. */
export interface SamplePartition {
  /** Region index of every sample. */
  labels: Int32Array;
  /** Region sites (the centroids of their samples), flat [x0, y0, x1, y1, …] in km. */
  sites: Float64Array;
}

export interface PartitionOptions {
  /** Samples per region, integers summing to the sample count. */
  capacities: readonly number[];
  /** Starting sites, flat [x0, y0, …], one per region. */
  initialSites: Float64Array;
  /** Upper bound on swap-and-move rounds; most partitions settle well before it. */
  maxRounds: number;
}

/** Rounds of plain Lloyd relaxation (no capacities) that first move the starting sites to natural centres. */
const WARM_UP_ROUNDS = 8;

/**
 * Capacity-constrained Voronoi tessellation of sample points (Balzer, Schlömer and Deussen, 2009): every
 * region gets exactly its capacity of samples, and the regions are as compact as Lloyd relaxation makes them.
 *
 * After a few rounds of plain k-means to place the sites, samples start at the nearest site that still has
 * room, nearest samples first. Each round then looks at every pair of neighbouring regions and swaps samples
 * between them while a swap brings both samples closer to their sites (this keeps both sizes), then moves every
 * site to its region's centroid. It stops when fewer than 0.25% of the samples still move, or after maxRounds.
 *
 * Since samples are drawn with the settlement density, a region of n samples is small where people are many
 * (a town) and large where they are few; exact capacities are what make every planned count hold.
 */
export function partitionSamples(samples: Float64Array, options: PartitionOptions): SamplePartition {
  const { capacities } = options;
  const regionCount = capacities.length;
  const sampleCount = samples.length / 2;
  const total = capacities.reduce((sum, capacity) => sum + capacity, 0);
  if (total !== sampleCount) throw new RangeError(`capacities sum to ${total}, not to the ${sampleCount} samples`);
  const sites = Float64Array.from(options.initialSites);
  const labels = new Int32Array(sampleCount);
  if (regionCount <= 1) {
    if (regionCount === 1 && sampleCount > 0) moveSitesToCentroids(samples, labels, sites, 1);
    return { labels, sites };
  }

  const distanceSquared = (sample: number, region: number): number =>
    (samples[sample * 2]! - sites[region * 2]!) ** 2 + (samples[sample * 2 + 1]! - sites[region * 2 + 1]!) ** 2;

  // Capacity swaps only ever trade samples between two regions, so they cannot repair badly placed sites:
  // a region whose site is far off would hand its stray samples to whichever neighbour is nearer to them.
  // A few rounds of plain k-means first put the sites where the samples are.
  for (let round = 0; round < WARM_UP_ROUNDS; round++) {
    for (let sample = 0; sample < sampleCount; sample++) {
      let best = 0;
      let bestDistance = Number.POSITIVE_INFINITY;
      for (let region = 0; region < regionCount; region++) {
        const distance = distanceSquared(sample, region);
        if (distance < bestDistance) {
          bestDistance = distance;
          best = region;
        }
      }
      labels[sample] = best;
    }
    moveSitesToCentroids(samples, labels, sites, regionCount);
  }

  // Start: samples nearest to a site first, each to the nearest site that still has room, so that a small
  // region fills up with the samples around its site instead of whichever came first.
  const nearestDistance = new Float64Array(sampleCount);
  for (let sample = 0; sample < sampleCount; sample++) {
    let best = Number.POSITIVE_INFINITY;
    for (let region = 0; region < regionCount; region++) best = Math.min(best, distanceSquared(sample, region));
    nearestDistance[sample] = best;
  }
  const byNearness = Array.from({ length: sampleCount }, (_, sample) => sample).sort(
    (a, b) => nearestDistance[a]! - nearestDistance[b]! || a - b,
  );
  const room = Array.from(capacities);
  for (const sample of byNearness) {
    let best = -1;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (let region = 0; region < regionCount; region++) {
      if (room[region]! <= 0) continue;
      const distance = distanceSquared(sample, region);
      if (distance < bestDistance) {
        bestDistance = distance;
        best = region;
      }
    }
    labels[sample] = best;
    room[best]!--;
  }

  const members: number[][] = Array.from({ length: regionCount }, () => []);
  const radius = new Float64Array(regionCount);
  for (let round = 0; round < options.maxRounds; round++) {
    for (const list of members) list.length = 0;
    for (let sample = 0; sample < sampleCount; sample++) members[labels[sample]!]!.push(sample);
    radius.fill(0);
    for (let sample = 0; sample < sampleCount; sample++) {
      const region = labels[sample]!;
      radius[region] = Math.max(radius[region]!, distanceSquared(sample, region));
    }
    for (let region = 0; region < regionCount; region++) radius[region] = Math.sqrt(radius[region]!);

    let swaps = 0;
    for (let first = 0; first < regionCount; first++) {
      for (let second = first + 1; second < regionCount; second++) {
        const gap = Math.hypot(sites[first * 2]! - sites[second * 2]!, sites[first * 2 + 1]! - sites[second * 2 + 1]!);
        if (gap > radius[first]! + radius[second]!) continue;
        swaps += swapBetween(samples, sites, labels, members[first]!, members[second]!, first, second);
      }
    }
    moveSitesToCentroids(samples, labels, sites, regionCount);
    // Settled: the last few swaps would not change a region visibly.
    if (swaps <= sampleCount / 400) break;
  }
  return { labels, sites };
}

/**
 * Swaps samples between two regions while that lowers the summed squared distance to the sites: the samples
 * of each region that would most like to be in the other are paired up, best first (Balzer's swap step).
 * Member lists are updated in place, so the other pairs of the round see the swaps.
 */
function swapBetween(
  samples: Float64Array,
  sites: Float64Array,
  labels: Int32Array,
  firstMembers: number[],
  secondMembers: number[],
  first: number,
  second: number,
): number {
  const firstX = sites[first * 2]!;
  const firstY = sites[first * 2 + 1]!;
  const secondX = sites[second * 2]!;
  const secondY = sites[second * 2 + 1]!;
  // |p − first|² − |p − second|² is linear in p: lean(p) = slopeX·x + slopeY·y + offset. A sample of the first
  // region gains lean(p) by moving to the second; a sample of the second gains −lean(q) by moving to the first.
  const slopeX = 2 * (secondX - firstX);
  const slopeY = 2 * (secondY - firstY);
  const offset = firstX * firstX + firstY * firstY - secondX * secondX - secondY * secondY;
  const leanOf = (members: number[]): Float64Array => {
    const lean = new Float64Array(members.length);
    for (let position = 0; position < members.length; position++) {
      const sample = members[position]!;
      lean[position] = slopeX * samples[sample * 2]! + slopeY * samples[sample * 2 + 1]! + offset;
    }
    return lean;
  };
  const leanFirst = leanOf(firstMembers);
  const leanSecond = leanOf(secondMembers);
  let mostEager = Number.NEGATIVE_INFINITY;
  for (const lean of leanFirst) mostEager = Math.max(mostEager, lean);
  let leastAttached = Number.POSITIVE_INFINITY;
  for (const lean of leanSecond) leastAttached = Math.min(leastAttached, lean);
  if (!(mostEager > leastAttached)) return 0;

  // Only samples that could take part in a profitable swap need sorting: most lie deep inside their region.
  const leaveFirst: number[] = [];
  for (let position = 0; position < leanFirst.length; position++)
    if (leanFirst[position]! > leastAttached) leaveFirst.push(position);
  const leaveSecond: number[] = [];
  for (let position = 0; position < leanSecond.length; position++)
    if (leanSecond[position]! < mostEager) leaveSecond.push(position);
  leaveFirst.sort((a, b) => leanFirst[b]! - leanFirst[a]! || firstMembers[a]! - firstMembers[b]!);
  leaveSecond.sort((a, b) => leanSecond[a]! - leanSecond[b]! || secondMembers[a]! - secondMembers[b]!);

  let swaps = 0;
  for (; swaps < Math.min(leaveFirst.length, leaveSecond.length); swaps++) {
    const fromFirst = leaveFirst[swaps]!;
    const fromSecond = leaveSecond[swaps]!;
    if (leanFirst[fromFirst]! - leanSecond[fromSecond]! <= 0) break;
    const movingOut = firstMembers[fromFirst]!;
    const movingIn = secondMembers[fromSecond]!;
    labels[movingOut] = second;
    labels[movingIn] = first;
    firstMembers[fromFirst] = movingIn;
    secondMembers[fromSecond] = movingOut;
  }
  return swaps;
}

function moveSitesToCentroids(samples: Float64Array, labels: Int32Array, sites: Float64Array, regionCount: number): void {
  const sumX = new Float64Array(regionCount);
  const sumY = new Float64Array(regionCount);
  const count = new Float64Array(regionCount);
  for (let sample = 0; sample < labels.length; sample++) {
    const region = labels[sample]!;
    sumX[region]! += samples[sample * 2]!;
    sumY[region]! += samples[sample * 2 + 1]!;
    count[region]!++;
  }
  for (let region = 0; region < regionCount; region++) {
    if (count[region] === 0) continue;
    sites[region * 2] = sumX[region]! / count[region]!;
    sites[region * 2 + 1] = sumY[region]! / count[region]!;
  }
}

/**
 * Picks `count` well-spread starting sites among the samples (greedy farthest-point traversal), beginning with
 * the sample farthest from `from`. Deterministic: ties go to the lower sample index.
 */
export function farthestPointSites(samples: Float64Array, count: number, from: readonly [number, number]): Float64Array {
  const sampleCount = samples.length / 2;
  const sites = new Float64Array(Math.max(0, count) * 2);
  if (sampleCount === 0 || count <= 0) return sites;
  const nearest = new Float64Array(sampleCount);
  for (let sample = 0; sample < sampleCount; sample++) {
    const dx = samples[sample * 2]! - from[0];
    const dy = samples[sample * 2 + 1]! - from[1];
    nearest[sample] = dx * dx + dy * dy;
  }
  for (let site = 0; site < count; site++) {
    let best = 0;
    for (let sample = 1; sample < sampleCount; sample++) if (nearest[sample]! > nearest[best]!) best = sample;
    const x = samples[best * 2]!;
    const y = samples[best * 2 + 1]!;
    sites[site * 2] = x;
    sites[site * 2 + 1] = y;
    for (let sample = 0; sample < sampleCount; sample++) {
      const dx = samples[sample * 2]! - x;
      const dy = samples[sample * 2 + 1]! - y;
      nearest[sample] = Math.min(nearest[sample]!, dx * dx + dy * dy);
    }
  }
  return sites;
}
