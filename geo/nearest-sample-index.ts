/**
 * Finds the nearest of a fixed set of sample points (flat [x0, y0, …], km) to any query point, through a
 * bucket grid, in about constant time. Lets a partition of samples answer "which region is this point in?"
 * for points that are not samples.
 *
 * @returns a function giving the index of the nearest sample, or -1 when there are no samples.
 */
export function createNearestSampleIndex(samples: Float64Array): (x: number, y: number) => number {
  const count = samples.length / 2;
  if (count === 0) return () => -1;
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (let sample = 0; sample < count; sample++) {
    minX = Math.min(minX, samples[sample * 2]!);
    maxX = Math.max(maxX, samples[sample * 2]!);
    minY = Math.min(minY, samples[sample * 2 + 1]!);
    maxY = Math.max(maxY, samples[sample * 2 + 1]!);
  }
  // About two samples per bucket.
  const size = Math.sqrt(((maxX - minX) * (maxY - minY)) / count) * 1.5 || 1;
  const columns = Math.floor((maxX - minX) / size) + 1;
  const rows = Math.floor((maxY - minY) / size) + 1;
  const start = new Int32Array(columns * rows + 1);
  const bucketOf = (sample: number): number =>
    Math.floor((samples[sample * 2 + 1]! - minY) / size) * columns + Math.floor((samples[sample * 2]! - minX) / size);
  for (let sample = 0; sample < count; sample++) start[bucketOf(sample) + 1]!++;
  for (let bucket = 0; bucket < columns * rows; bucket++) start[bucket + 1]! += start[bucket]!;
  const filled = start.slice(0, -1);
  const members = new Int32Array(count);
  for (let sample = 0; sample < count; sample++) members[filled[bucketOf(sample)]!++] = sample;

  return (x, y) => {
    const column = Math.max(0, Math.min(columns - 1, Math.floor((x - minX) / size)));
    const row = Math.max(0, Math.min(rows - 1, Math.floor((y - minY) / size)));
    let best = -1;
    let bestDistance = Number.POSITIVE_INFINITY;
    const maxRing = Math.max(columns, rows);
    for (let ring = 0; ring <= maxRing; ring++) {
      if (best >= 0 && (ring - 1) * size > Math.sqrt(bestDistance)) break;
      for (let bucketRow = row - ring; bucketRow <= row + ring; bucketRow++) {
        if (bucketRow < 0 || bucketRow >= rows) continue;
        const onEdge = bucketRow === row - ring || bucketRow === row + ring;
        for (let bucketColumn = column - ring; bucketColumn <= column + ring; bucketColumn += onEdge ? 1 : 2 * ring) {
          if (bucketColumn >= 0 && bucketColumn < columns) {
            const bucket = bucketRow * columns + bucketColumn;
            for (let slot = start[bucket]!; slot < start[bucket + 1]!; slot++) {
              const sample = members[slot]!;
              const distance = (samples[sample * 2]! - x) ** 2 + (samples[sample * 2 + 1]! - y) ** 2;
              if (distance < bestDistance || (distance === bestDistance && sample < best)) {
                bestDistance = distance;
                best = sample;
              }
            }
          }
          if (ring === 0) break;
        }
      }
    }
    return best;
  };
}
