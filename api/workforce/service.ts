import type { Principal } from '../app-env.ts';
import { type AuditContext, recordRead } from '../audit/service.ts';
import type { Database, Queryable } from '../db/client.ts';
import { enterScope, leaveScope } from '../db/scoped.ts';
import { badRequest, notFound } from '../errors.ts';
import { type Certificate, certificationRate, type ExamStatus } from '../vocabulary/workforce.ts';
import { type CredentialFields, type WorkerRow, workforceRepository } from './repository.ts';

/** The Asia/Shanghai year (UTC+8 all year) holding `instant`. */
export const shanghaiYear = (instant: Date) => new Date(instant.getTime() + 8 * 3_600_000).getUTCFullYear();
const shanghaiDay = (instant: Date) => new Date(instant.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

const workerNotFound = (personId: string) =>
  notFound(
    'grid_worker_not_found',
    { zh: '找不到该网格员，或不在您的管辖范围', en: 'No such grid worker in your scope' },
    { personId },
  );

/** A grid worker as the workforce list shows them. */
export interface WorkerView {
  personId: string;
  name: string;
  phone: string;
  gridCode: string;
  gridName: string | null;
  villageCode: string;
  villageName: string | null;
  townshipCode: string;
  townshipName: string | null;
  certificate: Certificate;
  certificateNumber: string | null;
  certifiedOn: string | null;
  examStatus: ExamStatus;
  examYear: number | null;
  trainingHours: number;
  trainings: number;
  surveyMean: number | null;
  surveys: number;
}

/** The certification rate of one area: workers holding any certificate over workers. */
export interface CertificationRate {
  code: string;
  name: string | null;
  workers: number;
  certified: number;
  /** certified / workers, 0-1; null without workers. */
  rate: number | null;
}

/** Rates per area (the code cut to `digits`), best first, then by code. */
function ratesBy(workers: readonly WorkerView[], digits: number, names: Map<string, string>): CertificationRate[] {
  const counts = new Map<string, { workers: number; certified: number }>();
  for (const worker of workers) {
    const code = worker.gridCode.slice(0, digits);
    const count = counts.get(code) ?? { workers: 0, certified: 0 };
    count.workers++;
    if (worker.certificate !== 'none') count.certified++;
    counts.set(code, count);
  }
  return [...counts]
    .map(([code, count]) => ({
      code,
      name: names.get(code) ?? null,
      ...count,
      rate: certificationRate(count.certified, count.workers),
    }))
    .sort((a, b) => (b.rate ?? -1) - (a.rate ?? -1) || a.code.localeCompare(b.code));
}

export interface CredentialInput {
  certificate: Certificate;
  certificateNumber: string | null;
  certifiedOn: string | null;
  examStatus: ExamStatus;
  examYear: number | null;
}

export interface TrainingInput {
  course: string;
  hours: number;
  completedOn: string;
}

export interface WorkforceOptions {
  now?: () => Date;
}

/**
 * The people side of the review (考评, issue 18): the grid workers in the reader's scope with their
 * social-work certificate, exam, training hours and residents' surveys of a year, and the
 * certification rate per township and village; setting a worker's credential and recording a
 * training, each checked against the caller's scope and written as the owner in one transaction.
 */
export function workforceService(owner: Database, options: WorkforceOptions = {}) {
  const now = options.now ?? (() => new Date());

  /** The worker `personId` if the caller's scope holds them (404 otherwise), read in `tx` under the caller's scope. */
  async function workerInScope(tx: Queryable, principal: Principal, personId: string) {
    await enterScope(tx, principal);
    const worker = await workforceRepository(tx).worker(personId);
    await leaveScope(tx);
    if (!worker) throw workerNotFound(personId);
    return worker;
  }

  async function workersOf(scoped: Queryable, year: number): Promise<WorkerView[]> {
    const rows = await workforceRepository(scoped).workers('', `${year}-01-01`, `${year + 1}-01-01`);
    const areaCodes = new Set(rows.flatMap((row) => [row.gridCode.slice(0, 9), row.gridCode.slice(0, 12)]));
    const names = await workforceRepository(owner).areaNames([...areaCodes]);
    return rows.map((row: WorkerRow) => ({
      ...row,
      certificate: row.certificate as Certificate,
      examStatus: row.examStatus as ExamStatus,
      villageCode: row.gridCode.slice(0, 12),
      villageName: names.get(row.gridCode.slice(0, 12)) ?? null,
      townshipCode: row.gridCode.slice(0, 9),
      townshipName: names.get(row.gridCode.slice(0, 9)) ?? null,
    }));
  }

  return {
    currentYear: () => shanghaiYear(now()),

    /**
     * The grid workers the reader sees, with the year's trainings and surveys, and the certification
     * rate per township and village (best first). Audited: names and phone numbers are personal data.
     */
    async list(scoped: Queryable, context: AuditContext, year: number, action = 'workforce.list_read') {
      const workers = await workersOf(scoped, year);
      const names = new Map<string, string>();
      for (const worker of workers) {
        if (worker.townshipName) names.set(worker.townshipCode, worker.townshipName);
        if (worker.villageName) names.set(worker.villageCode, worker.villageName);
      }
      await recordRead(owner, context, {
        action,
        targetType: 'grid_worker',
        targetId: String(year),
        scopeCode: context.principal.scopeCode,
        details: { workers: workers.length },
      });
      return {
        year,
        workers,
        townships: ratesBy(workers, 9, names),
        villages: ratesBy(workers, 12, names),
      };
    },

    /** Sets the credential and exam status of a grid worker in the caller's scope. */
    async setCredential(principal: Principal, personId: string, input: CredentialInput) {
      if (input.certificate !== 'none' && input.certifiedOn && input.certifiedOn > shanghaiDay(now())) {
        throw badRequest('certified_in_future', { zh: '取证日期不能晚于今天', en: 'The certification day is in the future' });
      }
      const fields: CredentialFields = {
        ...input,
        certificateNumber: input.certificate === 'none' ? null : input.certificateNumber,
        certifiedOn: input.certificate === 'none' ? null : input.certifiedOn,
      };
      await owner.transaction(async (tx) => {
        const worker = await workerInScope(tx, principal, personId);
        await workforceRepository(tx).upsertCredential(personId, worker.gridCode, fields, principal.accountId);
      });
      return { personId, ...fields };
    },

    /** Records a training a grid worker in the caller's scope completed. */
    async addTraining(principal: Principal, personId: string, input: TrainingInput) {
      if (input.completedOn > shanghaiDay(now())) {
        throw badRequest('training_in_future', { zh: '培训完成日期不能晚于今天', en: 'The training ends in the future' });
      }
      return owner.transaction(async (tx) => {
        const worker = await workerInScope(tx, principal, personId);
        const id = await workforceRepository(tx).insertTraining({
          personId,
          course: input.course,
          hours: input.hours,
          completedOn: input.completedOn,
          areaCode: worker.gridCode,
          recordedBy: principal.accountId,
        });
        return { id, personId, ...input };
      });
    },
  };
}

export type WorkforceService = ReturnType<typeof workforceService>;
