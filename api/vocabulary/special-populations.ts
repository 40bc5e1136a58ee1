import * as z from 'zod/mini';
import type { Label } from './label.ts';

/**
 * The registers of special populations (重点人群), in the order DESIGN.md names them; the codes are
 * the CHECK of migrations/0016. A rental house (出租房屋, 以房管人) is an entry too: a house, not a person.
 */
export const SPECIAL_CATEGORIES = {
  severe_mental_illness: { zh: '严重精神障碍患者', en: 'Severe mental illness' },
  drug_rehabilitation: { zh: '社区戒毒康复人员', en: 'Community drug rehabilitation' },
  released_prisoner: { zh: '刑满释放人员', en: 'Released prisoners' },
  community_correction: { zh: '社区矫正对象', en: 'Community correction' },
  rental_house: { zh: '出租房屋', en: 'Rental houses' },
} as const satisfies Record<string, Label>;
export type SpecialCategory = keyof typeof SPECIAL_CATEGORIES;
export const SPECIAL_CATEGORY_CODES = Object.keys(SPECIAL_CATEGORIES) as [SpecialCategory, ...SpecialCategory[]];

/** Community correction's supervision grades (管控级别), strictest first; the column's CHECK. */
export const SUPERVISION_GRADES = {
  strict: { zh: '严管', en: 'Strict' },
  normal: { zh: '普管', en: 'Normal' },
  lenient: { zh: '宽管', en: 'Lenient' },
} as const satisfies Record<string, Label>;
export type SupervisionGrade = keyof typeof SUPERVISION_GRADES;
export const SUPERVISION_GRADE_CODES = Object.keys(SUPERVISION_GRADES) as [SupervisionGrade, ...SupervisionGrade[]];

/** The risk levels of a severe mental illness assessment (危险性评估), 0 to 5. */
export const RISK_LEVEL_MIN = 0;
export const RISK_LEVEL_MAX = 5;

/** How a visit was made; the CHECK of `special_visits.mode`. */
export const VISIT_MODES = {
  home: { zh: '入户走访', en: 'Home visit' },
  phone: { zh: '电话随访', en: 'Phone call' },
  video: { zh: '视频随访', en: 'Video call' },
  elsewhere: { zh: '其他地点见面', en: 'Met elsewhere' },
} as const satisfies Record<string, Label>;
export type VisitMode = keyof typeof VISIT_MODES;
export const VISIT_MODE_CODES = Object.keys(VISIT_MODES) as [VisitMode, ...VisitMode[]];

/**
 * What a visit found. `counts` says whether it is a follow-up the rules ask for: only a visit that
 * reached the person (seen, stable or with a concern) resets the due day; a closed door, a refusal
 * or a move is logged (and shown) but the follow-up is still owed (a move is for the register's
 * keeper to close the entry).
 */
export const VISIT_OUTCOMES = {
  seen_stable: { zh: '见到本人，情况稳定', en: 'Seen, stable', counts: true },
  seen_concern: { zh: '见到本人，有异常', en: 'Seen, with a concern', counts: true },
  not_home: { zh: '未见到本人', en: 'Not at home', counts: false },
  refused: { zh: '拒绝配合', en: 'Refused', counts: false },
  moved: { zh: '已搬离', en: 'Moved away', counts: false },
} as const satisfies Record<string, Label & { counts: boolean }>;
export type VisitOutcome = keyof typeof VISIT_OUTCOMES;
export const VISIT_OUTCOME_CODES = Object.keys(VISIT_OUTCOMES) as [VisitOutcome, ...VisitOutcome[]];
/** The outcomes that count as the follow-up a rule asks for (see VISIT_OUTCOMES). */
export const COUNTING_OUTCOMES = VISIT_OUTCOME_CODES.filter((code) => VISIT_OUTCOMES[code].counts);

/** Days before the due day from which a follow-up is due soon (today and the 7 days after). */
export const DUE_SOON_DAYS = 7;

/**
 * Where an entry stands against its due day on a given day: overdue once the due day has passed,
 * due soon from `DUE_SOON_DAYS` before it to the day itself, ok before that, and `none` when
 * nothing is due (closed, or past the programme or assistance years).
 */
export const DUE_STATUSES = {
  overdue: { zh: '已逾期', en: 'Overdue' },
  due_soon: { zh: '7日内到期', en: 'Due within 7 days' },
  ok: { zh: '正常', en: 'On track' },
  none: { zh: '无需走访', en: 'Nothing due' },
} as const satisfies Record<string, Label>;
export type DueStatus = keyof typeof DUE_STATUSES;
export const DUE_STATUS_CODES = Object.keys(DUE_STATUSES) as [DueStatus, ...DueStatus[]];

/** An entry's due status on `today` (YYYY-MM-DD, Asia/Shanghai) with its next due day (or none). */
export function dueStatusOf(nextDueOn: string | null, today: string): DueStatus {
  if (!nextDueOn) return 'none';
  if (nextDueOn < today) return 'overdue';
  const soon = new Date(`${today}T00:00:00Z`);
  soon.setUTCDate(soon.getUTCDate() + DUE_SOON_DAYS);
  return nextDueOn <= soon.toISOString().slice(0, 10) ? 'due_soon' : 'ok';
}

