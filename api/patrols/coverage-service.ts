import { isWithinScope, levelOfCode } from '../../geo/area-codes.ts';
import type { AreaLevel } from '../../geo/types.ts';
import type { Principal } from '../app-env.ts';
import type { Queryable } from '../db/client.ts';
import { badRequest, notFound } from '../errors.ts';
import { countyDay, DEFAULT_COVERAGE_DISTANCE_M } from './cells-repository.ts';
import { type CoverageRow, coverageRepository } from './coverage-repository.ts';

/** Walked cells against all cells: a share with its numerator and denominator, never a bare percentage. */
function sharesOf(row: Pick<CoverageRow, 'cells' | 'day1' | 'day7' | 'day30'>) {
  return { cells: row.cells, day1: row.day1, day7: row.day7, day30: row.day30 };
}

/** The area whose coverage is asked for: the caller's scope when none is named; one outside it is not found. */
function areaOf(principal: Principal, code: string | undefined): { areaCode: string; level: AreaLevel } {
  const areaCode = code ?? principal.scopeCode;
  const level = levelOfCode(areaCode);
  if (!level || level === 'cell') {
    throw badRequest(
      'invalid_area_code',
      {
        zh: `区划代码“${areaCode}”不适用：应为县、乡镇、村（社区）或网格的代码（6、9、12 或 15 位数字）`,
        en: `"${areaCode}" does not fit: give a county, township, village or grid code (6, 9, 12 or 15 digits)`,
      },
      { code: areaCode },
    );
  }
  if (!isWithinScope(areaCode, principal.scopeCode)) {
    throw notFound('area_not_found', { zh: `找不到区划 ${areaCode}`, en: `No area with code ${areaCode}` }, { code: areaCode });
  }
  return { areaCode, level };
}

/**
 * Patrol coverage per cell, for those who review it (patrols.view): the share of cells walked in
 * the last 1, 7 and 30 county days per child of an area, and the days since each cell was last
 * walked, for the map. Both read the derived cell-days (patrol_cells) through the reader's scoped
 * handle. They are aggregates over cells, not anyone's track, so a read is not written to the
 * audit log (a track read is: api/patrols/service.ts).
 */
export function patrolCoverageService(options: { distanceM?: number; now?: () => Date } = {}) {
  const now = options.now ?? (() => new Date());
  const distanceM = options.distanceM ?? DEFAULT_COVERAGE_DISTANCE_M;
  return {
    /** The area's coverage and each child's, as of today in the county's time zone. */
    async children(scoped: Queryable, principal: Principal, code: string | undefined) {
      const { areaCode, level } = areaOf(principal, code);
      const asOf = countyDay(now());
      const [area, ...children] = await coverageRepository(scoped).childCoverage(areaCode, asOf);
      if (area?.code !== areaCode) {
        throw notFound(
          'area_not_found',
          { zh: `找不到区划 ${areaCode}`, en: `No area with code ${areaCode}` },
          { code: areaCode },
        );
      }
      return {
        asOf,
        distanceM,
        area: { code: area.code, name: area.name, level, ...sharesOf(area) },
        children: children.map((row) => ({
          code: row.code,
          name: row.name,
          level: levelOfCode(row.code) ?? 'cell',
          ...sharesOf(row),
        })),
      };
    },

    /**
     * Days since each cell of the area was last walked (0: today), keyed by the cell code without
     * the area's prefix, to keep a county's answer small; cells not listed were not walked in the
     * last 30 days.
     */
    async cellDays(scoped: Queryable, principal: Principal, code: string | undefined) {
      const { areaCode } = areaOf(principal, code);
      const asOf = countyDay(now());
      const rows = await coverageRepository(scoped).daysSinceWalked(areaCode, asOf);
      return {
        asOf,
        areaCode,
        days: Object.fromEntries(rows.map((row) => [row.cellCode.slice(areaCode.length), row.days])),
      };
    },
  };
}

export type PatrolCoverageService = ReturnType<typeof patrolCoverageService>;
