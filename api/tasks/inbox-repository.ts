import { type SQL, sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.ts';
import { isoTime } from '../db/iso-time.ts';
import { LIVE_APPEND_LOCK } from '../live/events.ts';
import type { FormField, FormLocation } from '../vocabulary/task-forms.ts';
import type { TargetKind, TargetState, TaskKind, TaskStatus } from '../vocabulary/tasks.ts';

/** One target with its task, as the inbox and the target commands read it. */
export interface TargetRow {
  id: number;
  taskId: string;
  targetKind: TargetKind;
  areaCode: string;
  areaName: string;
  personId: string | null;
  departmentCode: string | null;
  deliveredAt: string | null;
  readAt: string | null;
  acknowledgedAt: string | null;
  doneAt: string | null;
  escalationLevel: number;
  escalatedAt: string | null;
  task: {
    id: string;
    lineName: string;
    kind: TaskKind;
    title: string;
    body: string;
    fields: FormField[] | null;
    perHousehold: boolean;
    deadline: string;
    status: TaskStatus;
    drill: boolean;
    ownerName: string;
    dispatchedAt: string;
  };
}

export interface ResponseRow {
  id: number;
  taskId: string;
  targetId: number;
  householdCode: string;
  answers: Record<string, unknown>;
  location: FormLocation | null;
  responderName: string;
  clientId: string;
  createdAt: string;
  updatedAt: string;
}

/** A target escalated to the reader, with the silent person's name and phone. */
export interface EscalationRow {
  taskId: string;
  taskTitle: string;
  targetId: number;
  areaCode: string;
  areaName: string;
  level: number;
  escalatedAt: string;
  personName: string | null;
  personPhone: string | null;
}

/** A target's state in SQL, by targetStateOf's precedence (api/vocabulary/tasks.ts). */
const stateOf = (t: string): SQL =>
  sql.raw(`CASE WHEN ${t}.done_at IS NOT NULL THEN 'done' WHEN ${t}.acknowledged_at IS NOT NULL THEN 'acknowledged'
    WHEN ${t}.read_at IS NOT NULL THEN 'read' WHEN ${t}.delivered_at IS NOT NULL THEN 'delivered' ELSE 'pending' END`);

const TARGET_COLUMNS = sql`tt.id::int AS id, tt.task_id AS "taskId", tt.target_kind AS "targetKind", tt.area_code AS "areaCode",
  coalesce(a.name, tt.area_code) AS "areaName", tt.person_id AS "personId", tt.department_code AS "departmentCode",
  ${isoTime(sql`tt.delivered_at`)} AS "deliveredAt", ${isoTime(sql`tt.read_at`)} AS "readAt",
  ${isoTime(sql`tt.acknowledged_at`)} AS "acknowledgedAt", ${isoTime(sql`tt.done_at`)} AS "doneAt",
  tt.escalation_level::int AS "escalationLevel", ${isoTime(sql`tt.escalated_at`)} AS "escalatedAt",
  jsonb_build_object('id', t.id, 'lineName', l.name, 'kind', t.kind, 'title', t.title, 'body', t.body, 'fields', t.fields,
    'perHousehold', t.per_household, 'deadline', ${isoTime(sql`t.deadline`)}, 'status', t.status, 'drill', t.drill,
    'ownerName', t.owner_name, 'dispatchedAt', ${isoTime(sql`t.dispatched_at`)}) AS task`;

const TARGET_FROM = sql`task_targets tt JOIN tasks t ON t.id = tt.task_id JOIN task_lines l ON l.code = t.line_code
  LEFT JOIN areas a ON a.code = tt.area_code`;

const RESPONSE_COLUMNS = sql`id::int AS id, task_id AS "taskId", target_id AS "targetId", household_code AS "householdCode", answers,
  CASE WHEN location IS NULL THEN NULL ELSE jsonb_build_object('lon', ST_X(location), 'lat', ST_Y(location)) END AS location,
  responder_name AS "responderName", client_id AS "clientId",
  ${isoTime(sql`created_at`)} AS "createdAt", ${isoTime(sql`updated_at`)} AS "updatedAt"`;

/** How far back the inbox looks: tasks dispatched in the last 30 days. */
const INBOX_DAYS = 30;

/** The field side of tasks: targets, their stamps and answers, photos, escalations. */
export function inboxRepository(db: Queryable) {
  return {
    /** The reader's own targets (its cell's, or its grid's) of the last 30 days, newest first. */
    ownTargets(kind: TargetKind, areaCode: string): Promise<TargetRow[]> {
      return db.rows<TargetRow>(sql`
        SELECT ${TARGET_COLUMNS} FROM ${TARGET_FROM}
        WHERE tt.target_kind = ${kind} AND tt.area_code = ${areaCode} AND t.status <> 'cancelled'
          AND t.dispatched_at > now() - make_interval(days => ${INBOX_DAYS})
        ORDER BY t.dispatched_at DESC, tt.id`);
    },

    async target(id: number): Promise<TargetRow | undefined> {
      const [row] = await db.rows<TargetRow>(sql`SELECT ${TARGET_COLUMNS} FROM ${TARGET_FROM} WHERE tt.id = ${id}`);
      return row;
    },

    /**
     * Stamps the targets `where` picks with `set` (timestamps only move forward: each stamp is a
     * coalesce) and appends one `task.target` live event for each whose state changed, scoped to
     * its cell or grid and heard by its task's department only, in one statement. Returns the
     * changed targets' ids and new states.
     */
    stamp(where: SQL, set: SQL): Promise<{ id: number; state: TargetState; changed: boolean }[]> {
      return db.rows(sql`
        WITH held AS MATERIALIZED (SELECT pg_current_xact_id() AS xid, pg_advisory_xact_lock_shared(${LIVE_APPEND_LOCK}::bigint)),
        old AS (SELECT o.id, ${stateOf('o')} AS state FROM task_targets o WHERE ${where} FOR UPDATE),
        stamped AS (
          UPDATE task_targets tt SET ${set} FROM old WHERE tt.id = old.id
          RETURNING tt.id, tt.task_id, tt.area_code, tt.department_code, old.state AS old_state, ${stateOf('tt')} AS state
        ), events AS (
          INSERT INTO live_events (type, scope_code, payload, department_codes)
          SELECT 'task.target', s.area_code,
            jsonb_build_object('taskId', s.task_id, 'targetId', s.id, 'areaCode', s.area_code, 'state', s.state,
              'at', ${isoTime(sql`now()`)}),
            CASE WHEN s.department_code IS NULL THEN '{}'::text[] ELSE ARRAY[s.department_code] END
          FROM stamped s, held WHERE s.state <> s.old_state ORDER BY s.id
        )
        SELECT id::int AS id, state, state <> old_state AS changed FROM stamped ORDER BY id`);
    },

    responses(targetIds: readonly number[]): Promise<ResponseRow[]> {
      if (targetIds.length === 0) return Promise.resolve([]);
      return db.rows<ResponseRow>(sql`
        SELECT ${RESPONSE_COLUMNS} FROM task_responses WHERE target_id = ANY(${sql.param(targetIds)}::int[])
        ORDER BY target_id, household_code`);
    },

    async responseByClient(responderId: string, clientId: string): Promise<ResponseRow | undefined> {
      const [row] = await db.rows<ResponseRow>(sql`
        SELECT ${RESPONSE_COLUMNS} FROM task_responses WHERE responder_id = ${responderId} AND client_id = ${clientId}`);
      return row;
    },

    /** Stores an answer; a later one for the same target and household replaces the earlier. */
    async saveResponse(response: {
      taskId: string;
      targetId: number;
      householdCode: string;
      answers: Record<string, unknown>;
      location: FormLocation | null;
      responderId: string;
      responderName: string;
      clientId: string;
      areaCode: string;
      departmentCode: string | null;
    }): Promise<ResponseRow> {
      const location = response.location
        ? sql`ST_SetSRID(ST_MakePoint(${response.location.lon}, ${response.location.lat}), 4326)`
        : sql`NULL::geometry`;
      const [row] = await db.rows<ResponseRow>(sql`
        INSERT INTO task_responses AS r (task_id, target_id, household_code, answers, location, responder_id, responder_name,
          client_id, area_code, department_code)
        VALUES (${response.taskId}, ${response.targetId}, ${response.householdCode}, ${JSON.stringify(response.answers)}::jsonb,
          ${location}, ${response.responderId}, ${response.responderName}, ${response.clientId}, ${response.areaCode},
          ${response.departmentCode})
        ON CONFLICT (task_id, target_id, household_code) DO UPDATE SET answers = excluded.answers, location = excluded.location,
          responder_id = excluded.responder_id, responder_name = excluded.responder_name, client_id = excluded.client_id,
          updated_at = now()
        RETURNING ${RESPONSE_COLUMNS}`);
      return row!;
    },

    /** The households a target answers for: its cell's, or every cell's of its grid. */
    households(areaCode: string): Promise<{ code: string; address: string }[]> {
      return db.rows(sql`SELECT code, address FROM households WHERE cell_code ^@ ${areaCode} ORDER BY code`);
    },

    /** How many of the target's households have an answer, and how many it has. */
    async householdsAnswered(targetId: number, areaCode: string): Promise<{ answered: number; households: number }> {
      const [row] = await db.rows<{ answered: number; households: number }>(sql`
        SELECT (SELECT count(*)::int FROM task_responses r JOIN households h ON h.code = r.household_code
                 WHERE r.target_id = ${targetId} AND h.cell_code ^@ ${areaCode}) AS answered,
               (SELECT count(*)::int FROM households WHERE cell_code ^@ ${areaCode}) AS households`);
      return row ?? { answered: 0, households: 0 };
    },

    /** The photos of `ids` stored for the task by this target's area. */
    async photoIds(taskId: string, areaCode: string, ids: readonly string[]): Promise<Set<string>> {
      if (ids.length === 0) return new Set();
      const rows = await db.rows<{ id: string }>(sql`
        SELECT id FROM task_photos WHERE task_id = ${taskId} AND area_code = ${areaCode} AND id = ANY(${sql.param(ids)}::text[])`);
      return new Set(rows.map((row) => row.id));
    },

    async photoBySha(taskId: string, areaCode: string, sha256: string): Promise<string | undefined> {
      const [row] = await db.rows<{ id: string }>(sql`
        SELECT id FROM task_photos WHERE task_id = ${taskId} AND area_code = ${areaCode} AND sha256 = ${sha256}`);
      return row?.id;
    },

    async insertPhoto(photo: {
      id: string;
      taskId: string;
      areaCode: string;
      departmentCode: string | null;
      contentType: string;
      sha256: string;
      bytes: Uint8Array;
      uploadedBy: string;
    }): Promise<void> {
      await db.rows(sql`
        INSERT INTO task_photos (id, task_id, content_type, byte_size, sha256, bytes, area_code, department_code, uploaded_by)
        VALUES (${photo.id}, ${photo.taskId}, ${photo.contentType}, ${photo.bytes.byteLength}, ${photo.sha256}, ${photo.bytes},
          ${photo.areaCode}, ${photo.departmentCode}, ${photo.uploadedBy})
        ON CONFLICT (task_id, area_code, sha256) DO NOTHING`);
    },

    async photo(id: string): Promise<{ contentType: string; bytes: Uint8Array; taskId: string; areaCode: string } | undefined> {
      const [row] = await db.rows<{ contentType: string; bytes: Uint8Array; taskId: string; areaCode: string }>(sql`
        SELECT content_type AS "contentType", bytes, task_id AS "taskId", area_code AS "areaCode" FROM task_photos WHERE id = ${id}`);
      return row;
    },

    /**
     * Targets of open tasks escalated to the reader and still not done: level 1 cells of a grid
     * worker's grid, or level 2 targets of a grid chief's village, with the silent person.
     */
    escalations(areaCode: string, level: 1 | 2): Promise<EscalationRow[]> {
      const kind = level === 1 ? sql`AND tt.target_kind = 'cell' AND tt.escalation_level = 1` : sql`AND tt.escalation_level = 2`;
      return db.rows<EscalationRow>(sql`
        SELECT t.id AS "taskId", t.title AS "taskTitle", tt.id::int AS "targetId", tt.area_code AS "areaCode",
          coalesce(a.name, tt.area_code) AS "areaName", tt.escalation_level::int AS level, ${isoTime(sql`tt.escalated_at`)} AS "escalatedAt",
          p.name AS "personName", p.phone AS "personPhone"
        FROM task_targets tt JOIN tasks t ON t.id = tt.task_id LEFT JOIN areas a ON a.code = tt.area_code
          LEFT JOIN people p ON p.id = tt.person_id
        WHERE tt.area_code ^@ ${areaCode} ${kind} AND tt.done_at IS NULL AND t.status = 'open'
        ORDER BY tt.escalated_at DESC, tt.id LIMIT 500`);
    },
  };
}
