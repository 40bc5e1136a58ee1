import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Principal } from '../app-env.ts';
import { type AuditContext, recordRead } from '../audit/service.ts';
import type { SubmittedPhoto } from '../cases/photos/upload.ts';
import type { Database, Queryable } from '../db/client.ts';
import { AppError, badRequest, notFound } from '../errors.ts';
import { checkAnswers, type FormLocation, firstLocation } from '../vocabulary/task-forms.ts';
import { TASK_AUDIT_ACTIONS, type TargetKind, targetStateOf } from '../vocabulary/tasks.ts';
import { inboxRepository, type ResponseRow, type TargetRow } from './inbox-repository.ts';

type Bbox = readonly [number, number, number, number];

export interface ResponseInput {
  clientId: string;
  householdCode?: string | undefined;
  answers: unknown;
  location?: FormLocation | undefined;
}

const targetNotFound = (id: number) =>
  notFound('task_target_not_found', { zh: '找不到该任务，或不是派给您的', en: 'No such task target of yours' }, { id });

const notOpen = (id: string) =>
  new AppError(409, 'task_not_open', { zh: '该任务已结束或已撤销', en: 'The task is no longer open' }, { id });

/** The kind of target an account answers for: an informant its cell, a grid worker its grid; others none. */
function ownKind(principal: Principal): TargetKind | null {
  if (principal.role === 'cell_informant') return 'cell';
  if (principal.role === 'grid_worker') return 'grid';
  return null;
}

function targetView(row: TargetRow) {
  return {
    id: row.id,
    taskId: row.taskId,
    targetKind: row.targetKind,
    areaCode: row.areaCode,
    state: targetStateOf(row),
    deliveredAt: row.deliveredAt,
    readAt: row.readAt,
    acknowledgedAt: row.acknowledgedAt,
    doneAt: row.doneAt,
  };
}

