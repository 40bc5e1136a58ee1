import { type SQL, sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.ts';
import { LIVE_APPEND_LOCK } from '../live/events.ts';

/** The audit action under which a reminder command is kept; its clientId makes a retry find it. */
export const REMIND_AUDIT_ACTION = 'tasks.remind';

/**
 * The live events of a set of targets, in the statement that changed them: one per target, scoped
 * to its cell or grid, heard by the task's department's cadres only (none for a commander's task,
 * as the tasks' policy says). `rows` is a CTE with `id`, `area_code`, `department_code` and the
 * columns `payload` names. The shared lock and the transaction id come first, as liveEventInsert does.
 */
function liveEventsOf(type: string, rows: string, payload: SQL): SQL {
  return sql`
    INSERT INTO live_events (type, scope_code, payload, department_codes)
    SELECT ${type}, r.area_code, ${payload},
      CASE WHEN r.department_code IS NULL THEN '{}'::text[] ELSE ARRAY[r.department_code] END
    FROM ${sql.raw(rows)} r, (SELECT pg_current_xact_id(), pg_advisory_xact_lock_shared(${LIVE_APPEND_LOCK}::bigint)) AS held
    ORDER BY r.id
    RETURNING id`;
}

/** The grid worker (level 1) or grid chief (level 2) above a target's area: the person the escalation tells. */
const RECIPIENT = {
  1: sql`(SELECT p.id FROM people p WHERE p.role = 'grid_worker' AND p.area_code = left(e.area_code, 15) ORDER BY p.id LIMIT 1)`,
  2: sql`(SELECT p.id FROM people p WHERE p.role = 'grid_chief' AND p.area_code = left(e.area_code, 12) ORDER BY p.id LIMIT 1)`,
} as const;

/** Writes of the command side, as the owner, after the service checked the caller. */
export function taskCommandsRepository(tx: Queryable) {
  return {
    /** Holds the task's reminder lock to the end of the transaction: two retries of one command run one after the other. */
    async lockReminders(taskId: string): Promise<void> {
      await tx.rows(sql`SELECT pg_advisory_xact_lock(hashtext(${`tasks.remind:${taskId}`}))`);
    },

    /** What an earlier reminder command with this clientId by this account answered, if there was one. */
    async earlierReminder(taskId: string, actorId: string, clientId: string): Promise<number | undefined> {
      const [row] = await tx.rows<{ reminded: number }>(sql`
        SELECT (details->>'reminded')::int AS reminded FROM audit_log
        WHERE action = ${REMIND_AUDIT_ACTION} AND target_id = ${taskId} AND actor_id = ${actorId}
          AND details->>'clientId' = ${clientId}
        LIMIT 1`);
      return row?.reminded;
    },

    /**
     * One reminder to every target of the task in `areaCode` that is not done: its count and time
     * move, a `remind` row names its person, and a `task.reminded` event goes to its scope. All in
     * one statement; the number reminded.
     */
    async remind(taskId: string, areaCode: string, sender: { id: string; name: string }, now: Date): Promise<number> {
      const at = now.toISOString();
      const [row] = await tx.rows<{ n: number }>(sql`
        WITH reminded AS (
          UPDATE task_targets SET reminders = reminders + 1, last_reminded_at = ${at}::timestamptz
          WHERE task_id = ${taskId} AND done_at IS NULL AND area_code ^@ ${areaCode}
          RETURNING id, area_code, person_id, department_code, reminders
        ), written AS (
          INSERT INTO task_reminders (task_id, target_id, kind, recipient_id, sent_by, sent_by_name, area_code, department_code, sent_at)
          SELECT ${taskId}, id, 'remind', person_id, ${sender.id}, ${sender.name}, area_code, department_code, ${at}::timestamptz
          FROM reminded
          RETURNING id
        ), events AS (${liveEventsOf(
          'task.reminded',
          'reminded',
          sql`jsonb_build_object('taskId', ${taskId}::text, 'targetId', r.id, 'areaCode', r.area_code, 'reminders', r.reminders, 'at', ${at}::text)`,
        )})
        SELECT (SELECT count(*) FROM written)::int AS n, (SELECT count(*) FROM events)::int AS events`);
      return row?.n ?? 0;
    },

    /** Closes the open tasks whose deadline has passed; their ids. */
    async closePastDeadline(now: Date): Promise<string[]> {
      const rows = await tx.rows<{ id: string }>(sql`
        UPDATE tasks SET status = 'closed', closed_at = ${now.toISOString()}::timestamptz
        WHERE status = 'open' AND deadline <= ${now.toISOString()}::timestamptz RETURNING id`);
      return rows.map((row) => row.id);
    },

    /**
     * Moves the silent targets of open tasks (neither acknowledged nor done) up one level, in one
     * statement: level 1, a cell silent for its task's limit, to its grid worker; level 2, a cell
     * silent for twice the limit (already at its worker) or a grid silent for the limit, to its grid
     * chief. Each gets a reminder row naming who is told and a `task.escalated` event to its scope. A
     * target moves to a level once: the update re-checks the level it read (a second sweep, here or
     * in another process, finds nothing). The number escalated.
     */
    async escalate(level: 1 | 2, now: Date): Promise<number> {
      const at = now.toISOString();
      const due =
        level === 1
          ? sql`t.target_kind = 'cell' AND t.escalation_level = 0
              AND k.dispatched_at + k.escalate_after_minutes * interval '1 minute' <= ${at}::timestamptz`
          : sql`((t.target_kind = 'cell' AND t.escalation_level = 1
                AND k.dispatched_at + 2 * k.escalate_after_minutes * interval '1 minute' <= ${at}::timestamptz)
              OR (t.target_kind = 'grid' AND t.escalation_level = 0
                AND k.dispatched_at + k.escalate_after_minutes * interval '1 minute' <= ${at}::timestamptz))`;
      const [row] = await tx.rows<{ n: number }>(sql`
        WITH e AS (
          UPDATE task_targets t SET escalation_level = ${level}, escalated_at = ${at}::timestamptz
          FROM tasks k
          WHERE k.id = t.task_id AND k.status = 'open' AND t.acknowledged_at IS NULL AND t.done_at IS NULL AND ${due}
          RETURNING t.id, t.task_id, t.area_code, t.department_code
        ), written AS (
          INSERT INTO task_reminders (task_id, target_id, kind, recipient_id, sent_by, sent_by_name, area_code, department_code, sent_at)
          SELECT e.task_id, e.id, ${level === 1 ? 'escalate_worker' : 'escalate_chief'}, ${RECIPIENT[level]}, NULL, '系统',
            e.area_code, e.department_code, ${at}::timestamptz
          FROM e
          RETURNING id
        ), events AS (${liveEventsOf(
          'task.escalated',
          'e',
          sql`jsonb_build_object('taskId', r.task_id, 'targetId', r.id, 'areaCode', r.area_code, 'level', ${level}::int, 'at', ${at}::text)`,
        )})
        SELECT (SELECT count(*) FROM written)::int AS n, (SELECT count(*) FROM events)::int AS events`);
      return row?.n ?? 0;
    },
  };
}
