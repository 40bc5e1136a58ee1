import { sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.ts';
import { isoTime } from '../db/iso-time.ts';

/** A grid worker with their credential, the year's training hours and the year's surveys (mean null without any). */
export interface WorkerRow {
  personId: string;
  name: string;
  phone: string;
  gridCode: string;
  gridName: string | null;
  certificate: string;
  certificateNumber: string | null;
  certifiedOn: string | null;
  examStatus: string;
  examYear: number | null;
  trainingHours: number;
  trainings: number;
  surveyMean: number | null;
  surveys: number;
}

/** The fields of a credential the desk sets. */
export interface CredentialFields {
  certificate: string;
  certificateNumber: string | null;
  certifiedOn: string | null;
  examStatus: string;
  examYear: number | null;
}

export interface NewTraining {
  personId: string;
  course: string;
  hours: number;
  completedOn: string;
  areaCode: string;
  recordedBy: string;
}

export interface SurveyRow {
  id: number;
  personId: string;
  workerName: string;
  areaCode: string;
  householdCode: string | null;
  score: number;
  comment: string;
  collectedByName: string;
  clientId: string;
  surveyedAt: string;
}

export interface NewSurvey {
  personId: string;
  areaCode: string;
  householdCode: string;
  score: number;
  comment: string;
  collectedBy: string;
  collectedByName: string;
  clientId: string;
  surveyedAt: Date;
}

export interface CommendationRow {
  id: number;
  year: number;
  personId: string;
  name: string;
  title: string;
  score: number;
  rank: number;
  areaCode: string;
  awardedByName: string;
  awardedAt: string;
}

export interface NewCommendation {
  year: number;
  personId: string;
  title: string;
  score: number;
  rank: number;
  areaCode: string;
  awardedBy: string;
  awardedByName: string;
}

/** A household a survey may be about. */
export interface SurveyHouseholdRow {
  code: string;
  cellCode: string;
  address: string;
  surveyedThisYear: boolean;
}

/** A household whose code or address holds `q` (no wildcards: the text is matched as typed); every one when null. */
const householdMatch = (q: string | null) =>
  q === null ? sql`true` : sql`(strpos(h.code, ${q}) > 0 OR strpos(lower(h.address), lower(${q})) > 0)`;

const SURVEY_COLUMNS = sql`s.id, s.person_id AS "personId", COALESCE(p.name, '') AS "workerName", s.area_code AS "areaCode",
  s.household_code AS "householdCode", s.score, s.comment, s.collected_by_name AS "collectedByName",
  s.client_id AS "clientId", ${isoTime(sql`s.surveyed_at`)} AS "surveyedAt"`;

/** Grid workers' credentials, trainings, surveys and commendations. Reads through whichever handle is given. */
export function workforceRepository(db: Queryable) {
  return {
    /**
     * The grid workers under `prefix` (people of role grid_worker, in their grid) that the handle
     * sees, with the trainings and surveys of the days [`from`, `to`) (YYYY-MM-DD).
     */
    workers(prefix: string, from: string, to: string): Promise<WorkerRow[]> {
      return db.rows<WorkerRow>(sql`
        SELECT p.id AS "personId", p.name, p.phone, p.area_code AS "gridCode", g.name AS "gridName",
          COALESCE(c.certificate, 'none') AS certificate, c.certificate_number AS "certificateNumber",
          c.certified_on::text AS "certifiedOn", COALESCE(c.exam_status, 'not_registered') AS "examStatus",
          c.exam_year AS "examYear", COALESCE(t.hours, 0)::float8 AS "trainingHours", COALESCE(t.count, 0)::int AS trainings,
          s.mean AS "surveyMean", COALESCE(s.count, 0)::int AS surveys
        FROM people p
        LEFT JOIN areas g ON g.code = p.area_code
        LEFT JOIN worker_credentials c ON c.person_id = p.id
        LEFT JOIN (
          SELECT person_id, SUM(hours) AS hours, COUNT(*) AS count FROM worker_trainings
          WHERE completed_on >= ${from}::date AND completed_on < ${to}::date GROUP BY person_id
        ) t ON t.person_id = p.id
        LEFT JOIN (
          SELECT person_id, AVG(score)::float8 AS mean, COUNT(*) AS count FROM worker_surveys
          WHERE surveyed_at >= (${from}::date)::timestamp AT TIME ZONE 'Asia/Shanghai'
            AND surveyed_at < (${to}::date)::timestamp AT TIME ZONE 'Asia/Shanghai'
          GROUP BY person_id
        ) s ON s.person_id = p.id
        WHERE p.role = 'grid_worker' AND p.area_code ^@ ${prefix}
        ORDER BY p.area_code, p.id`);
    },

    /** One grid worker the handle sees (a scoped handle: in the reader's scope). */
    async worker(personId: string): Promise<{ personId: string; name: string; gridCode: string } | undefined> {
      const [row] = await db.rows<{ personId: string; name: string; gridCode: string }>(sql`
        SELECT id AS "personId", name, area_code AS "gridCode" FROM people WHERE id = ${personId} AND role = 'grid_worker'`);
      return row;
    },

    /** The names of the areas `codes` (townships and villages of the list; public facts, read as the owner). */
    async areaNames(codes: readonly string[]): Promise<Map<string, string>> {
      if (codes.length === 0) return new Map();
      const rows = await db.rows<{ code: string; name: string }>(sql`
        SELECT code, name FROM areas WHERE code IN (${sql.join(
          codes.map((code) => sql`${code}`),
          sql`, `,
        )})`);
      return new Map(rows.map((row) => [row.code, row.name]));
    },

    async upsertCredential(personId: string, areaCode: string, fields: CredentialFields, updatedBy: string): Promise<void> {
      await db.rows(sql`
        INSERT INTO worker_credentials (person_id, certificate, certificate_number, certified_on, exam_status, exam_year, area_code, updated_by, updated_at)
        VALUES (${personId}, ${fields.certificate}, ${fields.certificateNumber}, ${fields.certifiedOn}, ${fields.examStatus},
          ${fields.examYear}, ${areaCode}, ${updatedBy}, now())
        ON CONFLICT (person_id) DO UPDATE SET certificate = EXCLUDED.certificate, certificate_number = EXCLUDED.certificate_number,
          certified_on = EXCLUDED.certified_on, exam_status = EXCLUDED.exam_status, exam_year = EXCLUDED.exam_year,
          area_code = EXCLUDED.area_code, updated_by = EXCLUDED.updated_by, updated_at = now()`);
    },

    async insertTraining(training: NewTraining): Promise<number> {
      const [row] = await db.rows<{ id: number }>(sql`
        INSERT INTO worker_trainings (person_id, course, hours, completed_on, area_code, recorded_by)
        VALUES (${training.personId}, ${training.course}, ${training.hours}, ${training.completedOn}, ${training.areaCode},
          ${training.recordedBy})
        RETURNING id::int AS id`);
      return row!.id;
    },

    /** Stores a survey unless the collector already sent one under this client id; true when stored. */
    async insertSurvey(survey: NewSurvey): Promise<boolean> {
      const rows = await db.rows<{ id: number }>(sql`
        INSERT INTO worker_surveys (person_id, area_code, household_code, score, comment, collected_by, collected_by_name, client_id, surveyed_at)
        VALUES (${survey.personId}, ${survey.areaCode}, ${survey.householdCode}, ${survey.score}, ${survey.comment},
          ${survey.collectedBy}, ${survey.collectedByName}, ${survey.clientId}, ${survey.surveyedAt.toISOString()})
        ON CONFLICT (collected_by, client_id) DO NOTHING RETURNING id::int AS id`);
      return rows.length > 0;
    },

    async surveyByClient(collectedBy: string, clientId: string): Promise<SurveyRow | undefined> {
      const [row] = await db.rows<SurveyRow>(sql`
        SELECT ${SURVEY_COLUMNS} FROM worker_surveys s LEFT JOIN people p ON p.id = s.person_id
        WHERE s.collected_by = ${collectedBy} AND s.client_id = ${clientId}`);
      return row;
    },

    /** A household the handle sees, with its cell. */
    async household(code: string): Promise<{ code: string; cellCode: string } | undefined> {
      const [row] = await db.rows<{ code: string; cellCode: string }>(sql`
        SELECT code, cell_code AS "cellCode" FROM households WHERE code = ${code}`);
      return row;
    },

    /**
     * Households the handle sees, by code after `after` (keyset), at most `limit`, those whose code or
     * address holds `q` when given, and whether `collectedBy` surveyed each since `since`.
     */
    surveyHouseholds(
      collectedBy: string,
      since: Date,
      page: { q: string | null; after: string | null; limit: number },
    ): Promise<SurveyHouseholdRow[]> {
      return db.rows<SurveyHouseholdRow>(sql`
        SELECT h.code, h.cell_code AS "cellCode", h.address,
          EXISTS (SELECT 1 FROM worker_surveys s WHERE s.household_code = h.code AND s.collected_by = ${collectedBy}
            AND s.surveyed_at >= ${since.toISOString()}) AS "surveyedThisYear"
        FROM households h
        WHERE ${householdMatch(page.q)} AND ${page.after === null ? sql`true` : sql`h.code > ${page.after}`}
        ORDER BY h.code LIMIT ${page.limit}`);
    },

    /** How many households the handle sees whose code or address holds `q` (all when null). */
    async countSurveyHouseholds(q: string | null): Promise<number> {
      const [row] = await db.rows<{ total: number }>(sql`
        SELECT count(*)::int AS total FROM households h WHERE ${householdMatch(q)}`);
      return row?.total ?? 0;
    },

    /** The grid workers of the grids `gridCodes` (the first by id where a grid has two), by grid. */
    async gridWorkers(gridCodes: readonly string[]): Promise<Map<string, { personId: string; name: string }>> {
      if (gridCodes.length === 0) return new Map();
      const rows = await db.rows<{ personId: string; name: string; gridCode: string }>(sql`
        SELECT DISTINCT ON (area_code) id AS "personId", name, area_code AS "gridCode" FROM people
        WHERE role = 'grid_worker' AND area_code IN (${sql.join(
          gridCodes.map((code) => sql`${code}`),
          sql`, `,
        )})
        ORDER BY area_code, id`);
      return new Map(rows.map((row) => [row.gridCode, { personId: row.personId, name: row.name }]));
    },

    /** Stores the commendations that are not there yet (one per year, person and title); returns how many were new. */
    async insertCommendations(rows: readonly NewCommendation[]): Promise<number> {
      if (rows.length === 0) return 0;
      const inserted = await db.rows<{ id: number }>(sql`
        INSERT INTO commendations (year, person_id, title, score, rank, area_code, awarded_by, awarded_by_name)
        VALUES ${sql.join(
          rows.map(
            (row) =>
              sql`(${row.year}, ${row.personId}, ${row.title}, ${row.score}, ${row.rank}, ${row.areaCode}, ${row.awardedBy}, ${row.awardedByName})`,
          ),
          sql`, `,
        )}
        ON CONFLICT (year, person_id, title) DO NOTHING RETURNING id::int AS id`);
      return inserted.length;
    },

    /** The commendations of `year` (every year when null) the handle sees, best rank first. */
    commendations(year: number | null): Promise<CommendationRow[]> {
      return db.rows<CommendationRow>(sql`
        SELECT c.id::int AS id, c.year, c.person_id AS "personId", COALESCE(p.name, '') AS name, c.title, round(c.score::numeric, 1)::float8 AS score,
          c.rank, c.area_code AS "areaCode", c.awarded_by_name AS "awardedByName", ${isoTime(sql`c.awarded_at`)} AS "awardedAt"
        FROM commendations c LEFT JOIN people p ON p.id = c.person_id
        WHERE ${year === null ? sql`true` : sql`c.year = ${year}`}
        ORDER BY c.year DESC, c.rank, c.person_id`);
    },
  };
}