function responseView(row: ResponseRow) {
  return {
    id: row.id,
    taskId: row.taskId,
    targetId: row.targetId,
    householdCode: row.householdCode || null,
    answers: row.answers,
    location: row.location,
    responderName: row.responderName,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Stamps that only move forward (coalesce), for `tt` the updated target. */
const SEEN = sql`delivered_at = coalesce(tt.delivered_at, now()), read_at = coalesce(tt.read_at, now())`;

/**
 * The field side of tasks: the inbox with its delivery receipts, reading, acknowledging, answering
 * and completing one's own targets, photos for forms, and the escalations that reached the reader.
 * Writes run as the owner after the caller's own target was found through its scoped handle.
 */
export function taskInboxService(owner: Database, countyBbox: () => Promise<Bbox>) {
  /** The caller's own target: in its scope (row-level security), of its kind and its very area. */
  async function ownTarget(principal: Principal, scoped: Queryable, id: number): Promise<TargetRow> {
    const row = await inboxRepository(scoped).target(id);
    if (!row || row.targetKind !== ownKind(principal) || row.areaCode !== principal.scopeCode) throw targetNotFound(id);
    return row;
  }

  async function reread(id: number): Promise<TargetRow> {
    const row = await inboxRepository(owner).target(id);
    if (!row) throw new Error(`target ${id} vanished`);
    return row;
  }

  return {
    /**
     * The caller's own targets with their task and answers (stamping delivered_at on those that had
     * none: the delivery receipt, with its live event), and the targets escalated to it.
     */
    async inbox(scoped: Queryable, context: AuditContext) {
      const { principal } = context;
      const kind = ownKind(principal);
      let rows = kind ? await inboxRepository(scoped).ownTargets(kind, principal.scopeCode) : [];
      const undelivered = rows.filter((row) => row.deliveredAt === null).map((row) => row.id);
      if (undelivered.length > 0) {
        await owner.transaction((tx) =>
          inboxRepository(tx).stamp(
            sql`o.id = ANY(${sql.param(undelivered)}::bigint[]) AND o.delivered_at IS NULL`,
            sql`delivered_at = coalesce(tt.delivered_at, now())`,
          ),
        );
        rows = await inboxRepository(scoped).ownTargets(kind!, principal.scopeCode);
      }
      const responses = await inboxRepository(scoped).responses(rows.map((row) => row.id));
      const needsHouseholds = rows.some((row) => row.task.perHousehold);
      const households = needsHouseholds ? await inboxRepository(scoped).households(principal.scopeCode) : [];
      if (needsHouseholds)
        await recordRead(owner, context, {
          action: 'households.read',
          targetType: 'task_inbox',
          targetId: 'inbox',
          scopeCode: principal.scopeCode,
          details: { households: households.length },
        });
      const level = principal.role === 'grid_worker' ? 1 : principal.role === 'grid_chief' ? 2 : null;
      const escalations = level ? await inboxRepository(scoped).escalations(principal.scopeCode, level) : [];
      if (escalations.length > 0)
        await recordRead(owner, context, {
          action: 'people.read',
          targetType: 'task_escalations',
          targetId: 'inbox',
          scopeCode: principal.scopeCode,
          details: { targets: escalations.map((escalation) => escalation.targetId) },
        });
      return {
        items: rows.map((row) => ({
          targetId: row.id,
          targetKind: row.targetKind,
          areaCode: row.areaCode,
          areaName: row.areaName,
          state: targetStateOf(row),
          deliveredAt: row.deliveredAt,
          readAt: row.readAt,
          acknowledgedAt: row.acknowledgedAt,
          doneAt: row.doneAt,
          task: row.task,
          ...(row.task.perHousehold ? { households } : {}),
          responses: responses
            .filter((response) => response.targetId === row.id)
            .map((response) => ({
              householdCode: response.householdCode || null,
              answers: response.answers,
              updatedAt: response.updatedAt,
            })),
        })),
        escalations,
      };
    },

    /** Marks the caller's own target read (and delivered); a retry changes nothing. */
    async read(principal: Principal, scoped: Queryable, id: number) {
      const target = await ownTarget(principal, scoped, id);
      if (target.readAt && target.deliveredAt) return targetView(target);
      await owner.transaction((tx) => inboxRepository(tx).stamp(sql`o.id = ${id}`, SEEN));
      return targetView(await reread(id));
    },

    /** Acknowledges the caller's own target; a notice's acknowledgement is also its being done. */
    async acknowledge(principal: Principal, scoped: Queryable, id: number) {
      const target = await ownTarget(principal, scoped, id);
      if (target.acknowledgedAt) return targetView(target);
      if (target.task.status !== 'open') throw notOpen(target.taskId);
      const done = target.task.kind === 'notice' ? sql`, done_at = coalesce(tt.done_at, now())` : sql``;
      await owner.transaction((tx) =>
        inboxRepository(tx).stamp(sql`o.id = ${id}`, sql`${SEEN}, acknowledged_at = coalesce(tt.acknowledged_at, now())${done}`),
      );
      return targetView(await reread(id));
    },

    /**
     * Stores an answer of the caller's own target, checked against the task's form; a retry with
     * the same client id gets the first (`created: false`), a new answer for the same household
     * replaces the earlier. The target is done at its first answer, or, per household, once every
     * household of it has one.
     */
    async respond(principal: Principal, scoped: Queryable, id: number, input: ResponseInput) {
      const existing = await inboxRepository(owner).responseByClient(principal.accountId, input.clientId);
      if (existing) return { created: false, response: responseView(existing) };
      const target = await ownTarget(principal, scoped, id);
      const { task } = target;
      if (task.status !== 'open') throw notOpen(task.id);
      if (task.kind !== 'collection' || !task.fields)
        throw badRequest('task_is_notice', { zh: '通知只需确认，不需填报', en: 'A notice is acknowledged, not answered' });
      const householdCode = input.householdCode ?? '';
      if (task.perHousehold) {
        const households = await inboxRepository(owner).households(target.areaCode);
        if (!households.some((household) => household.code === householdCode))
          throw badRequest(
            'task_household_unknown',
            { zh: '请选择本单元格的住户', en: 'Pick a household of your area' },
            { householdCode },
          );
      } else if (householdCode)
        throw badRequest('task_not_per_household', { zh: '该任务不按户填报', en: 'The task is not per household' });
      const bbox = await countyBbox();
      const checked = checkAnswers(task.fields, input.answers, { countyBbox: bbox });
      if (!checked.ok) throw badRequest('task_answer_invalid', checked.problem.message, { path: checked.problem.path });
      const stored = await inboxRepository(owner).photoIds(
        task.id,
        target.areaCode,
        checked.value.photoIds.map((photo) => photo.id),
      );
      const missing = checked.value.photoIds.find((photo) => !stored.has(photo.id));
      if (missing)
        throw badRequest(
          'task_photo_unknown',
          { zh: `「${missing.label}」的照片尚未上传`, en: `The photo of "${missing.label}" was not uploaded` },
          { path: missing.path },
        );
      const location = firstLocation(task.fields, checked.value.answers) ?? input.location ?? null;
      if (location && !(location.lon >= bbox[0] && location.lon <= bbox[2] && location.lat >= bbox[1] && location.lat <= bbox[3]))
        throw badRequest('task_location_outside', { zh: '位置不在本县范围内', en: 'The location lies outside the county' });
      const response = await owner.transaction(async (tx) => {
        const repository = inboxRepository(tx);
        const saved = await repository.saveResponse({
          taskId: task.id,
          targetId: target.id,
          householdCode,
          answers: checked.value.answers,
          location,
          responderId: principal.accountId,
          responderName: principal.displayName,
          clientId: input.clientId,
          areaCode: target.areaCode,
          departmentCode: target.departmentCode,
        });
        const { answered, households } = task.perHousehold
          ? await repository.householdsAnswered(target.id, target.areaCode)
          : { answered: 1, households: 1 };
        const done = answered >= households ? sql`, done_at = coalesce(tt.done_at, now())` : sql``;
        await repository.stamp(sql`o.id = ${target.id}`, sql`${SEEN}${done}`);
        return saved;
      });
      return { created: true, response: responseView(response) };
    },

    /** Marks a per-household target done with households left unanswered (nobody home). */
    async complete(principal: Principal, scoped: Queryable, id: number) {
      const target = await ownTarget(principal, scoped, id);
      if (target.doneAt) return targetView(target);
      if (target.task.status !== 'open') throw notOpen(target.taskId);
      if (!target.task.perHousehold)
        throw badRequest('task_not_per_household', {
          zh: '只有按户填报的任务可以直接完成',
          en: 'Only a per-household task is completed by hand',
        });
      await owner.transaction((tx) =>
        inboxRepository(tx).stamp(sql`o.id = ${id}`, sql`${SEEN}, done_at = coalesce(tt.done_at, now())`),
      );
      return targetView(await reread(id));
    },

    /** Stores a photo for a form of the caller's own target of `taskId`; the same bytes again give the same id. */
    async addPhoto(principal: Principal, scoped: Queryable, taskId: string, targetId: number, photo: SubmittedPhoto) {
      const target = await ownTarget(principal, scoped, targetId);
      if (target.taskId !== taskId) throw targetNotFound(targetId);
      if (target.task.status !== 'open') throw notOpen(taskId);
      return owner.transaction(async (tx) => {
        const repository = inboxRepository(tx);
        const found = await repository.photoBySha(taskId, target.areaCode, photo.sha256);
        if (found) return { id: found };
        const id = randomUUID();
        await repository.insertPhoto({
          id,
          taskId,
          areaCode: target.areaCode,
          departmentCode: target.departmentCode,
          contentType: photo.contentType,
          sha256: photo.sha256,
          bytes: photo.bytes,
          uploadedBy: principal.accountId,
        });
        return { id: (await repository.photoBySha(taskId, target.areaCode, photo.sha256)) ?? id };
      });
    },

    /** One photo in the reader's scope (404 otherwise, as if it did not exist); every read is audited. */
    async photo(scoped: Queryable, context: AuditContext, id: string) {
      const photo = await inboxRepository(scoped).photo(id);
      if (!photo) throw notFound('photo_not_found', { zh: '找不到该照片', en: 'No such photo' }, { id });
      await recordRead(owner, context, {
        action: TASK_AUDIT_ACTIONS.photoRead,
        targetType: 'task_photo',
        targetId: id,
        scopeCode: photo.areaCode,
        details: { taskId: photo.taskId },
      });
      return photo;
    },
  };
}

export type TaskInboxService = ReturnType<typeof taskInboxService>;
