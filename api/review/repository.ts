import { type SQL, sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.ts';
import { visitDuesCtes } from './visit-dues.ts';

/** A review period: whole Shanghai months, `start` inclusive, `end` exclusive; `now` decides what is due yet. */
export interface ReviewWindow {
  areaCode: string;
  start: Date;
  end: Date;
  now: Date;
}

/**
 * How the figures are grouped: by the area code's prefix of each length (one row per area of
 * each level asked), by the month the thing fell due, by the lead department of the case, or not
 * at all (one row, key '').
 */
export type Grouping = { by: 'prefix'; lengths: readonly number[] } | { by: 'month' } | { by: 'department' } | { by: 'none' };

/** The sums behind the case KPIs of one group (see api/vocabulary/review.ts for what counts). */
export interface CaseSums {
  key: string;
  due: number;
  deferred: number;
  closed: number;
  closedOnTime: number;
  handled: number;
  reworked: number;
  acknowledged: number;
  ackMinutes: number;
  closedTimed: number;
  closeMinutes: number;
  onSpot: number;
  residentSum: number;
  residentCount: number;
  departmentSum: number;
  departmentCount: number;
  workerSum: number;
  workerCount: number;
}

/** Cell-months walked against cell-months, visits due and met, survey scores, per group. */
export interface FieldSums {
  key: string;
  cellMonths: number;
  walked: number;
  visitsDue: number;
  visitsOnTime: number;
  surveySum: number;
  surveyCount: number;
}

const ts = (instant: Date) => sql`${instant.toISOString()}::timestamptz`;
/** Shanghai wall time of a timestamptz (UTC+8 all year; no time-zone database needed). */
const shanghai = (column: SQL) => sql`((${column}) AT TIME ZONE 'UTC' + interval '8 hours')`;
const monthOf = (column: SQL) => sql`to_char(${shanghai(column)}, 'YYYY-MM')`;

/**
 * Every case of the area reported before the window's end, with the facts the KPIs read: when it
 * fell due, whether it was deferred, handled, reworked, on the spot, closed (on time), its first
 * dispatch and acknowledgement, and the three parties' scores about its lead department. Cases
 * rejected, cancelled, merged or not yet filed are left out here (api/vocabulary/review.ts).
 * Row-level security cuts reports, steps and evaluations to the reader's scope.
 *
 * A case has at most one score of each party about each subject (case_evaluations_party_idx), so
 * the scores join the case directly, each on its party and subject: no grouping of the scores, and
 * the cases read once, not twice (under row-level security every row read is checked against the
 * policy; the county's year of cases took a fifth less time as owner, a third less as a reader).
 */
export function caseFactsSql({ areaCode, end }: ReviewWindow): SQL {
  return sql`
    WITH st AS (
      SELECT s.report_id,
        min(s.at) FILTER (WHERE s.action = 'dispatch') AS dispatched_at,
        min(ARRAY[s.at, (s.details->>'dueAt')::timestamptz]) FILTER (WHERE s.action = 'acknowledge') AS first_ack,
        min(s.at) FILTER (WHERE s.action = 'on_spot') AS on_spot_at,
        coalesce(bool_or(s.action = 'check' AND s.details->>'passed' = 'false'), false) AS reworked,
        coalesce(bool_or(s.action IN ('feedback', 'on_spot')), false) AS handled,
        coalesce(bool_or(s.action = 'approve' AND s.details->'request'->>'kind' IN ('extension', 'park')), false) AS deferred
      FROM case_steps s
      WHERE s.cell_code ^@ ${areaCode} AND s.action IN ('dispatch', 'acknowledge', 'on_spot', 'check', 'feedback', 'approve')
      GROUP BY s.report_id),
    facts AS (
      SELECT r.id, r.case_number, r.type, r.state, r.cell_code, r.assigned_department_code, r.reported_at, r.closed_at,
        coalesce(st.first_ack[2], st.on_spot_at, r.due_at) AS due,
        (r.parked OR r.state = 'parked' OR coalesce(st.deferred, false)) AS deferred,
        (r.closed_at IS NOT NULL AND r.state IN ('closed', 'evaluated')) AS closed,
        coalesce(r.closed_on_time, false) AS closed_on_time,
        coalesce(st.handled, false) AS handled,
        coalesce(st.reworked, false) AS reworked,
        st.on_spot_at IS NOT NULL AS on_spot,
        st.dispatched_at, st.first_ack[1] AS acknowledged_at,
        coalesce(er.score, 0) AS resident_sum, (er.score IS NOT NULL)::int AS resident_count,
        coalesce(ed.score, 0) AS department_sum, (ed.score IS NOT NULL)::int AS department_count,
        coalesce(ew.score, 0) AS worker_sum, (ew.score IS NOT NULL)::int AS worker_count
      FROM reports r LEFT JOIN st ON st.report_id = r.id
        LEFT JOIN case_evaluations er ON er.report_id = r.id AND er.party = 'resident' AND er.subject_code = ''
        LEFT JOIN case_evaluations ed ON ed.report_id = r.id AND ed.party = 'department' AND ed.subject_code = r.assigned_department_code
        LEFT JOIN case_evaluations ew ON ew.report_id = r.id AND ew.party = 'grid_worker' AND ew.subject_code = r.assigned_department_code
      WHERE r.cell_code ^@ ${areaCode} AND r.reported_at < ${ts(end)}
        AND r.state NOT IN ('reported', 'rejected', 'cancelled', 'merged'))`;
}

/** The cases of the facts that fell due in the window (an open case whose deadline is still ahead is not due yet). */
export function dueInWindow({ start, end, now }: ReviewWindow): SQL {
  return sql`f.due >= ${ts(start)} AND f.due < ${ts(end)} AND (f.due <= ${ts(now)} OR f.closed)`;
}

/** The key of a case's group; by prefix, its finest one (the longest length), rolled up to the others after summing. */
function caseKey(grouping: Grouping): { key: SQL; where: SQL } {
  switch (grouping.by) {
    case 'prefix':
      return { key: sql`left(f.cell_code, ${Math.max(...grouping.lengths)}::int)`, where: sql`true` };
    case 'month':
      return { key: monthOf(sql`f.due`), where: sql`true` };
    case 'department':
      return { key: sql`f.assigned_department_code`, where: sql`f.assigned_department_code IS NOT NULL` };
    case 'none':
      return { key: sql`''`, where: sql`true` };
  }
}

/** The columns of CaseSums besides its key, and whether each is a sum of minutes (the rest are whole numbers). */
const CASE_SUM_COLUMNS: readonly [Exclude<keyof CaseSums, 'key'>, 'int' | 'float8'][] = [
  ['due', 'int'],
  ['deferred', 'int'],
  ['closed', 'int'],
  ['closedOnTime', 'int'],
  ['handled', 'int'],
  ['reworked', 'int'],
  ['acknowledged', 'int'],
  ['ackMinutes', 'float8'],
  ['closedTimed', 'int'],
  ['closeMinutes', 'float8'],
  ['onSpot', 'int'],
  ['residentSum', 'int'],
  ['residentCount', 'int'],
  ['departmentSum', 'int'],
  ['departmentCount', 'int'],
  ['workerSum', 'int'],
  ['workerCount', 'int'],
];

/**
 * The case KPIs' sums per group, in one statement. By prefix, the cases are summed once per area of
 * the finest level asked (a grid, say), and those few rows are then added up into each coarser
 * level: every figure is a count or a sum, so the result is the same as grouping the cases at every
 * level, without going over every case once per level.
 */
export function caseSumsSql(window: ReviewWindow, grouping: Grouping): SQL {
  const { key, where } = caseKey(grouping);
  const sums = sql`${caseFactsSql(window)}
    SELECT ${key} AS key,
      count(*)::int AS due,
      count(*) FILTER (WHERE f.deferred)::int AS deferred,
      count(*) FILTER (WHERE NOT f.deferred AND f.closed)::int AS closed,
      count(*) FILTER (WHERE NOT f.deferred AND f.closed AND f.closed_on_time)::int AS "closedOnTime",
      count(*) FILTER (WHERE f.handled)::int AS handled,
      count(*) FILTER (WHERE f.handled AND f.reworked)::int AS reworked,
      count(f.acknowledged_at - f.dispatched_at)::int AS acknowledged,
      coalesce(sum(extract(epoch FROM f.acknowledged_at - f.dispatched_at) / 60), 0)::float8 AS "ackMinutes",
      count(*) FILTER (WHERE f.closed)::int AS "closedTimed",
      coalesce(sum(extract(epoch FROM f.closed_at - f.reported_at) / 60) FILTER (WHERE f.closed), 0)::float8 AS "closeMinutes",
      count(*) FILTER (WHERE f.on_spot)::int AS "onSpot",
      sum(f.resident_sum)::int AS "residentSum", sum(f.resident_count)::int AS "residentCount",
      sum(f.department_sum)::int AS "departmentSum", sum(f.department_count)::int AS "departmentCount",
      sum(f.worker_sum)::int AS "workerSum", sum(f.worker_count)::int AS "workerCount"
    FROM facts f
    WHERE ${dueInWindow(window)} AND ${where}
    GROUP BY 1`;
  if (grouping.by !== 'prefix') return sums;
  const rolledUp = CASE_SUM_COLUMNS.map(([name, type]) => sql.raw(`sum(s."${name}")::${type} AS "${name}"`));
  return sql`SELECT left(s.key, g.len) AS key, ${sql.join(rolledUp, sql`, `)}
    FROM (${sums}) s CROSS JOIN unnest(${sql.param(grouping.lengths)}::int[]) AS g(len)
    GROUP BY 1`;
}

function fieldKey(grouping: Grouping, column: SQL, month: SQL): { from: SQL; key: SQL } {
  switch (grouping.by) {
    case 'prefix':
      return { from: sql`CROSS JOIN unnest(${sql.param(grouping.lengths)}::int[]) AS g(len)`, key: sql`left(${column}, g.len)` };
    case 'month':
      return { from: sql``, key: month };
    default:
      return { from: sql``, key: sql`''` };
  }
}

/**
 * Patrol coverage, visits on time and survey scores per group, in one statement: cell-months of the
 * window's months up to `now` against those walked (patrol_cells), follow-ups due in the window
 * against those met, and residents' survey scores of grid workers by the respondent's cell.
 */
export function fieldSumsSql(window: ReviewWindow, grouping: Grouping): SQL {
  const { areaCode, start, end, now } = window;
  const startDay = sql`(${shanghai(ts(start))})::date`;
  const endDay = sql`(${shanghai(ts(end))})::date`;
  const today = sql`(${shanghai(ts(now))})::date`;
  const months = sql`SELECT to_char(m, 'YYYY-MM') AS month FROM generate_series(${startDay}::timestamp,
    least(${endDay}, ${today} + 1)::timestamp - interval '1 day', interval '1 month') AS m`;
  const cells = fieldKey(grouping, sql`c.code`, sql`ms.month`);
  const walked = fieldKey(grouping, sql`w.cell_code`, sql`w.month`);
  const dues = fieldKey(grouping, sql`d.area_code`, sql`to_char(d.due, 'YYYY-MM')`);
  const surveys = fieldKey(grouping, sql`s.area_code`, monthOf(sql`s.surveyed_at`));
  return sql`
    WITH ${visitDuesCtes(window)},
    ms AS (${months}),
    w AS (
      SELECT DISTINCT cell_code, to_char(day, 'YYYY-MM') AS month FROM patrol_cells
      WHERE cell_code ^@ ${areaCode} AND day >= ${startDay} AND day < ${endDay} AND day <= ${today})
    SELECT key, sum("cellMonths")::int AS "cellMonths", sum(walked)::int AS walked, sum("visitsDue")::int AS "visitsDue",
      sum("visitsOnTime")::int AS "visitsOnTime", sum("surveySum")::int AS "surveySum", sum("surveyCount")::int AS "surveyCount"
    FROM (
      SELECT ${cells.key} AS key, count(*) AS "cellMonths", 0 AS walked, 0 AS "visitsDue", 0 AS "visitsOnTime", 0 AS "surveySum", 0 AS "surveyCount"
      FROM areas c CROSS JOIN ms ${cells.from} WHERE c.level = 'cell' AND c.code ^@ ${areaCode} GROUP BY 1
      UNION ALL
      SELECT ${walked.key}, 0, count(*), 0, 0, 0, 0 FROM w ${walked.from} GROUP BY 1
      UNION ALL
      SELECT ${dues.key}, 0, 0, count(*), count(*) FILTER (WHERE d.on_time), 0, 0 FROM d ${dues.from} GROUP BY 1
      UNION ALL
      SELECT ${surveys.key}, 0, 0, 0, 0, sum(s.score), count(*) FROM worker_surveys s ${surveys.from}
      WHERE s.area_code ^@ ${areaCode} AND s.surveyed_at >= ${ts(start)} AND s.surveyed_at < ${ts(end)} GROUP BY 1
    ) t GROUP BY key`;
}

/** The review's reads; through the reader's scoped handle. */
export function reviewRepository(db: Queryable) {
  return {
    caseSums: (window: ReviewWindow, grouping: Grouping) => db.rows<CaseSums>(caseSumsSql(window, grouping)),
    fieldSums: (window: ReviewWindow, grouping: Grouping) => db.rows<FieldSums>(fieldSumsSql(window, grouping)),

    /** The areas in the reader's scope whose codes are given, with name, level, parent and urban flag. */
    areas: (codes: readonly string[]) =>
      db.rows<{ code: string; name: string; level: string; parentCode: string | null; urban: boolean }>(sql`
        SELECT code, name, level, parent_code AS "parentCode", urban FROM areas
        WHERE code = ANY(${sql.param(codes)}::text[]) ORDER BY code`),

    /** The area and its descendants down to the grids (codes of at most 15 digits). */
    subtree: (areaCode: string, maxLength: number) =>
      db.rows<{ code: string; name: string; level: string; parentCode: string | null; urban: boolean }>(sql`
        SELECT code, name, level, parent_code AS "parentCode", urban FROM areas
        WHERE code ^@ ${areaCode} AND length(code) <= ${maxLength}::int AND level <> 'cell' ORDER BY code`),

    /** The county's townships with their urban flag (aggregates of those outside the scope are the owner's read). */
    townships: () =>
      db.rows<{ code: string; name: string; urban: boolean }>(sql`
        SELECT code, name, urban FROM areas WHERE level = 'township' ORDER BY code`),

    /** The grid workers (people.role grid_worker) of the area, each with their grid. */
    gridWorkers: (areaCode: string) =>
      db.rows<{ personId: string; name: string; gridCode: string; gridName: string | null }>(sql`
        SELECT p.id AS "personId", p.name, p.area_code AS "gridCode", g.name AS "gridName"
        FROM people p LEFT JOIN areas g ON g.code = p.area_code
        WHERE p.role = 'grid_worker' AND p.area_code ^@ ${areaCode} ORDER BY p.area_code, p.id`),

    /** Residents' survey scores per grid worker in the window. */
    surveysByWorker: (window: ReviewWindow) =>
      db.rows<{ personId: string; surveySum: number; surveyCount: number }>(sql`
        SELECT person_id AS "personId", sum(score)::int AS "surveySum", count(*)::int AS "surveyCount"
        FROM worker_surveys WHERE area_code ^@ ${window.areaCode}
          AND surveyed_at >= ${ts(window.start)} AND surveyed_at < ${ts(window.end)}
        GROUP BY person_id`),

    /** Departments and service providers. */
    departments: () =>
      db.rows<{ code: string; name: string; kind: string }>(sql`SELECT code, name, kind FROM departments ORDER BY code`),
  };
}
