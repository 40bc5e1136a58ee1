import { type SQL, sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.ts';
import { checkLiveEvent, type LiveEvent, visibleCase } from '../vocabulary/live-events.ts';

/**
 * An event to append: one of the live event union (api/vocabulary/live-events.ts), and the cell
 * (or area) it concerns, which decides who hears it: accounts whose scope is a prefix of it.
 */
export type NewLiveEvent = LiveEvent & {
  scopeCode: string;
  /**
   * For a task event (task.*): the task's department, whose cadres alone hear it; null for a
   * commander's task, which no cadre hears (as the tasks' policy says, migrations/0019).
   */
  taskDepartmentCode?: string | null;
};

/**
 * The cuts of report.created, case.changed and case.escalated pass their case through, and that of
 * drill.changed its drill, because the event is scoped to the case's cell (the drill's scope): only
 * readers who may see it hear it. An event placed elsewhere would carry the case past that rule.
 */
function checkPlacement(event: NewLiveEvent): void {
  const placedAt =
    event.type === 'report.created' || event.type === 'case.changed' || event.type === 'case.escalated'
      ? event.payload.case.cellCode
      : event.type === 'drill.changed'
        ? (event.payload.drill.scopeCode ?? '')
        : event.type === 'patrol.moved'
          ? event.payload.patrol.areaCode
          : event.type === 'task.target' || event.type === 'task.reminded' || event.type === 'task.escalated'
            ? event.payload.areaCode
            : event.scopeCode;
  if (placedAt !== event.scopeCode) {
    throw new Error(`live event ${event.type} scoped to ${event.scopeCode} is about ${placedAt}: scope it there`);
  }
}

/**
 * Advisory lock key held (shared) by every transaction that appends to the live log, from before
 * it takes an id until it ends. Ids are taken in one order and committed in another, so a reader
 * can see id 11 while 10 is still in flight; when the hub (hub.ts) can take this key exclusively,
 * no appender is in flight, and an id still missing is one that rolled back. (The transaction
 * id taken at the same moment gives the hub a second proof, from snapshots: repository.ts.)
 */
export const LIVE_APPEND_LOCK = 1_734_569_078;

/**
 * The id of the case an event is about: null for the drill, the one event about no case (it
 * reaches every account in scope, department cadres included), and undefined for a case given
 * only as "outside scope", which then reaches no department.
 */
function caseIdOf(event: NewLiveEvent): string | null | undefined {
  if (event.type === 'drill.changed') return null;
  // A worker's position is no department's line: no cadre hears of it.
  if (event.type === 'patrol.moved') return undefined;
  // The command side's events (api/task-monitor) are written in bulk, with the task's department.
  if (event.type === 'task.reminded' || event.type === 'task.escalated') return undefined;
  if (event.type === 'task.dispatched' || event.type === 'task.target') return undefined;
  return visibleCase(event.payload.case)?.id;
}

/** The departments that see case `caseId` as it now is: its type is one of their lines, or it was dispatched or co-assigned to them. */
const departmentsSeeing = (caseId: string) =>
  sql`ARRAY(SELECT d.code FROM departments d JOIN reports r ON r.id = ${caseId}
            WHERE r.type = ANY (d.report_types) OR d.code = r.assigned_department_code OR r.co_department_codes ? d.code
            ORDER BY d.code)`;

const codeArray = (codes: readonly string[]) =>
  codes.length === 0
    ? sql`'{}'::text[]`
    : sql`ARRAY[${sql.join(
        codes.map((code) => sql`${code}`),
        sql`, `,
      )}]::text[]`;

/**
 * The departments whose cadres may read each case (as the log records them for an event about it),
 * for an event that names two cases whose cut tells each department only of its own (case.merged).
 */
export async function caseDepartments(tx: Queryable, caseId: string): Promise<string[]> {
  const [row] = await tx.rows<{ codes: string }>(sql`SELECT array_to_string(${departmentsSeeing(caseId)}, ',') AS codes`);
  return (row?.codes ?? '').split(',').filter(Boolean);
}

/**
 * Appends an event to the live log in the caller's transaction, as the owner (the log is not
 * writable by the scoped role): if the command rolls back, nobody hears of it. A trigger
 * (migrations/0005) notifies every API process listening on `gcc_live` at commit. The payload is
 * checked against its type's schema first: a producer's mistake fails the command, it is not logged.
 * An event about a case records the departments that see the case as it now is (its type is one of
 * their lines, or it was dispatched or co-assigned to them): only their cadres hear of it
 * (migrations/0009, hub.ts).
 */
export async function appendLiveEvent(tx: Queryable, event: NewLiveEvent): Promise<number> {
  const [row] = await tx.rows<{ id: string | number }>(liveEventInsert(event));
  return Number(row!.id);
}

/**
 * The statement that appends `event` (checked as appendLiveEvent checks it), for a command that
 * runs it as part of one of its own (a data-modifying WITH), to save the round trip.
 */
export function liveEventInsert(event: NewLiveEvent): SQL {
  checkLiveEvent(event);
  checkPlacement(event);
  const caseId = caseIdOf(event);
  // Fails closed: an event whose case is not named is heard by no department. A merge is heard by
  // the departments of either case; its cut (api/vocabulary/live-events.ts) shows each only its own.
  const departments = event.type.startsWith('task.')
    ? event.taskDepartmentCode
      ? sql`ARRAY[${event.taskDepartmentCode}]::text[]`
      : sql`'{}'::text[]`
    : event.type === 'case.merged' && event.payload.departments
      ? codeArray([...new Set([...event.payload.departments.case, ...event.payload.departments.into])].sort())
      : caseId === null
        ? sql`NULL::text[]`
        : caseId === undefined
          ? sql`'{}'::text[]`
          : departmentsSeeing(caseId);
  // The transaction id and the shared lock come before the event's id, in the same statement: the
  // subquery in FROM runs before the row (and its id) is made, and PostgreSQL does not pull a
  // subquery with volatile calls up into its parent. One round trip, not two, for every event.
  return sql`
    INSERT INTO live_events (type, scope_code, payload, department_codes)
    SELECT ${event.type}, ${event.scopeCode}, ${JSON.stringify(event.payload)}::jsonb, ${departments}
    FROM (SELECT pg_current_xact_id(), pg_advisory_xact_lock_shared(${LIVE_APPEND_LOCK}::bigint)) AS held
    RETURNING id`;
}
