import { readdirSync, readFileSync } from 'node:fs';
import type { ServerProcess } from '../support/server-process.ts';
import { type LoadResult, runLoad } from './load.ts';

import { httpTask, type TileRequest } from './tile-requests.ts';

/**
 * Rounds per path when paths alternate; each path's figure is its median round. Five rounds of
 * two passes (a few seconds each): with three rounds of one pass (under a second at 8 clients)
 * one slow spell of this shared machine could move a figure by a fifth.
 */
export const ROUNDS = 5;
/** Passes over the tiles per round of an uncached path. */
export const UNCACHED_PASSES = 2;
/** Passes over the tiles per measurement of the warm cache, which serves a pass in a few dozen ms. */
export const WARM_PASSES = 20;
/**
 * Passes over the tiles each path serves before it is measured, cache still off, so that V8 has
 * compiled the code a long-running server runs. A fresh server spent about a fifth of its CPU
 * in V8's optimising compiler during its first passes: its CPU per tile at 8 clients fell from
 * 2.4 ms on the first pass to 0.9 on the fourth and settled near 0.5 after about fourteen (the
 * bare server's, from 1.7 to 0.3). Measured after one pass, the server was being compared
 * while still compiling.
 */
export const JIT_WARMUP_PASSES = 16;

/** The round with the median throughput (its latencies come with it). */
export function medianRound(results: LoadResult[]): LoadResult {
  const sorted = [...results].sort((a, b) => a.perSecond - b.perSecond);
  return sorted[Math.floor(sorted.length / 2)] as LoadResult;
}

/** Linux's USER_HZ, the unit of /proc/<pid>/stat's utime and stime. */
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU seconds a process has used so far, from /proc (Linux); 0 where it cannot be read. */
function processCpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** CPU seconds used so far by every local process named postgres (the server and its backends); 0 when none is visible. */
function postgresCpuSeconds(): number {
  let seconds = 0;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return 0;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').startsWith('postgres')) seconds += processCpuSeconds(Number(entry));
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return seconds;
}

/** Milliseconds of CPU per request over all rounds of one path: PostgreSQL's, the server's (if any) and the load's own. */
export interface CpuPerRequest {
  postgresMs: number;
  serverMs: number | null;
  clientMs: number;
}

interface AlternatedPath {
  task: (tile: TileRequest) => Promise<boolean>;
  /** Passes over the tiles per round (default UNCACHED_PASSES). */
  passes?: number;
  /** The process serving the path, whose CPU is counted; none for SQL run from this process. */
  pid?: number;
}

/**
 * Measures several paths over the same tiles in alternating rounds (a, b, c, a, b, c, …), so
 * that a slow spell of this machine (its cores are shared with other guests of the host, and
 * runs have differed by a quarter) falls on all of them alike; each path's figure is its median
 * round. Also counts the CPU each path costs per request, since here the load, Node and
 * PostgreSQL share two cores and throughput follows the CPU a request costs in all three.
 */
export async function alternate<K extends string>(
  paths: Record<K, AlternatedPath>,
  tiles: TileRequest[],
  concurrency: number,
): Promise<Record<K, LoadResult & { cpu: CpuPerRequest }>> {
  const keys = Object.keys(paths) as K[];
  const rounds = new Map(keys.map((key) => [key, [] as LoadResult[]]));
  const cpu = new Map(keys.map((key) => [key, { postgres: 0, server: 0, client: 0, requests: 0 }]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const key of keys) {
      const { task, passes = UNCACHED_PASSES, pid } = paths[key];
      const before = { postgres: postgresCpuSeconds(), server: pid ? processCpuSeconds(pid) : 0, client: process.cpuUsage() };
      const result = await runLoad(tiles, concurrency, task, passes);
      const used = cpu.get(key)!;
      used.postgres += postgresCpuSeconds() - before.postgres;
      used.server += pid ? processCpuSeconds(pid) - before.server : 0;
      const client = process.cpuUsage(before.client);
      used.client += (client.user + client.system) / 1e6;
      used.requests += result.requests;
      rounds.get(key)!.push(result);
    }
  }
  return Object.fromEntries(
    keys.map((key) => {
      const used = cpu.get(key)!;
      const perRequest = (seconds: number) => (1000 * seconds) / used.requests;
      return [
        key,
        {
          ...medianRound(rounds.get(key)!),
          cpu: {
            postgresMs: perRequest(used.postgres),
            serverMs: paths[key].pid ? perRequest(used.server) : null,
            clientMs: perRequest(used.client),
          },
        },
      ];
    }),
  ) as Record<K, LoadResult & { cpu: CpuPerRequest }>;
}

export async function measureServer(
  server: Pick<ServerProcess, 'url'>,
  tiles: TileRequest[],
  passes: number,
  options: { acceptGzip?: boolean } = {},
) {
  const task = httpTask(server, options);
  return { c1: await runLoad(tiles, 1, task, passes), c8: await runLoad(tiles, 8, task, passes) };
}
