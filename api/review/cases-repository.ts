import { type SQL, sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.ts';
import type { CaseState } from '../vocabulary/case-states.ts';
import type { KpiKey } from '../vocabulary/review.ts';
import type { CaseOutcome } from './contracts.ts';
import { caseFactsSql, dueInWindow, type ReviewWindow } from './repository.ts';

/** Which of a period's due cases each case KPI counts below the line and above it (the same rules as caseSumsSql). */
const CASE_KPI_SIDES: Partial<Record<KpiKey, { denominator: SQL; numerator: SQL }>> = {
  on_time_closure: { denominator: sql`NOT f.deferred`, numerator: sql`NOT f.deferred AND f.closed AND f.closed_on_time` },
  closure: { denominator: sql`NOT f.deferred`, numerator: sql`NOT f.deferred AND f.closed` },
  rework: { denominator: sql`f.handled`, numerator: sql`f.handled AND f.reworked` },
  ack_minutes: {
    denominator: sql`f.acknowledged_at IS NOT NULL AND f.dispatched_at IS NOT NULL`,
    numerator: sql`f.acknowledged_at IS NOT NULL AND f.dispatched_at IS NOT NULL`,
  },
  close_minutes: { denominator: sql`f.closed`, numerator: sql`f.closed` },
  on_spot: { denominator: sql`true`, numerator: sql`f.on_spot` },
  resident_satisfaction: { denominator: sql`f.resident_count > 0`, numerator: sql`f.resident_count > 0` },
  department_evaluation: { denominator: sql`f.department_count > 0`, numerator: sql`f.department_count > 0` },
  worker_evaluation: { denominator: sql`f.worker_count > 0`, numerator: sql`f.worker_count > 0` },
};

export interface ReviewCaseRow {
  id: string;
  caseNumber: string;
  type: string;
  state: CaseState;
  cellCode: string;
  reportedAt: string;
  dueAt: string;
  closedAt: string | null;
  closedOnTime: boolean;
  deferred: boolean;
  handled: boolean;
  reworked: boolean;
  onSpot: boolean;
  assignedDepartmentCode: string | null;
  inNumerator: boolean;
}

const iso = (column: SQL) => sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The cases behind a KPI's figure; through the reader's scoped handle. */
export function reviewCasesRepository(db: Queryable) {
  return {
    async list(window: ReviewWindow, kpi: KpiKey, outcome: CaseOutcome, limit: number, offset: number) {
      const sides = CASE_KPI_SIDES[kpi];
      if (!sides) throw new Error(`the KPI ${kpi} has no cases behind it`);
      const filter = {
        numerator: sides.numerator,
        denominator: sides.denominator,
        outside: sql`(${sides.denominator}) AND NOT (${sides.numerator})`,
        deferred: sql`f.deferred`,
      }[outcome];
      const rows = await db.rows<ReviewCaseRow & { total: number }>(sql`${caseFactsSql(window)}
        SELECT f.id, f.case_number AS "caseNumber", f.type, f.state, f.cell_code AS "cellCode",
          ${iso(sql`f.reported_at`)} AS "reportedAt", ${iso(sql`f.due`)} AS "dueAt",
          CASE WHEN f.closed_at IS NULL THEN NULL ELSE ${iso(sql`f.closed_at`)} END AS "closedAt",
          f.closed_on_time AS "closedOnTime", f.deferred, f.handled, f.reworked, f.on_spot AS "onSpot",
          f.assigned_department_code AS "assignedDepartmentCode",
          coalesce(${sides.numerator}, false) AS "inNumerator",
          count(*) OVER ()::int AS total
        FROM facts f
        WHERE ${dueInWindow(window)} AND (${filter})
        ORDER BY f.due, f.id
        LIMIT ${limit} OFFSET ${offset}`);
      return { items: rows.map(({ total: _total, ...row }) => row), total: rows[0]?.total ?? 0 };
    },
  };
}
