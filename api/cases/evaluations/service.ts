import type { Principal } from '../../app-env.ts';
import type { Database, Queryable } from '../../db/client.ts';
import { enterScope, leaveScope } from '../../db/scoped.ts';
import { sqlFailureOf } from '../../db/sql-state.ts';
import { AppError, notFound } from '../../errors.ts';
import { appendLiveEvent } from '../../live/events.ts';
import { actorOf } from '../service.ts';
import { stepView } from '../step-view.ts';
import { caseStepsRepository } from '../steps-repository.ts';
import { type EvaluatedCase, type EvaluationRow, evaluationsRepository } from './repository.ts';

/** How a score was given: the reporter on the field page, a return call (回访), a department's cadre, the case's grid worker. */
export type EvaluationSource = 'field' | 'return_call' | 'department' | 'grid_worker';
type Party = 'resident' | 'department' | 'grid_worker';

const PARTY_OF: Record<EvaluationSource, Party> = {
  field: 'resident',
  return_call: 'resident',
  department: 'department',
  grid_worker: 'grid_worker',
};

/** The timeline step each party's evaluation writes: the resident's score moves the case to `evaluated`. */
const STEP_OF = { resident: 'evaluate', department: 'department_view', grid_worker: 'rate_department' } as const;

export interface EvaluationInput {
  clientId: string;
  score: number;
  note?: string | undefined;
  /** return_call: the person called and the number dialled. */
  calledName?: string | undefined;
  calledPhone?: string | undefined;
  /** grid_worker: the department rated, when the case had co-handling departments; the lead by default. */
  departmentCode?: string | undefined;
}

/** An evaluation as it leaves the server: the number called shown in part only. */
export type EvaluationView = Omit<EvaluationRow, 'clientId' | 'evaluatorId' | 'areaCode'>;

