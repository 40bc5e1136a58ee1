import { sql } from 'drizzle-orm';
import type { Database } from '../../../api/db/client.ts';
import { sweepTasks } from '../../../api/task-monitor/escalation.ts';

let sequence = 0;

export interface TestTaskOptions {
  areaCode: string;
  kind?: 'notice' | 'collection';
  fields?: unknown[];
  perHousehold?: boolean;
  /** Minutes before now the task was dispatched (0 by default). */
  dispatchedMinutesAgo?: number;
  escalateAfterMinutes?: number;
  /** Minutes from now to the deadline (a day by default; negative: past). */
  deadlineInMinutes?: number;
  departmentCode?: string | null;
  title?: string;
}

export interface TestTarget {
  id: number;
  targetKind: 'cell' | 'grid';
  areaCode: string;
}

/**
 * A task written straight into the tables, as tasks-core's dispatch writes it: one target per cell
 * (its informant) and per grid (its worker) of the area, none stamped yet. For the command side's
 * reads, which need hand-made timestamps.
 */
export async function insertTestTask(
  db: Database,
  options: TestTaskOptions,
): Promise<{ id: string; dispatchedAt: Date; targets: TestTarget[] }> {
  sequence++;
  const id = `T-TASK-${process.pid}-${Date.now().toString(36)}-${sequence}`;
  const dispatchedAt = new Date(Date.now() - (options.dispatchedMinutesAgo ?? 0) * 60_000);
  dispatchedAt.setUTCMilliseconds(0);
  const deadline = new Date(Date.now() + (options.deadlineInMinutes ?? 24 * 60) * 60_000);
  const kind = options.kind ?? 'notice';
  const fields = kind === 'notice' ? null : JSON.stringify(options.fields ?? []);
  const departmentCode = options.departmentCode ?? null;
  await db.rows(sql`
    INSERT INTO tasks (id, line_code, kind, title, body, fields, per_household, area_code, deadline, escalate_after_minutes,
      drill, owner_id, owner_name, department_code, client_id, dispatched_at)
    VALUES (${id}, 'emergency', ${kind}, ${options.title ?? `测试任务 ${sequence}`}, '测试', ${fields}::jsonb,
      ${options.perHousehold ?? false}, ${options.areaCode}, ${deadline.toISOString()}::timestamptz,
      ${options.escalateAfterMinutes ?? 60}, false, NULL, '测试指挥', ${departmentCode}, ${id},
      ${dispatchedAt.toISOString()}::timestamptz)`);
  const targets = await db.rows<TestTarget>(sql`
    INSERT INTO task_targets (task_id, target_kind, area_code, person_id, department_code)
    SELECT ${id}, CASE a.level WHEN 'cell' THEN 'cell' ELSE 'grid' END, a.code,
      (SELECT p.id FROM people p WHERE p.area_code = a.code
        AND p.role = CASE a.level WHEN 'cell' THEN 'cell_informant' ELSE 'grid_worker' END ORDER BY p.id LIMIT 1),
      ${departmentCode}
    FROM areas a WHERE a.level IN ('cell', 'grid') AND a.code ^@ ${options.areaCode}
    ORDER BY a.code
    RETURNING id::int AS id, target_kind AS "targetKind", area_code AS "areaCode"`);
  await db.rows(sql`UPDATE tasks SET target_count = ${targets.length} WHERE id = ${id}`);
  return { id, dispatchedAt, targets: targets.sort((a, b) => a.id - b.id) };
}

/** Stamps a target's way, in minutes after `dispatchedAt` (null leaves a stamp empty). */
export async function stampTarget(
  db: Database,
  targetId: number,
  dispatchedAt: Date,
  minutes: { delivered?: number | null; read?: number | null; acknowledged?: number | null; done?: number | null },
): Promise<void> {
  const at = (minute: number | null | undefined) =>
    minute === null || minute === undefined ? null : new Date(dispatchedAt.getTime() + minute * 60_000).toISOString();
  await db.rows(sql`
    UPDATE task_targets SET delivered_at = ${at(minutes.delivered)}::timestamptz, read_at = ${at(minutes.read)}::timestamptz,
      acknowledged_at = ${at(minutes.acknowledged)}::timestamptz, done_at = ${at(minutes.done)}::timestamptz
    WHERE id = ${targetId}`);
}

/** An answer to a target, written as tasks-core's answer route writes it. */
export async function insertTestResponse(
  db: Database,
  taskId: string,
  target: TestTarget,
  answers: Record<string, unknown>,
  options: { householdCode?: string; location?: [number, number] } = {},
): Promise<void> {
  sequence++;
  const location = options.location
    ? sql`ST_SetSRID(ST_MakePoint(${options.location[0]}, ${options.location[1]}), 4326)`
    : sql`NULL`;
  await db.rows(sql`
    INSERT INTO task_responses (task_id, target_id, household_code, answers, location, responder_id, responder_name, client_id,
      area_code, department_code)
    VALUES (${taskId}, ${target.id}, ${options.householdCode ?? ''}, ${JSON.stringify(answers)}::jsonb, ${location},
      ${`responder-${target.areaCode}`}, '测试信息员', ${`r-${sequence}-${Date.now()}`}, ${target.areaCode},
      (SELECT department_code FROM tasks WHERE id = ${taskId}))`);
}

/**
 * task.reminded and task.escalated for the scoped-payload scenario: a task on each of `areaCodes`,
 * silent past its limit, reminded by `commander` and swept up to the grid worker and grid chief.
 */
export async function remindAndSweep(
  db: Database,
  commander: { request(method: string, path: string, body?: unknown): Promise<Response> },
  areaCodes: readonly string[],
): Promise<void> {
  for (const areaCode of areaCodes) {
    const task = await insertTestTask(db, { areaCode, dispatchedMinutesAgo: 70, escalateAfterMinutes: 60 });
    const reminded = await commander.request('POST', `/api/tasks/${task.id}/remind`, { clientId: crypto.randomUUID() });
    if (reminded.status !== 200) throw new Error(`remind: ${reminded.status} ${await reminded.text()}`);
  }
  await sweepTasks(db);
}
