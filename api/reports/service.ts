import { randomUUID } from 'node:crypto';
import type { Polygon } from 'geojson';
import { isWithinScope } from '../../geo/area-codes.ts';
import { defaultControlZone } from '../../geo/control-zone.ts';
import { toWgs84 } from '../../geo/convert-datum.ts';
import type { LngLat } from '../../geo/types.ts';
import type { Principal } from '../app-env.ts';
import { stageDueAt } from '../cases/deadlines.ts';
import { casePhotosRepository } from '../cases/photos/repository.ts';
import { photoUrl } from '../cases/photos/service.ts';
import { caseStepsRepository } from '../cases/steps-repository.ts';
import { shanghaiDate } from '../cases/working-time.ts';
import type { Database, Queryable } from '../db/client.ts';
import { enterScope, leaveScope } from '../db/scoped.ts';
import { sqlFailureOf } from '../db/sql-state.ts';
import { AppError, notFound } from '../errors.ts';
import { appendLiveEvent } from '../live/events.ts';
import { REPORT_TYPES, type ReportType } from '../vocabulary/report-types.ts';
import type { ReportView } from './contracts.ts';
import { type MyReportRow, type ReportRow, reportsRepository } from './repository.ts';
import type { ReportSubmission } from './submission.ts';

/** Case numbers read TJ20261129-0042: 通江 (Tongjiang), the Shanghai calendar day reported, its serial that day. */
const CASE_NUMBER_PREFIX = 'TJ';
/** Attempts at numbering a report when another writer took the same number first (a writer that skips the day lock). */
const NUMBERING_ATTEMPTS = 5;

/** The day part of a case number: the Shanghai calendar date of `instant` as yyyymmdd. */
export function caseNumberDay(instant: Date): string {
  return shanghaiDate(instant).replaceAll('-', '');
}

export function formatCaseNumber(day: string, serial: number): string {
  return `${CASE_NUMBER_PREFIX}${day}-${String(serial).padStart(4, '0')}`;
}

/**
 * Allocates the next case number of the day of `reportedAt`. Runs as the owner inside the
 * caller's transaction: the day's advisory lock serialises writers until it commits, so two
 * reports never draw the same serial (and the unique constraint backs it up).
 */
async function nextCaseNumber(tx: Queryable, reportedAt: Date): Promise<string> {
  const day = caseNumberDay(reportedAt);
  const repository = reportsRepository(tx);
  await repository.lockCaseNumbers(Number(day));
  return formatCaseNumber(day, (await repository.highestCaseSerial(`${CASE_NUMBER_PREFIX}${day}-`)) + 1);
}

/** The constraint a unique violation (23505) broke, from either driver; null for other errors. */
function brokenUniqueConstraint(error: unknown): string | null {
  const failure = sqlFailureOf(error);
  if (failure?.code !== '23505') return null;
  return failure.constraint ?? /unique constraint "([^"]+)"/.exec(failure.message)?.[1] ?? '';
}

const outsideCounty = (position: LngLat) =>
  new AppError(
    422,
    'point_outside_county',
    {
      zh: '该位置不在本县任何单元格内，请确认定位或坐标系（WGS84 / GCJ-02 / BD-09）',
      en: 'This place is in no cell of the county: check the position and its datum (WGS84 / GCJ-02 / BD-09)',
    },
    { position },
  );

const outsideScope = (cellCode: string, scopeCode: string) =>
  new AppError(
    403,
    'point_outside_scope',
    {
      zh: '该位置不在您的管辖范围内，只能上报本辖区内的情况',
      en: 'This place is outside your area: you can only report inside it',
    },
    { cellCode, scopeCode },
  );

/** Where a report came from: the field page (and every real submission), a duty officer typing it in, a drill, the demo history. */
export type ReportSource = 'field' | 'duty' | 'drill' | 'demo';

function viewOf(row: ReportRow): ReportView {
  return {
    id: row.id,
    caseNumber: row.caseNumber,
    clientId: row.clientId,
    type: row.type,
    urgency: row.urgency,
    description: row.description,
    state: row.state,
    source: row.source,
    responsibleLevel: row.responsibleLevel,
    position: [row.lng, row.lat],
    inputDatum: row.inputDatum,
    accuracyM: row.accuracyM,
    areas: { cell: row.cell, grid: row.grid, village: row.village, township: row.township },
    reportedAt: row.reportedAt,
    clockStage: row.clockStage,
    dueAt: row.dueAt,
    closedAt: row.closedAt,
    mergedInto: row.mergedInto,
    controlZone: row.controlZone ? (JSON.parse(row.controlZone) as Polygon) : null,
    photos: row.photos.map((photo) => ({ ...photo, url: photoUrl(row.id, photo.id) })),
  };
}

function myReportOf(row: MyReportRow) {
  const { lng, lat, cell, grid, village, township, ...rest } = row;
  return {
    ...rest,
    position: [lng, lat] as [number, number],
    areas: { cell, grid, village, township },
    closed: row.closedAt !== null,
  };
}

async function requireView(repository: ReturnType<typeof reportsRepository>, id: string): Promise<ReportView> {
  const row = await repository.find(id);
  if (!row) throw new Error(`report ${id} vanished inside its transaction`);
  return viewOf(row);
}

/**
 * The answer to a retried submission: the report it made, read in the reporter's current scope.
 * A report that has left that scope (the account was re-scoped since) is not shown again, exactly
 * as reading it directly answers 404; the phone learns only that its submission was received.
 */
