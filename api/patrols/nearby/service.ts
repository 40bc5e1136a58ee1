import type { Principal } from '../../app-env.ts';
import { type AuditContext, recordRead } from '../../audit/service.ts';
import { can } from '../../auth/permissions.ts';
import { type AlertView, impactService } from '../../cases/impact/service.ts';
import type { Database, Queryable } from '../../db/client.ts';
import { AppError, notFound } from '../../errors.ts';
import { type NearbyPatrolRow, nearbyPatrolsRepository } from './repository.ts';

/**
 * A worker counts as nearby only while their latest valid fix is at most this old (s): 15 minutes.
 * Older, they may be anywhere (the map greys them after five); a duty officer who sends someone to
 * a hazard needs a position that still says where that person is.
 */
export const NEARBY_FRESH_S = 15 * 60;
/** Workers listed when the reader asks for no number. */
export const NEARBY_DEFAULT_LIMIT = 10;

const caseNotFound = (id: string) => notFound('case_not_found', { zh: '找不到该案件', en: 'No such case' }, { id });

const viewForbidden = () =>
  new AppError(403, 'forbidden', {
    zh: '您的角色不能查看他人的巡查位置',
    en: 'Your role may not view the positions of others on patrol',
  });

/** Who an alert to this worker is addressed to, and how far they were from the case. */
const addresseeOf = (row: NearbyPatrolRow) => ({
  id: row.personId,
  name: row.workerName,
  role: row.workerRole,
  areaCode: row.areaCode,
  distanceM: row.distanceM,
});

/** The alert already sent about the case to the worker's role and area (the same field inbox), if any. */
const alertFor = (row: NearbyPatrolRow, alerts: readonly AlertView[]) =>
  alerts.find((alert) => alert.personRole === row.workerRole && alert.areaCode === row.areaCode) ?? null;

export interface NearbyOptions {
  now?: () => Date;
}

/**
 * Workers on patrol nearest a case, and one command to alert them. Reading where others are is a
 * read of personal data: audited like the list of workers out now. The alert goes through the case
 * impact's alert command (same table, timeline step and live events), so the worker gets it on the
 * field page like any alert and acknowledges it there.
 */
export function nearbyPatrolsService(owner: Database, options: NearbyOptions = {}) {
  const now = options.now ?? (() => new Date());
  const impact = impactService(owner);

  return {
    /** The workers nearest the case in the reader's scope (row-level security), nearest first; the read is audited. */
    async nearby(scoped: Queryable, context: AuditContext, caseId: string, query: { limit: number; radiusM?: number }) {
      const { principal } = context;
      if (!can(principal.role, 'patrols.view')) throw viewForbidden();
      const repository = nearbyPatrolsRepository(scoped);
      const found = await repository.findCase(caseId);
      if (!found) throw caseNotFound(caseId);
      const at = now();
      const [rows, alerts] = await Promise.all([
        repository.nearby({
          from: [found.lng, found.lat],
          freshSince: new Date(at.getTime() - NEARBY_FRESH_S * 1000),
          limit: query.limit,
          radiusM: query.radiusM,
        }),
        impact.alertsOf(scoped, caseId),
      ]);
      await recordRead(owner, context, {
        action: 'patrols.nearby_read',
        targetType: 'case',
        targetId: caseId,
        scopeCode: principal.scopeCode,
        details: { patrols: rows.map((row) => row.patrolId), limit: query.limit, radiusM: query.radiusM ?? null },
      });
      return {
        case: { id: found.id, caseNumber: found.caseNumber, position: [found.lng, found.lat] as [number, number] },
        freshForS: NEARBY_FRESH_S,
        patrols: rows.map((row) => {
          const alert = alertFor(row, alerts);
          return {
            patrolId: row.patrolId,
            workerId: row.workerId,
            workerName: row.workerName,
            workerRole: row.workerRole,
            areaCode: row.areaCode,
            areaName: row.areaName,
            position: [row.lng, row.lat] as [number, number],
            fixedAt: row.fixedAt,
            fixAgeS: Math.max(0, Math.round((at.getTime() - Date.parse(row.fixedAt)) / 1000)),
            accuracyM: row.accuracyM,
            distanceM: Math.round(row.distanceM * 10) / 10,
            alert: alert && { id: alert.id, alertedAt: alert.alertedAt, acknowledgedAt: alert.acknowledgedAt },
          };
        }),
      };
    },

    /**
     * Alerts the workers on patrol near the case: the ones selected (`patrolIds`), else all that the
     * list with this limit and radius holds now. Positions are read again in the transaction, in the
     * caller's scope: a selected worker no longer out (ended, position older than the freshness
     * limit, out of scope) is skipped and named; when none is left, nothing is written (409). A
     * repeated clientId answers the alerts as they are and writes nothing.
     */
    async alert(
      principal: Principal,
      caseId: string,
      input: { clientId: string; patrolIds?: string[]; limit: number; radiusM?: number },
    ) {
      if (!can(principal.role, 'patrols.view')) throw viewForbidden();
      // Stays null when the clientId was seen before: nothing was chosen again.
      const picked: { rows: NearbyPatrolRow[] | null } = { rows: null };
      const result = await impact.alertRecipients(principal, caseId, input.clientId, 'nearby', async (tx, row) => {
        const selected = input.patrolIds ? [...new Set(input.patrolIds)] : undefined;
        const chosen = await nearbyPatrolsRepository(tx).nearby({
          from: [row.lng, row.lat],
          freshSince: new Date(now().getTime() - NEARBY_FRESH_S * 1000),
          limit: selected ? selected.length : input.limit,
          radiusM: selected ? undefined : input.radiusM,
          patrolIds: selected,
        });
        if (chosen.length === 0) throw noneOnPatrol(caseId, selected ?? []);
        picked.rows = chosen;
        // Two walkers answering for one role and area share one inbox: one alert reaches both.
        const byAddressee = new Map(chosen.map((walker) => [`${walker.workerRole}|${walker.areaCode}`, addresseeOf(walker)]));
        return [...byAddressee.values()];
      });
      const chosen = picked.rows;
      const reached = new Set((chosen ?? []).map((row) => row.patrolId));
      return {
        ...result,
        patrols: [...reached],
        skipped: chosen ? (input.patrolIds ?? []).filter((id) => !reached.has(id)) : [],
      };
    },
  };
}

const noneOnPatrol = (caseId: string, patrolIds: string[]) =>
  new AppError(
    409,
    'no_patrol_nearby',
    patrolIds.length > 0
      ? {
          zh: '所选巡查人员都已结束巡查或位置已超过 15 分钟未更新，请刷新附近巡查人员列表',
          en: 'None of the selected workers is still on patrol with a position from the last 15 minutes: refresh the list',
        }
      : {
          zh: '附近没有正在巡查且 15 分钟内有定位的人员',
          en: 'Nobody is on patrol near the case with a position from the last 15 minutes',
        },
    { id: caseId, patrolIds },
  );

export type NearbyPatrolsService = ReturnType<typeof nearbyPatrolsService>;
