import { sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.ts';
import { isoTime } from '../db/iso-time.ts';
import { COUNTING_OUTCOMES, type SpecialCategory } from '../vocabulary/special-populations.ts';
import { type FollowUpEntry, nextDueOn, type RuleVersion, type StateChange, shanghaiDay } from './follow-up.ts';

/** The registers of special populations, their dated states, their follow-up rules, and the due days kept on each entry. */
export function specialPopulationsRepository(db: Queryable) {
  return {
    /** Every version of the follow-up rules of `categories` (all when omitted), oldest first. */
    rules(categories?: readonly SpecialCategory[]) {
      return db.rows<RuleVersion & { id: number; category: SpecialCategory; setByName: string; setAt: string }>(sql`
        SELECT id::int AS id, category, effective_from::text AS "effectiveFrom", rule, set_by_name AS "setByName",
          ${isoTime(sql`set_at`)} AS "setAt"
        FROM follow_up_rules
        ${categories ? sql`WHERE category = ANY(${sql.param([...categories])}::text[])` : sql``}
        ORDER BY category, effective_from`);
    },

    /**
     * Recomputes and writes `last_visit_at` (the newest visit of any outcome) and `next_due_on` (from
     * the rules, the dated states and the newest visit that counts, api/special-populations/follow-up.ts)
     * of the entries `personIds`, in the caller's transaction: run it after storing a visit, a state
     * change, an edit or a rule change, with the owner's handle (the entries are read whole). The
     * entries' `version` is not bumped: a visit does not make an open edit form stale.
     */
    async recomputeFollowUps(personIds: readonly string[]): Promise<void> {
      if (personIds.length === 0) return;
      const ids = sql.param([...new Set(personIds)]);
      const entries = await db.rows<FollowUpEntry & { id: string }>(sql`
        SELECT id, category, active, registered_on::text AS "registeredOn", release_date::text AS "releaseDate",
          programme_start::text AS "programmeStart", risk_level AS "riskLevel", supervision_grade AS "supervisionGrade"
        FROM special_people WHERE id = ANY(${ids}::text[])`);
      if (entries.length === 0) return;
      const [states, visits, rules] = await Promise.all([
        db.rows<{ personId: string; effectiveFrom: string; riskLevel: number | null; supervisionGrade: string | null }>(sql`
          SELECT person_id AS "personId", ${isoTime(sql`effective_from`)} AS "effectiveFrom", risk_level AS "riskLevel",
            supervision_grade AS "supervisionGrade"
          FROM special_person_states WHERE person_id = ANY(${ids}::text[]) ORDER BY person_id, effective_from, id`),
        db.rows<{ personId: string; lastVisitAt: string; lastCountingAt: string | null }>(sql`
          SELECT person_id AS "personId", ${isoTime(sql`max(visited_at)`)} AS "lastVisitAt",
            ${isoTime(sql`max(visited_at) FILTER (WHERE outcome = ANY(${sql.param(COUNTING_OUTCOMES)}::text[]))`)} AS "lastCountingAt"
          FROM special_visits WHERE person_id = ANY(${ids}::text[]) GROUP BY person_id`),
        this.rules([...new Set(entries.map((entry) => entry.category))]),
      ]);
      const statesOf = new Map<string, StateChange[]>();
      for (const state of states) {
        const list = statesOf.get(state.personId) ?? [];
        list.push({
          day: shanghaiDay(new Date(state.effectiveFrom)),
          riskLevel: state.riskLevel,
          supervisionGrade: state.supervisionGrade,
        });
        statesOf.set(state.personId, list);
      }
      const visitOf = new Map(visits.map((visit) => [visit.personId, visit]));
      const updates = entries.map((entry) => {
        const visit = visitOf.get(entry.id);
        return {
          id: entry.id,
          lastVisitAt: visit?.lastVisitAt ?? null,
          nextDueOn: nextDueOn({
            entry,
            rules: rules.filter((rule) => rule.category === entry.category),
            states: statesOf.get(entry.id) ?? [],
            lastVisitOn: visit?.lastCountingAt ? shanghaiDay(new Date(visit.lastCountingAt)) : null,
          }),
        };
      });
      await db.rows(sql`
        UPDATE special_people p SET last_visit_at = v.last_visit_at, next_due_on = v.next_due_on
        FROM unnest(${sql.param(updates.map((u) => u.id))}::text[], ${sql.param(updates.map((u) => u.lastVisitAt))}::timestamptz[],
          ${sql.param(updates.map((u) => u.nextDueOn))}::date[]) AS v(id, last_visit_at, next_due_on)
        WHERE p.id = v.id`);
    },
  };
}
