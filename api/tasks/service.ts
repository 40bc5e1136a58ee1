import { randomUUID } from 'node:crypto';
import { levelOfCode } from '../../geo/area-codes.ts';
import type { Principal } from '../app-env.ts';
import type { Database, Queryable } from '../db/client.ts';
import { AppError, badRequest, notFound } from '../errors.ts';
import { parseForm } from '../vocabulary/task-forms.ts';
import type { TaskKind, TaskStatus } from '../vocabulary/tasks.ts';
import { type LineRow, type NewTask, type TaskFilter, type TaskRow, tasksRepository } from './repository.ts';

/** A dispatch as the route parsed it. */
export interface DispatchInput {
  clientId: string;
  lineCode: string;
  kind: TaskKind;
  title: string;
  body: string;
  fields?: unknown;
  perHousehold: boolean;
  areaCode: string;
  deadline: Date;
  escalateAfterMinutes: number;
}

export interface LineInput {
  code: string;
  name: string;
  departmentCodes: string[];
}

const taskNotFound = (id: string) =>
  notFound('task_not_found', { zh: '找不到该任务，或不在您的管辖范围', en: 'No such task in your scope' }, { id });

const countyAdminOnly = () =>
  new AppError(403, 'county_scope_required', {
    zh: '任务条线全县统一，只有县级管理员可以修改',
    en: 'Task lines are county-wide: only a county-level administrator may change them',
  });

/** A task as every list gives it: counts (and so targetCount) cut to the reader's scope. */
function taskSummary(row: TaskRow) {
  const { counts } = row;
  return {
    id: row.id,
    lineCode: row.lineCode,
    lineName: row.lineName,
    kind: row.kind,
    title: row.title,
    areaCode: row.areaCode,
    areaName: row.areaName,
    deadline: row.deadline,
    status: row.status,
    drill: row.drill,
    ownerName: row.ownerName,
    dispatchedAt: row.dispatchedAt,
    targetCount: counts.pending + counts.delivered + counts.read + counts.acknowledged + counts.done,
    counts,
  };
}

function taskDetail(row: TaskRow) {
  return {
    ...taskSummary(row),
    body: row.body,
    fields: row.fields,
    perHousehold: row.perHousehold,
    escalateAfterMinutes: row.escalateAfterMinutes,
  };
}

/** Commanders and the duty officer act on every task in their scope; a cadre on its own only. */
function mayEnd(principal: Principal, task: TaskRow): boolean {
  if (task.ownerId === principal.accountId) return true;
  return principal.role !== 'department_cadre' && task.areaCode.startsWith(principal.scopeCode);
}

/**
 * The core of task lines and broadcasts (issue 19): lines, dispatch to every cell and grid of an
 * area in one transaction, the lists and details cut to scope, and closing a task. Writes run as
 * the owner after the checks here; reads through the caller's scoped handle.
 */
