import { type SQL, sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.ts';
import { isoTime } from '../db/iso-time.ts';
import type { specialPeople } from '../db/schema.ts';
import {
  COUNTING_OUTCOMES,
  DUE_SOON_DAYS,
  type DueStatus,
  type RiskColour,
  type SpecialCategory,
  type VisitMode,
  type VisitOutcome,
} from '../vocabulary/special-populations.ts';
import { addDays, type FollowUpEntry, nextDueOn, type RuleVersion, type StateChange, shanghaiDay } from './follow-up.ts';

/** A row of `special_people` as the table declares it. */
type PersonRow = typeof specialPeople.$inferSelect;

/**
 * An entry as lists and the detail read it: the row (its category as the vocabulary's, its times
 * as ISO text), its household's address, and the names of its grid and village.
 */
export type EntryRow = Omit<PersonRow, 'category' | 'lastVisitAt' | 'updatedAt' | 'synthetic'> & {
  category: SpecialCategory;
  address: string | null;
  gridName: string | null;
  villageName: string | null;
  lastVisitAt: string | null;
  updatedAt: string;
};

/** What a list asks: an area (code prefix), and optional category, due status on `today`, risk colour, open or closed. */
export interface EntryFilter {
  area: string;
  today: string;
  category?: SpecialCategory;
  due?: DueStatus;
  /** Only those due within DUE_SOON_DAYS or overdue (the due list: overdue and due soon in one read). */
  needsVisit?: boolean;
  risk?: RiskColour;
  closed?: boolean;
}

/** The fields of an entry a register or an edit writes, as the table declares them (the derived ones are the server's). */
export type EntryFields = Pick<
  PersonRow,
  | 'name'
  | 'idNumber'
  | 'gender'
  | 'birthDate'
  | 'phone'
  | 'householdCode'
  | 'areaCode'
  | 'riskLevel'
  | 'supervisionGrade'
  | 'releaseDate'
  | 'programmeStart'
  | 'landlordName'
  | 'landlordPhone'
  | 'tenants'
  | 'guardianName'
  | 'guardianPhone'
  | 'notes'
  | 'registeredOn'
> & { category: SpecialCategory };

const ENTRY_COLUMNS = sql`p.id, p.category, p.name, p.id_number AS "idNumber", p.gender, p.birth_date::text AS "birthDate",
  p.phone, p.household_code AS "householdCode", NULL::text AS address, p.area_code AS "areaCode", NULL::text AS "gridName",
  NULL::text AS "villageName",
  p.risk_level AS "riskLevel", p.supervision_grade AS "supervisionGrade", p.release_date::text AS "releaseDate",
  p.programme_start::text AS "programmeStart", p.landlord_name AS "landlordName", p.landlord_phone AS "landlordPhone", p.tenants,
  p.guardian_name AS "guardianName", p.guardian_phone AS "guardianPhone", p.notes, p.registered_on::text AS "registeredOn",
  p.active, p.closed_on::text AS "closedOn", p.closed_reason AS "closedReason", ${isoTime(sql`p.last_visit_at`)} AS "lastVisitAt",
  p.next_due_on::text AS "nextDueOn", p.version, ${isoTime(sql`p.updated_at`)} AS "updatedAt"`;

/**
 * Entries are read alone under the reader's row-level security; their addresses and area names come
 * after, by code, from `places` as the owner (the entries were visible, so is where they live).
 * Joined in the scoped statement, households' and areas' policies cost three times the read.
 */
const ENTRY_FROM = sql`special_people p`;

/** riskColourOf (api/vocabulary/special-populations.ts) in SQL, for the list's risk filter. */
const RISK_COLOUR_SQL = sql`CASE
  WHEN p.category = 'severe_mental_illness' THEN CASE WHEN p.risk_level IS NULL OR p.risk_level >= 3 THEN 'red'
    WHEN p.risk_level >= 1 THEN 'yellow' ELSE 'blue' END
  WHEN p.category = 'community_correction' THEN CASE p.supervision_grade WHEN 'lenient' THEN 'blue' WHEN 'normal' THEN 'yellow' ELSE 'red' END
  WHEN p.category = 'rental_house' THEN 'blue'
  ELSE 'yellow' END`;

function filterSql(filter: EntryFilter): SQL {
  const soon = addDays(filter.today, DUE_SOON_DAYS);
  const conditions: SQL[] = [sql`p.area_code ^@ ${filter.area}`, filter.closed ? sql`NOT p.active` : sql`p.active`];
  if (filter.category) conditions.push(sql`p.category = ${filter.category}`);
  if (filter.risk) conditions.push(sql`(${RISK_COLOUR_SQL}) = ${filter.risk}`);
  if (filter.due === 'overdue') conditions.push(sql`p.next_due_on < ${filter.today}::date`);
  if (filter.due === 'due_soon') conditions.push(sql`p.next_due_on BETWEEN ${filter.today}::date AND ${soon}::date`);
  if (filter.due === 'ok') conditions.push(sql`p.next_due_on > ${soon}::date`);
  if (filter.due === 'none') conditions.push(sql`p.next_due_on IS NULL`);
  if (filter.needsVisit) conditions.push(sql`p.next_due_on <= ${soon}::date`);
  return sql.join(conditions, sql` AND `);
}

/** The statement of a page of entries (see the repository's `entries`); the bench sends it raw as the floor. */
export function entriesSql(filter: EntryFilter, limit: number, offset: number): SQL {
  return sql`
    SELECT ${ENTRY_COLUMNS} FROM ${ENTRY_FROM}
    WHERE ${filterSql(filter)}
    ORDER BY p.next_due_on ASC NULLS LAST, p.id
    LIMIT ${limit} OFFSET ${offset}`;
}

/** The registers of special populations, their dated states, their follow-up rules, and the due days kept on each entry. */
export function specialPopulationsRepository(db: Queryable) {
  return {
    /** A page of the entries `filter` asks for, in the handle's reach (row-level security), by due day (none last), then code. */
    entries(filter: EntryFilter, limit: number, offset: number): Promise<EntryRow[]> {
      return db.rows<EntryRow>(entriesSql(filter, limit, offset));
    },

    async entryCount(filter: EntryFilter): Promise<number> {
      const [row] = await db.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM special_people p WHERE ${filterSql(filter)}`);
      return row?.n ?? 0;
    },

    /** The address of each household of `householdCodes` and the names of its grid and village (the owner's read). */
    places(householdCodes: readonly string[]) {
      if (householdCodes.length === 0) return Promise.resolve([]);
      return db.rows<{ code: string; address: string; gridName: string | null; villageName: string | null }>(sql`
        SELECT h.code, h.address, g.name AS "gridName", v.name AS "villageName"
        FROM households h
        LEFT JOIN areas g ON g.code = left(h.cell_code, 15) AND g.level = 'grid'
        LEFT JOIN areas v ON v.code = left(h.cell_code, 12) AND v.level = 'village'
        WHERE h.code = ANY(${sql.param([...new Set(householdCodes)])}::text[])`);
    },

    async entry(id: string): Promise<EntryRow | undefined> {
      const [row] = await db.rows<EntryRow>(sql`SELECT ${ENTRY_COLUMNS} FROM ${ENTRY_FROM} WHERE p.id = ${id}`);
      return row;
    },

    /** An entry's dated states, newest first. */
    states(personId: string) {
      return db.rows<{
        effectiveFrom: string;
        riskLevel: number | null;
        supervisionGrade: string | null;
        reason: string | null;
        setByName: string;
      }>(sql`
        SELECT ${isoTime(sql`effective_from`)} AS "effectiveFrom", risk_level AS "riskLevel", supervision_grade AS "supervisionGrade",
          reason, set_by_name AS "setByName"
        FROM special_person_states WHERE person_id = ${personId} ORDER BY effective_from DESC, id DESC`);
    },

    /** An entry's newest visits, newest first. */
    visits(personId: string, limit: number) {
      return db.rows<{
        id: string;
        visitedAt: string;
        visitorName: string;
        mode: VisitMode;
        outcome: VisitOutcome;
        notes: string | null;
        distanceM: number | null;
        patrolId: string | null;
      }>(sql`
        SELECT id, ${isoTime(sql`visited_at`)} AS "visitedAt", visitor_name AS "visitorName", mode, outcome, notes,
          distance_m AS "distanceM", patrol_id AS "patrolId"
        FROM special_visits WHERE person_id = ${personId} ORDER BY visited_at DESC LIMIT ${limit}`);
    },

    /** A household in the handle's scope, with its cell. */
    async household(code: string): Promise<{ code: string; cellCode: string } | undefined> {
      const [row] = await db.rows<{ code: string; cellCode: string }>(
        sql`SELECT code, cell_code AS "cellCode" FROM households WHERE code = ${code}`,
      );
      return row;
    },

    /** Writes a new entry; false when `id` exists already (a retried register). */
    async insertEntry(id: string, fields: EntryFields): Promise<boolean> {
      const rows = await db.rows<{ id: string }>(sql`
        INSERT INTO special_people (id, category, name, id_number, gender, birth_date, phone, household_code, area_code, risk_level,
          supervision_grade, release_date, programme_start, landlord_name, landlord_phone, tenants, guardian_name, guardian_phone,
          notes, registered_on, synthetic)
        VALUES (${id}, ${fields.category}, ${fields.name}, ${fields.idNumber}, ${fields.gender}, ${fields.birthDate}::date, ${fields.phone},
          ${fields.householdCode}, ${fields.areaCode}, ${fields.riskLevel}, ${fields.supervisionGrade}, ${fields.releaseDate}::date,
          ${fields.programmeStart}::date, ${fields.landlordName}, ${fields.landlordPhone},
          ${fields.tenants === null ? null : JSON.stringify(fields.tenants)}::jsonb, ${fields.guardianName}, ${fields.guardianPhone},
          ${fields.notes}, ${fields.registeredOn}::date, false)
        ON CONFLICT (id) DO NOTHING RETURNING id`);
      return rows.length > 0;
    },

    /** Writes an edit if the entry is still at `version`; false when someone else changed it first. Bumps the version. */
    async updateEntry(
      id: string,
      version: number,
      fields: Omit<EntryFields, 'category' | 'registeredOn' | 'riskLevel' | 'supervisionGrade'>,
    ): Promise<boolean> {
      const rows = await db.rows<{ id: string }>(sql`
        UPDATE special_people SET name = ${fields.name}, id_number = ${fields.idNumber}, gender = ${fields.gender},
          birth_date = ${fields.birthDate}::date, phone = ${fields.phone}, household_code = ${fields.householdCode},
          area_code = ${fields.areaCode}, release_date = ${fields.releaseDate}::date, programme_start = ${fields.programmeStart}::date,
          landlord_name = ${fields.landlordName}, landlord_phone = ${fields.landlordPhone},
          tenants = ${fields.tenants === null ? null : JSON.stringify(fields.tenants)}::jsonb, guardian_name = ${fields.guardianName},
          guardian_phone = ${fields.guardianPhone}, notes = ${fields.notes}, version = version + 1, updated_at = now()
        WHERE id = ${id} AND version = ${version} RETURNING id`);
      if (rows.length > 0)
        await db.rows(sql`UPDATE special_person_states SET area_code = ${fields.areaCode} WHERE person_id = ${id}`);
      return rows.length > 0;
    },

    /** Sets the entry's current risk level and grade and adds the dated state row, if still at `version`. */
    async changeState(
      id: string,
      version: number,
      state: {
        areaCode: string;
        effectiveFrom: Date;
        riskLevel: number | null;
        supervisionGrade: string | null;
        reason: string | null;
        setById: string | null;
        setByName: string;
      },
    ): Promise<boolean> {
      const rows = await db.rows<{ id: string }>(sql`
        UPDATE special_people SET risk_level = ${state.riskLevel}, supervision_grade = ${state.supervisionGrade},
          version = version + 1, updated_at = now()
        WHERE id = ${id} AND version = ${version} RETURNING id`);
      if (rows.length === 0) return false;
      await this.insertState(id, state);
      return true;
    },

    async insertState(
      id: string,
      state: {
        areaCode: string;
        effectiveFrom: Date;
        riskLevel: number | null;
        supervisionGrade: string | null;
        reason: string | null;
        setById: string | null;
        setByName: string;
      },
    ): Promise<void> {
      await db.rows(sql`
        INSERT INTO special_person_states (person_id, area_code, effective_from, risk_level, supervision_grade, reason, set_by_id, set_by_name)
        VALUES (${id}, ${state.areaCode}, ${state.effectiveFrom.toISOString()}::timestamptz, ${state.riskLevel}, ${state.supervisionGrade},
          ${state.reason}, ${state.setById}, ${state.setByName})`);
    },

    /** Closes the entry if still at `version`. */
    async close(id: string, version: number, closedOn: string, reason: string): Promise<boolean> {
      const rows = await db.rows<{ id: string }>(sql`
        UPDATE special_people SET active = false, closed_on = ${closedOn}::date, closed_reason = ${reason},
          version = version + 1, updated_at = now()
        WHERE id = ${id} AND version = ${version} RETURNING id`);
      return rows.length > 0;
    },

    /** Writes the version of `category`'s rule applying from `effectiveFrom`, replacing one set for the same day. */
    async saveRule(rule: {
      category: SpecialCategory;
      effectiveFrom: string;
      rule: unknown;
      setById: string;
      setByName: string;
    }) {
      await db.rows(sql`
        INSERT INTO follow_up_rules (category, effective_from, rule, set_by_id, set_by_name)
        VALUES (${rule.category}, ${rule.effectiveFrom}::date, ${JSON.stringify(rule.rule)}::jsonb, ${rule.setById}, ${rule.setByName})
        ON CONFLICT (category, effective_from) DO UPDATE SET rule = EXCLUDED.rule, set_by_id = EXCLUDED.set_by_id,
          set_by_name = EXCLUDED.set_by_name, set_at = now()`);
    },

    /** The ids of the active entries of `category`, county-wide (the owner's read, for a rule change's recompute). */
    async activeIdsOf(category: SpecialCategory): Promise<string[]> {
      const rows = await db.rows<{ id: string }>(sql`SELECT id FROM special_people WHERE category = ${category} AND active`);
      return rows.map((row) => row.id);
    },

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
      // One after another: a transaction is one connection, which takes one query at a time.
      const states = await db.rows<{
        personId: string;
        effectiveFrom: string;
        riskLevel: number | null;
        supervisionGrade: string | null;
      }>(sql`
          SELECT person_id AS "personId", ${isoTime(sql`effective_from`)} AS "effectiveFrom", risk_level AS "riskLevel",
            supervision_grade AS "supervisionGrade"
          FROM special_person_states WHERE person_id = ANY(${ids}::text[]) ORDER BY person_id, effective_from, id`);
      const visits = await db.rows<{ personId: string; lastVisitAt: string; lastCountingAt: string | null }>(sql`
          SELECT person_id AS "personId", ${isoTime(sql`max(visited_at)`)} AS "lastVisitAt",
            ${isoTime(sql`max(visited_at) FILTER (WHERE outcome = ANY(${sql.param(COUNTING_OUTCOMES)}::text[]))`)} AS "lastCountingAt"
          FROM special_visits WHERE person_id = ANY(${ids}::text[]) GROUP BY person_id`);
      const rules = await this.rules([...new Set(entries.map((entry) => entry.category))]);
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
