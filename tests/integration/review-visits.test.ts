import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../api/db/client.ts';
import { areaReader, scopedDatabase } from '../../api/db/scoped.ts';
import { fieldSumsSql } from '../../api/review/repository.ts';
import { reviewService } from '../../api/review/service.ts';
import { nextDueOn, type RuleVersion, type StateChange } from '../../api/special-populations/follow-up.ts';
import type { SpecialCategory } from '../../api/vocabulary/special-populations.ts';
import { at, principalOf } from './review-fixtures.ts';
import { seededDatabase } from './support/test-database.ts';

/**
 * The visit on-time rate by the rule and risk in force at the time, on hand-computed fixtures in
 * one cell of 沙溪镇, January to April 2034 (months no other test writes into). Rental houses follow
 * a rule of this test's own: 30 days from 2033-10-01, 60 days from 2034-02-15 (removed afterwards).
 *
 * - A (severe mental illness, risk 2 = monthly, registered 2033-12-01): seen 01-05; risk 4 (weekly)
 *   from 01-20; seen 01-26, 02-05, 02-09. Owed from 01-05: 02-04, brought forward by the rise to
 *   01-20 + 7 = 01-27, met 01-26 (by today's risk it was due 01-12 and late); 01-26 → 02-02 late;
 *   02-05 → 02-12 met; 02-09 → 02-16 never met.
 * - B (rental house, registered 2033-12-20): seen 01-15, 02-20, 04-15. 12-20 → 01-19 met; 01-15 →
 *   02-14 (the old rule: the change on 02-15 comes after it) late; 02-20 → 04-21 under the new rule,
 *   met 04-15 (55 days: late under the old rule, on time under the new).
 * - C (severe mental illness, risk 3 = weekly, registered mid-period 2034-03-10): seen 03-15, 03-25.
 *   03-10 → 03-17 met; 03-15 → 03-22 late; 03-25 → 04-01 never met. Nothing due before it was
 *   registered.
 *
 * By month: January 2 due, 2 on time; February 4, 1; March 2, 1; April 2, 1. The period 10, 5.
 *
 * Two more entries fall due in 2035 only, after today (2034-07-01), so only their follow-ups met
 * count:
 * - D (drug rehabilitation, programme from 2032-02-29, three years): its third year runs from
 *   2034-03-01 to 2035-03-01 (an anniversary of 29 February in a common year is 1 March, as the
 *   registers count it). Seen 2034-11-30: due 90 days after, 2035-02-28, still in the programme;
 *   met 2035-02-20.
 * - E (rental house, registered 2035-02-20): seen 2035-02-01, before its entry (that owes and meets
 *   nothing), then 2035-03-01: 02-20 → 04-21 met.
 */
let db: Database;
let cell: string;
const TOWNSHIP = '511921108';
const now = () => at('2034-07-01 12:00');

const PEOPLE: {
  id: string;
  category: SpecialCategory;
  registeredOn: string;
  programmeStart?: string;
  states: [string, number][];
  visits: string[];
}[] = [
  {
    id: 'T-RV-A',
    category: 'severe_mental_illness',
    registeredOn: '2033-12-01',
    states: [
      ['2033-12-01', 2],
      ['2034-01-20', 4],
    ],
    visits: ['2034-01-05', '2034-01-26', '2034-02-05', '2034-02-09'],
  },
  {
    id: 'T-RV-B',
    category: 'rental_house',
    registeredOn: '2033-12-20',
    states: [],
    visits: ['2034-01-15', '2034-02-20', '2034-04-15'],
  },
  {
    id: 'T-RV-C',
    category: 'severe_mental_illness',
    registeredOn: '2034-03-10',
    states: [['2034-03-10', 3]],
    visits: ['2034-03-15', '2034-03-25'],
  },
  {
    id: 'T-RV-D',
    category: 'drug_rehabilitation',
    registeredOn: '2032-02-29',
    programmeStart: '2032-02-29',
    states: [],
    visits: ['2034-11-30', '2035-02-20'],
  },
  {
    id: 'T-RV-E',
    category: 'rental_house',
    registeredOn: '2035-02-20',
    states: [],
    visits: ['2035-02-01', '2035-03-01'],
  },
];
const RENTAL_RULES: RuleVersion[] = [
  { effectiveFrom: '2033-10-01', rule: { intervalDays: 30 } },
  { effectiveFrom: '2034-02-15', rule: { intervalDays: 60 } },
];

