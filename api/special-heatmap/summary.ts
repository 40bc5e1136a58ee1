import { sql } from 'drizzle-orm';
import { isWithinScope, levelOfCode } from '../../geo/area-codes.ts';
import { type AuditContext, recordRead } from '../audit/service.ts';
import type { Database, Queryable } from '../db/client.ts';
import { badRequest, notFound } from '../errors.ts';
import { DUE_SOON_DAYS, SPECIAL_CATEGORY_CODES } from '../vocabulary/special-populations.ts';
import { accessDetails, personalAccess } from './access-service.ts';
import { type Atom, totalOf, unitFigures } from './suppression.ts';

const MEASURES = ['registered', 'overdue', 'dueSoon'] as const;
type SummaryMeasure = (typeof MEASURES)[number];

interface SummaryRow {
  child: string;
  category: string;
  registered: number;
  overdue: number;
  dueSoon: number;
}

/** The county day of an instant (Asia/Shanghai). */
const countyDay = (instant: Date) => new Date(instant.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

/**
 * Per child of an area and per category: active entries, those overdue today, and those due within
 * DUE_SOON_DAYS, over what the handle's scope shows. Each entry is one person, so a count is its people.
 */
function summaryRows(db: Queryable, areaCode: string, today: string) {
  return db.rows<SummaryRow>(sql`
    SELECT left(area_code, ${areaCode.length + 3}::int) AS child, category, count(*)::int AS registered,
      count(*) FILTER (WHERE next_due_on < ${today}::date)::int AS overdue,
      count(*) FILTER (WHERE next_due_on >= ${today}::date AND next_due_on <= ${today}::date + ${DUE_SOON_DAYS}::int)::int AS "dueSoon"
    FROM special_people WHERE active AND area_code ^@ ${areaCode}
    GROUP BY 1, 2 ORDER BY 1, 2`);
}

/**
 * The area panels' figures (issue 17): per child area, entries registered, overdue and due soon,
 * and the registered by category. Exact, and audited, for a reader with personal access in the
 * area; for the others suppressed as suppression.ts argues, with each child area a fixed unit
 * (its value is its own whatever area is asked for), categories withdrawn together where one
 * would give another away, and sums of the shown children only. Not covered by that argument:
 * differencing these child areas against the heatmap's hexagons, two partitions of the same
 * people; where a hexagon straddles areas, that needs several boundary pieces solved together.
 */
export function specialSummaryService(owner: Database, options: { now?: () => Date } = {}) {
  const now = options.now ?? (() => new Date());
  return {
    async summary(scoped: Queryable, context: AuditContext, area: string | undefined) {
      const areaCode = area ?? context.principal.scopeCode;
      const level = levelOfCode(areaCode);
      if (!level || level === 'cell') {
        throw badRequest('invalid_area_code', {
          zh: `区划代码“${areaCode}”不适用：应为县、乡镇、村（社区）或网格的代码`,
          en: `"${areaCode}" does not fit: give a county, township, village or grid code`,
        });
      }
      if (!isWithinScope(areaCode, context.principal.scopeCode)) {
        throw notFound('area_not_found', { zh: `找不到区划 ${areaCode}`, en: `No area with code ${areaCode}` });
      }
      const access = await personalAccess(owner, context.principal, areaCode);
      const today = countyDay(now());
      const rows = await summaryRows(scoped, areaCode, today);
      const exact = access !== null;
      const atomsOf = (measure: SummaryMeasure): Atom[] =>
        rows.map((row) => ({ month: today, unit: row.child, category: row.category, value: row[measure], people: row[measure] }));
      const figures = Object.fromEntries(
        MEASURES.map((measure) => [measure, unitFigures(atomsOf(measure), { categories: null, exact })]),
      ) as Record<SummaryMeasure, ReturnType<typeof unitFigures>>;
      const byCategory = Object.fromEntries(
        SPECIAL_CATEGORY_CODES.map((category) => [
          category,
          unitFigures(atomsOf('registered'), { categories: new Set([category]), exact }),
        ]),
      );
      const children = [...new Set(rows.map((row) => row.child))].map((code) => {
        // No figure: nobody of it in the child (0); a suppressed figure: null.
        const figureOf = (list: ReturnType<typeof unitFigures>) => {
          const figure = list.find((entry) => entry.unit === code);
          return figure ? figure.value : 0;
        };
        return {
          code,
          registered: figureOf(figures.registered),
          overdue: figureOf(figures.overdue),
          dueSoon: figureOf(figures.dueSoon),
          byCategory: Object.fromEntries(
            SPECIAL_CATEGORY_CODES.map((category) => [category, figureOf(byCategory[category] ?? [])]),
          ),
        };
      });
      if (access) {
        await recordRead(owner, context, {
          action: 'special.summary',
          targetType: 'area',
          targetId: areaCode,
          scopeCode: areaCode,
          details: accessDetails(access),
        });
      }
      return {
        areaCode,
        asOf: today,
        exact,
        minPeople: 5,
        children,
        shownSums: {
          registered: totalOf(figures.registered).publishedSum,
          overdue: totalOf(figures.overdue).publishedSum,
          dueSoon: totalOf(figures.dueSoon).publishedSum,
        },
      };
    },
  };
}

export type SpecialSummaryService = ReturnType<typeof specialSummaryService>;
