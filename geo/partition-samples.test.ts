import { describe, expect, it } from 'vitest';
import { farthestPointSites, partitionSamples } from './partition-samples';
import { createRandomStream } from './seeded-random';

function uniformSamples(count: number, seed: number): Float64Array {
  const random = createRandomStream(seed);
  return Float64Array.from({ length: count * 2 }, () => random.uniform(0, 10));
}

describe('partitionSamples', () => {
  it.each([[[500]], [[250, 250]], [[100, 200, 300, 400]], [[24, 24, 24, 24, 24, 24, 24, 24, 24, 24]], [[900, 50, 30, 20]]])(
    'gives regions exactly their capacities %j',
    (capacities) => {
      const total = capacities.reduce((sum, capacity) => sum + capacity, 0);
      const samples = uniformSamples(total, capacities.length);
      const { labels, sites } = partitionSamples(samples, {
        capacities,
        initialSites: farthestPointSites(samples, capacities.length, [5, 5]),
        maxRounds: 30,
      });
      const sizes = capacities.map((_, region) => labels.filter((label) => label === region).length);
      expect(sizes).toEqual(capacities);
      expect(sites).toHaveLength(capacities.length * 2);
    },
  );

  it('makes compact regions: each sample lies closer to its own site than the mean spacing', () => {
    const samples = uniformSamples(2400, 9);
    const { labels, sites } = partitionSamples(samples, {
      capacities: Array.from({ length: 100 }, () => 24),
      initialSites: farthestPointSites(samples, 100, [0, 0]),
      maxRounds: 30,
    });
    // 100 regions over 100 km²: about 1 km apart; a compact region keeps its samples within about 1 km.
    let farthest = 0;
    labels.forEach((region, sample) => {
      farthest = Math.max(
        farthest,
        Math.hypot(samples[sample * 2]! - sites[region * 2]!, samples[sample * 2 + 1]! - sites[region * 2 + 1]!),
      );
    });
    expect(farthest).toBeLessThan(1.2);
  });

  it('rejects capacities that do not add up to the samples', () => {
    const samples = uniformSamples(10, 1);
    expect(() => partitionSamples(samples, { capacities: [5, 6], initialSites: new Float64Array(4), maxRounds: 1 })).toThrow(
      RangeError,
    );
  });
});