async function replayedView(tx: Queryable, principal: Principal, id: string): Promise<ReportView> {
  await enterScope(tx, principal);
  const row = await reportsRepository(tx).find(id);
  await leaveScope(tx);
  if (!row) {
    throw new AppError(409, 'submission_outside_scope', {
      zh: '这条上报早已收到，但已不在您当前的管辖范围内，无法再查看',
      en: 'This report was received earlier, but it is no longer within your area and cannot be shown',
    });
  }
  return viewOf(row);
}

/**
 * Reports from the field: intake (place, number, clock, control zone, photos, first timeline
 * step and live event, all in one transaction), the reporter's own list, and photos.
 */
export function reportsService(owner: Database) {
  return {
    /**
     * Files a report for `principal`. A retry with the same client id returns the report that
     * id made (created: false) and writes nothing, whatever else it carries. The place is found
     * as the owner so that "outside the county" (422) and "outside your scope" (403) are told
     * apart; the rows are then written as the scoped role, which row-level security checks again.
     * `source` marks reports that did not come from the field page (drill mode files through here too).
     */
    async create(
      principal: Principal,
      submission: ReportSubmission,
      options: { source?: ReportSource } = {},
    ): Promise<{ created: boolean; report: ReportView }> {
      const { fields, photos } = submission;
      const position = toWgs84([fields.lng, fields.lat], fields.datum);
      const type = fields.type as ReportType;
      for (let attempt = 1; ; attempt++) {
        const reportedAt = new Date();
        try {
          return await owner.transaction(async (tx) => {
            const repository = reportsRepository(tx);
            // The day's lock first: a concurrent retry of the same submission then sees the first one committed.
            await repository.lockCaseNumbers(Number(caseNumberDay(reportedAt)));
            const existing = await repository.findIdByClient(principal.accountId, fields.clientId);
            if (existing) return { created: false, report: await replayedView(tx, principal, existing) };

            const cell = await repository.locateCell(position);
            if (!cell) throw outsideCounty(position);
            if (!isWithinScope(cell.cellCode, principal.scopeCode)) throw outsideScope(cell.cellCode, principal.scopeCode);
            const deadline = await stageDueAt(
              tx,
              { type, urgency: fields.urgency, stage: 'file', urban: cell.urban },
              reportedAt,
            );
            const caseNumber = await nextCaseNumber(tx, reportedAt);
            const id = randomUUID();

            await enterScope(tx, principal);
            const inserted = await repository.insertReport({
              id,
              caseNumber,
              clientId: fields.clientId,
              reporterId: principal.accountId,
              reporterName: principal.displayName,
              reporterRole: principal.role,
              source: options.source ?? 'field',
              type,
              urgency: fields.urgency,
              description: fields.description,
              position,
              accuracyM: fields.accuracyM ?? null,
              inputDatum: fields.datum,
              cell,
              reportedAt,
              dueAt: deadline.dueAt,
              limitAmount: deadline.amount,
              limitUnit: deadline.unit,
              limitClock: deadline.clock,
              controlZone: defaultControlZone(position, REPORT_TYPES[type].controlRadiusM),
            });
            if (!inserted) {
              // The same submission committed in another transaction between the check and the insert.
              await leaveScope(tx);
              const winner = await repository.findIdByClient(principal.accountId, fields.clientId);
              if (!winner) throw new Error('report insert conflicted on its client id, yet no report holds it');
              return { created: false, report: await replayedView(tx, principal, winner) };
            }
            await caseStepsRepository(tx).insertStep({
              reportId: id,
              at: reportedAt,
              actorId: principal.accountId,
              actorName: principal.displayName,
              actorRole: principal.role,
              action: 'report',
              fromState: null,
              toState: 'reported',
              details: { inputDatum: fields.datum, accuracyM: fields.accuracyM ?? null, photos: photos.length },
              clientId: fields.clientId,
              cellCode: cell.cellCode,
            });
            for (const [position, photo] of photos.entries()) {
              await casePhotosRepository(tx).insertPhoto(
                {
                  id: randomUUID(),
                  reportId: id,
                  contentType: photo.contentType,
                  sha256: photo.sha256,
                  bytes: photo.bytes,
                  cellCode: cell.cellCode,
                },
                position,
              );
            }
            await leaveScope(tx);
            const liveCase = await caseStepsRepository(tx).liveCase(id);
            await appendLiveEvent(tx, { type: 'report.created', scopeCode: cell.cellCode, payload: { case: liveCase } });
            return { created: true, report: await requireView(repository, id) };
          });
        } catch (error) {
          if (attempt < NUMBERING_ATTEMPTS && brokenUniqueConstraint(error) === 'reports_case_number_unique') continue;
          throw error;
        }
      }
    },

    /** The caller's own reports (as far as their scope reaches), newest first: the field page shows progress and "closed". */
    async mine(scoped: Queryable, principal: Principal, page: { limit: number; offset: number }) {
      const repository = reportsRepository(scoped);
      const [rows, total] = await Promise.all([
        repository.mine(principal.accountId, page.limit, page.offset),
        repository.countMine(principal.accountId),
      ]);
      return { reports: rows.map(myReportOf), total, limit: page.limit, offset: page.offset };
    },

    /** One photo's bytes and stored type; 404 outside the caller's scope, as if it did not exist. */
    async photo(scoped: Queryable, reportId: string, photoId: string) {
      const photo = await reportsRepository(scoped).photo(reportId, photoId);
      if (!photo) throw notFound('photo_not_found', { zh: '找不到该照片', en: 'No such photo' }, { reportId, photoId });
      return photo;
    },
  };
}

export type ReportsService = ReturnType<typeof reportsService>;
