import { isReportType, REPORT_TYPE_CODES, REPORT_TYPES, type ReportType } from '../vocabulary/report-types.ts';
import type { ClockKind, Limit, LimitUnit } from './working-time.ts';

/** The steps of a case whose time is counted: verify and file (and dispatch), acknowledge, handle, check. */
export type ClockStage = 'file' | 'acknowledge' | 'handle' | 'check';
export const CLOCK_STAGES: readonly ClockStage[] = ['file', 'acknowledge', 'handle', 'check'];

export function isClockStage(value: string): value is ClockStage {
  return (CLOCK_STAGES as readonly string[]).includes(value);
}

/**
 * How a row of `time_limits` is keyed. `type` is a report type or `*` (every type without a
 * row of its own). `urgency` is `normal` | `urgent` for the file, acknowledge and handle
 * stages; the on-site check depends on where the case is rather than on its urgency, so its
 * rows use the key `urban` | `rural` in the urgency column (urban = a township whose area is
 * marked urban, the county seat's streets).
 */
interface TimeLimitKey {
  type: ReportType | '*';
  urgency: string;
  stage: ClockStage;
}

export interface TimeLimit extends TimeLimitKey, Limit {}

export const ANY_TYPE = '*';

/** The urgency-column keys a stage's rows use. */
export function urgencyKeysOf(stage: ClockStage): readonly string[] {
  return stage === 'check' ? ['urban', 'rural'] : ['normal', 'urgent'];
}

function isGeohazard(type: string): boolean {
  return isReportType(type) && REPORT_TYPES[type].geohazard;
}

/**
 * The clock a limit runs on unless an administrator chose otherwise: natural time for urgent
 * reports and for geohazards (landslide, rockfall, ground crack, flood: `geohazard` in
 * report-types.ts) at every stage, since neither waits for office hours; working time for the
 * rest. The `*` rows of the check stage (keyed urban/rural, not by urgency) run on working time.
 * Migration 0008 backfilled the rows that existed before the clock was stored by this same rule.
 */
export function defaultClockOf(type: string, urgencyKey: string): ClockKind {
  return urgencyKey === 'urgent' || isGeohazard(type) ? 'natural' : 'working';
}

function limit(
  type: ReportType | typeof ANY_TYPE,
  urgency: string,
  stage: ClockStage,
  amount: number,
  unit: LimitUnit,
): TimeLimit {
  return { type, urgency, stage, amount, unit, clock: defaultClockOf(type, urgency) };
}

const GEOHAZARD_TYPES: readonly ReportType[] = REPORT_TYPE_CODES.filter(isGeohazard);
const EMERGENCY_TYPES: ReadonlySet<ReportType> = new Set([...GEOHAZARD_TYPES, 'fire']);

/**
 * The handling limit of a type and urgency. Geohazards, floods and fires are emergencies: an
 * urgent one is handled within 4 hours, a normal one within 2 days. A dispute needs people
 * brought together: 5 days whatever its urgency. Everything else: 3 days, 1 when urgent.
 * Whether those are natural or working hours and days is `defaultClockOf`'s rule.
 */
function handleLimit(type: ReportType, urgency: 'normal' | 'urgent'): TimeLimit {
  if (EMERGENCY_TYPES.has(type))
    return urgency === 'urgent' ? limit(type, urgency, 'handle', 4, 'hours') : limit(type, urgency, 'handle', 2, 'days');
  if (type === 'dispute') return limit(type, urgency, 'handle', 5, 'days');
  return urgency === 'urgent' ? limit(type, urgency, 'handle', 1, 'days') : limit(type, urgency, 'handle', 3, 'days');
}

/**
 * The limits DESIGN.md gives, used when `time_limits` has no row for a case and seeded into the
 * table at start (rows already there, edited or not, are left alone):
 * - file (verify, file and dispatch): 10 minutes urgent, 30 minutes normal;
 * - acknowledge: 1 hour after dispatch;
 * - handle: per type and urgency, see `handleLimit`;
 * - check (on-site check after feedback): 1 hour urban, 2 rural.
 * Each on the clock of `defaultClockOf`. The `*` rows of file, acknowledge and check run on
 * working time for routine reports, so each geohazard type has rows of its own there, on
 * natural time (a normal landslide report at night is filed within 30 minutes, not the next
 * morning), and the rules page shows them.
 */
export const DEFAULT_TIME_LIMITS: readonly TimeLimit[] = [
  limit(ANY_TYPE, 'urgent', 'file', 10, 'minutes'),
  limit(ANY_TYPE, 'normal', 'file', 30, 'minutes'),
  ...GEOHAZARD_TYPES.map((type) => limit(type, 'normal', 'file', 30, 'minutes')),
  limit(ANY_TYPE, 'urgent', 'acknowledge', 1, 'hours'),
  limit(ANY_TYPE, 'normal', 'acknowledge', 1, 'hours'),
  ...GEOHAZARD_TYPES.map((type) => limit(type, 'normal', 'acknowledge', 1, 'hours')),
  ...REPORT_TYPE_CODES.flatMap((type) => (['urgent', 'normal'] as const).map((urgency) => handleLimit(type, urgency))),
  limit(ANY_TYPE, 'urban', 'check', 1, 'hours'),
  limit(ANY_TYPE, 'rural', 'check', 2, 'hours'),
  ...GEOHAZARD_TYPES.flatMap((type) => [limit(type, 'urban', 'check', 1, 'hours'), limit(type, 'rural', 'check', 2, 'hours')]),
];

/**
 * The urgency-column key a case looks up for a stage: its urgency, or for the check where it
 * is (urban or rural).
 */
export function urgencyKeyFor(stage: ClockStage, urgency: string, urban: boolean): string {
  if (stage === 'check') return urban ? 'urban' : 'rural';
  return urgency;
}

/**
 * The code default for a case: the row for its own type first, then the `*` row. A handling
 * limit for a type not in the list (older data) falls back to 3 days, 1 when urgent.
 */
export function defaultTimeLimit(type: string, urgencyKey: string, stage: ClockStage): Limit {
  const own = DEFAULT_TIME_LIMITS.find((row) => row.type === type && row.urgency === urgencyKey && row.stage === stage);
  const any = DEFAULT_TIME_LIMITS.find((row) => row.type === ANY_TYPE && row.urgency === urgencyKey && row.stage === stage);
  const found = own ?? any;
  if (found) return { amount: found.amount, unit: found.unit, clock: found.clock };
  const clock = defaultClockOf(type, urgencyKey);
  return stage === 'handle'
    ? { amount: urgencyKey === 'urgent' ? 1 : 3, unit: 'days', clock }
    : { amount: 1, unit: 'hours', clock };
}
