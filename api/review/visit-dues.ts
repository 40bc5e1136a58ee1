import { type SQL, sql } from 'drizzle-orm';
import { COUNTING_OUTCOMES } from '../vocabulary/special-populations.ts';

/**
 * The follow-ups that fell due in a review window, each judged met or not, in SQL: the same due
 * days `nextDueOn` (api/special-populations/follow-up.ts) gives the registers, for every visit of
 * the past and not only the last. Each link of a person's chain (the entry's start day, then every
 * visit that reached them) owes the next visit one interval after it, under the rule version and the
 * state (risk level, grade) in force on that day, and the programme year of that day; a change
 * before the visit is due (a new state, a new rule version, a new programme year) brings it forward
 * to the change day + the new interval when that is earlier. A follow-up is met when the next visit
 * came on or before its due day. Nothing is due from the end of a programme or of the assistance
 * years, nor from the day an entry left the register.
 *
 * Row-level security cuts entries, states and visits to the reader's scope; the rules are the
 * county's. Columns of `d`: area_code (the entry's cell), due (a date), on_time.
 */

const ts = (instant: Date) => sql`${instant.toISOString()}::timestamptz`;
const shanghaiDay = (column: SQL) => sql`((${column}) AT TIME ZONE 'UTC' + interval '8 hours')::date`;

/**
 * `day` + `years` years as follow-up.ts's addYears counts them: an anniversary of 29 February in a
 * common year is 1 March (PostgreSQL's `+ interval` stops at the 28th, a day before the registers).
 */
const anniversary = (day: SQL, years: SQL) => {
  const plain = sql`(${day} + make_interval(years => ${years}))::date`;
  return sql`(CASE WHEN to_char(${day}, 'MM-DD') = '02-29' AND to_char(${plain}, 'MM-DD') = '02-28' THEN ${plain} + 1 ELSE ${plain} END)`;
};

/** The first day a version or state holds when it is the earliest: it holds before its own day too, as in nextDueOn. */
const DAWN = sql.raw(`date '0001-01-01'`);
const NEVER = sql.raw(`date '9999-12-31'`);

/**
 * The interval (days) owed from `day` by the entry `p`, under the rule version `r` and the state `s`
 * (null where the entry has no dated state: its own columns stand) in force on that day; null when
 * nothing is owed from that day. `first`: counted from the entry's start rather than from a visit.
 */
function intervalOn(day: SQL, first: SQL): SQL {
  const risk = sql`CASE WHEN s.person_id IS NULL THEN p.risk_level ELSE s.risk_level END`;
  const grade = sql`CASE WHEN s.person_id IS NULL THEN p.supervision_grade ELSE s.supervision_grade END`;
  // PostgreSQL's age() turns a year on the same anniversaries as addYears: from 29 February, on 1 March of a common year.
  const year = sql`greatest(1, 1 + date_part('year', age((${day})::timestamp, p.term_start::timestamp))::int)`;
  return sql`CASE p.category
    WHEN 'severe_mental_illness' THEN coalesce(
      (SELECT (b->>'intervalDays')::int FROM jsonb_array_elements(r.rule->'byRisk') b
        WHERE ${risk} BETWEEN (b->>'min')::int AND (b->>'max')::int LIMIT 1),
      (SELECT min((b->>'intervalDays')::int) FROM jsonb_array_elements(r.rule->'byRisk') b))
    WHEN 'community_correction' THEN coalesce((r.rule->'byGrade'->>${grade})::int,
      (SELECT min(g.value::int) FROM jsonb_each_text(r.rule->'byGrade') g))
    WHEN 'drug_rehabilitation' THEN CASE WHEN ${year} <= (r.rule->>'programmeYears')::int THEN
      (SELECT (b->>'intervalDays')::int FROM jsonb_array_elements(r.rule->'byProgrammeYear') b
        WHERE (b->>'year')::int = ${year} LIMIT 1) END
    WHEN 'released_prisoner' THEN CASE WHEN ${first} THEN (r.rule->>'firstWithinDays')::int ELSE (r.rule->>'intervalDays')::int END
    WHEN 'rental_house' THEN (r.rule->>'intervalDays')::int
  END`;
}

/** The joins that put the rule version `r` and the state `s` in force on `day` beside the entry `p`. */
const inForceOn = (day: SQL, person: SQL) => sql`
  JOIN rule_versions r ON r.category = p.category AND ${day} >= r.valid_from AND ${day} < r.valid_to
  LEFT JOIN states s ON s.person_id = ${person} AND ${day} >= s.valid_from AND ${day} < s.valid_to`;

/**
 * The CTEs ending in `d`: the follow-ups of the area's entries that fell due in [start, end) and
 * are counted: passed by `now`, or met already.
 */
