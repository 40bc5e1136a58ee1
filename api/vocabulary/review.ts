import type { Label } from './label.ts';

/**
 * The review's KPIs (考评, DESIGN.md item 6, issue 18), in the order the review shows them, each
 * with its unit and its formula as the page prints it beside the figure. The rules behind the
 * formulas, where DESIGN.md is silent, are decided here once and repeated in the formula text:
 *
 * - A case counts in the month it fell due (Asia/Shanghai): its handling deadline as first set when
 *   the handler acknowledged it; a case handled on the spot falls due when it was handled; a case
 *   never acknowledged falls due at the deadline of the step it waits on. A case reported in March
 *   and due in April is April's, wherever it was closed. An open case whose deadline has not yet
 *   passed is not due yet.
 * - Deferred (缓办): an approved extension or park. Deferred cases are counted (the `deferred`
 *   figure) and left out of both sides of the closure rates: "due − deferred".
 * - Cancelled (作废, approved), merged (a duplicate folded into the case it joined, which counts
 *   once) and rejected (不予立案, never a case) count nowhere; nor a report not yet filed.
 * - Closed means closed (or closed and evaluated) by the time of the review, late or not; closed on
 *   time is the flag set at closing (handled within its deadline, rework included).
 * - Rework: a case sent back at the check at least once, among the cases handled.
 * - The three parties' scores (1-5) are shown ×20, on 0-100; the department's view and the grid
 *   worker's rating are those about the lead department (co-handlers' are not counted).
 * - Patrol coverage: cell-months walked (a cell walked at least once in a month) over cells ×
 *   months of the period.
 * - Visit on time: of the follow-ups that fell due in the period (one interval after the entry's
 *   start or after each visit that reached the person), those met by a visit on or before the due
 *   day; a due day not yet passed and not met is not counted. Each due day is the one the register
 *   showed at the time (nextDueOn): the interval of the rule version and the risk level or grade in
 *   force on the day it is counted from, brought forward when a change before it (a higher risk, a
 *   new rule, a new programme year) owes a visit sooner; nothing is due before the entry was
 *   registered or after it left the register.
 */
export const KPI_KEYS = [
  'on_time_closure',
  'closure',
  'rework',
  'ack_minutes',
  'close_minutes',
  'on_spot',
  'resident_satisfaction',
  'department_evaluation',
  'worker_evaluation',
  'patrol_coverage',
  'visit_on_time',
  'worker_survey',
] as const;
export type KpiKey = (typeof KPI_KEYS)[number];

/** percent: 0-100; minutes: a mean duration; score: a 1-5 mean shown ×20 on 0-100. */
type KpiUnit = 'percent' | 'minutes' | 'score';

export interface KpiDefinition {
  label: Label;
  unit: KpiUnit;
  /** Graded A-E and counted in the overall score; lower is better for rework (graded on 100 − value). */
  graded: boolean;
  lowerIsBetter?: boolean;
  formula: Label;
}

