import { levelOfCode } from '../../geo/area-codes.ts';
import type { Principal } from '../app-env.ts';
import { authRepository } from '../auth/repository.ts';
import type { RequestOrigin } from '../auth/service.ts';
import type { Database, Queryable } from '../db/client.ts';
import { AppError, badRequest } from '../errors.ts';
import { isReportType } from '../vocabulary/report-types.ts';
import { ANY_TYPE, isClockStage, type TimeLimit, urgencyKeysOf } from './default-time-limits.ts';
import { timeLimitsRepository } from './time-limits-repository.ts';
import { CLOCK_KINDS, isClockKind, isLimitUnit, LIMIT_UNITS, type LimitUnit } from './working-time.ts';

/** The largest limit per unit, on either clock: a week of minutes, 700 hours, 250 days (a working year). */
const MAX_AMOUNT: Record<LimitUnit, number> = { minutes: 10_080, hours: 700, days: 250 };

export interface TimeLimitInput {
  type: string;
  urgency: string;
  stage: string;
  amount: number;
  unit: string;
  clock: string;
}

function validate(input: TimeLimitInput, index: number): TimeLimit {
  const where = { index, type: input.type, urgency: input.urgency, stage: input.stage };
  if (!isClockStage(input.stage)) {
    throw badRequest(
      'invalid_stage',
      { zh: `第 ${index + 1} 行：没有“${input.stage}”这个环节`, en: `Row ${index + 1}: no stage "${input.stage}"` },
      where,
    );
  }
  if (input.type !== ANY_TYPE && !isReportType(input.type)) {
    throw badRequest(
      'invalid_type',
      { zh: `第 ${index + 1} 行：没有“${input.type}”这个类型`, en: `Row ${index + 1}: no type "${input.type}"` },
      where,
    );
  }
  const keys = urgencyKeysOf(input.stage);
  if (!keys.includes(input.urgency)) {
    throw badRequest(
      'invalid_urgency',
      {
        zh: `第 ${index + 1} 行：${input.stage} 环节的紧急程度须为 ${keys.join('、')}`,
        en: `Row ${index + 1}: the ${input.stage} stage is keyed by ${keys.join(' or ')}`,
      },
      where,
    );
  }
  if (!isLimitUnit(input.unit)) {
    throw badRequest(
      'invalid_unit',
      {
        zh: `第 ${index + 1} 行：单位须为 ${LIMIT_UNITS.join('、')}（分钟、小时、天）`,
        en: `Row ${index + 1}: the unit is one of ${LIMIT_UNITS.join(', ')}`,
      },
      where,
    );
  }
  if (!isClockKind(input.clock)) {
    throw badRequest(
      'invalid_clock',
      {
        zh: `第 ${index + 1} 行：计时方式须为 natural（自然时间）或 working（工作时间）`,
        en: `Row ${index + 1}: the clock is natural (every hour counts) or working (office time on working days)`,
      },
      { ...where, clock: input.clock },
    );
  }
  const max = MAX_AMOUNT[input.unit];
  if (!Number.isInteger(input.amount) || input.amount < 1 || input.amount > max) {
    throw badRequest(
      'invalid_amount',
      {
        zh: `第 ${index + 1} 行：时限须为 1 到 ${max} 之间的整数（${input.unit}）`,
        en: `Row ${index + 1}: the amount is a whole number from 1 to ${max} ${input.unit}`,
      },
      where,
    );
  }
  return {
    type: input.type as TimeLimit['type'],
    urgency: input.urgency,
    stage: input.stage,
    amount: input.amount,
    unit: input.unit,
    clock: input.clock,
  };
}

/**
 * Time limits are one county-wide table: every account that views cases reads it, admins edit
 * it, amount, unit and clock (natural or working time) alike. Edits are all-or-nothing and go
 * into the audit log with the values before and after. Running clocks keep the deadline they
 * started with; the next clock a case starts uses the new row.
 */
export function timeLimitsService(db: Database) {
  return {
    async list(scoped: Queryable) {
      return { limits: await timeLimitsRepository(scoped).list(), units: [...LIMIT_UNITS], clocks: [...CLOCK_KINDS] };
    },

    async update(principal: Principal, origin: RequestOrigin, inputs: readonly TimeLimitInput[]) {
      // The limits hold for the whole county, so only a county-wide administrator sets them.
      if (levelOfCode(principal.scopeCode) !== 'county') {
        throw new AppError(403, 'county_scope_required', {
          zh: '办理时限适用于全县，只有县级管理员可以修改',
          en: 'Time limits hold for the whole county: only a county-wide administrator may change them',
        });
      }
      const limits = inputs.map(validate);
      const seen = new Set<string>();
      for (const [index, limit] of limits.entries()) {
        const key = `${limit.type}|${limit.urgency}|${limit.stage}`;
        if (seen.has(key)) {
          throw badRequest(
            'duplicate_time_limit',
            { zh: `第 ${index + 1} 行与前面的行重复`, en: `Row ${index + 1} repeats an earlier row` },
            { index, ...limit },
          );
        }
        seen.add(key);
      }
      await db.transaction(async (tx) => {
        const repository = timeLimitsRepository(tx);
        const before = await repository.list();
        for (const limit of limits) await repository.upsert(limit, principal.username);
        await authRepository(tx).insertAudit({
          actorId: principal.accountId,
          actorUsername: principal.username,
          actorRole: principal.role,
          outcome: 'ok',
          action: 'time-limits.update',
          targetType: 'time_limits',
          targetId: `${limits.length}`,
          // One table for the whole county: filed under the county, where county admins see it.
          scopeCode: principal.scopeCode.slice(0, 6),
          ...origin,
          details: {
            changes: limits.map((limit) => {
              const previous = before.find(
                (row) => row.type === limit.type && row.urgency === limit.urgency && row.stage === limit.stage,
              );
              return {
                ...limit,
                before: previous ? { amount: previous.amount, unit: previous.unit, clock: previous.clock } : null,
              };
            }),
          },
        });
      });
      return { limits: await timeLimitsRepository(db).list(), units: [...LIMIT_UNITS], clocks: [...CLOCK_KINDS] };
    },
  };
}

export type TimeLimitsService = ReturnType<typeof timeLimitsService>;
