import { sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.ts';
import type { departments } from '../db/schema.ts';
import { isReportType, type ReportType } from '../vocabulary/report-types.ts';

/** A row of `departments`, its lines (report types) read as the vocabulary's. */
export type DepartmentRow = Pick<typeof departments.$inferSelect, 'code' | 'name'> & {
  /** The lines (report types) the department answers for. */
  reportTypes: ReportType[];
};

export function departmentsRepository(db: Queryable) {
  return {
    async list(): Promise<DepartmentRow[]> {
      // The array travels as JSON text, which both drivers read alike.
      const rows = await db.rows<{ code: string; name: string; reportTypes: string }>(sql`
        SELECT code, name, to_json(report_types)::text AS "reportTypes" FROM departments ORDER BY code`);
      return rows.map((row) => ({
        code: row.code,
        name: row.name,
        reportTypes: (JSON.parse(row.reportTypes) as string[]).filter(isReportType),
      }));
    },
  };
}
