import { sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.ts';
import { isoTime, type WithIsoTimes } from '../db/iso-time.ts';
import type { caseSteps } from '../db/schema.ts';
import type { LiveCase } from '../vocabulary/live-events.ts';

type Step = typeof caseSteps.$inferSelect;
type StepDetails = Record<string, unknown> | null;

/** A timeline step as stored (its time as ISO text), the case and cell it belongs to left out. */
export type StepRow = WithIsoTimes<Omit<Step, 'reportId' | 'cellCode' | 'details'>> & { details: StepDetails };

/**
 * A merge step names the other case. Whether the reader may read that case is asked through the
 * reader's own handle (row-level security: its area and, for a department cadre, its department's
 * lines), as `intoReadable`/`fromReadable`, which only the step cut reads
 * (api/vocabulary/case-timeline.ts); the other case's cell, stored since merges record it and
 * looked up for older ones, says whether an outside case lies in the reader's township.
 */
const stepDetails = sql`CASE
    WHEN s.action = 'merge' THEN s.details || jsonb_build_object(
      'intoCellCode', coalesce(s.details->>'intoCellCode', (SELECT o.cell_code FROM reports o WHERE o.id = s.details->>'intoId')),
      'intoReadable', EXISTS (SELECT 1 FROM reports o WHERE o.id = s.details->>'intoId'))
    WHEN s.action = 'merged_in' THEN s.details || jsonb_build_object(
      'fromCellCode', coalesce(s.details->>'fromCellCode', (SELECT o.cell_code FROM reports o WHERE o.id = s.details->>'fromId')),
      'fromReadable', EXISTS (SELECT 1 FROM reports o WHERE o.id = s.details->>'fromId'))
    ELSE s.details END`;

const stepColumns = sql`s.id::int8::text AS id, ${isoTime(sql`s.at`)} AS at, s.actor_id AS "actorId", s.actor_name AS "actorName",
  s.actor_role AS "actorRole", s.action, s.from_state AS "fromState", s.to_state AS "toState", s.note, ${stepDetails} AS details,
  s.client_id AS "clientId"`;

function stepOf(row: Omit<StepRow, 'id'> & { id: string }): StepRow {
  return { ...row, id: Number(row.id) };
}

/**
 * A step to append, as `case_steps` takes it: who and from which state always said; `at`
 * defaults to now, `note` to empty, `details` and `clientId` to none.
 */
export type NewStep = Omit<typeof caseSteps.$inferInsert, 'id' | 'details'> &
  Pick<Step, 'actorId' | 'fromState'> & { details?: StepDetails };

/**
 * A case's timeline (`case_steps`) and the case as live consumers draw it: what every command on
 * a case writes, whichever capability's command it is (intake, the workflow, the control zone and
 * alerts, merging). Over a transaction inside the command's scope.
 */
export function caseStepsRepository(db: Queryable) {
  return {
    async steps(reportId: string): Promise<StepRow[]> {
      const rows = await db.rows<Omit<StepRow, 'id'> & { id: string }>(sql`
        SELECT ${stepColumns} FROM case_steps s WHERE s.report_id = ${reportId} ORDER BY s.at, s.id`);
      return rows.map(stepOf);
    },

    async stepByClientId(reportId: string, clientId: string): Promise<StepRow | undefined> {
      const [row] = await db.rows<Omit<StepRow, 'id'> & { id: string }>(sql`
        SELECT ${stepColumns} FROM case_steps s WHERE s.report_id = ${reportId} AND s.client_id = ${clientId}`);
      return row && stepOf(row);
    },

    /** The latest step of the case taking `action` (optionally into `toState`). */
    async latestStep(reportId: string, action: string, toState?: string): Promise<StepRow | undefined> {
      const [row] = await db.rows<Omit<StepRow, 'id'> & { id: string }>(sql`
        SELECT ${stepColumns} FROM case_steps s
        WHERE s.report_id = ${reportId} AND s.action = ${action} AND (${toState ?? null}::text IS NULL OR s.to_state = ${toState ?? null})
        ORDER BY s.at DESC, s.id DESC LIMIT 1`);
      return row && stepOf(row);
    },

    async insertStep(step: NewStep): Promise<StepRow> {
      const [row] = await db.rows<Omit<StepRow, 'id'> & { id: string }>(sql`
        INSERT INTO case_steps AS s (report_id, at, actor_id, actor_name, actor_role, action, from_state, to_state, note, details, client_id, cell_code)
        VALUES (${step.reportId}, ${(step.at ?? new Date()).toISOString()}::timestamptz, ${step.actorId}, ${step.actorName},
          ${step.actorRole}, ${step.action}, ${step.fromState}, ${step.toState}, ${step.note ?? ''},
          ${step.details == null ? null : JSON.stringify(step.details)}::jsonb, ${step.clientId ?? null}, ${step.cellCode})
        RETURNING ${stepColumns}`);
      return stepOf(row!);
    },

    /** The case as live consumers draw it (see LiveCase); read in the command's own transaction, so it exists. */
    async liveCase(id: string): Promise<LiveCase> {
      const [row] = await db.rows<Omit<LiveCase, 'position'> & { lng: number; lat: number }>(sql`
        SELECT r.id, r.case_number AS "caseNumber", r.type, r.urgency, r.state, ST_X(r.location) AS lng, ST_Y(r.location) AS lat,
          r.cell_code AS "cellCode", r.township_code AS "townshipCode", ${isoTime(sql`r.reported_at`)} AS "reportedAt",
          ${isoTime(sql`r.due_at`)} AS "dueAt", ${isoTime(sql`r.taken_at`)} AS "takenAt", r.source, r.description
        FROM reports r WHERE r.id = ${id}`);
      if (!row) throw new Error(`case ${id} vanished inside its own transaction`);
      const { lng, lat, ...rest } = row;
      return { ...rest, position: [lng, lat] };
    },
  };
}
