import { sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.ts';
import { batches } from '../seed/repository.ts';
import type { DemoCredential, DemoEvaluation, DemoSurvey, DemoTraining, DemoWorker } from './people-history.ts';

/** Rows per statement. */
const ROWS_PER_BATCH = 2_000;
/** Households of each grid the demo's surveys are drawn from. */
const HOUSEHOLDS_PER_GRID = 12;

const insertJson = (db: Queryable, rows: readonly object[], insert: (json: string) => ReturnType<typeof sql>) =>
  batches(rows, ROWS_PER_BATCH).reduce<Promise<unknown>>(
    (previous, batch) => previous.then(() => db.rows(insert(JSON.stringify(batch)))),
    Promise.resolve(),
  );

/** Reads and bulk writes of the people side of the demo's history (grid workers, evaluations), run as the owner. */
export function demoPeopleRepository(db: Queryable) {
  return {
    /** Every grid worker of the county, whether their township is urban, and the first households of their grid with their informant. */
    workers(): Promise<DemoWorker[]> {
      return db.rows<DemoWorker>(sql`
        SELECT p.id AS "personId", p.area_code AS "gridCode", t.urban,
          COALESCE((
            SELECT json_agg(json_build_object('code', h.code, 'cellCode', h.cell_code, 'informant',
              (SELECT i.name FROM people i WHERE i.role = 'cell_informant' AND i.area_code = h.cell_code ORDER BY i.id LIMIT 1)))
            FROM (
              SELECT code, cell_code FROM households
              WHERE cell_code >= p.area_code AND cell_code < p.area_code || '~'
              ORDER BY cell_code, code LIMIT ${HOUSEHOLDS_PER_GRID}
            ) h
          ), '[]'::json) AS households
        FROM people p JOIN areas t ON t.code = left(p.area_code, 9)
        WHERE p.role = 'grid_worker'
        ORDER BY p.area_code, p.id`);
    },

    async insertWorkforce(plan: { credentials: DemoCredential[]; trainings: DemoTraining[]; surveys: DemoSurvey[] }) {
      await insertJson(
        db,
        plan.credentials,
        (json) => sql`
          INSERT INTO worker_credentials (person_id, certificate, certificate_number, certified_on, exam_status, exam_year, area_code)
          SELECT r."personId", r.certificate, r."certificateNumber", r."certifiedOn", r."examStatus", r."examYear", r."areaCode"
          FROM json_to_recordset(${json}::json) AS r("personId" text, certificate text, "certificateNumber" text, "certifiedOn" date,
            "examStatus" text, "examYear" int, "areaCode" text)
          ON CONFLICT (person_id) DO NOTHING`,
      );
      await insertJson(
        db,
        plan.trainings,
        (json) => sql`
          INSERT INTO worker_trainings (person_id, course, hours, completed_on, area_code)
          SELECT r."personId", r.course, r.hours, r."completedOn", r."areaCode"
          FROM json_to_recordset(${json}::json) AS r("personId" text, course text, hours real, "completedOn" date, "areaCode" text)`,
      );
      await insertJson(
        db,
        plan.surveys,
        (json) => sql`
          INSERT INTO worker_surveys (person_id, area_code, household_code, score, comment, collected_by_name, client_id, surveyed_at)
          SELECT r."personId", r."areaCode", r."householdCode", r.score, r.comment, r."collectedByName", r."clientId", r."surveyedAt"
          FROM json_to_recordset(${json}::json) AS r("personId" text, "areaCode" text, "householdCode" text, score smallint,
            comment text, "collectedByName" text, "clientId" text, "surveyedAt" timestamptz)`,
      );
    },

    async insertEvaluations(evaluations: readonly DemoEvaluation[]) {
      await insertJson(
        db,
        evaluations,
        (json) => sql`
          INSERT INTO case_evaluations (report_id, party, subject_code, score, source, called_name, called_phone, evaluator_name,
            evaluator_role, client_id, area_code, created_at)
          SELECT r."reportId", r.party, r."subjectCode", r.score, r.source, r."calledName", r."calledPhone", r."evaluatorName",
            r."evaluatorRole", r."clientId", r."areaCode", r."createdAt"
          FROM json_to_recordset(${json}::json) AS r("reportId" text, party text, "subjectCode" text, score smallint, source text,
            "calledName" text, "calledPhone" text, "evaluatorName" text, "evaluatorRole" text, "clientId" text, "areaCode" text,
            "createdAt" timestamptz)
          ON CONFLICT DO NOTHING`,
      );
    },
  };
}
