export interface LoadResult {
  requests: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  failures: number;
}

function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? Number.NaN;
}

/**
 * Runs `task` over every item of `work` (repeated `passes` times) with `concurrency`
 * workers pulling from one queue; returns throughput and latency percentiles.
 */
export async function runLoad<T>(
  work: T[],
  concurrency: number,
  task: (item: T) => Promise<boolean>,
  passes = 1,
): Promise<LoadResult> {
  const queue = Array.from({ length: passes }, () => work).flat();
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < queue.length) {
        const item = queue[next++] as T;
        const begin = performance.now();
        const ok = await task(item);
        latencies.push(performance.now() - begin);
        if (!ok) failures++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests: queue.length,
    seconds,
    perSecond: queue.length / seconds,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    failures,
  };
}
