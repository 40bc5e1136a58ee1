import type { Principal } from '../app-env.ts';
import type { Queryable } from '../db/client.ts';
import { type CaseAction, isWorkAction, type WorkAction } from '../vocabulary/case-states.ts';
import type { CaseSummary } from './contracts.ts';
import type { Light } from './light.ts';
import { myWorkRepository } from './my-work-repository.ts';
import { actorOf, factsOf, summaryOf } from './service.ts';
import { nextActions, workStatesOf } from './workflow.ts';

/** One case of an account's inbox: the case as lists show it, where exactly, and what it waits for from this account. */
interface MyWorkItem extends CaseSummary {
  gridName: string | null;
  cellName: string | null;
  /** The inbox actions (acknowledge, handle, feedback) this account may take on it now. */
  work: WorkAction[];
  /** Every action this account may take on it now (the same list as the case's detail). */
  nextActions: CaseAction[];
}

export interface MyWork {
  items: MyWorkItem[];
  total: number;
  /** False when more cases could have been read than one inbox holds (MY_WORK_LIMIT): narrow the scope or work the list down. */
  complete: boolean;
}

/** The most cases one inbox reads; far more than a grid worker, a township or a department has waiting. */
const MY_WORK_LIMIT = 1_000;

const LIGHT_RANK: Record<Light, number> = { red: 0, yellow: 1, green: 2, none: 3 };

/** Most pressing first: overdue, then nearly due, then the earliest deadline, urgent before normal. */
function byDeadline(a: MyWorkItem, b: MyWorkItem): number {
  return (
    LIGHT_RANK[a.light] - LIGHT_RANK[b.light] ||
    (a.dueAt ?? '\uffff').localeCompare(b.dueAt ?? '\uffff') ||
    Number(b.urgency === 'urgent') - Number(a.urgency === 'urgent') ||
    a.reportedAt.localeCompare(b.reportedAt) ||
    a.id.localeCompare(b.id)
  );
}

/**
 * "My work" (待办): the cases that wait for an action of the signed-in account: acknowledging a
 * case dispatched to it, noting progress, giving feedback. The workflow decides, case by case,
 * with the same rules that list a case's `nextActions` (workflow.ts); the read before it only
 * narrows to the states those actions start from and, for a department cadre, to the cases its
 * department leads or co-handles (the only ones the rules let a cadre handle). Row-level security
 * cuts everything to the account's scope.
 */
export function myWorkService(options: { now?: () => Date } = {}) {
  const clock = options.now ?? (() => new Date());

  return {
    async mine(scoped: Queryable, principal: Principal): Promise<MyWork> {
      const states = workStatesOf(principal.role);
      if (states.length === 0) return { items: [], total: 0, complete: true };
      const actor = await actorOf(scoped, principal);
      const department = actor.role === 'department_cadre' ? (actor.departmentCode ?? '') : undefined;
      const rows = await myWorkRepository(scoped).candidates({ states, department, limit: MY_WORK_LIMIT });
      const now = clock();
      const items: MyWorkItem[] = [];
      for (const row of rows) {
        const actions = nextActions(factsOf(row), actor);
        const work = actions.filter(isWorkAction);
        if (work.length === 0) continue;
        items.push({ ...summaryOf(row, now), gridName: row.gridName, cellName: row.cellName, work, nextActions: actions });
      }
      items.sort(byDeadline);
      return { items, total: items.length, complete: rows.length < MY_WORK_LIMIT };
    },
  };
}

export type MyWorkService = ReturnType<typeof myWorkService>;
