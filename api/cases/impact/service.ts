import type { Polygon } from 'geojson';
import { type ControlZoneProblem, checkControlZone } from '../../../geo/check-control-zone.ts';
import { defaultControlZone } from '../../../geo/control-zone.ts';
import type { Principal } from '../../app-env.ts';
import type { Database, Queryable } from '../../db/client.ts';
import { enterScope, leaveScope } from '../../db/scoped.ts';
import { AppError, badRequest, notFound } from '../../errors.ts';
import { appendLiveEvent } from '../../live/events.ts';
import { FINISHED_STATES } from '../../vocabulary/case-states.ts';
import { isReportType, REPORT_TYPES } from '../../vocabulary/report-types.ts';
import { caseStepsRepository } from '../steps-repository.ts';
import { type AlertRow, type ImpactCaseRow, type ImpactRepository, impactRepository } from './repository.ts';

/** States in which a case is over (or folded into another): its zone, alerts and merging are frozen. */
export const FINISHED: ReadonlySet<string> = new Set<string>(FINISHED_STATES);

export const caseNotFound = (id: string) => notFound('case_not_found', { zh: '找不到该案件', en: 'No such case' }, { id });

const caseFinished = (id: string, state: string) =>
  new AppError(
    409,
    'case_finished',
    {
      zh: '该案件已结束（结案、驳回、作废或已合并），不能再修改管控区或发送预警',
      en: 'The case is over (closed, rejected, cancelled or merged): its zone and alerts can no longer change',
    },
    { id, state },
  );

const alertNotFound = (id: string) => notFound('alert_not_found', { zh: '找不到该预警', en: 'No such alert' }, { id });

const ZONE_PROBLEMS: Record<ControlZoneProblem['reason'] | 'invalid', { zh: string; en: string }> = {
  'not-a-polygon': { zh: '管控区应为 GeoJSON 多边形（Polygon）', en: 'A control zone is a GeoJSON Polygon' },
  'bad-position': {
    zh: '管控区含有无效坐标（应为 [经度, 纬度]）',
    en: 'The control zone holds a position that is not [lng, lat]',
  },
  'ring-too-short': { zh: '管控区边界至少需要 3 个顶点并闭合', en: 'A ring needs at least three corners and must close' },
  'ring-not-closed': {
    zh: '管控区边界未闭合：首尾坐标必须相同',
    en: 'A ring is not closed: its first and last positions must be equal',
  },
  'too-many-vertices': { zh: '管控区顶点过多（最多 500 个）', en: 'The control zone has too many vertices (at most 500)' },
  'self-intersecting': { zh: '管控区边界自相交', en: 'The control zone crosses itself' },
  empty: { zh: '管控区面积为零', en: 'The control zone has no area' },
  'too-large': { zh: '管控区面积须小于 100 平方公里', en: 'The control zone must be smaller than 100 km²' },
  invalid: { zh: '管控区几何无效', en: 'The control zone is not a valid polygon' },
};

const invalidZone = (reason: keyof typeof ZONE_PROBLEMS, details: unknown) =>
  badRequest('invalid_control_zone', ZONE_PROBLEMS[reason], { reason, ...(details as object) });

/** The zone in force: the stored one, else the default circle of the case's type around its point. */
function zoneOfCase(row: ImpactCaseRow): { zone: Polygon; source: 'drawn' | 'default' } {
  if (row.controlZone) return { zone: JSON.parse(row.controlZone) as Polygon, source: row.zoneDrawn ? 'drawn' : 'default' };
  const radiusM = isReportType(row.type) ? REPORT_TYPES[row.type].controlRadiusM : REPORT_TYPES.other.controlRadiusM;
  return { zone: defaultControlZone([row.lng, row.lat], radiusM), source: 'default' };
}