beforeAll(async () => {
  db = await seededDatabase();
  const [household] = await db.rows<{ code: string; cellCode: string }>(sql`
    SELECT code, cell_code AS "cellCode" FROM households WHERE cell_code ^@ ${TOWNSHIP} ORDER BY code DESC LIMIT 1`);
  cell = household!.cellCode;
  for (const version of RENTAL_RULES) {
    await db.rows(sql`
      INSERT INTO follow_up_rules (category, effective_from, rule, set_by_name)
      VALUES ('rental_house', ${version.effectiveFrom}, ${JSON.stringify(version.rule)}::jsonb, 'test')`);
  }
  for (const person of PEOPLE) {
    const risk = person.states.at(-1)?.[1] ?? null;
    await db.rows(sql`
      INSERT INTO special_people (id, category, name, household_code, area_code, risk_level, registered_on, programme_start)
      VALUES (${person.id}, ${person.category}, '测试人员', ${household!.code}, ${cell}, ${risk}, ${person.registeredOn},
        ${person.programmeStart ?? null})`);
    for (const [day, level] of person.states) {
      await db.rows(sql`
        INSERT INTO special_person_states (person_id, area_code, effective_from, risk_level, set_by_name)
        VALUES (${person.id}, ${cell}, ${`${day}T09:00:00+08:00`}::timestamptz, ${level}, 'test')`);
    }
    for (const day of person.visits) {
      await db.rows(sql`
        INSERT INTO special_visits (id, client_id, person_id, category, area_code, visitor_id, visitor_name, visited_at, mode, outcome)
        VALUES (${crypto.randomUUID()}, ${crypto.randomUUID()}, ${person.id}, ${person.category}, ${cell},
          'test-visitor', 'test', ${`${day}T10:00:00+08:00`}::timestamptz, 'home', 'seen_stable')`);
    }
  }
});

afterAll(async () => {
  const ids = sql.param(PEOPLE.map((person) => person.id));
  await db.rows(sql`DELETE FROM special_visits WHERE person_id = ANY(${ids}::text[])`);
  await db.rows(sql`DELETE FROM special_person_states WHERE person_id = ANY(${ids}::text[])`);
  await db.rows(sql`DELETE FROM special_people WHERE id = ANY(${ids}::text[])`);
  await db.rows(sql`DELETE FROM follow_up_rules WHERE category = 'rental_house' AND set_by_name = 'test'`);
});

const window = (from: string, to: string) => ({ areaCode: cell, start: at(`${from} 00:00`), end: at(`${to} 00:00`), now: now() });

async function sums(from: string, to: string) {
  const [row] = await db.rows<{ visitsDue: number; visitsOnTime: number }>(fieldSumsSql(window(from, to), { by: 'none' }));
  return { due: row?.visitsDue ?? 0, onTime: row?.visitsOnTime ?? 0 };
}

