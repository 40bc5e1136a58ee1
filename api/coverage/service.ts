import { AREA_LEVELS } from '../../geo/types.ts';
import type { Database } from '../db/client.ts';
import { coverageRepository } from './repository.ts';

/** Areas below this many square metres are floating-point slivers, not defects (1 m² on a 4,000 km² county). */
export const DEFAULT_TOLERANCE_M2 = 1;
/** How many offending items each section lists; the counts are always complete. */
const SAMPLE_SIZE = 20;

interface CoverageSection<Item> {
  count: number;
  totalM2?: number;
  maxM2?: number;
  items: Item[];
}

export interface CoverageReport {
  ok: boolean;
  toleranceM2: number;
  counts: Record<string, number>;
  households: number;
  defects: {
    invalidGeometries: CoverageSection<{ code: string; level: string; reason: string }>;
    orphans: CoverageSection<{ code: string; parentCode: string | null; problem: string }>;
    gaps: CoverageSection<{ parentCode: string; parentLevel: string; childCount: number; gapM2: number }>;
    overlaps: CoverageSection<{ parentCode: string | null; codeA: string; codeB: string; overlapM2: number }>;
    outsideParent: CoverageSection<{ code: string; parentCode: string; outsideM2: number }>;
    householdsOutsideCells: CoverageSection<{ code: string; cellCode: string }>;
    householdsInSeveralCells: CoverageSection<{ code: string; cellCode: string; containingCells: number }>;
    householdsInWrongCell: CoverageSection<{ code: string; cellCode: string }>;
  };
  /** Checks that could not run at all (for example GEOS refusing a broken geometry), with the reason. */
  failedChecks: { check: string; error: string }[];
}

function section<Item>(items: Item[], areaOf?: (item: Item) => number): CoverageSection<Item> {
  const result: CoverageSection<Item> = { count: items.length, items: items.slice(0, SAMPLE_SIZE) };
  if (areaOf) {
    const areas = items.map(areaOf);
    result.totalM2 = Math.round(areas.reduce((sum, value) => sum + value, 0) * 100) / 100;
    result.maxM2 = Math.round(Math.max(0, ...areas) * 100) / 100;
  }
  return result;
}

/**
 * Checks that the loaded hierarchy tiles its county (网不漏格) and that every household is
 * in exactly one cell, its own (格不漏户). It reports every defect it finds and keeps going
 * when a check cannot run, so it is safe on imported, possibly broken, data.
 */
export async function checkCoverage(db: Pick<Database, 'rows'>, toleranceM2 = DEFAULT_TOLERANCE_M2): Promise<CoverageReport> {
  const repository = coverageRepository(db);
  const failedChecks: CoverageReport['failedChecks'] = [];
  async function attempt<T>(check: string, run: () => Promise<T[]>): Promise<T[]> {
    try {
      return await run();
    } catch (error) {
      failedChecks.push({ check, error: error instanceof Error ? error.message : String(error) });
      return [];
    }
  }
  const parentLevels = AREA_LEVELS.slice(0, -1);
  const childLevels = AREA_LEVELS.slice(1);
  const counts = Object.fromEntries((await repository.levelCounts()).map((row) => [row.level, row.count]));
  const invalid = await attempt('invalidGeometries', repository.invalidGeometries);
  const orphans = await attempt('orphans', repository.orphans);
  const gaps: Awaited<ReturnType<typeof repository.gaps>> = [];
  const overlaps: Awaited<ReturnType<typeof repository.overlaps>> = [];
  const outside: Awaited<ReturnType<typeof repository.outsideParent>> = [];
  for (const level of parentLevels) gaps.push(...(await attempt(`gaps:${level}`, () => repository.gaps(level, toleranceM2))));
  for (const level of childLevels) {
    overlaps.push(...(await attempt(`overlaps:${level}`, () => repository.overlaps(level, toleranceM2))));
    outside.push(...(await attempt(`outsideParent:${level}`, () => repository.outsideParent(level, toleranceM2))));
  }
  const householdDefects = await attempt('households', repository.householdDefects);
  const byArea = <T>(rows: T[], areaOf: (row: T) => number) => [...rows].sort((a, b) => areaOf(b) - areaOf(a));

  const report: CoverageReport = {
    ok: false,
    toleranceM2,
    counts,
    households: await repository.householdCount(),
    defects: {
      invalidGeometries: section(invalid),
      orphans: section(orphans),
      gaps: section(
        byArea(gaps, (row) => row.gapM2),
        (row) => row.gapM2,
      ),
      overlaps: section(
        byArea(overlaps, (row) => row.overlapM2),
        (row) => row.overlapM2,
      ),
      outsideParent: section(
        byArea(outside, (row) => row.outsideM2),
        (row) => row.outsideM2,
      ),
      householdsOutsideCells: section(
        householdDefects.filter((row) => row.containingCells === 0).map(({ code, cellCode }) => ({ code, cellCode })),
      ),
      householdsInSeveralCells: section(
        householdDefects
          .filter((row) => row.containingCells > 1)
          .map(({ code, cellCode, containingCells }) => ({ code, cellCode, containingCells })),
      ),
      householdsInWrongCell: section(
        householdDefects
          .filter((row) => row.containingCells === 1 && !row.inOwnCell)
          .map(({ code, cellCode }) => ({ code, cellCode })),
      ),
    },
    failedChecks,
  };
  report.ok = failedChecks.length === 0 && Object.values(report.defects).every((defect) => defect.count === 0);
  return report;
}
