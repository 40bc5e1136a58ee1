import { sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.ts';
import { isReportType } from '../vocabulary/report-types.ts';
import type { Department } from './contracts.ts';

/** The county departments, their lines (report types) read as the vocabulary's. */
export function departmentsRepository(db: Queryable) {
  return {
    async list(): Promise<Department[]> {
      // The array travels as JSON text, which both drivers read alike.
      const rows = await db.rows<{ code: string; name: string; reportTypes: string; kind: Department['kind'] }>(sql`
        SELECT code, name, to_json(report_types)::text AS "reportTypes", kind FROM departments ORDER BY code`);
      return rows.map((row) => ({
        code: row.code,
        name: row.name,
        kind: row.kind,
        reportTypes: (JSON.parse(row.reportTypes) as string[]).filter(isReportType),
      }));
    },
  };
}