export function tasksService(owner: Database, options: { now?: () => Date } = {}) {
  const now = options.now ?? (() => new Date());

  async function departmentsOf(lines: readonly LineRow[]) {
    const names = await tasksRepository(owner).departmentNames([...new Set(lines.flatMap((line) => line.departmentCodes))]);
    const byCode = new Map(names.map((department) => [department.code, department]));
    return lines.map((line) => ({
      ...line,
      departments: line.departmentCodes.flatMap((code) => byCode.get(code) ?? []),
    }));
  }

  async function checkDepartments(codes: readonly string[]) {
    const known = new Set((await tasksRepository(owner).departmentNames(codes)).map((department) => department.code));
    const unknown = codes.filter((code) => !known.has(code));
    if (unknown.length > 0)
      throw badRequest(
        'department_unknown',
        { zh: `没有这些部门：${unknown.join('、')}`, en: `No such departments: ${unknown.join(', ')}` },
        { unknown },
      );
  }

  function checkCountyAdmin(principal: Principal) {
    if (levelOfCode(principal.scopeCode) !== 'county') throw countyAdminOnly();
  }

  /** Everything a dispatch checks before it writes: the line and the cadre's department, the area and scope, the form. */
  async function checkDispatch(principal: Principal, input: DispatchInput) {
    const repository = tasksRepository(owner);
    const line = await repository.line(input.lineCode);
    if (!line?.active)
      throw badRequest(
        'task_line_unknown',
        { zh: '没有这个任务条线，或已停用', en: 'No such active task line' },
        { lineCode: input.lineCode },
      );
    if (
      principal.role === 'department_cadre' &&
      !(principal.departmentCode && line.departmentCodes.includes(principal.departmentCode))
    )
      throw new AppError(
        403,
        'task_line_not_yours',
        { zh: `「${line.name}」不是本部门负责的条线，不能下发任务`, en: `Your department does not own the line "${line.name}"` },
        { lineCode: line.code },
      );
    const area = await repository.area(input.areaCode);
    if (!area) throw badRequest('area_unknown', { zh: '没有这个区域', en: 'No such area' }, { areaCode: input.areaCode });
    if (!area.code.startsWith(principal.scopeCode))
      throw new AppError(
        403,
        'task_area_out_of_scope',
        { zh: `「${area.name}」不在您的管辖范围内`, en: `${area.name} lies outside your scope` },
        { areaCode: area.code },
      );
    if (input.deadline.getTime() <= now().getTime())
      throw badRequest('task_deadline_past', { zh: '截止时间应晚于现在', en: 'The deadline must lie ahead' });
    if (input.kind === 'notice') {
      if (input.fields !== undefined && input.fields !== null)
        throw badRequest('task_notice_fields', { zh: '通知不带表单', en: 'A notice has no form' });
      if (input.perHousehold)
        throw badRequest('task_notice_households', { zh: '通知不按户填报', en: 'A notice is not per household' });
      return { line, fields: null };
    }
    const form = parseForm(input.fields);
    if (!form.ok) throw badRequest('task_form_invalid', form.problem.message, { path: form.problem.path });
    return { line, fields: form.value };
  }

  async function detail(scoped: Queryable, id: string) {
    const row = await tasksRepository(scoped).task(id);
    if (!row) throw taskNotFound(id);
    return taskDetail(row);
  }

  return {
    async lines() {
      return departmentsOf(await tasksRepository(owner).lines());
    },

    async createLine(principal: Principal, input: LineInput) {
      checkCountyAdmin(principal);
      await checkDepartments(input.departmentCodes);
      const created = await owner.transaction((tx) => tasksRepository(tx).insertLine(input));
      if (!created)
        throw new AppError(409, 'task_line_exists', { zh: `条线代码「${input.code}」已存在`, en: `Line ${input.code} exists` });
      const [line] = await departmentsOf([{ ...input, active: true }]);
      return line!;
    },

    async updateLine(
      principal: Principal,
      code: string,
      change: { name?: string; departmentCodes?: string[]; active?: boolean },
    ) {
      checkCountyAdmin(principal);
      if (change.departmentCodes) await checkDepartments(change.departmentCodes);
      const line = await owner.transaction(async (tx) => {
        const repository = tasksRepository(tx);
        if (!(await repository.line(code))) return undefined;
        await repository.updateLine(code, change);
        return repository.line(code);
      });
      if (!line) throw notFound('task_line_not_found', { zh: '没有这个任务条线', en: 'No such task line' }, { code });
      const [view] = await departmentsOf([line]);
      return view!;
    },

    /**
     * Dispatches a task to every cell and grid of its area, with one live event per target, in one
     * transaction. A retry with the same client id gets the first task (`created: false`). The drill
     * (tasks-monitor) dispatches its practice tasks through here with `drill`.
     */
    async dispatch(principal: Principal, input: DispatchInput, options: { drill?: boolean } = {}) {
      const existing = await tasksRepository(owner).idByClient(principal.accountId, input.clientId);
      if (existing) return { created: false, id: existing };
      const { line, fields } = await checkDispatch(principal, input);
      const task: NewTask = {
        id: randomUUID(),
        clientId: input.clientId,
        lineCode: line.code,
        kind: input.kind,
        title: input.title,
        body: input.body,
        fields,
        perHousehold: input.perHousehold,
        areaCode: input.areaCode,
        deadline: input.deadline,
        escalateAfterMinutes: input.escalateAfterMinutes,
        drill: options.drill ?? false,
        ownerId: principal.accountId,
        ownerName: principal.displayName,
        departmentCode: principal.role === 'department_cadre' ? principal.departmentCode : null,
      };
      return owner.transaction(async (tx) => {
        const repository = tasksRepository(tx);
        if (!(await repository.insertTask(task))) {
          const raced = await repository.idByClient(principal.accountId, input.clientId);
          if (!raced) throw new Error(`task ${input.clientId} of ${principal.accountId} neither stored nor found`);
          return { created: false, id: raced };
        }
        const targets = await repository.insertTargets(task, line.name);
        return { created: true, id: task.id, targets };
      });
    },

    async list(scoped: Queryable, filter: TaskFilter) {
      return (await tasksRepository(scoped).tasks(filter)).map(taskSummary);
    },

    detail,

    /** Closes or cancels an open task: its owner, or a commander whose scope holds its area. */
    async end(principal: Principal, scoped: Queryable, id: string, status: Exclude<TaskStatus, 'open'>) {
      const row = await tasksRepository(scoped).task(id);
      if (!row) throw taskNotFound(id);
      if (!mayEnd(principal, row))
        throw new AppError(403, 'task_not_yours', {
          zh: '只有任务的下发人或其上级指挥长可以结束或撤销任务',
          en: 'Only the task’s owner or a commander above it may end it',
        });
      const ended = await owner.transaction((tx) => tasksRepository(tx).endTask(id, status));
      if (!ended)
        throw new AppError(409, 'task_not_open', { zh: '该任务已结束或已撤销', en: 'The task is no longer open' }, { id });
      return detail(scoped, id);
    },
  };
}

export type TasksService = ReturnType<typeof tasksService>;
