import { isWithinScope } from '../../geo/area-codes.ts';
import { type AuditContext, recordRead } from '../audit/service.ts';
import type { Database, Queryable } from '../db/client.ts';
import { AppError, notFound } from '../errors.ts';
import { TASK_AUDIT_ACTIONS } from '../vocabulary/tasks.ts';
import { REMIND_AUDIT_ACTION, taskCommandsRepository } from './commands-repository.ts';
import { type ExportField, type ResultsTable, resultsCsv, resultsXlsx } from './export.ts';
import { reachCurves } from './reach.ts';
import { type MonitoredTask, taskMonitorRepository } from './repository.ts';

const { resultsRead: RESULTS_READ, resultsExport: RESULTS_EXPORT } = TASK_AUDIT_ACTIONS;

const taskNotFound = (id: string) => notFound('task_not_found', { zh: '找不到该任务', en: 'No such task' }, { id });

const areaOutsideScope = (areaCode: string) =>
  new AppError(
    403,
    'area_outside_scope',
    { zh: '只能催办您管辖范围内的对象', en: 'You can remind targets inside your own scope only' },
    { areaCode },
  );

export interface TaskMonitorOptions {
  now?: () => Date;
}

/**
 * The command side of a task (issue 19): where each target stands (the live map), the reach
 * curves per township, reminders to the silent, and the answers with their exports. Reads run on
 * the caller's scoped handle, so a township commander sees its township's part of a county task
 * and nothing else; the reminder command checks the task through that handle, then writes as the
 * owner within the caller's scope.
 */
export function taskMonitorService(owner: Database, options: TaskMonitorOptions = {}) {
  const now = options.now ?? (() => new Date());

  async function visibleTask(scoped: Queryable, id: string): Promise<MonitoredTask> {
    const task = await taskMonitorRepository(scoped).task(id, now());
    if (!task) throw taskNotFound(id);
    return task;
  }

  async function resultsOf(scoped: Queryable, id: string, areaCode: string | undefined) {
    const task = await visibleTask(scoped, id);
    const rows = await taskMonitorRepository(scoped).results(id, areaCode);
    return { task, fields: (task.fields ?? []) as ExportField[], rows };
  }

  async function exportTable(
    scoped: Queryable,
    context: AuditContext,
    id: string,
    areaCode: string | undefined,
    format: 'csv' | 'xlsx',
  ): Promise<ResultsTable> {
    const { task, fields, rows } = await resultsOf(scoped, id, areaCode);
    const exportedAt = now().toISOString();
    await recordRead(owner, context, {
      action: RESULTS_EXPORT,
      targetType: 'task',
      targetId: id,
      scopeCode: areaCode ?? context.principal.scopeCode,
      details: { rows: rows.length, format, areaCode: areaCode ?? null },
    });
    return { title: task.title, fields, rows, exportedBy: context.principal.displayName, exportedAt };
  }

  return {
    /** The task's targets in the caller's scope with their state, for the live map; no person. */
    async targets(scoped: Queryable, id: string, areaCode?: string) {
      await visibleTask(scoped, id);
      return { targets: await taskMonitorRepository(scoped).targets(id, areaCode) };
    },

    /** The reach curves of the task's targets in the caller's scope, per township and in total (one aggregate read). */
    async reach(scoped: Queryable, id: string, areaCode?: string, step?: number) {
      const task = await visibleTask(scoped, id);
      const rows = await taskMonitorRepository(scoped).reachCounts(id, task.dispatchedAt, areaCode);
      const curves = reachCurves(rows, task.minutesOpen, step);
      return { dispatchedAt: task.dispatchedAt, ...curves };
    },

    /**
     * One reminder to every target of an open task not done yet, inside the caller's scope (and
     * `areaCode`, which must lie in it). Idempotent by `clientId`: the command is kept in the audit
     * log with it, and a retry answers what the first answered without reminding anyone again.
     */
    async remind(scoped: Queryable, context: AuditContext, id: string, input: { clientId: string; areaCode?: string }) {
      const { principal } = context;
      const task = await visibleTask(scoped, id);
      const areaCode = input.areaCode ?? principal.scopeCode;
      if (!isWithinScope(areaCode, principal.scopeCode)) throw areaOutsideScope(areaCode);
      return owner.transaction(async (tx) => {
        const commands = taskCommandsRepository(tx);
        await commands.lockReminders(id);
        const earlier = await commands.earlierReminder(id, principal.accountId, input.clientId);
        if (earlier !== undefined) return { reminded: earlier, replayed: true };
        if (task.status !== 'open')
          throw new AppError(
            409,
            'task_not_open',
            { zh: '任务已结束或已撤销，不能再催办', en: 'The task is closed or cancelled: no more reminders' },
            { status: task.status },
          );
        const reminded = await commands.remind(id, areaCode, { id: principal.accountId, name: principal.displayName }, now());
        await recordRead(tx, context, {
          action: REMIND_AUDIT_ACTION,
          targetType: 'task',
          targetId: id,
          scopeCode: areaCode,
          details: { clientId: input.clientId, reminded, areaCode },
        });
        return { reminded, replayed: false };
      });
    },

    /** The task's reminders and escalations in the caller's scope, newest first. */
    async reminders(scoped: Queryable, id: string, limit: number) {
      await visibleTask(scoped, id);
      return { reminders: await taskMonitorRepository(scoped).reminders(id, limit) };
    },

    /** The task's answers in the caller's scope, per cell and household, with their locations (audited). */
    async results(scoped: Queryable, context: AuditContext, id: string, areaCode?: string) {
      const { fields, rows } = await resultsOf(scoped, id, areaCode);
      await recordRead(owner, context, {
        action: RESULTS_READ,
        targetType: 'task',
        targetId: id,
        scopeCode: areaCode ?? context.principal.scopeCode,
        details: { rows: rows.length, areaCode: areaCode ?? null },
      });
      return {
        fields,
        rows: rows.map(({ lon, lat, ...row }) => ({ ...row, location: lon === null || lat === null ? null : { lon, lat } })),
      };
    },

    async resultsCsv(scoped: Queryable, context: AuditContext, id: string, areaCode?: string) {
      return resultsCsv(await exportTable(scoped, context, id, areaCode, 'csv'));
    },

    async resultsXlsx(scoped: Queryable, context: AuditContext, id: string, areaCode?: string) {
      return resultsXlsx(await exportTable(scoped, context, id, areaCode, 'xlsx'));
    },
  };
}

export type TaskMonitorService = ReturnType<typeof taskMonitorService>;
