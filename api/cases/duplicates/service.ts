import type { Principal } from '../../app-env.ts';
import type { Database, Queryable } from '../../db/client.ts';
import { enterScope, leaveScope } from '../../db/scoped.ts';
import { AppError, badRequest, notFound } from '../../errors.ts';
import { appendLiveEvent, caseDepartments } from '../../live/events.ts';
import { FINISHED_STATES } from '../../vocabulary/case-states.ts';
import { caseNotFound, FINISHED } from '../impact/service.ts';
import { caseStepsRepository } from '../steps-repository.ts';
import { duplicatesRepository, type MergeCaseRow } from './repository.ts';

/** Two reports are suggested as duplicates when of the same type, within this distance (metres)... */
const DUPLICATE_RADIUS_M = 500;
/** ...and this many hours of each other. */
const DUPLICATE_WINDOW_HOURS = 24;

function summaryOf(row: MergeCaseRow) {
  return { id: row.id, caseNumber: row.caseNumber, type: row.type, state: row.state, mergedInto: row.mergedInto };
}

/**
 * Near-duplicate reports (same type, close in space and time) and merging one case into another:
 * the merged case ends in state `merged`, pointing at the case that carries on, with a step in
 * both timelines.
 */
export function duplicatesService(owner: Database) {
  return {
    async duplicates(scoped: Queryable, id: string) {
      const repository = duplicatesRepository(scoped);
      const row = await repository.findCase(id);
      if (!row) throw caseNotFound(id);
      const nearby = await repository.nearby(id, DUPLICATE_RADIUS_M, DUPLICATE_WINDOW_HOURS, [...FINISHED_STATES]);
      return {
        case: summaryOf(row),
        radiusM: DUPLICATE_RADIUS_M,
        windowHours: DUPLICATE_WINDOW_HOURS,
        duplicates: nearby.map(({ lng, lat, distanceM, secondsApart, ...rest }) => ({
          ...rest,
          position: [lng, lat] as [number, number],
          distanceM: Math.round(distanceM * 10) / 10,
          secondsApart: Math.round(secondsApart),
        })),
      };
    },

    /**
     * Merges case `id` into `intoId`. Refused into itself (400), into a case outside the caller's
     * scope (404), from or into a case that is over (409), and across types (409). Repeating the
     * request with the same clientId answers the same and writes nothing.
     */
    async merge(principal: Principal, id: string, intoId: string, clientId: string) {
      if (id === intoId) {
        throw badRequest(
          'merge_into_itself',
          { zh: '不能把案件合并到它自己', en: 'A case cannot be merged into itself' },
          { id },
        );
      }
      return owner.transaction(async (tx) => {
        await enterScope(tx, principal);
        const repository = duplicatesRepository(tx);
        const locked = await repository.lockCases([id, intoId]);
        const source = locked.find((row) => row.id === id);
        const target = locked.find((row) => row.id === intoId);
        if (!source) throw caseNotFound(id);
        const steps = caseStepsRepository(tx);
        if (source.state === 'merged' && source.mergedInto === intoId && target) {
          // Already merged into this case: a repeated request (same clientId or not) has nothing left to do.
          await leaveScope(tx);
          return { created: false, case: summaryOf(source), into: summaryOf(target) };
        }
        if (!target) {
          throw notFound('merge_target_not_found', { zh: '找不到要合并到的案件', en: 'No such case to merge into' }, { intoId });
        }
        if (FINISHED.has(source.state)) {
          throw new AppError(
            409,
            source.state === 'merged' ? 'case_already_merged' : 'case_finished',
            {
              zh: source.state === 'merged' ? '该案件已合并到其他案件' : '该案件已结束，不能合并',
              en:
                source.state === 'merged' ? 'This case is already merged into another' : 'This case is over and cannot be merged',
            },
            { id, state: source.state, mergedInto: source.mergedInto },
          );
        }
        if (FINISHED.has(target.state)) {
          throw new AppError(
            409,
            'merge_target_finished',
            {
              zh: '要合并到的案件已结束（结案、驳回、作废或已合并）',
              en: 'The case to merge into is over (closed, rejected, cancelled or merged)',
            },
            { intoId, state: target.state },
          );
        }
        if (source.type !== target.type) {
          throw new AppError(
            409,
            'merge_type_mismatch',
            { zh: '只能合并同一类型的案件', en: 'Only cases of the same type can be merged' },
            { type: source.type, intoType: target.type },
          );
        }
        await repository.markMerged(id, intoId);
        await repository.touch(intoId);
        const actor = { actorId: principal.accountId, actorName: principal.displayName, actorRole: principal.role };
        await steps.insertStep({
          ...actor,
          reportId: id,
          action: 'merge',
          fromState: source.state,
          toState: 'merged',
          details: { intoId, intoCaseNumber: target.caseNumber, intoCellCode: target.cellCode },
          clientId,
          cellCode: source.cellCode,
        });
        await steps.insertStep({
          ...actor,
          reportId: intoId,
          action: 'merged_in',
          fromState: target.state,
          toState: target.state,
          details: { fromId: id, fromCaseNumber: source.caseNumber, fromCellCode: source.cellCode },
          clientId,
          cellCode: target.cellCode,
        });
        await leaveScope(tx);
        const [mergedCase, intoCase] = [await steps.liveCase(id), await steps.liveCase(intoId)];
        // Each case's departments hear of the merge; the cut shows each reader only the cases it may read.
        const departments = { case: await caseDepartments(tx, id), into: await caseDepartments(tx, intoId) };
        for (const scopeCode of new Set([source.cellCode, target.cellCode])) {
          await appendLiveEvent(tx, {
            type: 'case.merged',
            scopeCode,
            payload: { case: mergedCase, into: intoCase, departments },
          });
        }
        return {
          created: true,
          case: { ...summaryOf(source), state: 'merged', mergedInto: intoId },
          into: summaryOf(target),
        };
      });
    },
  };
}
