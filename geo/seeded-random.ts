/**
 * A deterministic stream of pseudo-random numbers. Every random choice of the county generator is drawn
 * from streams like this one, never from `Math.random` or the clock, so that the same seed gives the same
 * county byte for byte.
 */
export interface RandomStream {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [min, max). */
  uniform(min: number, max: number): number;
  /** Uniform integer in [min, maxExclusive). */
  integer(min: number, maxExclusive: number): number;
  /** Standard normal deviate (mean 0, standard deviation 1), by Box–Muller. */
  normal(): number;
  /** One element, uniformly. An empty list is a bug in the caller and throws. */
  pick<T>(items: readonly T[]): T;
  /** An index drawn with probability proportional to its (non-negative) weight. */
  weightedIndex(weights: readonly number[]): number;
  /** Shuffles in place (Fisher–Yates) and returns the same array. */
  shuffle<T>(items: T[]): T[];
}

/** FNV-1a over UTF-16 code units: names a sub-stream, so that streams do not depend on each other's draw counts. */
function hashStreamName(name: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < name.length; index++) {
    hash ^= name.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** splitmix32: spreads a 32-bit seed over the four words of the sfc32 state. */
function splitmix32(state: number): () => number {
  let current = state >>> 0;
  return () => {
    current = (current + 0x9e3779b9) | 0;
    let mixed = current ^ (current >>> 16);
    mixed = Math.imul(mixed, 0x21f0aaad);
    mixed ^= mixed >>> 15;
    mixed = Math.imul(mixed, 0x735a2d97);
    mixed ^= mixed >>> 15;
    return mixed >>> 0;
  };
}

/**
 * Creates an sfc32 stream (Chris Doty-Humphrey's small fast counter generator: 128 bits of state, period at
 * least 2^32) from a seed and the name of a sub-stream. Any finite number is a valid seed; integers are the
 * intended use.
 */
export function createRandomStream(seed: number, streamName = ''): RandomStream {
  const low = Math.trunc(seed) >>> 0;
  const high = Math.trunc(seed / 4294967296) >>> 0;
  const mix = splitmix32(low ^ Math.imul(high, 0x9e3779b1) ^ hashStreamName(streamName));
  let a = mix();
  let b = mix();
  let c = mix();
  let d = mix();

  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let warmUp = 0; warmUp < 12; warmUp++) next();

  const stream: RandomStream = {
    next,
    uniform: (min, max) => min + (max - min) * next(),
    integer: (min, maxExclusive) => min + Math.floor((maxExclusive - min) * next()),
    normal: () => {
      const u = 1 - next();
      const v = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    pick: (items) => {
      if (items.length === 0) throw new RangeError('pick() from an empty list');
      return items[Math.floor(items.length * next())]!;
    },
    weightedIndex: (weights) => {
      let total = 0;
      for (const weight of weights) total += weight;
      if (!(total > 0)) throw new RangeError('weightedIndex() needs a positive total weight');
      let target = total * next();
      for (let index = 0; index < weights.length; index++) {
        target -= weights[index]!;
        if (target < 0) return index;
      }
      return weights.length - 1;
    },
    shuffle: (items) => {
      for (let index = items.length - 1; index > 0; index--) {
        const other = Math.floor((index + 1) * next());
        const held = items[index]!;
        items[index] = items[other]!;
        items[other] = held;
      }
      return items;
    },
  };
  return stream;
}
