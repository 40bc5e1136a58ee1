import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { isWithinScope } from '../../geo/area-codes.ts';
import { createRandomStream } from '../../geo/seeded-random.ts';
import type { Principal } from '../app-env.ts';
import type { Database } from '../db/client.ts';
import type { DrillService } from '../demo/drill.ts';
import { AppError } from '../errors.ts';
import { playSimulatedInformants, simulatedWays } from './simulated-informants.ts';

/** What the drill asks of dispatch (tasks-core's dispatch, called in-process): a notice on a line to an area. */
interface DrillDispatchInput {
  clientId: string;
  lineCode: string;
  kind: 'notice';
  title: string;
  body: string;
  perHousehold: boolean;
  areaCode: string;
  deadline: Date;
  escalateAfterMinutes: number;
}

/** tasks-core's dispatch (api/tasks/service.ts), with `drill` set on the task it writes. */
type DrillDispatch = (principal: Principal, input: DrillDispatchInput, options: { drill: true }) => Promise<{ id: string }>;

/** The practice notice's line and wording. */
const DRILL_LINE = 'emergency';
const DRILL_TITLE = '【演练】防汛应急通知';
const DRILL_BODY = '【演练】请各单元格信息员立即查收本通知并确认：检查辖区内低洼处、河道边住户，如有险情立即上报。';

export interface DrillTasksOptions {
  /** Divides every simulated delay (tests run the phones fast). */
  speed?: number;
}

/**
 * The drill's practice task (演练任务): while a drill runs over the area, a practice notice
 * (`drill = true`) goes to every cell and grid of it through the real dispatch, and simulated
 * informants answer it: their phones fetch it, they open it and acknowledge it at staggered,
 * realistic times over a few minutes, a few never do (for the reminder and the escalation to show),
 * so the live map and the reach curve fill in during a demonstration.
 */
export function drillTasksService(
  db: Database,
  drill: Pick<DrillService, 'status'>,
  dispatch: DrillDispatch,
  options: DrillTasksOptions = {},
) {
  const random = createRandomStream(Date.now() % 2 ** 31, 'drill-tasks');
  return {
    async start(principal: Principal, input: { areaCode?: string; title?: string }) {
      const areaCode = input.areaCode ?? principal.scopeCode;
      if (!isWithinScope(areaCode, principal.scopeCode))
        throw new AppError(
          403,
          'drill_outside_scope',
          { zh: '只能在您管辖范围内发起演练任务', en: 'You can send drill tasks only inside your own scope' },
          { areaCode },
        );
      const running = drill
        .status(principal)
        .drills.some((status) => status.running && status.scopeCode !== null && isWithinScope(areaCode, status.scopeCode));
      if (!running)
        throw new AppError(
          409,
          'drill_not_running',
          {
            zh: '演练模式未开启：请先开启该范围的演练，再发送演练任务',
            en: 'No drill is running over that area: start one before sending a drill task',
          },
          { areaCode },
        );
      const { id } = await dispatch(
        principal,
        {
          clientId: randomUUID(),
          lineCode: DRILL_LINE,
          kind: 'notice',
          title: input.title ?? DRILL_TITLE,
          body: DRILL_BODY,
          perHousehold: false,
          areaCode,
          deadline: new Date(Date.now() + 2 * 3_600_000),
          escalateAfterMinutes: 10,
        },
        { drill: true },
      );
      const [task] = await db.rows<{ dispatchedAt: Date | string }>(
        sql`SELECT dispatched_at AS "dispatchedAt" FROM tasks WHERE id = ${id}`,
      );
      const targets = await db.rows<{ id: number }>(
        sql`SELECT id::int AS id FROM task_targets WHERE task_id = ${id} ORDER BY id`,
      );
      const ways = simulatedWays(
        targets.map((target) => target.id),
        'notice',
        random,
        options.speed,
      );
      playSimulatedInformants(db, id, new Date(task!.dispatchedAt), ways);
      return { taskId: id, targets: targets.length };
    },
  };
}

export type DrillTasksService = ReturnType<typeof drillTasksService>;
