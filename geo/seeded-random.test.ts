import { describe, expect, it } from 'vitest';
import { createRandomStream } from './seeded-random';

const draw = (seed: number, stream: string, count = 5): number[] => {
  const random = createRandomStream(seed, stream);
  return Array.from({ length: count }, () => random.next());
};

describe('createRandomStream', () => {
  it('repeats the same sequence for the same seed and stream', () => {
    expect(draw(42, 'cells')).toEqual(draw(42, 'cells'));
  });

  it.each([
    [42, 'cells', 43, 'cells'],
    [42, 'cells', 42, 'households'],
    [0, '', 2 ** 32, ''],
  ])('differs between seed %d/%s and seed %d/%s', (seedA, streamA, seedB, streamB) => {
    expect(draw(seedA, streamA)).not.toEqual(draw(seedB, streamB));
  });

  it('draws uniformly in [0, 1) and integers in their range', () => {
    const random = createRandomStream(7);
    const values = Array.from({ length: 20_000 }, () => random.next());
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(values.reduce((sum, value) => sum + value, 0) / values.length).toBeCloseTo(0.5, 1);
    const integers = new Set(Array.from({ length: 2_000 }, () => random.integer(3, 7)));
    expect([...integers].sort()).toEqual([3, 4, 5, 6]);
  });

  it('draws normal deviates with mean 0 and deviation 1', () => {
    const random = createRandomStream(11);
    const values = Array.from({ length: 20_000 }, () => random.normal());
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length;
    expect(mean).toBeCloseTo(0, 1);
    expect(Math.sqrt(variance)).toBeCloseTo(1, 1);
  });
});
