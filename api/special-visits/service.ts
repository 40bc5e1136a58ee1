import { randomUUID } from 'node:crypto';
import { type Datum, toWgs84 } from '../../geo/convert-datum.ts';
import type { Principal } from '../app-env.ts';
import { type AuditContext, recordRead } from '../audit/service.ts';
import type { SubmittedPhoto } from '../cases/photos/upload.ts';
import type { Database, Queryable } from '../db/client.ts';
import { enterScope, leaveScope } from '../db/scoped.ts';
import { AppError, badRequest, notFound } from '../errors.ts';
import { specialPopulationsRepository } from '../special-populations/repository.ts';
import {
  dueStatusOf,
  riskColourOf,
  type SpecialCategory,
  type SupervisionGrade,
  type VisitMode,
  type VisitOutcome,
} from '../vocabulary/special-populations.ts';
import { type DuePersonRow, specialVisitsRepository, type VisitPhotoRow, type VisitRow } from './repository.ts';

/** A visit stamped further ahead than this (ms) is refused: the phone's clock is wrong. */
const FUTURE_SLACK_MS = 10 * 60_000;
/** How far back (days) a visit may be logged: a phone offline for weeks still sends, a visit of last year is no follow-up. */
export const MAX_VISIT_AGE_DAYS = 30;
/** A patrol started longer ago than this (ms) is not the one running, whatever its phone said of its end. */
const PATROL_MAX_AGE_MS = 12 * 3_600_000;
/** Visits of the visitor's own list, and people of the field page's list, at most. */
const DUE_PEOPLE_LIMIT = 300;

/** A GPS fix as the phone gives it, in the datum its map app writes. */
interface VisitFix {
  lng: number;
  lat: number;
  accuracyM: number;
  datum: Datum;
}

export interface VisitInput {
  clientId: string;
  personId: string;
  visitedAt: Date;
  mode: VisitMode;
  outcome: VisitOutcome;
  notes: string | null;
  fix: VisitFix | null;
}

/** Where a stored visit photo is read back (GET /api/special/visits/{id}/photos/{photoId}). */
const visitPhotoUrl = (visitId: string, photoId: string) => `/api/special/visits/${visitId}/photos/${photoId}`;

const personNotFound = (personId: string) =>
  notFound(
    'special_person_not_found',
    { zh: '找不到该重点人员，或不在您的管辖范围', en: 'No such person in your scope' },
    { personId },
  );
const visitNotFound = (id: string) =>
  notFound('special_visit_not_found', { zh: '找不到该走访记录', en: 'No such visit' }, { id });

const clientIdConflict = (clientId: string, visitId: string) =>
  new AppError(
    409,
    'visit_client_id_conflict',
    {
      zh: '该走访编号已用于另一条内容不同的走访记录，未重复登记',
      en: 'This client id was already used for a different visit: nothing was logged',
    },
    { clientId, visitId },
  );

function photoView(visitId: string, photo: VisitPhotoRow) {
  return { ...photo, url: visitPhotoUrl(visitId, photo.id) };
}

function visitView(row: VisitRow, photos: VisitPhotoRow[]) {
  return {
    id: row.id,
    clientId: row.clientId,
    personId: row.personId,
    personName: row.personName,
    category: row.category as SpecialCategory,
    areaCode: row.areaCode,
    visitorName: row.visitorName,
    visitedAt: row.visitedAt,
    mode: row.mode as VisitMode,
    outcome: row.outcome as VisitOutcome,
    notes: row.notes,
    position: row.lng === null || row.lat === null ? null : ([row.lng, row.lat] as [number, number]),
    accuracyM: row.accuracyM,
    distanceM: row.distanceM === null ? null : Math.round(row.distanceM * 10) / 10,
    patrolId: row.patrolId,
    receivedAt: row.receivedAt,
    photos: photos.map((photo) => photoView(row.id, photo)),
  };
}

const sameNumber = (a: number | null, b: number | null, tolerance: number) =>
  a === null || b === null ? a === b : Math.abs(a - b) <= tolerance;