/** 138****5678: enough for a colleague to recognise the call, not a number to dial. */
function maskPhone(phone: string | null): string | null {
  if (phone === null) return null;
  const digits = phone.replace(/\s/g, '');
  if (digits.length < 8) return `${digits.slice(0, 1)}****`;
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

function viewOf(row: EvaluationRow): EvaluationView {
  const { clientId: _client, evaluatorId: _evaluator, areaCode: _area, ...rest } = row;
  return { ...rest, calledPhone: maskPhone(row.calledPhone) };
}

const caseNotFound = (id: string) =>
  notFound(
    'case_not_found',
    { zh: '找不到该案件，或不在您的管辖范围内', en: 'No such case, or it is outside your scope' },
    { id },
  );

const refused = (status: 403 | 409, code: string, zh: string, en: string, details?: unknown) =>
  new AppError(status, code, { zh, en }, details);

const alreadyEvaluated = (party: Party, subjectCode: string) =>
  refused(
    409,
    'already_evaluated',
    party === 'resident'
      ? '该案件已有居民满意度评价，不能重复评价'
      : party === 'department'
        ? '本部门已对该案件作出评价，不能重复评价'
        : '网格员已对该部门的办理作出评价，不能重复评价',
    'This party has already evaluated the case',
    { party, subjectCode },
  );

const notClosed = (state: string) =>
  refused(409, 'case_not_closed', '案件尚未结案，结案后才能评价', 'A case is evaluated once it is closed', { state });

/**
 * Who may give this score on this case, and what it rates (the department's code, '' for the
 * resident's score of the case). Throws 403 for the wrong person, 409 for the wrong moment.
 */
function subjectOf(
  source: EvaluationSource,
  row: EvaluatedCase,
  principal: Principal,
  departmentCode: string | null,
  input: EvaluationInput,
): string {
  const departments = [row.assignedDepartmentCode, ...row.coDepartmentCodes].filter((code): code is string => !!code);
  switch (source) {
    case 'field':
      if (row.reporterId !== principal.accountId) {
        throw refused(403, 'not_reporter', '只有上报人本人可以评价自己上报的案件', 'Only the reporter rates their own report');
      }
      if (row.state !== 'closed') throw row.state === 'evaluated' ? alreadyEvaluated('resident', '') : notClosed(row.state);
      return '';
    case 'return_call':
      if (row.state !== 'closed') throw row.state === 'evaluated' ? alreadyEvaluated('resident', '') : notClosed(row.state);
      return '';
    case 'department':
      if (principal.role !== 'department_cadre') {
        throw refused(403, 'department_cadre_only', '部门评价由承办部门的干部填写', 'A department’s view is given by its cadres');
      }
      if (!departmentCode || !departments.includes(departmentCode)) {
        throw refused(
          403,
          'not_your_department',
          '该案件未派遣给您的部门或单位',
          'The case was not dispatched to your department or unit',
        );
      }
      if (!['handled', 'closed', 'evaluated'].includes(row.state)) {
        throw refused(409, 'case_not_handled', '案件办理完毕后才能评价', 'A department gives its view once the case is handled', {
          state: row.state,
        });
      }
      return departmentCode;
    case 'grid_worker': {
      if (principal.role !== 'grid_worker' || principal.scopeCode !== row.gridCode) {
        throw refused(
          403,
          'not_your_grid',
          '只有案件所在网格的网格员可以评价承办部门',
          'Only the case’s grid worker rates the department',
        );
      }
      if (row.state !== 'closed' && row.state !== 'evaluated') throw notClosed(row.state);
      const subject = input.departmentCode ?? row.assignedDepartmentCode;
      if (!subject || !departments.includes(subject)) {
        throw refused(409, 'no_department', '该案件未由此部门承办，无法评价', 'No such department handled the case', {
          departmentCode: subject ?? null,
        });
      }
      return subject;
    }
  }
}

const isUniqueViolation = (error: unknown) => sqlFailureOf(error)?.code === '23505';

/**
 * The three-party evaluation of cases (三方评价): the resident's satisfaction (from the reporter,
 * or a recorded return call), the department's view, and the grid worker's rating of the
 * department. Each is one row of `case_evaluations` and one timeline step, in one transaction;
 * a retry with the same client id answers the row it wrote.
 */
export function evaluationsService(owner: Database) {
  async function replay(q: Queryable, principal: Principal, id: string, source: EvaluationSource, clientId: string) {
    const earlier = await evaluationsRepository(q).byClient(principal.accountId, clientId);
    if (!earlier) return undefined;
    if (earlier.reportId !== id || earlier.source !== source) {
      throw refused(
        409,
        'client_id_reused',
        '该提交编号已用于另一项评价，请刷新后重试',
        'This clientId was used for another evaluation',
        {
          clientId,
        },
      );
    }
    return { evaluation: viewOf(earlier), replayed: true };
  }

  return {
    async list(scoped: Queryable, id: string): Promise<EvaluationView[]> {
      const repository = evaluationsRepository(scoped);
      if (!(await repository.exists(id))) throw caseNotFound(id);
      return (await repository.list(id)).map(viewOf);
    },

    async evaluate(
      principal: Principal,
      id: string,
      source: EvaluationSource,
      input: EvaluationInput,
    ): Promise<{ evaluation: EvaluationView; replayed: boolean }> {
      const party = PARTY_OF[source];
      try {
        return await owner.transaction(async (tx) => {
          await enterScope(tx, principal);
          const row = await evaluationsRepository(tx).lockCase(id);
          if (!row) throw caseNotFound(id);
          const { departmentCode } = await actorOf(tx, principal);
          await leaveScope(tx);
          const repository = evaluationsRepository(tx);
          const earlier = await replay(tx, principal, id, source, input.clientId);
          if (earlier) return earlier;
          const subjectCode = subjectOf(source, row, principal, departmentCode, input);
          if (await repository.byParty(id, party, subjectCode)) throw alreadyEvaluated(party, subjectCode);
          const note = input.note?.trim() ?? '';
          const evaluation = await repository.insert({
            reportId: id,
            party,
            subjectCode,
            score: input.score,
            source,
            calledName: source === 'return_call' ? (input.calledName?.trim() ?? null) : null,
            calledPhone: source === 'return_call' ? (input.calledPhone?.trim() ?? null) : null,
            note,
            evaluatorId: principal.accountId,
            evaluatorName: principal.displayName,
            evaluatorRole: principal.role,
            clientId: input.clientId,
            areaCode: row.cellCode,
          });
          const resident = party === 'resident';
          const step = await caseStepsRepository(tx).insertStep({
            reportId: id,
            actorId: principal.accountId,
            actorName: principal.displayName,
            actorRole: principal.role,
            action: STEP_OF[party],
            fromState: row.state,
            toState: resident ? 'evaluated' : row.state,
            note,
            details: resident
              ? {
                  satisfaction: input.score,
                  source,
                  ...(source === 'return_call'
                    ? { calledName: evaluation.calledName, calledPhone: maskPhone(evaluation.calledPhone) }
                    : {}),
                }
              : { departmentCode: subjectCode },
            clientId: input.clientId,
            cellCode: row.cellCode,
          });
          await repository.touchCase(id, resident ? { satisfaction: input.score } : null);
          const live = await caseStepsRepository(tx).liveCase(id);
          await appendLiveEvent(tx, {
            type: 'case.changed',
            scopeCode: row.cellCode,
            payload: { case: live, step: stepView(step) },
          });
          return { evaluation: viewOf(evaluation), replayed: false };
        });
      } catch (error) {
        // The same submission twice at once, or two people rating the same party at once: the loser reads what won.
        if (!isUniqueViolation(error)) throw error;
        const again = await replay(owner, principal, id, source, input.clientId);
        if (again) return again;
        throw alreadyEvaluated(party, '');
      }
    },
  };
}

export type EvaluationsService = ReturnType<typeof evaluationsService>;
