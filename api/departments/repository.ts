import { sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.ts';
import { isReportType } from '../vocabulary/report-types.ts';
import type { Department } from './contracts.ts';

/** The county departments, their lines (report types) read as the vocabulary's. */
export function departmentsRepository(db: Queryable) {
  return {
    async list(): Promise<Department[]> {
      // The array travels as JSON text, which both drivers read alike.
      const rows = await db.rows<{
        code: string;
        name: string;
        reportTypes: string;
        kind: Department['kind'];
        active: boolean;
      }>(sql`
        SELECT d.code, d.name, to_json(d.report_types)::text AS "reportTypes", d.kind, COALESCE(p.active, true) AS active
        FROM departments d LEFT JOIN service_providers p ON p.code = d.code ORDER BY d.kind, d.code`);
      return rows.map((row) => ({
        code: row.code,
        name: row.name,
        kind: row.kind,
        active: row.active,
        reportTypes: (JSON.parse(row.reportTypes) as string[]).filter(isReportType),
      }));
    },
  };
}
