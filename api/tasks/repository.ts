import { type SQL, sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.ts';
import { isoTime } from '../db/iso-time.ts';
import { LIVE_APPEND_LOCK } from '../live/events.ts';
import type { FormField } from '../vocabulary/task-forms.ts';
import type { TargetCounts, TaskKind, TaskStatus } from '../vocabulary/tasks.ts';

/** A task line with the departments that own it. */
export interface LineRow {
  code: string;
  name: string;
  departmentCodes: string[];
  active: boolean;
}

/** A task as lists and the detail read it: counts of its targets in the reader's scope. */
export interface TaskRow {
  id: string;
  lineCode: string;
  lineName: string;
  kind: TaskKind;
  title: string;
  body: string;
  fields: FormField[] | null;
  perHousehold: boolean;
  areaCode: string;
  areaName: string;
  /** ISO 8601. */
  deadline: string;
  escalateAfterMinutes: number;
  status: TaskStatus;
  drill: boolean;
  ownerId: string | null;
  ownerName: string;
  departmentCode: string | null;
  dispatchedAt: string;
  counts: TargetCounts;
}

/** A task to create, as the service checked it. */
export interface NewTask {
  id: string;
  clientId: string;
  lineCode: string;
  kind: TaskKind;
  title: string;
  body: string;
  fields: FormField[] | null;
  perHousehold: boolean;
  areaCode: string;
  deadline: Date;
  escalateAfterMinutes: number;
  drill: boolean;
  ownerId: string;
  ownerName: string;
  departmentCode: string | null;
}

/** Which tasks a list holds. */
export interface TaskFilter {
  status?: TaskStatus | undefined;
  lineCode?: string | undefined;
  /** Tasks over or inside this area. */
  areaCode?: string | undefined;
}

const LIST_LIMIT = 500;

/** The departments whose cadres hear a task's live events: its own, or none for a commander's task. */
const taskDepartments = (departmentCode: string | null): SQL =>
  departmentCode ? sql`ARRAY[${departmentCode}]::text[]` : sql`'{}'::text[]`;

/** Targets counted per state (targetStateOf's precedence, in SQL), of the targets the handle sees. */
const COUNTS = sql`jsonb_build_object(
    'pending', count(*) FILTER (WHERE done_at IS NULL AND acknowledged_at IS NULL AND read_at IS NULL AND delivered_at IS NULL),
    'delivered', count(*) FILTER (WHERE done_at IS NULL AND acknowledged_at IS NULL AND read_at IS NULL AND delivered_at IS NOT NULL),
    'read', count(*) FILTER (WHERE done_at IS NULL AND acknowledged_at IS NULL AND read_at IS NOT NULL),
    'acknowledged', count(*) FILTER (WHERE done_at IS NULL AND acknowledged_at IS NOT NULL),
    'done', count(*) FILTER (WHERE done_at IS NOT NULL))`;

const TASK_COLUMNS = sql`t.id, t.line_code AS "lineCode", l.name AS "lineName", t.kind, t.title, t.body, t.fields,
  t.per_household AS "perHousehold", t.area_code AS "areaCode", coalesce(a.name, t.area_code) AS "areaName",
  ${isoTime(sql`t.deadline`)} AS deadline, t.escalate_after_minutes AS "escalateAfterMinutes", t.status, t.drill,
  t.owner_id AS "ownerId", t.owner_name AS "ownerName", t.department_code AS "departmentCode",
  ${isoTime(sql`t.dispatched_at`)} AS "dispatchedAt", c.counts`;

const TASK_FROM = sql`tasks t JOIN task_lines l ON l.code = t.line_code LEFT JOIN areas a ON a.code = t.area_code
  LEFT JOIN LATERAL (SELECT ${COUNTS} AS counts FROM task_targets tt WHERE tt.task_id = t.id) c ON true`;

/** Tasks, their targets and lines; reads are cut by the handle's scope (row-level security). */
export function tasksRepository(db: Queryable) {
  return {
    lines(): Promise<LineRow[]> {
      return db.rows<LineRow>(sql`
        SELECT code, name, department_codes AS "departmentCodes", active FROM task_lines ORDER BY created_at, code`);
    },

    async line(code: string): Promise<LineRow | undefined> {
      const [row] = await db.rows<LineRow>(sql`
        SELECT code, name, department_codes AS "departmentCodes", active FROM task_lines WHERE code = ${code}`);
      return row;
    },

    /** The names of departments (`departments`, providers left out) by code. */
    departmentNames(codes: readonly string[]): Promise<{ code: string; name: string }[]> {
      if (codes.length === 0) return Promise.resolve([]);
      return db.rows(sql`
        SELECT code, name FROM departments WHERE kind = 'department' AND code = ANY(${sql.param(codes)}::text[]) ORDER BY code`);
    },

    /** Inserts a line; false when the code is taken. */
    async insertLine(line: Omit<LineRow, 'active'>): Promise<boolean> {
      const rows = await db.rows(sql`
        INSERT INTO task_lines (code, name, department_codes)
        VALUES (${line.code}, ${line.name}, ${sql.param(line.departmentCodes)}::text[])
        ON CONFLICT (code) DO NOTHING RETURNING code`);
      return rows.length > 0;
    },

    async updateLine(code: string, change: { name?: string; departmentCodes?: string[]; active?: boolean }): Promise<void> {
      await db.rows(sql`
        UPDATE task_lines SET
          name = coalesce(${change.name ?? null}, name),
          department_codes = coalesce(${change.departmentCodes ? sql`${sql.param(change.departmentCodes)}::text[]` : null}, department_codes),
          active = coalesce(${change.active ?? null}::boolean, active),
          updated_at = now()
        WHERE code = ${code}`);
    },

    /** The area's name and level, when it exists. */
    async area(code: string): Promise<{ code: string; name: string; level: string } | undefined> {
      const [row] = await db.rows<{ code: string; name: string; level: string }>(sql`
        SELECT code, name, level FROM areas WHERE code = ${code}`);
      return row;
    },

    /** The task the owner dispatched with this client id. */
    async idByClient(ownerId: string, clientId: string): Promise<string | undefined> {
      const [row] = await db.rows<{ id: string }>(
        sql`SELECT id FROM tasks WHERE owner_id = ${ownerId} AND client_id = ${clientId}`,
      );
      return row?.id;
    },

    /**
     * Inserts the task; false when the owner's client id is taken (a retry that raced this one).
     * Takes the live log's shared lock in the same statement, before the events' ids are taken.
     */
    async insertTask(task: NewTask): Promise<boolean> {
      const rows = await db.rows(sql`
        INSERT INTO tasks (id, line_code, kind, title, body, fields, per_household, area_code, deadline,
          escalate_after_minutes, drill, owner_id, owner_name, department_code, client_id)
        SELECT ${task.id}, ${task.lineCode}, ${task.kind}, ${task.title}, ${task.body},
          ${task.fields ? JSON.stringify(task.fields) : null}::jsonb, ${task.perHousehold}, ${task.areaCode},
          ${task.deadline.toISOString()}::timestamptz, ${task.escalateAfterMinutes}, ${task.drill}, ${task.ownerId},
          ${task.ownerName}, ${task.departmentCode}, ${task.clientId}
        FROM (SELECT pg_current_xact_id(), pg_advisory_xact_lock_shared(${LIVE_APPEND_LOCK}::bigint)) AS held
        ON CONFLICT (owner_id, client_id) DO NOTHING RETURNING id`);
      return rows.length > 0;
    },

    /**
     * Targets every cell (its informant) and grid (its worker) of the task's area, exactly once,
     * and appends one `task.dispatched` live event per target, in one statement: the rows come
     * from `areas` and `people` in the database, never through Node. The live log's shared lock
     * was taken by insertTask, earlier in the same transaction. Returns the targets' count.
     */
    async insertTargets(task: NewTask, lineName: string): Promise<number> {
      const payload = JSON.stringify({
        taskId: task.id,
        title: task.title,
        lineName,
        kind: task.kind,
        deadline: task.deadline.toISOString(),
        drill: task.drill,
      });
      const [row] = await db.rows<{ targets: number }>(sql`
        WITH targets AS (
          INSERT INTO task_targets (task_id, target_kind, area_code, person_id, department_code)
          SELECT ${task.id}, a.level, a.code,
            (SELECT p.id FROM people p
              WHERE p.area_code = a.code AND p.role = CASE a.level WHEN 'cell' THEN 'cell_informant' ELSE 'grid_worker' END
              ORDER BY p.id LIMIT 1),
            ${task.departmentCode}
          FROM areas a WHERE a.level IN ('cell', 'grid') AND a.code ^@ ${task.areaCode}
          ORDER BY a.code
          RETURNING id, area_code
        ), events AS (
          INSERT INTO live_events (type, scope_code, payload, department_codes)
          SELECT 'task.dispatched', area_code, ${payload}::jsonb || jsonb_build_object('targetId', id),
            ${taskDepartments(task.departmentCode)}
          FROM targets ORDER BY id
        )
        UPDATE tasks SET target_count = (SELECT count(*) FROM targets) WHERE id = ${task.id}
        RETURNING target_count AS targets`);
      return row?.targets ?? 0;
    },

    /** Tasks the handle sees, newest first, with their targets counted per state in its scope. */
    tasks(filter: TaskFilter): Promise<TaskRow[]> {
      const where: SQL[] = [sql`true`];
      if (filter.status) where.push(sql`t.status = ${filter.status}`);
      if (filter.lineCode) where.push(sql`t.line_code = ${filter.lineCode}`);
      if (filter.areaCode) where.push(sql`(t.area_code ^@ ${filter.areaCode} OR ${filter.areaCode} ^@ t.area_code)`);
      return db.rows<TaskRow>(sql`
        SELECT ${TASK_COLUMNS} FROM ${TASK_FROM} WHERE ${sql.join(where, sql` AND `)}
        ORDER BY t.dispatched_at DESC, t.id LIMIT ${LIST_LIMIT}`);
    },

    async task(id: string): Promise<TaskRow | undefined> {
      const [row] = await db.rows<TaskRow>(sql`SELECT ${TASK_COLUMNS} FROM ${TASK_FROM} WHERE t.id = ${id}`);
      return row;
    },

    /** Ends an open task (closed or cancelled); false when it was not open. */
    async endTask(id: string, status: 'closed' | 'cancelled'): Promise<boolean> {
      const rows = await db.rows(sql`
        UPDATE tasks SET status = ${status}, closed_at = now() WHERE id = ${id} AND status = 'open' RETURNING id`);
      return rows.length > 0;
    },
  };
}
