import { type SQL, sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.ts';
import { isoTime } from '../db/iso-time.ts';
import type { ReachStage } from '../vocabulary/task-monitor.ts';
import type { ReminderKind, TargetKind, TargetState, TaskKind, TaskStatus } from '../vocabulary/tasks.ts';

/** A task as the command side reads it (cut to the reader by row-level security). */
export interface MonitoredTask {
  id: string;
  title: string;
  kind: TaskKind;
  fields: unknown[] | null;
  perHousehold: boolean;
  areaCode: string;
  status: TaskStatus;
  drill: boolean;
  departmentCode: string | null;
  ownerId: string | null;
  /** ISO 8601. */
  dispatchedAt: string;
  closedAt: string | null;
  /** Whole minutes from dispatch to now (or to the task's close). */
  minutesOpen: number;
}

export interface TargetRow {
  id: number;
  targetKind: TargetKind;
  areaCode: string;
  state: TargetState;
  deliveredAt: string | null;
  readAt: string | null;
  acknowledgedAt: string | null;
  doneAt: string | null;
  reminders: number;
  escalationLevel: number;
}

/** Targets of one township that reached `stage` in `minute` since dispatch (null: not yet). */
export interface ReachCountRow {
  township: string;
  name: string | null;
  stage: ReachStage;
  minute: number | null;
  n: number;
}

export interface ReminderRow {
  id: number;
  targetId: number;
  kind: ReminderKind;
  areaCode: string;
  /** The cell's or grid's name, as the map and the results name it. */
  areaName: string | null;
  sentByName: string;
  sentAt: string;
}

export interface ResultRow {
  targetId: number;
  areaCode: string;
  areaName: string | null;
  householdCode: string;
  address: string | null;
  answers: Record<string, unknown>;
  lon: number | null;
  lat: number | null;
  responderName: string;
  updatedAt: string;
}

/** The target's state by precedence (done > acknowledged > read > delivered > pending), in SQL. */
const STATE = sql`CASE WHEN done_at IS NOT NULL THEN 'done' WHEN acknowledged_at IS NOT NULL THEN 'acknowledged'
  WHEN read_at IS NOT NULL THEN 'read' WHEN delivered_at IS NOT NULL THEN 'delivered' ELSE 'pending' END`;

/** Within `areaCode` when one is given (row-level security has cut the rest already). */
const inArea = (column: SQL, areaCode: string | undefined) => (areaCode ? sql`AND ${column} ^@ ${areaCode}` : sql``);

/** The reads of the command side: the live map's targets, the reach counts, reminders and answers. */
export function taskMonitorRepository(db: Queryable) {
  return {
    async task(id: string, now: Date): Promise<MonitoredTask | undefined> {
      const [row] = await db.rows<MonitoredTask>(sql`
        SELECT id, title, kind, fields, per_household AS "perHousehold", area_code AS "areaCode", status, drill,
          department_code AS "departmentCode", owner_id AS "ownerId",
          ${isoTime(sql`dispatched_at`)} AS "dispatchedAt",
          CASE WHEN closed_at IS NULL THEN NULL ELSE ${isoTime(sql`closed_at`)} END AS "closedAt",
          greatest(0, ceil(extract(epoch FROM (coalesce(closed_at, ${now.toISOString()}::timestamptz) - dispatched_at)) / 60))::int AS "minutesOpen"
        FROM tasks WHERE id = ${id}`);
      return row;
    },

    /** The task's targets in scope (and in `areaCode`), by area: no person, only where each stands. */
    targets(taskId: string, areaCode?: string): Promise<TargetRow[]> {
      return db.rows<TargetRow>(sql`
        SELECT id::int AS id, target_kind AS "targetKind", area_code AS "areaCode", ${STATE} AS state,
          CASE WHEN delivered_at IS NULL THEN NULL ELSE ${isoTime(sql`delivered_at`)} END AS "deliveredAt",
          CASE WHEN read_at IS NULL THEN NULL ELSE ${isoTime(sql`read_at`)} END AS "readAt",
          CASE WHEN acknowledged_at IS NULL THEN NULL ELSE ${isoTime(sql`acknowledged_at`)} END AS "acknowledgedAt",
          CASE WHEN done_at IS NULL THEN NULL ELSE ${isoTime(sql`done_at`)} END AS "doneAt",
          reminders, escalation_level::int AS "escalationLevel"
        FROM task_targets WHERE task_id = ${taskId} ${inArea(sql`area_code`, areaCode)}
        ORDER BY area_code, target_kind`);
    },

    /**
     * One aggregate over the task's targets in scope: per township and stage, how many targets
     * reached the stage (or a further one) in each whole minute since dispatch, rounded up (a target
     * delivered 20 s after dispatch counts from minute 1); minute null for those not there yet.
     */
    reachCounts(taskId: string, dispatchedAt: string, areaCode?: string): Promise<ReachCountRow[]> {
      const since = (column: SQL) =>
        sql`CASE WHEN ${column} IS NULL THEN NULL
          ELSE greatest(0, ceil(extract(epoch FROM (${column} - ${dispatchedAt}::timestamptz)) / 60))::int END`;
      return db.rows<ReachCountRow>(sql`
        WITH counts AS (
          SELECT left(t.area_code, 9) AS township, s.stage, s.minute, count(*)::int AS n
          FROM task_targets t
          CROSS JOIN LATERAL (VALUES
            ('delivered', ${since(sql`least(t.delivered_at, t.read_at, t.acknowledged_at, t.done_at)`)}),
            ('read', ${since(sql`least(t.read_at, t.acknowledged_at, t.done_at)`)}),
            ('acknowledged', ${since(sql`least(t.acknowledged_at, t.done_at)`)}),
            ('done', ${since(sql`t.done_at`)})) AS s(stage, minute)
          WHERE t.task_id = ${taskId} ${inArea(sql`t.area_code`, areaCode)}
          GROUP BY 1, 2, 3
        )
        SELECT c.township, a.name, c.stage, c.minute, c.n
        FROM counts c LEFT JOIN areas a ON a.code = c.township
        ORDER BY c.township, c.stage, c.minute NULLS LAST`);
    },

    /** The task's reminders and escalations in scope, newest first. */
    reminders(taskId: string, limit: number): Promise<ReminderRow[]> {
      return db.rows<ReminderRow>(sql`
        SELECT r.id::int AS id, r.target_id AS "targetId", r.kind, r.area_code AS "areaCode", a.name AS "areaName",
          r.sent_by_name AS "sentByName", ${isoTime(sql`r.sent_at`)} AS "sentAt"
        FROM task_reminders r LEFT JOIN areas a ON a.code = r.area_code
        WHERE r.task_id = ${taskId}
        ORDER BY r.sent_at DESC, r.id DESC LIMIT ${limit}`);
    },

    /**
     * The task's answers in scope (and in `areaCode`), by area and household, each with its cell's
     * or grid's name and its household's address (null where the reader may not see households).
     */
    results(taskId: string, areaCode?: string): Promise<ResultRow[]> {
      return db.rows<ResultRow>(sql`
        SELECT r.target_id AS "targetId", r.area_code AS "areaCode", a.name AS "areaName",
          r.household_code AS "householdCode", h.address, r.answers,
          ST_X(r.location) AS lon, ST_Y(r.location) AS lat, r.responder_name AS "responderName",
          ${isoTime(sql`r.updated_at`)} AS "updatedAt"
        FROM task_responses r
        LEFT JOIN areas a ON a.code = r.area_code
        LEFT JOIN households h ON r.household_code <> '' AND h.code = r.household_code
        WHERE r.task_id = ${taskId} ${inArea(sql`r.area_code`, areaCode)}
        ORDER BY r.area_code, r.household_code, r.id`);
    },
  };
}
