import { type AssignmentResult, assignmentTargets, printAssignment } from './assignment.ts';
import { type LiveDeliveryResult, liveDeliveryTargets, printLiveDelivery } from './live.ts';
import type { LoadResult } from './load.ts';
import { type PatrolCoverageResult, patrolCoverageTargets, printPatrolCoverage } from './patrol-coverage.ts';
import type { CpuPerRequest } from './rounds.ts';

export interface EngineResult {
  engine: 'postgres' | 'pglite';
  firstStartMs: number;
  secondStartMs: number;
  peakRssMiB: number;
  raw: { c1: LoadResult; c8: LoadResult; what: string };
  /**
   * PostgreSQL only: the same SQL with its result sent as bytes (binary COPY, as the server
   * reads it) rather than as the hex text node-postgres asks for; a lower floor, for reference.
   */
  rawCopy?: { c1: LoadResult; c8: LoadResult };
  /**
   * PostgreSQL only: the binary COPY again, through a pool of as many connections as the server
   * reads over (defaultReadConnections), so no more statements run at once than the server lets
   * in; what the database gives at that admission, for reference.
   */
  rawAdmitted?: { c1: LoadResult; c8: LoadResult; connections: number };
  /** PostgreSQL only: a bare Node http server running the same SQL (bare-tiles.ts), for what HTTP alone costs. */
  bare?: { c1: LoadResult; c8: LoadResult };
  cold: { c1: LoadResult; c8: LoadResult };
  /** Warm cache, asked as a browser asks (Accept-Encoding: gzip). */
  warm: { c1: LoadResult; c8: LoadResult };
  /** Warm cache, asked without Accept-Encoding: the tiles as they are, three to four times the bytes. */
  warmIdentity: { c1: LoadResult; c8: LoadResult };
  /**
   * PostgreSQL only: the raw SQL again, in rounds alternating with the warm cache's, which the
   * warm ratio is taken against (a floor measured minutes earlier may have met a faster spell).
   */
  warmFloor?: { c1: LoadResult; c8: LoadResult };
  /**
   * PGlite only, when PostgreSQL was measured in the same run: the PostgreSQL server (cache cold,
   * 8 clients) again, in rounds alternating with the PGlite server's, which the embedded target
   * is taken against: the PostgreSQL section ran minutes earlier, and its two cores gain more in
   * a fast spell of this machine than PGlite's one does.
   */
  postgresBeside?: LoadResult;
  /** PostgreSQL only: CPU per tile of each uncached path at 8 clients. */
  cpu?: Record<'raw' | 'rawCopy' | 'rawAdmitted' | 'bare' | 'server', CpuPerRequest>;
  largestTiles: { z: number; layer: string; raw: number; gzip: number }[];
  tileCount: number;
  assignment: AssignmentResult;
  patrolCoverage: PatrolCoverageResult;
  live: LiveDeliveryResult;
}

const fmt = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

export function printEngine(result: EngineResult): void {
  console.log(
    `\n## ${result.engine === 'postgres' ? 'PostgreSQL + PostGIS' : 'embedded PGlite + PostGIS'} (${result.tileCount} tiles per pass)\n`,
  );
  console.log('| path | clients | tiles/s | p50 ms | p99 ms | failures | ratio to raw SQL |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  const row = (name: string, clients: 1 | 8, load: LoadResult, against: { c1: LoadResult; c8: LoadResult } = result.raw) => {
    const floor = clients === 1 ? against.c1 : against.c8;
    console.log(
      `| ${name} | ${clients} | ${fmt(load.perSecond, 0)} | ${fmt(load.p50Ms, 2)} | ${fmt(load.p99Ms, 2)} | ${load.failures} | ${fmt(load.perSecond / floor.perSecond, 2)}x |`,
    );
  };
  row(`raw SQL (${result.raw.what})`, 1, result.raw.c1);
  row(`raw SQL (${result.raw.what})`, 8, result.raw.c8);
  if (result.rawCopy) {
    row('raw SQL, result as bytes by binary COPY', 1, result.rawCopy.c1);
    row('raw SQL, result as bytes by binary COPY', 8, result.rawCopy.c8);
  }
  if (result.rawAdmitted) {
    const name = `raw SQL by binary COPY, ${result.rawAdmitted.connections} at once (the server's read connections)`;
    row(name, 1, result.rawAdmitted.c1);
    row(name, 8, result.rawAdmitted.c8);
  }
  if (result.bare) {
    row('bare Node http + pg, same SQL (no sign-in, scope or cache)', 1, result.bare.c1);
    row('bare Node http + pg, same SQL (no sign-in, scope or cache)', 8, result.bare.c8);
  }
  row('server, cache cold', 1, result.cold.c1);
  row('server, cache cold', 8, result.cold.c8);
  if (result.warmFloor) {
    row('raw SQL again, alternating with the warm cache', 1, result.warmFloor.c1, result.warmFloor);
    row('raw SQL again, alternating with the warm cache', 8, result.warmFloor.c8, result.warmFloor);
  }
  row('server, cache warm (Accept-Encoding: gzip, as a browser asks)', 1, result.warm.c1, result.warmFloor);
  row('server, cache warm (Accept-Encoding: gzip, as a browser asks)', 8, result.warm.c8, result.warmFloor);
  row('server, cache warm, without Accept-Encoding (tiles as they are)', 1, result.warmIdentity.c1, result.warmFloor);
  row('server, cache warm, without Accept-Encoding (tiles as they are)', 8, result.warmIdentity.c8, result.warmFloor);
  if (result.postgresBeside) {
    row('PostgreSQL server, cache cold, in rounds beside the PGlite server', 8, result.postgresBeside);
  }
  if (result.cpu) {
    const ms = (value: number | null) => (value === null ? '–' : fmt(value, 2));
    console.log('\nCPU per tile at 8 clients, ms (PostgreSQL: every local postgres process; load: this process):\n');
    console.log('| path | PostgreSQL | server | load | total |\n| --- | --- | --- | --- | --- |');
    const names = {
      raw: 'raw SQL over pg',
      rawCopy: 'raw SQL by binary COPY',
      rawAdmitted: 'raw SQL by binary COPY, as many at once as the server',
      bare: 'bare Node http + pg',
      server: 'server, cache cold',
    };
    for (const [key, name] of Object.entries(names)) {
      const { postgresMs, serverMs, clientMs } = result.cpu[key as keyof typeof names];
      console.log(
        `| ${name} | ${ms(postgresMs)} | ${ms(serverMs)} | ${ms(clientMs)} | ${ms(postgresMs + (serverMs ?? 0) + clientMs)} |`,
      );
    }
  }
  console.log('\n| zoom | largest tile | raw | gzip |\n| --- | --- | --- | --- |');
  for (const tile of result.largestTiles) console.log(`| ${tile.z} | ${tile.layer} | ${kb(tile.raw)} | ${kb(tile.gzip)} |`);
  console.log(
    `\nfirst start (migrate + seed full county): ${fmt(result.firstStartMs / 1000)} s; second start: ${fmt(result.secondStartMs / 1000)} s; server peak memory: ${fmt(result.peakRssMiB, 0)} MiB`,
  );
  printAssignment(result.assignment);
  printPatrolCoverage(result.patrolCoverage);
  printLiveDelivery(result.live);
}

