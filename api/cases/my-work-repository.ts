import { sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.ts';
import { type CaseRow, caseColumns, caseFrom } from './repository.ts';

/** What narrows the cases read for an inbox before the workflow looks at each one. */
export interface WorkCandidates {
  /** Only cases in these states. */
  states: readonly string[];
  /** Only cases this department leads or co-handles (a department cadre's inbox). */
  department?: string | undefined;
  /** At most this many, the earliest due first. */
  limit: number;
}

/**
 * The cases that may wait for an account's work, read through the account's scoped handle (row-level
 * security keeps them to its scope).
 */
export function myWorkRepository(db: Queryable) {
  return {
    candidates({ states, department, limit }: WorkCandidates): Promise<CaseRow[]> {
      if (states.length === 0) return Promise.resolve([]);
      const byDepartment =
        department === undefined
          ? sql`TRUE`
          : sql`(r.assigned_department_code = ${department} OR r.co_department_codes @> jsonb_build_array(${department}::text))`;
      return db.rows<CaseRow>(sql`
        SELECT ${caseColumns} FROM ${caseFrom}
        WHERE r.state = ANY(${sql.param([...states])}::text[]) AND ${byDepartment}
        ORDER BY r.due_at ASC NULLS LAST, r.reported_at, r.id
        LIMIT ${limit}`);
    },
  };
}
