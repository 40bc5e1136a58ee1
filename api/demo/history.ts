import type { Polygon } from 'geojson';
import { defaultControlZone } from '../../geo/control-zone.ts';
import { createRandomStream, type RandomStream } from '../../geo/seeded-random.ts';
import { type ClockStage, defaultTimeLimit, urgencyKeyFor } from '../cases/default-time-limits.ts';
import { addLimit, type ClockKind } from '../cases/working-time.ts';
import { caseNumberDay, formatCaseNumber } from '../reports/service.ts';
import type { CaseState } from '../vocabulary/case-states.ts';
import type { Urgency } from '../vocabulary/report-types.ts';
import { REPORT_TYPES, type ReportType } from '../vocabulary/report-types.ts';
import { descriptionOf } from './descriptions.ts';
import { mergeDuplicates } from './history-duplicates.ts';

/** A place reports can come from: a household's door, with the people who answer for its cell. */
export interface DemoPlace {
  lng: number;
  lat: number;
  cellCode: string;
  urban: boolean;
  informant: string | null;
  gridWorker: string | null;
  commander: string | null;
}

export interface DemoStep {
  at: Date;
  actorName: string;
  actorRole: string;
  action: string;
  fromState: CaseState | null;
  toState: CaseState;
  note: string;
  details: Record<string, unknown> | null;
}

export interface DemoCase {
  id: string;
  caseNumber: string;
  type: ReportType;
  urgency: Urgency;
  description: string;
  place: DemoPlace;
  reporterName: string;
  reporterRole: string;
  accuracyM: number;
  state: CaseState;
  assignedTownshipCode: string | null;
  assignedDepartmentCode: string | null;
  coDepartmentCodes: string[];
  clock: { stage: ClockStage; startedAt: Date; dueAt: Date; amount: number; unit: string; clockKind: ClockKind } | null;
  takenAt: Date | null;
  takenBy: string | null;
  satisfaction: number | null;
  controlZone: Polygon;
  reportedAt: Date;
  filedAt: Date | null;
  dispatchedAt: Date | null;
  closedAt: Date | null;
  closedOnTime: boolean | null;
  /** A duplicate's case it was merged into. */
  mergedInto: string | null;
  steps: DemoStep[];
}

/** Which department leads a type of case; null when the township handles it with its grids. */
const LEAD_DEPARTMENT: Record<ReportType, string | null> = {
  landslide: 'D02',
  rockfall: 'D02',
  ground_crack: 'D02',
  flood: 'D05',
  fire: 'D01',
  road_damage: 'D17',
  production_safety: 'D01',
  epidemic: 'D04',
  dispute: null,
  other: null,
};

