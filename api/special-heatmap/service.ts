import { isWithinScope, levelOfCode } from '../../geo/area-codes.ts';
import { HEX_SIZES_M, type HexSize } from '../../geo/hexagons.ts';
import type { AuditContext } from '../audit/service.ts';
import { recordRead } from '../audit/service.ts';
import type { Database, Queryable } from '../db/client.ts';
import { AppError, badRequest, notFound } from '../errors.ts';
import type { RiskColour } from '../vocabulary/special-populations.ts';
import { accessDetails, type PersonalAccess, personalAccess } from './access-service.ts';
import { type AtomQuery, type Measure, specialHeatmapRepository } from './repository.ts';
import { MIN_PEOPLE, totalOf, unitFigures } from './suppression.ts';

/** The worst risk colour of a cell from the rank the repository gives (3 red, 2 yellow, 1 blue). */
const RISK_BY_RANK: Record<number, RiskColour> = { 3: 'red', 2: 'yellow', 1: 'blue' };

/** The longest period one request may span, in months. */
const MAX_MONTHS = 24;
/** The one hexagon size open to readers without personal access (suppression.ts: one partition). */
const AGGREGATE_HEX_SIZE: HexSize = 'medium';

export interface HeatmapRequest {
  measure: Measure;
  unit: 'cell' | 'hex';
  size: HexSize;
  /** First and last month, `YYYY-MM`, both included. */
  from: string;
  to: string;
  area?: string | undefined;
  categories?: string[] | undefined;
}