export function visitDuesCtes({ areaCode, start, end, now }: { areaCode: string; start: Date; end: Date; now: Date }): SQL {
  const startDay = shanghaiDay(ts(start));
  const endDay = shanghaiDay(ts(end));
  const today = shanghaiDay(ts(now));
  const counting = sql.param([...COUNTING_OUTCOMES]);
  return sql`
    rule_versions AS (
      SELECT category, rule,
        CASE WHEN lag(effective_from) OVER w IS NULL THEN ${DAWN} ELSE effective_from END AS valid_from,
        coalesce(lead(effective_from) OVER w, ${NEVER}) AS valid_to
      FROM follow_up_rules WINDOW w AS (PARTITION BY category ORDER BY effective_from)),
    people AS (
      SELECT p.id, p.category, p.area_code, p.risk_level, p.supervision_grade, p.active, p.closed_on,
        CASE p.category
          WHEN 'released_prisoner' THEN greatest(p.registered_on, coalesce(p.release_date, p.registered_on))
          WHEN 'drug_rehabilitation' THEN greatest(p.registered_on, coalesce(p.programme_start, p.registered_on))
          ELSE p.registered_on END AS start_day,
        CASE p.category WHEN 'released_prisoner' THEN coalesce(p.release_date, p.registered_on)
          ELSE coalesce(p.programme_start, p.registered_on) END AS term_start
      FROM special_people p WHERE p.area_code ^@ ${areaCode} AND p.registered_on < ${endDay}),
    state_days AS (
      SELECT DISTINCT ON (st.person_id, st.day) st.person_id, st.day, st.risk_level, st.supervision_grade
      FROM (SELECT person_id, ${shanghaiDay(sql`effective_from`)} AS day, effective_from, id, risk_level, supervision_grade
        FROM special_person_states WHERE area_code ^@ ${areaCode}) st
      ORDER BY st.person_id, st.day, st.effective_from DESC, st.id DESC),
    states AS (
      SELECT person_id, day, risk_level, supervision_grade,
        CASE WHEN lag(day) OVER w IS NULL THEN ${DAWN} ELSE day END AS valid_from,
        coalesce(lead(day) OVER w, ${NEVER}) AS valid_to
      FROM state_days WINDOW w AS (PARTITION BY person_id ORDER BY day)),
    bases AS (
      SELECT id AS person_id, start_day AS base, true AS first FROM people
      UNION
      SELECT v.person_id, ${shanghaiDay(sql`v.visited_at`)}, false FROM special_visits v JOIN people p ON p.id = v.person_id
      WHERE v.area_code ^@ ${areaCode} AND v.outcome = ANY(${counting}::text[]) AND v.visited_at < ${ts(end)}
        -- A visit before the entry's start owes nothing and meets nothing: the registers count from the start.
        AND ${shanghaiDay(sql`v.visited_at`)} >= p.start_day),
    chain AS (
      SELECT b.*, lead(b.base) OVER (PARTITION BY b.person_id ORDER BY b.base, b.first DESC) AS next_visit FROM bases b),
    owed AS (
      SELECT c.person_id, c.base, c.first, c.next_visit, c.base + ${intervalOn(sql`c.base`, sql`c.first`)} AS due
      FROM chain c JOIN people p ON p.id = c.person_id ${inForceOn(sql`c.base`, sql`c.person_id`)}),
    changes AS (
      SELECT person_id, day FROM state_days
      UNION
      SELECT p.id, f.effective_from FROM people p JOIN follow_up_rules f ON f.category = p.category
      UNION
      SELECT p.id, ${anniversary(sql`p.term_start`, sql`n`)} FROM people p CROSS JOIN generate_series(1, 20) n
      WHERE p.category = 'drug_rehabilitation'),
    brought AS (
      SELECT o.person_id, o.next_visit, least(o.due, min(ch.day + ${intervalOn(sql`ch.day`, sql`o.first`)})) AS due
      FROM owed o JOIN people p ON p.id = o.person_id
      LEFT JOIN changes ch ON ch.person_id = o.person_id AND ch.day > o.base AND ch.day < o.due
      LEFT JOIN rule_versions r ON r.category = p.category AND ch.day >= r.valid_from AND ch.day < r.valid_to
      LEFT JOIN states s ON s.person_id = o.person_id AND ch.day >= s.valid_from AND ch.day < s.valid_to
      WHERE o.due IS NOT NULL
      GROUP BY o.person_id, o.base, o.next_visit, o.due),
    d AS (
      SELECT p.area_code, b.due, (b.next_visit IS NOT NULL AND b.next_visit <= b.due) AS on_time
      FROM brought b JOIN people p ON p.id = b.person_id
        JOIN rule_versions r ON r.category = p.category AND b.due >= r.valid_from AND b.due < r.valid_to
      WHERE b.due >= ${startDay} AND b.due < ${endDay}
        AND (b.due < ${today} OR (b.next_visit IS NOT NULL AND b.next_visit <= b.due))
        AND (p.active OR p.closed_on IS NULL OR b.due < p.closed_on)
        AND NOT coalesce(CASE p.category
          WHEN 'drug_rehabilitation' THEN b.due >= ${anniversary(sql`p.term_start`, sql`(r.rule->>'programmeYears')::int`)}
          WHEN 'released_prisoner' THEN b.due >= ${anniversary(sql`p.term_start`, sql`(r.rule->>'assistanceYears')::int`)}
        END, false))`;
}