export function printTargets(results: EngineResult[], otherTargets: [string, string, boolean][]): void {
  const postgres = results.find((result) => result.engine === 'postgres');
  const pglite = results.find((result) => result.engine === 'pglite');
  const checks: [string, string, boolean][] = [];
  if (postgres) {
    const coldRatio = postgres.cold.c8.perSecond / postgres.raw.c8.perSecond;
    const warmRatio = postgres.warm.c8.perSecond / (postgres.warmFloor ?? postgres.raw).c8.perSecond;
    checks.push(['PostgreSQL cold cache, 8 clients ≥ 0.9x raw ST_AsMVT', `${fmt(coldRatio, 3)}x`, coldRatio >= 0.9]);
    if (postgres.rawCopy) {
      const copyRatio = postgres.cold.c8.perSecond / postgres.rawCopy.c8.perSecond;
      checks.push([
        'PostgreSQL cold cache, 8 clients ≥ 0.9x raw ST_AsMVT with its result by binary COPY (the lower floor)',
        `${fmt(copyRatio, 3)}x`,
        copyRatio >= 0.9,
      ]);
    }
    const identityRatio = postgres.warmIdentity.c8.perSecond / (postgres.warmFloor ?? postgres.raw).c8.perSecond;
    checks.push([
      'PostgreSQL warm cache, 8 clients ≥ 20x raw ST_AsMVT (asked as a browser asks, gzip)',
      `${fmt(warmRatio, 1)}x (${fmt(identityRatio, 1)}x without Accept-Encoding)`,
      warmRatio >= 20,
    ]);
  }
  if (postgres && pglite) {
    const beside = pglite.postgresBeside;
    const slower = (beside ?? postgres.cold.c8).perSecond / pglite.cold.c8.perSecond;
    checks.push([
      `embedded uncached ≤ 3x slower than PostgreSQL uncached (8 clients${beside ? ', measured in alternating rounds' : ''})`,
      `${fmt(slower, 2)}x slower`,
      slower <= 3,
    ]);
  }
  for (const result of results) {
    const z8 = result.largestTiles.find((tile) => tile.z === 8);
    if (z8) checks.push([`${result.engine}: largest z8 tile ≤ 300 KB gzipped`, kb(z8.gzip), z8.gzip <= 300 * 1024]);
    checks.push([
      `${result.engine}: first start with full seed ≤ 120 s`,
      `${fmt(result.firstStartMs / 1000)} s`,
      result.firstStartMs <= 120_000,
    ]);
    checks.push([
      `${result.engine}: second start ≤ 10 s`,
      `${fmt(result.secondStartMs / 1000)} s`,
      result.secondStartMs <= 10_000,
    ]);
  }
  if (pglite) checks.push(['embedded server memory < 1.5 GB', `${fmt(pglite.peakRssMiB, 0)} MiB`, pglite.peakRssMiB < 1536]);
  console.log('\n## targets\n\n| target | measured | met |\n| --- | --- | --- |');
  for (const result of results) {
    checks.push(...assignmentTargets(result.engine, result.assignment), ...liveDeliveryTargets(result.engine, result.live));
    checks.push(...patrolCoverageTargets(result.engine, result.patrolCoverage));
  }
  checks.push(...otherTargets);
  for (const [target, measured, met] of checks) console.log(`| ${target} | ${measured} | ${met ? 'yes' : 'NO'} |`);
}