function alertViewOf(row: AlertRow) {
  return {
    id: row.id,
    reportId: row.reportId,
    personId: row.personId,
    personName: row.personName,
    personRole: row.personRole,
    areaCode: row.areaCode,
    alertedAt: row.alertedAt,
    acknowledged: row.acknowledgedAt !== null,
    acknowledgedAt: row.acknowledgedAt,
    acknowledgedBy: row.acknowledgedBy === null ? null : { accountId: row.acknowledgedBy, name: row.acknowledgedByName },
  };
}
export type AlertView = ReturnType<typeof alertViewOf>;
/**
 * Someone to alert about a case: a person who answers for a cell or grid (`people`), or a worker on
 * patrol near it (then `distanceM`, metres from the case when alerted). The alert is addressed to
 * `role` in `areaCode`: the account of that role scoped there sees and acknowledges it.
 */
export interface AlertRecipient {
  id: string;
  name: string;
  role: string;
  areaCode: string;
  distanceM?: number;
}
/** Why people were alerted: they answer for the control zone, or they were on patrol nearby. */
export type AlertReason = 'zone' | 'nearby';

/** Where a person in the zone stands: not alerted yet, alerted and silent, or acknowledged. */
type AlertState = 'not_alerted' | 'alerted' | 'acknowledged';

/** The cells and grids in a zone and the people who answer for them, as the handle's scope allows. */
async function peopleInZone(repository: ImpactRepository, zone: Polygon) {
  const cells = await repository.cellsIn(zone);
  const gridCodes = [...new Set(cells.map((cell) => cell.gridCode))];
  const [grids, people] = await Promise.all([
    repository.areaNames(gridCodes),
    repository.peopleOf(
      cells.map((cell) => cell.code),
      gridCodes,
    ),
  ]);
  return { cells, grids, people };
}

/**
 * The impact of a case: its control zone (editable), what lies inside (cells, grids, households,
 * residents) and the people to alert there, with the alerts sent and acknowledged. Reads are cut
 * to the caller's scope; commands run in one transaction (scoped writes, then the live event as
 * the owner).
 */
