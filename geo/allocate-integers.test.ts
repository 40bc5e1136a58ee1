import { describe, expect, it } from 'vitest';
import { allocateIntegers } from './allocate-integers';

describe('allocateIntegers', () => {
  it.each([
    { total: 10, weights: [1, 1, 1], bounds: {}, expected: [4, 3, 3] },
    { total: 7709, weights: [0.16, 0.08, 0.76], bounds: {}, expected: [1233, 617, 5859] },
    { total: 100, weights: [1, 99], bounds: { min: 20 }, expected: [20, 80] },
    { total: 100, weights: [1, 1, 8], bounds: { max: 45 }, expected: [28, 27, 45] },
    { total: 5, weights: [0, 0], bounds: {}, expected: [3, 2] },
    { total: 0, weights: [3, 4], bounds: {}, expected: [0, 0] },
    { total: 12, weights: [1, 2, 3], bounds: { min: [5, 0, 0], max: [5, 10, 10] }, expected: [5, 3, 4] },
  ])('splits $total by $weights within $bounds', ({ total, weights, bounds, expected }) => {
    const shares = allocateIntegers(total, weights, bounds);
    expect(shares).toEqual(expected);
    expect(shares.reduce((sum, share) => sum + share, 0)).toBe(total);
  });

  it('keeps every share within its bounds on a large uneven split', () => {
    const weights = Array.from({ length: 7709 }, (_, index) => 20 + ((index * 7919) % 31));
    const shares = allocateIntegers(250_000, weights, { min: 20, max: 45 });
    expect(shares.reduce((sum, share) => sum + share, 0)).toBe(250_000);
    expect(Math.min(...shares)).toBeGreaterThanOrEqual(20);
    expect(Math.max(...shares)).toBeLessThanOrEqual(45);
  });

  it.each([
    { total: 10, weights: [1, 1], bounds: { min: 6 } },
    { total: 10, weights: [1, 1], bounds: { max: 4 } },
    { total: 2.5, weights: [1, 1], bounds: {} },
  ])('rejects impossible bounds: $total by $weights within $bounds', ({ total, weights, bounds }) => {
    expect(() => allocateIntegers(total, weights, bounds)).toThrow(RangeError);
  });
});
