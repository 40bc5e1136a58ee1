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
  return loadResult(latencies, (performance.now() - started) / 1000, failures);
}

/** `latencies` (ms) over `seconds` of wall time as a LoadResult. */
function loadResult(latencies: readonly number[], seconds: number, failures: number): LoadResult {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    requests: sorted.length,
    seconds,
    perSecond: sorted.length / seconds,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    failures,
  };
}

/**
 * Times two ways to one answer, the floor first in `paths` and the path measured second: `warmups`
 * passes of both at once, then `calls` calls of each one after another, alternating which goes
 * first so that neither always finds the caches the other left.
 */
export async function alternateCalls<Name extends string>(
  paths: Record<Name, () => Promise<unknown>>,
  calls: number,
  warmups: number,
): Promise<Record<Name, LoadResult>> {
  const names = Object.keys(paths) as Name[];
  if (names.length !== 2) throw new Error('alternateCalls times two paths');
  for (let pass = 0; pass < warmups; pass++) await Promise.all(names.map((name) => paths[name]()));
  const times = new Map<Name, number[]>(names.map((name) => [name, []]));
  for (let call = 0; call < calls; call++) {
    for (const name of call % 2 === 0 ? names : [...names].reverse()) {
      const started = performance.now();
      await paths[name]();
      times.get(name)?.push(performance.now() - started);
    }
  }
  return Object.fromEntries(
    names.map((name) => [
      name,
      loadResult(times.get(name) ?? [], (times.get(name) ?? []).reduce((sum, ms) => sum + ms, 0) / 1000, 0),
    ]),
  ) as Record<Name, LoadResult>;
}