/** The county day of an instant (Asia/Shanghai, no daylight saving). */
const countyDay = (instant: Date) => new Date(instant.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

function monthIndex(month: string): number {
  const [year, number] = month.split('-').map(Number) as [number, number];
  return year * 12 + number - 1;
}

function monthOf(index: number): string {
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Whole calendar months, county time: the period's bounds as instants and as days (half-open). */
function periodOf(from: string, to: string) {
  const first = monthIndex(from);
  const last = monthIndex(to);
  if (last < first || last - first + 1 > MAX_MONTHS) {
    throw badRequest(
      'invalid_period',
      {
        zh: `时段应为 1 至 ${MAX_MONTHS} 个整月，且结束月不早于开始月`,
        en: `The period is 1 to ${MAX_MONTHS} whole months, ending no earlier than it starts`,
      },
      { from, to },
    );
  }
  const fromDay = `${monthOf(first)}-01`;
  const toDay = `${monthOf(last + 1)}-01`;
  return {
    months: Array.from({ length: last - first + 1 }, (_, offset) => monthOf(first + offset)),
    fromDay,
    toDay,
    fromInstant: `${fromDay}T00:00:00+08:00`,
    toInstant: `${toDay}T00:00:00+08:00`,
  };
}

function areaOf(scopeCode: string, code: string | undefined): string {
  const areaCode = code ?? scopeCode;
  if (!levelOfCode(areaCode)) {
    throw badRequest('invalid_area_code', { zh: `区划代码“${areaCode}”无效`, en: `"${areaCode}" is no area code` });
  }
  if (!isWithinScope(areaCode, scopeCode)) {
    throw notFound('area_not_found', { zh: `找不到区划 ${areaCode}`, en: `No area with code ${areaCode}` }, { code: areaCode });
  }
  return areaCode;
}

const personalOnly = () =>
  new AppError(403, 'personal_access_required', {
    zh: '此区域的个人位置与单元格明细仅限有个人信息权限的人员查看（可申请紧急查看）',
    en: 'Points and cell detail of this area need personal access (break the glass if you must)',
  });

/**
 * Special-population heatmaps (issue 17): visits made and follow-ups overdue, per fixed unit over
 * whole months. Readers with personal access in the area (their role in scope, or a live
 * break-the-glass grant) get exact figures, cells and points, each request audited; the others get
 * hexagons of one size with every figure suppressed as suppression.ts argues.
 */
export function specialHeatmapService(owner: Database, options: { now?: () => Date } = {}) {
  const now = options.now ?? (() => new Date());

  async function auditPersonal(context: AuditContext, access: PersonalAccess, action: string, areaCode: string, details: object) {
    await recordRead(owner, context, {
      action,
      targetType: 'area',
      targetId: areaCode,
      scopeCode: areaCode,
      details: { ...details, ...accessDetails(access) },
    });
  }

  function atomQuery(request: HeatmapRequest, areaCode: string, unit: 'cell' | 'hex', size: HexSize, exact: boolean): AtomQuery {
    const period = periodOf(request.from, request.to);
    return {
      measure: request.measure,
      areaCode,
      cutToArea: exact,
      hexRadiusM: unit === 'hex' ? HEX_SIZES_M[size] : null,
      fromInstant: period.fromInstant,
      toInstant: period.toInstant,
      fromDay: period.fromDay,
      toDay: period.toDay,
      today: countyDay(now()),
    };
  }

  return {
    async heatmap(scoped: Queryable, context: AuditContext, request: HeatmapRequest) {
      const areaCode = areaOf(context.principal.scopeCode, request.area);
      const access = await personalAccess(owner, context.principal, areaCode);
      if (!access && request.unit === 'cell') throw personalOnly();
      const size = access ? request.size : AGGREGATE_HEX_SIZE;
      const query = atomQuery(request, areaCode, request.unit, size, access !== null);
      const atoms = await specialHeatmapRepository(scoped).atoms(query);
      const categories = request.categories?.length ? new Set(request.categories) : null;
      const units = unitFigures(atoms, { categories, exact: access !== null });
      const { months } = periodOf(request.from, request.to);
      if (access) await auditPersonal(context, access, 'special.heatmap', areaCode, { measure: request.measure, months });
      return {
        measure: request.measure,
        unit: request.unit,
        size: request.unit === 'hex' ? size : null,
        areaCode,
        months,
        categories: request.categories ?? null,
        exact: access !== null,
        minPeople: MIN_PEOPLE,
        units,
        ...totalOf(units),
      };
    },

    /** Visit fixes or overdue entries' households of the area, for a reader with personal access there. */
    async points(scoped: Queryable, context: AuditContext, request: Omit<HeatmapRequest, 'unit' | 'size' | 'categories'>) {
      const areaCode = areaOf(context.principal.scopeCode, request.area);
      const access = await personalAccess(owner, context.principal, areaCode);
      if (!access) throw personalOnly();
      const query = atomQuery(
        { ...request, unit: 'cell', size: 'small', categories: undefined },
        areaCode,
        'cell',
        'small',
        true,
      );
      const points = await specialHeatmapRepository(scoped).points(query);
      await auditPersonal(context, access, 'special.points', areaCode, {
        measure: request.measure,
        months: periodOf(request.from, request.to).months,
        points: points.length,
      });
      return { measure: request.measure, areaCode, points };
    },

    /** Per cell of the area: entries overdue today and the worst risk among them (personal access only). */
    async overdueCells(scoped: Queryable, context: AuditContext, area: string | undefined) {
      const areaCode = areaOf(context.principal.scopeCode, area);
      const access = await personalAccess(owner, context.principal, areaCode);
      if (!access) throw personalOnly();
      const today = countyDay(now());
      const rows = await specialHeatmapRepository(scoped).overdueCells(areaCode, today);
      const cells = rows.map(({ cellCode, overdue, worstRank }) => ({
        cellCode,
        overdue,
        worst: RISK_BY_RANK[worstRank] ?? 'red',
      }));
      await auditPersonal(context, access, 'special.overdue_cells', areaCode, { cells: cells.length });
      return { areaCode, asOf: today, cells };
    },
  };
}

export type SpecialHeatmapService = ReturnType<typeof specialHeatmapService>;