/** Whether a stored visit is what `input` (its fix converted) says: a retry of the same visit, not another one under its id. */
function sameVisit(row: VisitRow, input: VisitInput, position: [number, number] | null): boolean {
  return (
    row.personId === input.personId &&
    new Date(row.visitedAt).getTime() === input.visitedAt.getTime() &&
    row.mode === input.mode &&
    row.outcome === input.outcome &&
    (row.notes ?? '') === (input.notes ?? '') &&
    sameNumber(row.lng, position?.[0] ?? null, 1e-7) &&
    sameNumber(row.lat, position?.[1] ?? null, 1e-7) &&
    sameNumber(row.accuracyM, input.fix?.accuracyM ?? null, 1e-6)
  );
}

/** The Asia/Shanghai day (UTC+8 all year) holding `instant`, YYYY-MM-DD. */
const shanghaiDay = (instant: Date) => new Date(instant.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

function duePersonView(row: DuePersonRow, today: string) {
  const category = row.category as SpecialCategory;
  return {
    id: row.id,
    name: row.name,
    category,
    riskLevel: row.riskLevel,
    supervisionGrade: row.supervisionGrade as SupervisionGrade | null,
    riskColour: riskColourOf({ category, riskLevel: row.riskLevel, supervisionGrade: row.supervisionGrade }),
    areaCode: row.areaCode,
    nextDueOn: row.nextDueOn,
    dueStatus: dueStatusOf(row.nextDueOn, today),
    lastVisitAt: row.lastVisitAt,
    address: row.address,
    position: row.lng === null || row.lat === null ? null : ([row.lng, row.lat] as [number, number]),
    usualOutcome: (row.usualOutcome ?? 'seen_stable') as VisitOutcome,
    usualMode: (row.usualMode ?? 'home') as VisitMode,
  };
}

export interface SpecialVisitsOptions {
  now?: () => Date;
}

/**
 * Follow-up visits of the special-population registers from the field: logging one (checked
 * against the caller's reach, idempotent by the phone's id, with the distance to the household and
 * the patrol then running, and the entry's due day recomputed in the same transaction), its
 * photos, the visitor's own list, and the people the visitor has to visit.
 */
export function specialVisitsService(owner: Database, options: SpecialVisitsOptions = {}) {
  const now = options.now ?? (() => new Date());

  async function viewOf(db: Queryable, row: VisitRow) {
    const photos = await specialVisitsRepository(db).photosOf([row.id]);
    return visitView(row, photos);
  }

  function checkTime(visitedAt: Date) {
    const at = now();
    if (visitedAt.getTime() > at.getTime() + FUTURE_SLACK_MS) {
      throw badRequest(
        'visit_in_future',
        {
          zh: '走访时间晚于当前时间，无法登记：请检查手机的日期和时间',
          en: 'The visit is stamped in the future: check the phone’s date and time',
        },
        { visitedAt: visitedAt.toISOString(), now: at.toISOString() },
      );
    }
    if (visitedAt.getTime() < at.getTime() - MAX_VISIT_AGE_DAYS * 86_400_000) {
      throw badRequest(
        'visit_too_old',
        {
          zh: `走访时间早于${MAX_VISIT_AGE_DAYS}天前，无法补录：请联系网格长处理`,
          en: `The visit is more than ${MAX_VISIT_AGE_DAYS} days old and cannot be logged: ask the grid chief`,
        },
        { visitedAt: visitedAt.toISOString(), maxAgeDays: MAX_VISIT_AGE_DAYS },
      );
    }
  }

  return {
    /**
     * Logs a visit of the caller to an entry it reaches (its scope, or a live grant), in one
     * transaction with the entry's new due day. A retry with the same client id gets the same visit
     * back (`created: false`); one with different content is refused (409).
     */
    async log(principal: Principal, input: VisitInput) {
      const position = input.fix ? toWgs84([input.fix.lng, input.fix.lat], input.fix.datum) : null;
      return owner.transaction(async (tx) => {
        const repository = specialVisitsRepository(tx);
        const existing = await repository.visitByClient(principal.accountId, input.clientId);
        if (existing) {
          if (!sameVisit(existing, input, position)) {
            throw clientIdConflict(input.clientId, existing.id);
          }
          return { created: false, visit: await viewOf(tx, existing) };
        }
        checkTime(input.visitedAt);
        await enterScope(tx, principal);
        const person = await repository.person(input.personId);
        await leaveScope(tx);
        if (!person) throw personNotFound(input.personId);
        if (!person.active) {
          throw new AppError(
            409,
            'special_person_closed',
            { zh: '该人员已从登记中注销，不再需要走访', en: 'The entry has left the register: no visit is due' },
            { personId: person.id },
          );
        }
        const id = randomUUID();
        const inserted = await repository.insert(
          {
            id,
            clientId: input.clientId,
            personId: person.id,
            category: person.category,
            areaCode: person.areaCode,
            visitorId: principal.accountId,
            visitorName: principal.displayName,
            visitedAt: input.visitedAt,
            mode: input.mode,
            outcome: input.outcome,
            notes: input.notes,
            position,
            accuracyM: input.fix?.accuracyM ?? null,
            patrolId: await repository.runningPatrol(principal.accountId, input.visitedAt, PATROL_MAX_AGE_MS),
          },
          person.householdCode,
        );
        // A retry that raced this one stored it first: answer as a retry does.
        const row = inserted ? await repository.visit(id) : await repository.visitByClient(principal.accountId, input.clientId);
        if (!row) throw new Error(`visit ${input.clientId} of ${principal.accountId} neither stored nor found`);
        if (!inserted && !sameVisit(row, input, position)) throw clientIdConflict(input.clientId, row.id);
        await specialPopulationsRepository(tx).recomputeFollowUps([person.id]);
        return { created: inserted, visit: await viewOf(tx, row) };
      });
    },

    /** Adds photos to the caller's own visit in its reach; a photo it already has (same bytes) is not stored again. */
    async addPhotos(principal: Principal, visitId: string, photos: readonly SubmittedPhoto[]) {
      return owner.transaction(async (tx) => {
        const repository = specialVisitsRepository(tx);
        await enterScope(tx, principal);
        const visit = await repository.visit(visitId);
        await leaveScope(tx);
        if (!visit || visit.visitorId !== principal.accountId) throw visitNotFound(visitId);
        const stored: VisitPhotoRow[] = [];
        for (const [index, photo] of photos.entries()) {
          const existing = await repository.photoBySha(visitId, photo.sha256);
          if (existing) {
            stored.push(existing);
            continue;
          }
          const id = randomUUID();
          await repository.insertPhoto(
            { id, visitId, areaCode: visit.areaCode, contentType: photo.contentType, sha256: photo.sha256, bytes: photo.bytes },
            index,
          );
          stored.push({ id, contentType: photo.contentType, byteSize: photo.bytes.byteLength });
        }
        return stored.map((photo) => photoView(visitId, photo));
      });
    },

    /** One photo of a visit the reader reaches (404 otherwise, as if it did not exist); every read is audited. */
    async photo(scoped: Queryable, context: AuditContext, visitId: string, photoId: string) {
      const photo = await specialVisitsRepository(scoped).photo(visitId, photoId);
      if (!photo) throw notFound('photo_not_found', { zh: '找不到该照片', en: 'No such photo' }, { visitId, photoId });
      await recordRead(owner, context, {
        action: 'special.visit_photo_read',
        targetType: 'special_visit',
        targetId: visitId,
        scopeCode: photo.areaCode,
        details: { photoId, personId: photo.personId },
      });
      return photo;
    },

    /** The caller's own recent visits, newest first, with the people's names (audited: a list of personal data). */
    async mine(scoped: Queryable, context: AuditContext, limit: number) {
      const repository = specialVisitsRepository(scoped);
      const rows = await repository.mine(context.principal.accountId, limit);
      const photos = await repository.photosOf(rows.map((row) => row.id));
      await recordRead(owner, context, {
        action: 'special.visits_mine_read',
        targetType: 'special_visit',
        targetId: 'mine',
        scopeCode: context.principal.scopeCode,
        details: { visits: rows.length },
      });
      return rows.map((row) =>
        visitView(
          row,
          photos.filter((photo) => photo.visitId === row.id),
        ),
      );
    },

    /**
     * The active entries the caller reaches, overdue first then by due day, with their risk colour,
     * due status, household address and point (audited: a list of personal data). For the field page.
     */
    async duePeople(scoped: Queryable, context: AuditContext) {
      const rows = await specialVisitsRepository(scoped).duePeople(DUE_PEOPLE_LIMIT);
      const today = shanghaiDay(now());
      await recordRead(owner, context, {
        action: 'special.due_people_read',
        targetType: 'special_person',
        targetId: 'due',
        scopeCode: context.principal.scopeCode,
        details: { people: rows.length },
      });
      return { today, people: rows.map((row) => duePersonView(row, today)) };
    },
  };
}

export type SpecialVisitsService = ReturnType<typeof specialVisitsService>;