/** The risk colours of the registers (风险等级颜色), highest first, with the colour each is drawn in. */
export const RISK_COLOURS = {
  red: { zh: '红色（高风险）', en: 'Red (high risk)', hex: '#d93025' },
  yellow: { zh: '黄色（中风险）', en: 'Yellow (medium risk)', hex: '#f2a600' },
  blue: { zh: '蓝色（低风险）', en: 'Blue (low risk)', hex: '#1a73e8' },
} as const satisfies Record<string, Label & { hex: string }>;
export type RiskColour = keyof typeof RISK_COLOURS;
export const RISK_COLOUR_CODES = Object.keys(RISK_COLOURS) as [RiskColour, ...RiskColour[]];

/**
 * An entry's risk colour from what it is: severe mental illness by risk level (3-5 red, 1-2 yellow,
 * 0 blue; not yet assessed red, until someone assesses it), community correction by grade (严管 red,
 * 普管 yellow, 宽管 blue; no grade red), drug rehabilitation and released prisoners yellow, rental
 * houses blue. The list's risk filter is the same mapping in SQL (api/special-populations/repository.ts).
 */
export function riskColourOf(entry: {
  category: SpecialCategory;
  riskLevel: number | null;
  supervisionGrade: string | null;
}): RiskColour {
  switch (entry.category) {
    case 'severe_mental_illness':
      if (entry.riskLevel === null || entry.riskLevel >= 3) return 'red';
      return entry.riskLevel >= 1 ? 'yellow' : 'blue';
    case 'community_correction':
      if (entry.supervisionGrade === 'lenient') return 'blue';
      return entry.supervisionGrade === 'normal' ? 'yellow' : 'red';
    case 'drug_rehabilitation':
    case 'released_prisoner':
      return 'yellow';
    case 'rental_house':
      return 'blue';
  }
}

const intervalDays = z.number().check(z.int(), z.minimum(1), z.maximum(366));

/** Severe mental illness: the interval by risk level range (inclusive); the ranges cover 0-5 without overlap. */
const MentalIllnessRuleSchema = z
  .object({
    byRisk: z.array(
      z.object({
        min: z.number().check(z.int(), z.minimum(RISK_LEVEL_MIN), z.maximum(RISK_LEVEL_MAX)),
        max: z.number().check(z.int(), z.minimum(RISK_LEVEL_MIN), z.maximum(RISK_LEVEL_MAX)),
        intervalDays,
      }),
    ),
  })
  .check(
    z.refine((rule) => {
      const covered = new Array<number>(RISK_LEVEL_MAX + 1).fill(0);
      for (const band of rule.byRisk) for (let level = band.min; level <= band.max; level++) covered[level]! += 1;
      return covered.every((count) => count === 1);
    }, 'the risk ranges must cover 0 to 5, each level once'),
  );

/** Community drug rehabilitation: the interval in each programme year, and how many years the programme runs. */
const DrugRehabilitationRuleSchema = z
  .object({
    byProgrammeYear: z.array(z.object({ year: z.number().check(z.int(), z.minimum(1), z.maximum(10)), intervalDays })),
    programmeYears: z.number().check(z.int(), z.minimum(1), z.maximum(10)),
  })
  .check(
    z.refine(
      (rule) =>
        Array.from({ length: rule.programmeYears }, (_, i) => i + 1).every((year) =>
          rule.byProgrammeYear.some((b) => b.year === year),
        ),
      'every programme year needs an interval',
    ),
  );

/** Released prisoners: a first visit within some days of return, then at an interval for the years of assistance. */
const ReleasedPrisonerRuleSchema = z.object({
  firstWithinDays: intervalDays,
  intervalDays,
  assistanceYears: z.number().check(z.int(), z.minimum(1), z.maximum(20)),
});

/** Community correction: the interval of each supervision grade. */
const CommunityCorrectionRuleSchema = z.object({
  byGrade: z.object({ strict: intervalDays, normal: intervalDays, lenient: intervalDays }),
});

/** Rental houses: one interval. */
const RentalHouseRuleSchema = z.object({ intervalDays });

/** The shape of each category's rule JSON (`follow_up_rules.rule`, defaults in migrations/0016). */
export const FOLLOW_UP_RULE_SCHEMAS = {
  severe_mental_illness: MentalIllnessRuleSchema,
  drug_rehabilitation: DrugRehabilitationRuleSchema,
  released_prisoner: ReleasedPrisonerRuleSchema,
  community_correction: CommunityCorrectionRuleSchema,
  rental_house: RentalHouseRuleSchema,
} as const satisfies Record<SpecialCategory, z.ZodMiniType>;

/** A category's rule, typed by its category. */
export type FollowUpRuleOf<Category extends SpecialCategory> = z.infer<(typeof FOLLOW_UP_RULE_SCHEMAS)[Category]>;

/** Parses `rule` as `category`'s rule JSON; a malformed one is a typed failure with zod's issues. */
export function parseFollowUpRule(category: SpecialCategory, rule: unknown) {
  return FOLLOW_UP_RULE_SCHEMAS[category].safeParse(rule);
}
