import { sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.ts';
import { batches } from '../seed/repository.ts';
import type { DemoCase, DemoPlace } from './history.ts';

/** Cases per statement: each carries its control zone and its timeline. */
const CASES_PER_BATCH = 500;

const iso = (instant: Date | null) => (instant ? instant.toISOString() : null);

/** Reads and bulk writes of the demo's history and drills, run as the owner. */
export function demoRepository(db: Queryable) {
  return {
    async reportCount(): Promise<number> {
      const [row] = await db.rows<{ count: number }>(sql`SELECT count(*)::int AS count FROM reports`);
      return row?.count ?? 0;
    },

    /**
     * Every `every`-th household of the area `scopeCode` (by code, so the same data gives the same
     * places), with its cell's informant, grid worker and township commander.
     */
    places(scopeCode: string, every: number): Promise<DemoPlace[]> {
      return db.rows<DemoPlace>(sql`
        WITH sample AS (
          SELECT code, cell_code, geom FROM (
            SELECT code, cell_code, geom, row_number() OVER (ORDER BY code) AS n
            FROM households WHERE cell_code LIKE ${scopeCode} || '%'
          ) numbered WHERE n % ${every}::int = 0
        )
        SELECT ST_X(s.geom) AS lng, ST_Y(s.geom) AS lat, s.cell_code AS "cellCode", t.urban,
               (SELECT name FROM people WHERE role = 'cell_informant' AND area_code = s.cell_code ORDER BY id LIMIT 1) AS informant,
               (SELECT name FROM people WHERE role = 'grid_worker' AND area_code = left(s.cell_code, 15) ORDER BY id LIMIT 1) AS "gridWorker",
               (SELECT name FROM people WHERE role = 'township_commander' AND area_code = left(s.cell_code, 9) ORDER BY id LIMIT 1) AS commander
        FROM sample s JOIN areas t ON t.code = left(s.cell_code, 9)
        ORDER BY s.code`);
    },

    async insertCases(cases: readonly DemoCase[]): Promise<void> {
      for (const batch of batches(cases, CASES_PER_BATCH)) {
        const rows = batch.map((c) => ({
          id: c.id,
          case_number: c.caseNumber,
          reporter_name: c.reporterName,
          reporter_role: c.reporterRole,
          type: c.type,
          urgency: c.urgency,
          description: c.description,
          lng: c.place.lng,
          lat: c.place.lat,
          accuracy_m: c.accuracyM,
          cell_code: c.place.cellCode,
          state: c.state,
          assigned_township_code: c.assignedTownshipCode,
          assigned_department_code: c.assignedDepartmentCode,
          co_department_codes: c.coDepartmentCodes,
          clock_stage: c.clock?.stage ?? null,
          clock_started_at: iso(c.clock?.startedAt ?? null),
          due_at: iso(c.clock?.dueAt ?? null),
          limit_amount: c.clock?.amount ?? null,
          limit_unit: c.clock?.unit ?? null,
          limit_clock: c.clock?.clockKind ?? null,
          taken_at: iso(c.takenAt),
          taken_by: c.takenBy,
          satisfaction: c.satisfaction,
          control_zone: JSON.stringify(c.controlZone),
          reported_at: iso(c.reportedAt),
          filed_at: iso(c.filedAt),
          dispatched_at: iso(c.dispatchedAt),
          closed_at: iso(c.closedAt),
          closed_on_time: c.closedOnTime,
          merged_into: c.mergedInto,
          updated_at: iso(c.steps[c.steps.length - 1]!.at),
          version: c.steps.length,
        }));
        await db.rows(sql`
          INSERT INTO reports (id, case_number, client_id, reporter_id, reporter_name, reporter_role, source, type, urgency, description,
            location, accuracy_m, input_datum, cell_code, grid_code, village_code, township_code, state, responsible_level,
            assigned_township_code, assigned_department_code, co_department_codes, clock_stage, clock_started_at, due_at,
            limit_amount, limit_unit, limit_clock, taken_at, taken_by, satisfaction, control_zone, reported_at, filed_at, dispatched_at,
            closed_at, closed_on_time, merged_into, updated_at, version)
          SELECT r.id, r.case_number, r.id, NULL, r.reporter_name, r.reporter_role, 'demo', r.type, r.urgency, r.description,
            ST_SetSRID(ST_MakePoint(r.lng, r.lat), 4326), r.accuracy_m, 'wgs84', r.cell_code, left(r.cell_code, 15),
            left(r.cell_code, 12), left(r.cell_code, 9), r.state, 'cell', r.assigned_township_code, r.assigned_department_code,
            r.co_department_codes, r.clock_stage, r.clock_started_at, r.due_at, r.limit_amount, r.limit_unit, r.limit_clock, r.taken_at,
            r.taken_by, r.satisfaction, ST_SetSRID(ST_GeomFromGeoJSON(r.control_zone), 4326), r.reported_at, r.filed_at,
            r.dispatched_at, r.closed_at, r.closed_on_time, r.merged_into, r.updated_at, r.version
          FROM json_to_recordset(${JSON.stringify(rows)}::json) AS r(
            id text, case_number text, reporter_name text, reporter_role text, type text, urgency text, description text,
            lng float8, lat float8, accuracy_m float8, cell_code text, state text, assigned_township_code text,
            assigned_department_code text, co_department_codes jsonb, clock_stage text, clock_started_at timestamptz,
            due_at timestamptz, limit_amount int, limit_unit text, limit_clock text, taken_at timestamptz, taken_by text, satisfaction smallint,
            control_zone text, reported_at timestamptz, filed_at timestamptz, dispatched_at timestamptz, closed_at timestamptz,
            closed_on_time boolean, merged_into text, updated_at timestamptz, version int)`);
        const steps = batch.flatMap((c) =>
          c.steps.map((s) => ({
            report_id: c.id,
            at: s.at.toISOString(),
            actor_name: s.actorName,
            actor_role: s.actorRole,
            action: s.action,
            from_state: s.fromState,
            to_state: s.toState,
            note: s.note,
            details: s.details,
            cell_code: c.place.cellCode,
          })),
        );
        await db.rows(sql`
          INSERT INTO case_steps (report_id, at, actor_name, actor_role, action, from_state, to_state, note, details, cell_code)
          SELECT r.report_id, r.at, r.actor_name, r.actor_role, r.action, r.from_state, r.to_state, r.note, r.details, r.cell_code
          FROM json_to_recordset(${JSON.stringify(steps)}::json) AS r(
            report_id text, at timestamptz, actor_name text, actor_role text, action text, from_state text, to_state text,
            note text, details jsonb, cell_code text)
          ORDER BY r.at`);
      }
    },
  };
}
