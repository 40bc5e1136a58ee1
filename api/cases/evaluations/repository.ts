import { sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import { isoTime, type WithIsoTimes } from '../../db/iso-time.ts';
import type { caseEvaluations, reports } from '../../db/schema.ts';

type Evaluation = typeof caseEvaluations.$inferSelect;

/** A row of `case_evaluations` as stored, its time as ISO text. */
export type EvaluationRow = WithIsoTimes<Omit<Evaluation, 'id'>> & { id: number };
export type NewEvaluation = Omit<Evaluation, 'id' | 'createdAt'>;

/** What the evaluation rules read of a case. */
export type EvaluatedCase = Pick<
  typeof reports.$inferSelect,
  'id' | 'state' | 'reporterId' | 'cellCode' | 'gridCode' | 'assignedDepartmentCode'
> & { coDepartmentCodes: string[]; version: number };

const evaluationColumns = sql`e.id::int8::text AS id, e.report_id AS "reportId", e.party, e.subject_code AS "subjectCode",
  e.score::int AS score, e.source, e.called_name AS "calledName", e.called_phone AS "calledPhone", e.note,
  e.evaluator_id AS "evaluatorId", e.evaluator_name AS "evaluatorName", e.evaluator_role AS "evaluatorRole",
  e.client_id AS "clientId", e.area_code AS "areaCode", ${isoTime(sql`e.created_at`)} AS "createdAt"`;

const rowOf = (row: Omit<EvaluationRow, 'id'> & { id: string }): EvaluationRow => ({ ...row, id: Number(row.id) });

/**
 * The three-party evaluations of cases (`case_evaluations`). Reads through the reader's handle (a
 * department's cadres see only their department's rows); writes as the owner, after the service
 * checked the caller, inside the command's transaction.
 */
export function evaluationsRepository(db: Queryable) {
  return {
    /** The case, locked for the command (through the caller's scope: a case outside it is none). */
    async lockCase(id: string): Promise<EvaluatedCase | undefined> {
      const [row] = await db.rows<EvaluatedCase>(sql`
        SELECT r.id, r.state, r.reporter_id AS "reporterId", r.cell_code AS "cellCode", r.grid_code AS "gridCode",
          r.assigned_department_code AS "assignedDepartmentCode",
          COALESCE(r.co_department_codes, '[]'::jsonb) AS "coDepartmentCodes", r.version::int AS version
        FROM reports r WHERE r.id = ${id} FOR UPDATE`);
      return row;
    },

    async exists(id: string): Promise<boolean> {
      const rows = await db.rows(sql`SELECT 1 FROM reports WHERE id = ${id}`);
      return rows.length > 0;
    },

    async list(reportId: string): Promise<EvaluationRow[]> {
      const rows = await db.rows<Omit<EvaluationRow, 'id'> & { id: string }>(sql`
        SELECT ${evaluationColumns} FROM case_evaluations e WHERE e.report_id = ${reportId} ORDER BY e.created_at, e.id`);
      return rows.map(rowOf);
    },

    async byClient(evaluatorId: string, clientId: string): Promise<EvaluationRow | undefined> {
      const [row] = await db.rows<Omit<EvaluationRow, 'id'> & { id: string }>(sql`
        SELECT ${evaluationColumns} FROM case_evaluations e WHERE e.evaluator_id = ${evaluatorId} AND e.client_id = ${clientId}`);
      return row && rowOf(row);
    },

    async byParty(reportId: string, party: string, subjectCode: string): Promise<EvaluationRow | undefined> {
      const [row] = await db.rows<Omit<EvaluationRow, 'id'> & { id: string }>(sql`
        SELECT ${evaluationColumns} FROM case_evaluations e
        WHERE e.report_id = ${reportId} AND e.party = ${party} AND e.subject_code = ${subjectCode}`);
      return row && rowOf(row);
    },

    async insert(evaluation: NewEvaluation): Promise<EvaluationRow> {
      const [row] = await db.rows<Omit<EvaluationRow, 'id'> & { id: string }>(sql`
        INSERT INTO case_evaluations AS e (report_id, party, subject_code, score, source, called_name, called_phone, note,
          evaluator_id, evaluator_name, evaluator_role, client_id, area_code)
        VALUES (${evaluation.reportId}, ${evaluation.party}, ${evaluation.subjectCode}, ${evaluation.score}, ${evaluation.source},
          ${evaluation.calledName}, ${evaluation.calledPhone}, ${evaluation.note}, ${evaluation.evaluatorId},
          ${evaluation.evaluatorName}, ${evaluation.evaluatorRole}, ${evaluation.clientId}, ${evaluation.areaCode})
        RETURNING ${evaluationColumns}`);
      return rowOf(row!);
    },

    /**
     * The case after an evaluation: a new version, and for the resident's score the state
     * `evaluated` and `reports.satisfaction`, which the case screens and the export show.
     */
    async touchCase(id: string, resident: { satisfaction: number } | null): Promise<void> {
      await db.rows(sql`
        UPDATE reports SET version = version + 1, updated_at = now(),
          state = CASE WHEN ${resident !== null} THEN 'evaluated' ELSE state END,
          satisfaction = COALESCE(${resident?.satisfaction ?? null}::smallint, satisfaction)
        WHERE id = ${id}`);
    },
  };
}