export function impactService(owner: Database) {
  /**
   * One alert command: a repeated clientId writes nothing and answers the alerts as they are; a
   * person already alerted about the case is skipped; the rest get an alert each, one timeline step
   * names them all, and one alert.sent live event per cell or grid alerted, scoped to it, lets the
   * people there hear it. One transaction: scoped writes, then the live events as the owner.
   */
  async function alertRecipients(
    principal: Principal,
    id: string,
    clientId: string,
    reason: AlertReason,
    choose: (tx: Queryable, row: ImpactCaseRow) => Promise<AlertRecipient[]>,
  ) {
    return owner.transaction(async (tx) => {
      await enterScope(tx, principal);
      const repository = impactRepository(tx);
      const row = await repository.findCase(id);
      if (!row) throw caseNotFound(id);
      if (await repository.stepExists(id, clientId)) {
        return { created: 0, alerts: (await repository.alertsOf(id)).map(alertViewOf) };
      }
      if (FINISHED.has(row.state)) throw caseFinished(id, row.state);
      const recipients = await choose(tx, row);
      const created = await repository.insertAlerts(id, recipients, principal.accountId);
      if (created.length > 0) {
        const distanceOf = new Map(recipients.map((recipient) => [recipient.id, recipient.distanceM]));
        await caseStepsRepository(tx).insertStep({
          reportId: id,
          actorId: principal.accountId,
          actorName: principal.displayName,
          actorRole: principal.role,
          action: 'alert',
          fromState: row.state,
          toState: row.state,
          details: {
            ...(reason === 'zone' ? {} : { reason }),
            alerted: created.map((alert) => {
              const distanceM = distanceOf.get(alert.personId);
              return {
                personId: alert.personId,
                role: alert.personRole,
                areaCode: alert.areaCode,
                ...(distanceM === undefined ? {} : { distanceM: Math.round(distanceM) }),
              };
            }),
          },
          clientId,
          cellCode: row.cellCode,
        });
      }
      const alerts = (await repository.alertsOf(id)).map(alertViewOf);
      await leaveScope(tx);
      if (created.length > 0) {
        const liveCase = await caseStepsRepository(tx).liveCase(id);
        const byArea = new Map<string, AlertView[]>();
        for (const alert of created.map(alertViewOf)) byArea.set(alert.areaCode, [...(byArea.get(alert.areaCode) ?? []), alert]);
        for (const [areaCode, areaAlerts] of byArea) {
          await appendLiveEvent(tx, { type: 'alert.sent', scopeCode: areaCode, payload: { case: liveCase, alerts: areaAlerts } });
        }
      }
      return { created: created.length, alerts };
    });
  }

  return {
    async impact(scoped: Queryable, principal: Principal, id: string, options: { includePeople: boolean }) {
      const repository = impactRepository(scoped);
      const row = await repository.findCase(id);
      if (!row) throw caseNotFound(id);
      const { zone, source } = zoneOfCase(row);
      const [{ cells, grids, people }, alerts, within] = await Promise.all([
        peopleInZone(repository, zone),
        repository.alertsOf(id),
        repository.zoneWithin(zone, principal.scopeCode),
      ]);
      const alertByPerson = new Map(alerts.map((alert) => [alert.personId, alert]));
      const inZone = new Set(people.map((person) => person.id));
      const cellNames = new Map(cells.map((cell) => [cell.code, cell.name]));
      const gridNames = new Map(grids.map((grid) => [grid.code, grid.name]));
      const personOf = (person: { id: string; name: string; role: string; areaCode: string; phone: string | null }) => {
        const alert = alertByPerson.get(person.id);
        return {
          id: person.id,
          role: person.role,
          areaCode: person.areaCode,
          areaName: cellNames.get(person.areaCode) ?? gridNames.get(person.areaCode) ?? null,
          name: options.includePeople ? person.name : null,
          phone: options.includePeople ? person.phone : null,
          inZone: inZone.has(person.id),
          alertState: (!alert ? 'not_alerted' : alert.acknowledgedAt ? 'acknowledged' : 'alerted') as AlertState,
          alert: alert ? alertViewOf(alert) : null,
        };
      };
      // People alerted earlier whose area the zone no longer reaches still owe (or gave) an acknowledgment.
      const formerlyInZone = alerts
        .filter((alert) => !inZone.has(alert.personId))
        .map((alert) => ({
          id: alert.personId,
          name: alert.personName,
          role: alert.personRole,
          areaCode: alert.areaCode,
          phone: null,
        }));
      const acknowledged = alerts.filter((alert) => alert.acknowledgedAt !== null).length;
      return {
        case: { id: row.id, caseNumber: row.caseNumber, type: row.type, state: row.state, cellCode: row.cellCode },
        zone: { geometry: zone, source, extendsBeyondScope: !within },
        cells: cells.map((cell) => ({
          code: cell.code,
          name: cell.name,
          gridCode: cell.gridCode,
          households: cell.households,
          residents: cell.residents,
        })),
        grids: grids.map((grid) => ({ code: grid.code, name: grid.name })),
        households: cells.reduce((sum, cell) => sum + cell.households, 0),
        residents: cells.reduce((sum, cell) => sum + cell.residents, 0),
        people: [...people, ...formerlyInZone].map(personOf),
        alerts: { sent: alerts.length, acknowledged, pending: alerts.length - acknowledged },
      };
    },

    /** Replaces the control zone with a drawn polygon; a timeline step and a live case.changed follow. */
    async setControlZone(principal: Principal, id: string, drawn: unknown) {
      const check = checkControlZone(drawn);
      if (!check.ok) {
        const { reason, ...details } = check.problem;
        throw invalidZone(reason, details);
      }
      const areaM2 = Math.round(check.areaM2);
      return owner.transaction(async (tx) => {
        await enterScope(tx, principal);
        const repository = impactRepository(tx);
        const row = await repository.findCase(id);
        if (!row) throw caseNotFound(id);
        if (FINISHED.has(row.state)) throw caseFinished(id, row.state);
        const facts = await repository.zoneFacts(check.polygon);
        if (!facts.valid) throw invalidZone('invalid', { why: facts.reason });
        if (!facts.inCounty) {
          throw badRequest(
            'control_zone_outside_county',
            { zh: '管控区不在本县范围内', en: 'The control zone does not touch the county' },
            { id },
          );
        }
        await repository.updateZone(id, check.polygon);
        await caseStepsRepository(tx).insertStep({
          reportId: id,
          actorId: principal.accountId,
          actorName: principal.displayName,
          actorRole: principal.role,
          action: 'control_zone',
          fromState: row.state,
          toState: row.state,
          details: { vertices: check.vertices, areaM2 },
          cellCode: row.cellCode,
        });
        await leaveScope(tx);
        const liveCase = await caseStepsRepository(tx).liveCase(id);
        await appendLiveEvent(tx, {
          type: 'case.changed',
          scopeCode: row.cellCode,
          payload: { case: liveCase, change: 'control_zone', controlZone: check.polygon },
        });
        return { controlZone: check.polygon, vertices: check.vertices, areaM2 };
      });
    },

    /**
     * Alerts every informant and grid worker of the zone about the case. Idempotent twice over: a
     * repeated clientId writes nothing, and a person already alerted is not alerted again.
     */
    async sendAlerts(principal: Principal, id: string, clientId: string) {
      return alertRecipients(principal, id, clientId, 'zone', async (tx, row) => {
        const { people } = await peopleInZone(impactRepository(tx), zoneOfCase(row).zone);
        return people;
      });
    },

    /**
     * Alerts the recipients `choose` picks (run in the transaction, in the caller's scope, on the
     * case as it is now) through the same table, timeline step and live events as the zone's alert:
     * a worker on patrol near the case gets it on the field page like any alert. `reason` goes into
     * the timeline step, so the timeline says why these people were told.
     */
    alertRecipients,

    /** The alerts sent about a case, as the handle's scope allows (who was told, who acknowledged). */
    async alertsOf(scoped: Queryable, id: string) {
      return (await impactRepository(scoped).alertsOf(id)).map(alertViewOf);
    },

    /**
     * Alerts addressed to the caller: an account answers for the alerts whose person role is its
     * role and whose area is its scope (the informant of a cell, the worker of a grid).
     */
    async mine(scoped: Queryable, principal: Principal) {
      const alerts = await impactRepository(scoped).alertsFor(principal.role, principal.scopeCode, 200);
      const cases =
        alerts.length === 0 ? [] : await impactRepository(owner).alertedCases([...new Set(alerts.map((a) => a.reportId))]);
      const caseById = new Map(
        cases.map((row) => [
          row.id,
          {
            id: row.id,
            caseNumber: row.caseNumber,
            type: row.type,
            urgency: row.urgency,
            state: row.state,
            description: row.description,
            position: [row.lng, row.lat] as [number, number],
            cellCode: row.cellCode,
            cellName: row.cellName,
            townshipName: row.townshipName,
            reportedAt: row.reportedAt,
            controlZone: row.controlZone ? (JSON.parse(row.controlZone) as Polygon) : null,
          },
        ]),
      );
      return { alerts: alerts.map((alert) => ({ ...alertViewOf(alert), case: caseById.get(alert.reportId) ?? null })) };
    },

    /** Acknowledges an alert addressed to the caller, once; repeating it changes nothing and answers the same. */
    async acknowledge(principal: Principal, alertId: string) {
      return owner.transaction(async (tx) => {
        await enterScope(tx, principal);
        const repository = impactRepository(tx);
        const alert = await repository.findAlert(alertId);
        if (!alert) throw alertNotFound(alertId);
        if (alert.personRole !== principal.role || alert.areaCode !== principal.scopeCode) {
          throw new AppError(
            403,
            'alert_not_addressed_to_you',
            {
              zh: '这条预警不是发给您的，只能由被通知人签收',
              en: 'This alert is addressed to someone else: only they can acknowledge it',
            },
            { id: alertId },
          );
        }
        const changed = await repository.acknowledge(alertId, principal.accountId);
        const current = (await repository.findAlert(alertId))!;
        await leaveScope(tx);
        if (changed) {
          const liveCase = await caseStepsRepository(tx).liveCase(current.reportId);
          await appendLiveEvent(tx, {
            type: 'alert.acknowledged',
            scopeCode: liveCase.cellCode,
            payload: { case: liveCase, alert: alertViewOf(current) },
          });
        }
        return { alert: alertViewOf(current) };
      });
    },
  };
}
