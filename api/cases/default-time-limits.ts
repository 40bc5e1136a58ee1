import { REPORT_TYPE_CODES, type ReportType } from '../reports/report-types.ts';
import type { LimitUnit } from './working-time.ts';

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
export interface TimeLimitKey {
  type: ReportType | '*';
  urgency: string;
  stage: ClockStage;
}

export interface TimeLimit extends TimeLimitKey {
  amount: number;
  unit: LimitUnit;
}

export const ANY_TYPE = '*';

/** The urgency-column keys a stage's rows use. */
export function urgencyKeysOf(stage: ClockStage): readonly string[] {
  return stage === 'check' ? ['urban', 'rural'] : ['normal', 'urgent'];
}

const GEOHAZARD_OR_EMERGENCY: ReadonlySet<ReportType> = new Set(['landslide', 'rockfall', 'ground_crack', 'flood', 'fire']);

/**
 * The handling limit of a type and urgency. Geohazards, floods and fires are emergencies: an
 * urgent one is handled within half a working day (4 working hours), a normal one within 2
 * working days. A dispute needs people brought together: 5 working days whatever its urgency.
 * Everything else: 3 working days, 1 when urgent.
 */
function handleLimit(type: ReportType, urgency: 'normal' | 'urgent'): Pick<TimeLimit, 'amount' | 'unit'> {
  if (GEOHAZARD_OR_EMERGENCY.has(type))
    return urgency === 'urgent' ? { amount: 4, unit: 'work_hours' } : { amount: 2, unit: 'work_days' };
  if (type === 'dispute') return { amount: 5, unit: 'work_days' };
  return urgency === 'urgent' ? { amount: 1, unit: 'work_days' } : { amount: 3, unit: 'work_days' };
}

/**
 * The limits DESIGN.md gives, used when `time_limits` has no row for a case and seeded into the
 * table on first start (admins then edit them):
 * - file (verify, file and dispatch): 10 minutes urgent, 30 minutes normal, wall clock (the duty
 *   room is staffed day and night);
 * - acknowledge: 1 working hour after dispatch;
 * - handle: per type and urgency, see `handleLimit`;
 * - check (on-site check after feedback): 1 working hour urban, 2 rural.
 */
export const DEFAULT_TIME_LIMITS: readonly TimeLimit[] = [
  { type: ANY_TYPE, urgency: 'urgent', stage: 'file', amount: 10, unit: 'minutes' },
  { type: ANY_TYPE, urgency: 'normal', stage: 'file', amount: 30, unit: 'minutes' },
  { type: ANY_TYPE, urgency: 'urgent', stage: 'acknowledge', amount: 1, unit: 'work_hours' },
  { type: ANY_TYPE, urgency: 'normal', stage: 'acknowledge', amount: 1, unit: 'work_hours' },
  ...REPORT_TYPE_CODES.flatMap((type) =>
    (['urgent', 'normal'] as const).map(
      (urgency): TimeLimit => ({ type, urgency, stage: 'handle', ...handleLimit(type, urgency) }),
    ),
  ),
  { type: ANY_TYPE, urgency: 'urban', stage: 'check', amount: 1, unit: 'work_hours' },
  { type: ANY_TYPE, urgency: 'rural', stage: 'check', amount: 2, unit: 'work_hours' },
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
 * limit for a type not in the list (older data) falls back to 3 working days.
 */
export function defaultTimeLimit(type: string, urgencyKey: string, stage: ClockStage): Pick<TimeLimit, 'amount' | 'unit'> {
  const own = DEFAULT_TIME_LIMITS.find((row) => row.type === type && row.urgency === urgencyKey && row.stage === stage);
  const any = DEFAULT_TIME_LIMITS.find((row) => row.type === ANY_TYPE && row.urgency === urgencyKey && row.stage === stage);
  const found = own ?? any;
  if (found) return { amount: found.amount, unit: found.unit };
  return stage === 'handle' ? { amount: urgencyKey === 'urgent' ? 1 : 3, unit: 'work_days' } : { amount: 1, unit: 'work_hours' };
}