describe('visits on time, by the rule and risk in force at the time', () => {
  it('counts each month of a period that spans a rise in risk and a rule change', async () => {
    const rows = await db.rows<{ key: string; visitsDue: number; visitsOnTime: number }>(
      fieldSumsSql(window('2034-01-01', '2034-05-01'), { by: 'month' }),
    );
    const byMonth = Object.fromEntries(
      rows.filter((row) => row.visitsDue > 0).map((row) => [row.key, [row.visitsDue, row.visitsOnTime]]),
    );
    expect(byMonth).toEqual({ '2034-01': [2, 2], '2034-02': [4, 1], '2034-03': [2, 1], '2034-04': [2, 1] });
    expect(await sums('2034-01-01', '2034-05-01')).toEqual({ due: 10, onTime: 5 });
  });

  it('judges a risk that rose by the day it rose: the monthly visit brought forward to a week after', async () => {
    expect(await sums('2034-01-25', '2034-01-28')).toEqual({ due: 1, onTime: 1 }); // A, 01-27, met 01-26
    expect(await sums('2034-01-10', '2034-01-15')).toEqual({ due: 0, onTime: 0 }); // not 01-12, by today's risk
  });

  it('judges a rule change by the day each follow-up was counted from', async () => {
    expect(await sums('2034-02-14', '2034-02-15')).toEqual({ due: 1, onTime: 0 }); // B, 30 days after 01-15
    expect(await sums('2034-04-21', '2034-04-22')).toEqual({ due: 1, onTime: 1 }); // B, 60 days after 02-20
    expect(await sums('2034-03-01', '2034-03-10')).toEqual({ due: 0, onTime: 0 }); // no entry's due, 60 days after 01-15
  });

  it('counts nothing of an entry before it was registered', async () => {
    expect(await sums('2034-03-01', '2034-03-16')).toEqual({ due: 0, onTime: 0 });
    expect(await sums('2034-03-16', '2034-04-02')).toEqual({ due: 3, onTime: 1 }); // C: 03-17, 03-22, 04-01
  });

  it('counts a 29 February programme to its anniversary on 1 March, as the registers do', async () => {
    expect(await sums('2035-02-28', '2035-03-01')).toEqual({ due: 1, onTime: 1 }); // D, 90 days after 2034-11-30
  });

  it('counts nothing from a visit before the entry began', async () => {
    // E's visit of 02-01 would have owed one by 04-02, and been met by its start on 02-20.
    expect(await sums('2035-04-01', '2035-04-05')).toEqual({ due: 0, onTime: 0 });
    expect(await sums('2035-04-21', '2035-04-22')).toEqual({ due: 1, onTime: 1 });
  });

  it.each([
    ['2034-01-01', '2034-05-01'],
    ['2035-01-01', '2035-06-01'],
  ])('agrees with the registers’ next due day for every link of every chain, %s to %s', async (from, to) => {
    const rules = await db.rows<RuleVersion & { category: string }>(sql`
      SELECT category, effective_from::text AS "effectiveFrom", rule FROM follow_up_rules`);
    const today = now().toISOString().slice(0, 10);
    const expected = new Map<string, [number, number]>();
    for (const person of PEOPLE) {
      const states: StateChange[] = person.states.map(([day, level]) => ({ day, riskLevel: level, supervisionGrade: null }));
      const entry = {
        category: person.category,
        active: true,
        registeredOn: person.registeredOn,
        releaseDate: null,
        programmeStart: person.programmeStart ?? null,
        riskLevel: person.states.at(-1)?.[1] ?? null,
        supervisionGrade: null,
      };
      // The chain: the entry's start, then every visit from it on (the registers count nothing before).
      const start =
        person.programmeStart && person.programmeStart > person.registeredOn ? person.programmeStart : person.registeredOn;
      const links = [null, ...person.visits.filter((visit) => visit >= start)];
      for (const [index, base] of links.entries()) {
        const due = nextDueOn({
          entry,
          rules: rules.filter((rule) => rule.category === person.category),
          states,
          lastVisitOn: base,
        });
        if (!due || due < from || due >= to) continue;
        const next = links[index + 1];
        const met = next !== undefined && next !== null && next <= due;
        // A follow-up due after today counts once it is met.
        if (due >= today && !met) continue;
        const month = due.slice(0, 7);
        const [count, onTime] = expected.get(month) ?? [0, 0];
        expected.set(month, [count + 1, onTime + (met ? 1 : 0)]);
      }
    }
    const rows = await db.rows<{ key: string; visitsDue: number; visitsOnTime: number }>(
      fieldSumsSql(window(from, to), { by: 'month' }),
    );
    expect(expected.size).toBeGreaterThan(0);
    expect(
      Object.fromEntries(rows.filter((row) => row.visitsDue > 0).map((row) => [row.key, [row.visitsDue, row.visitsOnTime]])),
    ).toEqual(Object.fromEntries(expected));
  });

  it('shows the rate and its formula on the review of the grid', async () => {
    const review = reviewService(db, { now });
    const scoped = scopedDatabase(db, areaReader(TOWNSHIP));
    const result = await review.area(scoped, principalOf('township_commander', TOWNSHIP), cell.slice(0, 15), {
      from: '2034-01',
      to: '2034-04',
    });
    const kpi = result.area.kpis.find((candidate) => candidate.key === 'visit_on_time')!;
    expect(kpi).toMatchObject({ value: 50, numerator: 5, denominator: 10, grade: 'D' });
    expect(kpi.formula.zh).toContain('当时');
  });
});
