import { describe, expect, it } from 'vitest';
import { scaleToLongEdge } from './scale-to-long-edge';

describe('scaleToLongEdge', () => {
  it.each([
    // A 12 MP phone photo, landscape and portrait.
    [4000, 3000, 1600, 1600, 1200],
    [3000, 4000, 1600, 1200, 1600],
    // Square.
    [2048, 2048, 1600, 1600, 1600],
    // Already small: unchanged, never enlarged.
    [1600, 900, 1600, 1600, 900],
    [800, 600, 1600, 800, 600],
    // Odd proportions round to whole pixels.
    [4032, 1908, 1600, 1600, 757],
    // A panorama strip keeps at least one pixel of height.
    [100_000, 10, 1600, 1600, 1],
  ])('%i×%i within %i → %i×%i', (width, height, max, expectedWidth, expectedHeight) => {
    expect(scaleToLongEdge(width, height, max)).toEqual({ width: expectedWidth, height: expectedHeight });
  });

  it('refuses sizes that are not positive', () => {
    expect(() => scaleToLongEdge(0, 100, 1600)).toThrow(RangeError);
    expect(() => scaleToLongEdge(100, Number.NaN, 1600)).toThrow(RangeError);
  });
});