/** Geohazards and floods come with the rain (June to September); towns report traffic, safety and disputes. */
function typeWeights(urban: boolean, rainy: boolean): [ReportType, number][] {
  const geo = rainy ? 3 : 1;
  return urban
    ? [
        ['road_damage', 5],
        ['production_safety', 4],
        ['dispute', 5],
        ['fire', 1.5],
        ['flood', 0.8 * geo],
        ['epidemic', 0.6],
        ['landslide', 0.4 * geo],
        ['rockfall', 0.3 * geo],
        ['ground_crack', 0.2 * geo],
        ['other', 3],
      ]
    : [
        ['landslide', 2.2 * geo],
        ['rockfall', 2 * geo],
        ['ground_crack', 1.2 * geo],
        ['flood', 1.2 * geo],
        ['road_damage', 3],
        ['dispute', 3],
        ['fire', 1.2],
        ['production_safety', 1],
        ['epidemic', 0.4],
        ['other', 1.5],
      ];
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A duration in ms drawn log-normally around `median` (spread is the factor of one standard deviation). */
function around(random: RandomStream, median: number, spread: number): number {
  return median * spread ** random.normal();
}

function uuidOf(random: RandomStream): string {
  const hex = Array.from({ length: 32 }, () => random.integer(0, 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function stageDeadline(type: ReportType, urgency: Urgency, urban: boolean, stage: ClockStage, start: Date) {
  const limit = defaultTimeLimit(type, urgencyKeyFor(stage, urgency, urban), stage);
  return {
    stage,
    startedAt: start,
    dueAt: addLimit(start, limit),
    amount: limit.amount,
    unit: limit.unit,
    clockKind: limit.clock,
  };
}

/**
 * The embedded demo's past: `count` cases over the `days` before `now`, spread over the county's
 * households, more of them and closed faster in the urban core (the source study's finding),
 * geohazards in the rainy season. Each case's timeline is planned to its end and cut at `now`,
 * so recent cases are still open in whatever step they have reached; a few are duplicates of a case
 * just reported nearby, merged into it. Deterministic per seed.
 */
export function planDemoHistory(
  places: readonly DemoPlace[],
  options: { seed: number; now: Date; days: number; count: number },
): DemoCase[] {
  if (places.length === 0) return [];
  const random = createRandomStream(options.seed, 'demo-history');
  const weights = places.map((place) => (place.urban ? 2.2 : 1));
  const start = options.now.getTime() - options.days * 24 * HOUR;
  // Report times: uniform over the period, denser by day than by night.
  const times: number[] = [];
  while (times.length < options.count) {
    const at = start + random.next() * (options.now.getTime() - start - 10 * MINUTE);
    const local = new Date(at + 8 * HOUR);
    const hour = local.getUTCHours();
    const month = local.getUTCMonth() + 1;
    // The rainy season (June to September) brings half as many reports again.
    const season = month >= 6 && month <= 9 ? 1 : 0.65;
    if (random.next() < (hour >= 7 && hour < 21 ? season : 0.25 * season)) times.push(at);
  }
  times.sort((a, b) => a - b);
  const perDay = new Map<string, number>();

  const cases = times.map((time): DemoCase => {
    const place = places[random.weightedIndex(weights)]!;
    const reportedAt = new Date(time);
    const month = new Date(time + 8 * HOUR).getUTCMonth() + 1;
    const rainy = month >= 6 && month <= 9;
    const typeTable = typeWeights(place.urban, rainy);
    const type = typeTable[random.weightedIndex(typeTable.map(([, weight]) => weight))]![0];
    const urgency: Urgency = random.next() < (REPORT_TYPES[type].geohazard ? 0.35 : 0.1) ? 'urgent' : 'normal';
    const day = caseNumberDay(reportedAt);
    const sequence = (perDay.get(day) ?? 0) + 1;
    perDay.set(day, sequence);
    const byGridWorker = random.next() < 0.3 && place.gridWorker;
    const reporterName = (byGridWorker ? place.gridWorker : place.informant) ?? '信息员';
    const reporterRole = byGridWorker ? 'grid_worker' : 'cell_informant';
    const commander = place.commander ?? '乡镇指挥长';
    const township = place.cellCode.slice(0, 9);
    const lead = LEAD_DEPARTMENT[type];
    const co = type === 'landslide' || type === 'flood' ? ['D01'] : [];
    // Urban cases move faster at every step.
    const pace = place.urban ? 1 : 2.4;

    const plan: DemoStep[] = [];
    const step = (
      at: number,
      actorName: string,
      actorRole: string,
      action: string,
      from: CaseState | null,
      to: CaseState,
      note = '',
      details: Record<string, unknown> | null = null,
    ) => plan.push({ at: new Date(at), actorName, actorRole, action, fromState: from, toState: to, note, details });

    step(time, reporterName, reporterRole, 'report', null, 'reported');
    let at = time;
    const outcome = random.next();
    let closedOnTime: boolean | null = null;
    let satisfaction: number | null = null;
    const onSpot = !REPORT_TYPES[type].geohazard && urgency === 'normal' && outcome < 0.12 && byGridWorker;
    if (onSpot) {
      at += around(random, 40 * MINUTE * pace, 1.6);
      step(at, reporterName, reporterRole, 'on_spot', 'reported', 'handled', '已现场劝导处置完毕', { handledOnTime: true });
    } else {
      at += around(random, (urgency === 'urgent' ? 6 : 15) * MINUTE * pace, 1.5);
      if (outcome > 0.96) {
        step(at, '县值班室', 'duty_officer', 'reject', 'reported', 'rejected', '经核实不属于受理范围');
      } else {
        step(at, '县值班室', 'duty_officer', 'file', 'reported', 'filed', '经核实，予以立案');
        at += around(random, 4 * MINUTE, 1.5);
        step(at, '县值班室', 'duty_officer', 'dispatch', 'filed', 'dispatched', '', {
          townshipCode: township,
          departmentCode: lead,
          coDepartmentCodes: lead ? co : [],
        });
        at += around(random, 25 * MINUTE * pace, 1.8);
        const handler = lead ? '部门承办人' : commander;
        const handleClock = stageDeadline(type, urgency, place.urban, 'handle', new Date(at));
        // As the case service writes it: the handling deadline the acknowledgement starts (the review's due day).
        step(at, handler, lead ? 'department_cadre' : 'township_commander', 'acknowledge', 'dispatched', 'acknowledged', '', {
          dueAt: handleClock.dueAt.toISOString(),
          limit: { amount: handleClock.amount, unit: handleClock.unit, clock: handleClock.clockKind },
        });
        let handleDue = handleClock.dueAt.getTime();
        if (outcome > 0.93) {
          at += around(random, 5 * HOUR, 2);
          step(at, handler, 'department_cadre', 'request_cancel', 'acknowledged', 'acknowledged', '重复上报，申请作废');
          at += around(random, 40 * MINUTE, 1.5);
          step(at, '县值班室', 'duty_officer', 'approve', 'acknowledged', 'cancelled', '同意作废');
        } else {
          // Some cases wait for parts, weather or another party: an extension (延期) asked and approved.
          if (random.next() < (place.urban ? 0.05 : 0.1)) {
            at += around(random, 0.4 * (handleDue - at), 1.3);
            const extension = { amount: handleClock.amount, unit: handleClock.unit, clock: handleClock.clockKind };
            const request = {
              kind: 'extension',
              reason: '需协调相关部门，申请延期',
              amount: extension.amount,
              unit: extension.unit,
            };
            step(at, handler, 'department_cadre', 'request_extension', 'acknowledged', 'acknowledged', request.reason, {
              request,
            });
            at += around(random, 50 * MINUTE, 1.5);
            const previousDueAt = new Date(handleDue).toISOString();
            handleDue += handleClock.dueAt.getTime() - handleClock.startedAt.getTime();
            step(at, commander, 'township_commander', 'approve', 'acknowledged', 'acknowledged', '同意延期', {
              request,
              previousDueAt,
              dueAt: new Date(handleDue).toISOString(),
              extension,
            });
          }
          const limitMs = Math.max(0, handleDue - at);
          // Most cases close inside their limit; rural ones run late more often.
          const share =
            random.next() < (place.urban ? 0.9 : 0.72)
              ? place.urban
                ? 0.1 + random.next() * 0.5
                : 0.35 + random.next() * 0.6
              : 1.05 + random.next() * 0.8;
          at += Math.max(20 * MINUTE, limitMs * share);
          const handledOnTime = at <= handleDue;
          step(
            at,
            handler,
            lead ? 'department_cadre' : 'township_commander',
            'feedback',
            'acknowledged',
            'handled',
            '已处置完毕，现场已恢复',
            {
              handledOnTime,
            },
          );
          closedOnTime = handledOnTime;
        }
      }
    }
    const last = plan[plan.length - 1]!;
    if (last.toState === 'handled') {
      at += around(random, 70 * MINUTE * pace, 1.6);
      if (random.next() < (place.urban ? 0.04 : 0.09)) {
        step(at, '县值班室', 'duty_officer', 'check', 'handled', 'acknowledged', '现场核查未整改到位，退回重办', {
          passed: false,
          rework: true,
        });
        at += around(random, 6 * HOUR * pace, 1.6);
        step(at, commander, 'township_commander', 'feedback', 'acknowledged', 'handled', '已重新处置', { handledOnTime: false });
        closedOnTime = false;
        at += around(random, 60 * MINUTE * pace, 1.5);
      }
      step(at, '县值班室', 'duty_officer', 'check', 'handled', 'closed', '核查通过，予以结案', {
        passed: true,
        closedOnTime: closedOnTime ?? true,
      });
      if (random.next() < 0.75) {
        at += around(random, 30 * HOUR, 1.6);
        satisfaction = place.urban
          ? random.weightedIndex([0.2, 0.3, 1, 4, 6]) + 1
          : random.weightedIndex([0.5, 0.8, 2, 4, 3.5]) + 1;
        step(at, '县值班室', 'duty_officer', 'evaluate', 'closed', 'evaluated', '电话回访', {
          satisfaction,
          source: 'return_call',
        });
      }
    }

    // Cut the planned timeline at `now`: what has not happened yet has not happened.
    const steps = plan.filter((s) => s.at.getTime() <= options.now.getTime());
    const current = steps[steps.length - 1]!;
    const state = current.toState;
    const stepAt = (action: string) => steps.find((s) => s.action === action)?.at ?? null;
    const dispatch = steps.find((s) => s.action === 'dispatch');
    const closing = steps.find((s) => s.toState === 'closed');
    const clockStage: ClockStage | null =
      state === 'reported' || state === 'filed'
        ? 'file'
        : state === 'dispatched'
          ? 'acknowledge'
          : state === 'acknowledged'
            ? 'handle'
            : state === 'handled'
              ? 'check'
              : null;
    const clockStart = clockStage === 'file' ? reportedAt : current.at;
    const taken = steps.find((s) => s.action !== 'report');

    return {
      id: uuidOf(random),
      caseNumber: formatCaseNumber(day, sequence),
      type,
      urgency,
      description: descriptionOf(type, random),
      place,
      reporterName,
      reporterRole,
      accuracyM: Math.round(4 + random.next() * 26),
      state,
      assignedTownshipCode: dispatch ? township : onSpot && steps.length > 1 ? township : null,
      assignedDepartmentCode: dispatch ? lead : null,
      coDepartmentCodes: dispatch && lead ? co : [],
      clock: clockStage ? stageDeadline(type, urgency, place.urban, clockStage, clockStart) : null,
      takenAt: taken?.at ?? null,
      takenBy: taken?.actorName ?? null,
      satisfaction: state === 'evaluated' ? satisfaction : null,
      controlZone: defaultControlZone([place.lng, place.lat], REPORT_TYPES[type].controlRadiusM, 24),
      reportedAt,
      filedAt: stepAt('file'),
      dispatchedAt: stepAt('dispatch'),
      closedAt: closing?.at ?? null,
      closedOnTime: closing ? (closedOnTime ?? true) : null,
      mergedInto: null,
      steps,
    };
  });
  return mergeDuplicates(cases, random, options.now);
}
