import { levelOfCode } from '../../geo/area-codes.ts';
import type { Principal } from '../app-env.ts';
import { type AuditContext, recordRead } from '../audit/service.ts';
import type { Database, Queryable } from '../db/client.ts';
import { AppError, badRequest, notFound } from '../errors.ts';
import { type GeohazardRule, inRainySeason, requiredPatrols, ruleOn, statusOf } from '../vocabulary/geohazards.ts';
import { geohazardsRepository, type PointRow, type RuleRow, type VisitCriteria } from './repository.ts';

const DAY_MS = 86_400_000;

/** A fix within 50 m of the point is a patrol of it; one within the hour after the last near fix is the same stay. */
const DEFAULT_VISIT_CRITERIA: VisitCriteria = { radiusM: 50, minIntervalMs: 3_600_000 };

/** The Asia/Shanghai day (UTC+8 all year) holding `instant`, YYYY-MM-DD. */
export function shanghaiDay(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** Midnight in Shanghai starting `day` (YYYY-MM-DD), and the next one. */
function shanghaiDayBounds(day: string): { start: Date; end: Date } {
  const start = new Date(`${day}T00:00:00+08:00`);
  return { start, end: new Date(start.getTime() + DAY_MS) };
}

const pointNotFound = (id: string) =>
  notFound('geohazard_point_not_found', { zh: '找不到该地灾隐患点', en: 'No such geohazard point' }, { id });

function ruleView(row: RuleRow) {
  return {
    effectiveFrom: row.effectiveFrom,
    seasonStartMonth: row.seasonStartMonth,
    seasonEndMonth: row.seasonEndMonth,
    inSeasonPerDay: row.inSeasonPerDay,
    offSeasonPerDay: row.offSeasonPerDay,
    setByName: row.setByName,
    setAt: row.setAt.toISOString(),
  };
}

function pointView({ lng, lat, ...point }: PointRow) {
  return { ...point, position: [lng, lat] as [number, number] };
}

export interface GeohazardsOptions {
  criteria?: VisitCriteria;
  now?: () => Date;
}

/**
 * The geohazard watch: the register of points in the reader's scope with each point's patrols on a
 * day against the county's rule, the rule and its versions, and a point's recent visits.
 */
export function geohazardsService(owner: Database, options: GeohazardsOptions = {}) {
  const criteria = options.criteria ?? DEFAULT_VISIT_CRITERIA;
  const now = options.now ?? (() => new Date());

  async function ruleFor(day: string): Promise<RuleRow> {
    const rule = ruleOn(await geohazardsRepository(owner).rules(), day);
    if (!rule) throw new Error(`no geohazard rule applies on ${day}: migrations/0012 writes one from 2000-01-01`);
    return rule;
  }

  /** The rule of `day` (YYYY-MM-DD, Asia/Shanghai), the patrols it asks of each point, and each of `pointIds`' patrols that day. */
  async function patrolsOn(pointIds: readonly string[], day: string) {
    const rule = await ruleFor(day);
    const { start, end } = shanghaiDayBounds(day);
    const visits = await geohazardsRepository(owner).visits(pointIds, start, end, criteria);
    const counts = new Map<string, number>();
    for (const visit of visits) counts.set(visit.pointId, (counts.get(visit.pointId) ?? 0) + 1);
    return { rule, required: requiredPatrols(rule, day), counts };
  }

  return {
    /**
     * How many more patrols the rule in force on `day` asks of the points `pointIds` that day, the
     * most behind of them: what a monitor who watches them all still owes (the demo's live rounds ask
     * before setting out, so they walk what the rule asks, no more); and how far apart (ms) two
     * visits must be to count as two.
     */
    async owedOn(pointIds: readonly string[], day: string): Promise<{ owed: number; apartMs: number }> {
      const { required, counts } = await patrolsOn(pointIds, day);
      return {
        owed: Math.max(0, ...pointIds.map((id) => required - (counts.get(id) ?? 0))),
        apartMs: criteria.minIntervalMs,
      };
    },

    /**
     * Every active point of the county with its monitor and where the monitor lives (their cell's
     * label point), for the demo's live rounds: the owner's read, never sent to a client.
     */
    async watchedPoints() {
      const rows = await geohazardsRepository(owner).watchedPoints();
      return rows.map((row) => ({
        id: row.id,
        areaCode: row.areaCode,
        monitorId: row.monitorId,
        monitorName: row.monitorName,
        position: [row.lng, row.lat] as [number, number],
        home: [row.homeLng, row.homeLat] as [number, number],
      }));
    },

    /**
     * The active points in the caller's scope (cut by row-level security) with their patrols on `day`
     * (today in Asia/Shanghai by default) against the rule of that day, those behind first.
     */
    async points(scoped: Queryable, day = shanghaiDay(now())) {
      const points = await geohazardsRepository(scoped).activePoints();
      const { rule, required, counts } = await patrolsOn(
        points.map((point) => point.id),
        day,
      );
      const views = points.map((point) => {
        const patrols = counts.get(point.id) ?? 0;
        return { ...pointView(point), patrols, required, status: statusOf(patrols, required) };
      });
      return {
        day,
        inSeason: inRainySeason(rule, Number(day.slice(5, 7))),
        required,
        rule: ruleView(rule),
        criteria,
        points: views,
      };
    },

    /** The rule in force today and every version, newest first. */
    async rule() {
      const rows = await geohazardsRepository(owner).rules();
      const today = shanghaiDay(now());
      const current = ruleOn(rows, today);
      return { today, current: current ? ruleView(current) : null, versions: rows.reverse().map(ruleView) };
    },

    /**
     * Sets the rule from `input.effectiveFrom` on (today or later: a past day keeps the rule it was
     * judged by). Setting it again for the same day replaces that version. A county-wide setting:
     * only an account scoped at the county may change it.
     */
    async setRule(principal: Principal, input: GeohazardRule) {
      if (levelOfCode(principal.scopeCode) !== 'county')
        throw new AppError(403, 'county_scope_required', {
          zh: '巡查规则全县统一，只有县级账号可以修改',
          en: 'The patrol rule is county-wide: only a county-level account may change it',
        });
      const today = shanghaiDay(now());
      if (input.effectiveFrom < today)
        throw badRequest(
          'rule_in_past',
          { zh: '新规则只能从今天或以后开始生效', en: 'A new rule applies from today or a later day, never from a past one' },
          { effectiveFrom: input.effectiveFrom, today },
        );
      return owner.transaction(async (tx) => {
        const row = await geohazardsRepository(tx).saveRule({
          ...input,
          setById: principal.accountId,
          setByName: principal.displayName,
          setAt: now(),
        });
        return ruleView(row);
      });
    },

    /**
     * The visits of one point in scope over the last `days` days (today included, Asia/Shanghai), each
     * with its patrol, newest first, and the count per day against that day's rule. Whose patrol it
     * was and when is someone else's track detail: a read by anyone but the monitor is audited.
     */
    async visits(scoped: Queryable, context: AuditContext, pointId: string, days: number) {
      const point = await geohazardsRepository(scoped).point(pointId);
      if (!point) throw pointNotFound(pointId);
      const today = shanghaiDay(now());
      const { end } = shanghaiDayBounds(today);
      const start = new Date(end.getTime() - days * DAY_MS);
      const rules = await geohazardsRepository(owner).rules();
      const visits = await geohazardsRepository(owner).visits([point.id], start, end, criteria);
      const perDay = Array.from({ length: days }, (_, index) => {
        const day = shanghaiDay(new Date(end.getTime() - (index + 1) * DAY_MS));
        const rule = ruleOn(rules, day);
        const required = rule ? requiredPatrols(rule, day) : 0;
        const patrols = visits.filter((visit) => shanghaiDay(new Date(visit.visitedAt)) === day).length;
        return { day, patrols, required, status: statusOf(patrols, required) };
      });
      if (point.monitorId !== context.principal.accountId) {
        await recordRead(owner, context, {
          action: 'geohazards.visits_read',
          targetType: 'geohazard_point',
          targetId: point.id,
          scopeCode: point.areaCode,
          details: { monitorId: point.monitorId, days, visits: visits.length },
        });
      }
      return {
        point: pointView(point),
        days: perDay,
        visits: visits.reverse().map(({ patrolId, visitedAt }) => ({ patrolId, visitedAt })),
      };
    },
  };
}

export type GeohazardsService = ReturnType<typeof geohazardsService>;
