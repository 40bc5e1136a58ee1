import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database } from '../../../api/db/client.ts';

export interface TestReportOptions {
  cellCode: string;
  type?: string;
  urgency?: 'normal' | 'urgent';
  state?: string;
  description?: string;
  /** Defaults to now. */
  reportedAt?: Date;
}

let sequence = 0;

/**
 * A report written straight into the tables (as the owner), at a point inside `cellCode`, with
 * its first timeline step: a fixture for tests of what happens after a report exists.
 * Tests of reporting itself go through POST /api/reports.
 */
export async function insertTestReport(db: Database, options: TestReportOptions): Promise<{ id: string; caseNumber: string }> {
  sequence++;
  const id = randomUUID();
  const caseNumber = `TEST-${process.pid}-${sequence}-${id.slice(0, 6)}`;
  const reportedAt = options.reportedAt ?? new Date();
  const cell = options.cellCode;
  await db.transaction(async (tx) => {
    await tx.rows(sql`
      INSERT INTO reports (id, case_number, client_id, reporter_name, reporter_role, source, type, urgency, description,
        location, cell_code, grid_code, village_code, township_code, state, clock_stage, clock_started_at, reported_at, updated_at)
      SELECT ${id}, ${caseNumber}, ${randomUUID()}, '测试', 'cell_informant', 'field', ${options.type ?? 'landslide'},
        ${options.urgency ?? 'normal'}, ${options.description ?? '测试上报'}, ST_PointOnSurface(geom),
        ${cell}, ${cell.slice(0, 15)}, ${cell.slice(0, 12)}, ${cell.slice(0, 9)}, ${options.state ?? 'reported'},
        'file', ${reportedAt.toISOString()}::timestamptz, ${reportedAt.toISOString()}::timestamptz, ${reportedAt.toISOString()}::timestamptz
      FROM areas WHERE code = ${cell} AND level = 'cell'`);
    await tx.rows(sql`
      INSERT INTO case_steps (report_id, at, actor_name, actor_role, action, from_state, to_state, cell_code)
      VALUES (${id}, ${reportedAt.toISOString()}::timestamptz, '测试', 'cell_informant', 'report', NULL, ${options.state ?? 'reported'}, ${cell})`);
  });
  return { id, caseNumber };
}