export const KPI_DEFINITIONS: Readonly<Record<KpiKey, KpiDefinition>> = {
  on_time_closure: {
    label: { zh: '按期结案率', en: 'On-time closure rate' },
    unit: 'percent',
    graded: true,
    formula: {
      zh: '按期结案率 = 按期结案数 ÷（应结案数 − 缓办数）× 100%。按到期月份计入；缓办为已批准的延期或挂账；作废、合并、不予立案的案件不计',
      en: 'On-time closure = closed on time ÷ (due − deferred) × 100%. Counted in the month due; deferred = approved extension or park; cancelled, merged and rejected cases do not count',
    },
  },
  closure: {
    label: { zh: '结案率', en: 'Closure rate' },
    unit: 'percent',
    graded: true,
    formula: {
      zh: '结案率 = 结案数 ÷（应结案数 − 缓办数）× 100%。结案数含逾期结案；按到期月份计入',
      en: 'Closure = closed (late included) ÷ (due − deferred) × 100%, counted in the month due',
    },
  },
  rework: {
    label: { zh: '返工率', en: 'Rework rate' },
    unit: 'percent',
    graded: true,
    lowerIsBetter: true,
    formula: {
      zh: '返工率 = 核查不通过被退回处置的案件数 ÷ 已处置案件数 × 100%（评级按 100 − 返工率）',
      en: 'Rework = cases sent back at the check ÷ cases handled × 100% (graded on 100 − rework)',
    },
  },
  ack_minutes: {
    label: { zh: '平均响应时长', en: 'Mean time to acknowledge' },
    unit: 'minutes',
    graded: false,
    formula: {
      zh: '平均响应时长 = Σ（首次签收时间 − 首次派遣时间）÷ 已签收案件数，单位分钟',
      en: 'Mean time to acknowledge = Σ (first acknowledgement − first dispatch) ÷ cases acknowledged, in minutes',
    },
  },
  close_minutes: {
    label: { zh: '平均结案时长', en: 'Mean time to close' },
    unit: 'minutes',
    graded: false,
    formula: {
      zh: '平均结案时长 = Σ（结案时间 − 上报时间）÷ 结案数，单位分钟',
      en: 'Mean time to close = Σ (closed − reported) ÷ cases closed, in minutes',
    },
  },
  on_spot: {
    label: { zh: '自行处置率', en: 'Handled on the spot' },
    unit: 'percent',
    graded: false,
    formula: {
      zh: '自行处置率 = 现场自行处置的案件数 ÷ 应结案数 × 100%',
      en: 'Handled on the spot = cases handled on the spot ÷ cases due × 100%',
    },
  },
  resident_satisfaction: {
    label: { zh: '群众满意度', en: 'Residents’ satisfaction' },
    unit: 'score',
    graded: true,
    formula: {
      zh: '群众满意度 = 居民评价（上报人评价或回访）平均分 × 20，满分 100',
      en: 'Residents’ satisfaction = mean resident score (reporter or return call) × 20, out of 100',
    },
  },
  department_evaluation: {
    label: { zh: '部门评价', en: 'Department’s view' },
    unit: 'score',
    graded: false,
    formula: {
      zh: '部门评价 = 主办部门对案件评价的平均分 × 20',
      en: 'Department’s view = mean score the lead department gave × 20',
    },
  },
  worker_evaluation: {
    label: { zh: '网格员评价', en: 'Grid workers’ rating' },
    unit: 'score',
    graded: true,
    formula: {
      zh: '网格员评价 = 网格员对主办部门评价的平均分 × 20',
      en: 'Grid workers’ rating = mean score grid workers gave the lead department × 20',
    },
  },
  patrol_coverage: {
    label: { zh: '巡查覆盖率', en: 'Patrol coverage' },
    unit: 'percent',
    graded: true,
    formula: {
      zh: '巡查覆盖率 = 当月巡查到的单元格月数 ÷（单元格数 × 月数）× 100%',
      en: 'Patrol coverage = cell-months walked ÷ (cells × months) × 100%',
    },
  },
  visit_on_time: {
    label: { zh: '走访及时率', en: 'Visits on time' },
    unit: 'percent',
    graded: true,
    formula: {
      zh: '走访及时率 = 按期完成的走访数 ÷ 期内到期的走访数 × 100%（到期日按当时有效的随访规则和当时的风险等级或管理等级计算）',
      en: 'Visits on time = follow-ups met by their due day ÷ follow-ups due in the period × 100% (due days by the follow-up rule and the risk level or grade in force at the time)',
    },
  },
  worker_survey: {
    label: { zh: '网格员满意度调查', en: 'Residents’ survey of grid workers' },
    unit: 'score',
    graded: true,
    formula: {
      zh: '网格员满意度 = 居民对网格员满意度调查的平均分 × 20（按受访户所在单元格计入）',
      en: 'Survey of grid workers = mean residents’ survey score × 20 (counted where the respondent lives)',
    },
  },
};

/** The KPIs drawn from cases: the ones with cases behind them (a department is assessed on these). */
export const CASE_KPI_KEYS: readonly KpiKey[] = [
  'on_time_closure',
  'closure',
  'rework',
  'ack_minutes',
  'close_minutes',
  'on_spot',
  'resident_satisfaction',
  'department_evaluation',
  'worker_evaluation',
];

export const GRADES = ['A', 'B', 'C', 'D', 'E'] as const;
export type Grade = (typeof GRADES)[number];

/** Grades A ≥ 90, B ≥ 75, C ≥ 60, D ≥ 40, E below (DESIGN.md item 6); null for no figure. */
export function gradeOf(score: number | null): Grade | null {
  if (score === null || Number.isNaN(score)) return null;
  if (score >= 90) return 'A';
  if (score >= 75) return 'B';
  if (score >= 60) return 'C';
  if (score >= 40) return 'D';
  return 'E';
}

export const GRADE_LABELS: Readonly<Record<Grade, Label>> = {
  A: { zh: '优秀', en: 'Excellent' },
  B: { zh: '良好', en: 'Good' },
  C: { zh: '合格', en: 'Adequate' },
  D: { zh: '较差', en: 'Poor' },
  E: { zh: '差', en: 'Failing' },
};

/** How the overall score is made, printed beside it. */
export const OVERALL_FORMULA: Label = {
  zh: '综合得分 = 各评级指标得分的平均（返工率按 100 − 返工率计），无数据的指标不计',
  en: 'Overall = mean of the graded KPIs’ scores (rework as 100 − rework); KPIs without data are left out',
};
