import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';

/**
 * Gives the embedded demo's past cases their three-party evaluation, once (while there is none):
 * the resident's score of each evaluated case as the duty room's return call (回访) to the reporter,
 * the lead department's view of each case it handled, and the grid worker's rating of that
 * department once closed; scores drawn from each case's id (hashtext), so the same history gets
 * the same ones, the urban core's a little higher, as the study found. Returns how many rows it wrote.
 */
export async function ensureDemoEvaluations(db: Database): Promise<number> {
  const [existing] = await db.rows<{ count: number }>(sql`SELECT count(*)::int AS count FROM case_evaluations`);
  if ((existing?.count ?? 0) > 0) return 0;
  const draw = (salt: string) => sql.raw(`abs(hashtext(r.id || '${salt}'))`);
  const rows = await db.rows<{ id: string }>(sql`
    INSERT INTO case_evaluations AS e (report_id, party, subject_code, score, source, called_name, called_phone, note,
      evaluator_id, evaluator_name, evaluator_role, client_id, area_code, created_at)
    SELECT r.id, 'resident', '', r.satisfaction, 'return_call', r.reporter_name,
      '138' || lpad((${draw('phone')} % 100000000)::text, 8, '0'), '电话回访', NULL, '县值班室', 'duty_officer',
      'demo-resident-' || r.id, r.cell_code, COALESCE(r.closed_at, r.updated_at) + interval '1 day'
    FROM reports r WHERE r.state = 'evaluated' AND r.satisfaction IS NOT NULL
    UNION ALL
    SELECT r.id, 'department', r.assigned_department_code, 3 + ${draw('department')} % 3, 'department', NULL, NULL, '',
      NULL, d.name, 'department_cadre', 'demo-department-' || r.id, r.cell_code, COALESCE(r.closed_at, r.updated_at)
    FROM reports r JOIN departments d ON d.code = r.assigned_department_code
    WHERE r.state IN ('handled', 'closed', 'evaluated')
    UNION ALL
    SELECT r.id, 'grid_worker', r.assigned_department_code,
      CASE WHEN t.urban THEN 4 + ${draw('grid')} % 2 ELSE 2 + ${draw('grid')} % 4 END, 'grid_worker', NULL, NULL, '',
      NULL, '网格员', 'grid_worker', 'demo-grid-' || r.id, r.cell_code, COALESCE(r.closed_at, r.updated_at) + interval '2 hours'
    FROM reports r JOIN areas t ON t.code = r.township_code
    WHERE r.state IN ('closed', 'evaluated') AND r.assigned_department_code IS NOT NULL
    RETURNING e.id::text AS id`);
  return rows.length;
}
