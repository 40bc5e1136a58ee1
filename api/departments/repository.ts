import { sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.ts';

export interface DepartmentRow {
  code: string;
  name: string;
}

export function departmentsRepository(db: Queryable) {
  return {
    list(): Promise<DepartmentRow[]> {
      return db.rows<DepartmentRow>(sql`SELECT code, name FROM departments ORDER BY code`);
    },
  };
}
