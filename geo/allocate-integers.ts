/** Lower and upper bounds for each share: one number for all, or one per share. */
export interface AllocationBounds {
  min?: number | readonly number[];
  max?: number | readonly number[];
}

function boundAt(bound: number | readonly number[] | undefined, index: number, fallback: number): number {
  if (bound === undefined) return fallback;
  if (typeof bound === 'number') return bound;
  return bound[index] ?? fallback;
}

/**
 * Splits the integer `total` into integer shares proportional to `weights` (largest-remainder method), each
 * share within its bounds. Shares that would fall outside their bounds are pinned to the bound and the rest
 * is re-shared among the others, so the result always sums to `total` exactly.
 *
 * Used wherever the generator needs exact counts: cells per township, grids per village, households per cell.
 * Impossible bounds (their minima exceed the total, or their maxima fall short of it) are a bug in the caller
 * and throw a RangeError.
 */
export function allocateIntegers(total: number, weights: readonly number[], bounds: AllocationBounds = {}): number[] {
  const count = weights.length;
  const minimum = weights.map((_, index) => boundAt(bounds.min, index, 0));
  const maximum = weights.map((_, index) => boundAt(bounds.max, index, Number.POSITIVE_INFINITY));
  const minimumSum = minimum.reduce((sum, value) => sum + value, 0);
  const maximumSum = maximum.reduce((sum, value) => sum + value, 0);
  if (!Number.isInteger(total) || minimumSum > total || maximumSum < total) {
    throw new RangeError(`cannot split ${total} into ${count} shares within bounds [${minimumSum}, ${maximumSum}]`);
  }
  if (count === 0) return [];

  // Real-valued shares: pin those outside their bounds, re-share the rest, until none moves.
  const pinned: (number | null)[] = new Array(count).fill(null);
  let ideal: number[] = [];
  for (let round = 0; round <= count; round++) {
    let free = total;
    let freeWeight = 0;
    for (let index = 0; index < count; index++) {
      const fixed = pinned[index];
      if (fixed !== null && fixed !== undefined) free -= fixed;
      else freeWeight += Math.max(0, weights[index]!);
    }
    ideal = weights.map((weight, index) => {
      const fixed = pinned[index];
      if (fixed !== null && fixed !== undefined) return fixed;
      return freeWeight > 0 ? (free * Math.max(0, weight)) / freeWeight : free / count;
    });
    let changed = false;
    for (let index = 0; index < count; index++) {
      if (pinned[index] !== null) continue;
      if (ideal[index]! < minimum[index]!) {
        pinned[index] = minimum[index]!;
        changed = true;
      } else if (ideal[index]! > maximum[index]!) {
        pinned[index] = maximum[index]!;
        changed = true;
      }
    }
    if (!changed) break;
  }

  // Integer shares: floor within bounds, then hand out what is left by largest remainder.
  const shares = ideal.map((value, index) => Math.min(maximum[index]!, Math.max(minimum[index]!, Math.floor(value))));
  let left = total - shares.reduce((sum, value) => sum + value, 0);
  const order = shares
    .map((_, index) => index)
    .sort((a, b) => ideal[b]! - Math.floor(ideal[b]!) - (ideal[a]! - Math.floor(ideal[a]!)) || a - b);
  while (left !== 0) {
    let moved = false;
    for (const index of order) {
      if (left > 0 && shares[index]! < maximum[index]!) {
        shares[index]!++;
        left--;
        moved = true;
      } else if (left < 0 && shares[index]! > minimum[index]!) {
        shares[index]!--;
        left++;
        moved = true;
      }
      if (left === 0) break;
    }
    if (!moved) throw new RangeError(`cannot split ${total} within bounds`);
  }
  return shares;
}
