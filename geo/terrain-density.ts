import type { RandomStream } from './seeded-random';

/**
 * A smooth random factor on settlement density over the county (Daba mountains: valleys are settled more
 * densely than ridges): exp(0.4·Σ of four plane waves / 2), between about 0.45 and 2.2, with wavelengths of
 * 12–40 km. It makes rural cells vary in size the way real ones do instead of forming a regular honeycomb.
 */
export interface TerrainDensity {
  /** The factor at a point of the km plane. */
  at(x: number, y: number): number;
  /** An upper bound of `at`, for rejection sampling. */
  readonly maximum: number;
}

const WAVE_COUNT = 4;
const AMPLITUDE = 0.4;

export function createTerrainDensity(random: RandomStream): TerrainDensity {
  const waves = Array.from({ length: WAVE_COUNT }, () => {
    const direction = random.uniform(0, Math.PI);
    const wavenumber = (2 * Math.PI) / random.uniform(12, 40);
    return { kx: Math.cos(direction) * wavenumber, ky: Math.sin(direction) * wavenumber, phase: random.uniform(0, 2 * Math.PI) };
  });
  return {
    at: (x, y) => {
      let sum = 0;
      for (const wave of waves) sum += Math.sin(wave.kx * x + wave.ky * y + wave.phase);
      return Math.exp((AMPLITUDE * sum) / 2);
    },
    maximum: Math.exp((AMPLITUDE * WAVE_COUNT) / 2),
  };
}
