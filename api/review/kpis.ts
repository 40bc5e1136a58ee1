import { CASE_KPI_KEYS, type GRADES, gradeOf, KPI_DEFINITIONS, KPI_KEYS, type KpiKey } from '../vocabulary/review.ts';
import type { Kpi } from './contracts.ts';
import type { CaseSums, FieldSums } from './repository.ts';

type CaseFigures = Omit<CaseSums, 'key'>;
type FieldFigures = Omit<FieldSums, 'key'>;

export const NO_CASES: CaseFigures = {
  due: 0,
  deferred: 0,
  closed: 0,
  closedOnTime: 0,
  handled: 0,
  reworked: 0,
  acknowledged: 0,
  ackMinutes: 0,
  closedTimed: 0,
  closeMinutes: 0,
  onSpot: 0,
  residentSum: 0,
  residentCount: 0,
  departmentSum: 0,
  departmentCount: 0,
  workerSum: 0,
  workerCount: 0,
};

export const NO_FIELD: FieldFigures = {
  cellMonths: 0,
  walked: 0,
  visitsDue: 0,
  visitsOnTime: 0,
  surveySum: 0,
  surveyCount: 0,
};

/** Adds figures group by group: every figure is a count or a sum, so areas, months and groups add up. */
export function addFigures<Figures extends object>(a: Figures, b: Partial<Figures>): Figures {
  const sum = { ...a } as Record<string, number>;
  for (const [name, value] of Object.entries(b))
    if (name !== 'key' && typeof value === 'number') sum[name] = (sum[name] ?? 0) + value;
  return sum as Figures;
}

/** Indexes rows by their key, each with the figures of no data where a key has none. */
export function byKey<Row extends { key: string }>(rows: readonly Row[]): Map<string, Row> {
  return new Map(rows.map((row) => [row.key, row]));
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** [numerator, denominator, scale] of each KPI from the sums. */
function partsOf(key: KpiKey, cases: CaseFigures, field: FieldFigures): [number, number, number] {
  const notDeferred = cases.due - cases.deferred;
  switch (key) {
    case 'on_time_closure':
      return [cases.closedOnTime, notDeferred, 100];
    case 'closure':
      return [cases.closed, notDeferred, 100];
    case 'rework':
      return [cases.reworked, cases.handled, 100];
    case 'ack_minutes':
      return [cases.ackMinutes, cases.acknowledged, 1];
    case 'close_minutes':
      return [cases.closeMinutes, cases.closedTimed, 1];
    case 'on_spot':
      return [cases.onSpot, cases.due, 100];
    case 'resident_satisfaction':
      return [cases.residentSum, cases.residentCount, 20];
    case 'department_evaluation':
      return [cases.departmentSum, cases.departmentCount, 20];
    case 'worker_evaluation':
      return [cases.workerSum, cases.workerCount, 20];
    case 'patrol_coverage':
      return [field.walked, field.cellMonths, 100];
    case 'visit_on_time':
      return [field.visitsOnTime, field.visitsDue, 100];
    case 'worker_survey':
      return [field.surveySum, field.surveyCount, 20];
  }
}

/** One KPI from the sums: value on its scale (null without a denominator), grade for the graded ones. */
export function kpiOf(key: KpiKey, cases: CaseFigures, field: FieldFigures = NO_FIELD): Kpi {
  const definition = KPI_DEFINITIONS[key];
  const [numerator, denominator, scale] = partsOf(key, cases, field);
  const value = denominator > 0 ? round((numerator / denominator) * scale) : null;
  const gradedOn = value === null ? null : definition.lowerIsBetter ? 100 - value : value;
  return {
    key,
    label: definition.label,
    unit: definition.unit,
    value,
    numerator: round(numerator, 2),
    denominator,
    grade: definition.graded ? gradeOf(gradedOn) : null,
    formula: definition.formula,
  };
}

/** The overall score: the mean of the graded KPIs' scores that have data (rework as 100 − rework), and its grade. */
export function overallOf(kpis: readonly Kpi[]): { score: number | null; grade: (typeof GRADES)[number] | null } {
  const scores = kpis
    .filter((kpi) => kpi.grade !== null && kpi.value !== null)
    .map((kpi) => (KPI_DEFINITIONS[kpi.key].lowerIsBetter ? 100 - kpi.value! : kpi.value!));
  if (scores.length === 0) return { score: null, grade: null };
  const score = round(scores.reduce((sum, value) => sum + value, 0) / scores.length);
  return { score, grade: gradeOf(score) };
}

/** The KPIs (all, or the ones named) with the counts and the overall score: the body of every review row. */
export function assessed(cases: CaseFigures, field: FieldFigures = NO_FIELD, keys: readonly KpiKey[] = KPI_KEYS) {
  const kpis = keys.map((key) => kpiOf(key, cases, field));
  return {
    kpis,
    counts: { due: cases.due, deferred: cases.deferred, closed: cases.closed, closedOnTime: cases.closedOnTime },
    ...overallOf(kpis),
  };
}

/** The KPIs a department or provider is assessed on: those of its cases, without on-the-spot handling (theirs never is). */
export const DEPARTMENT_KPI_KEYS: readonly KpiKey[] = CASE_KPI_KEYS.filter((key) => key !== 'on_spot');
