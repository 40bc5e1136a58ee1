import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../api/db/client.ts';
import { specialPopulationsRepository } from '../../api/special-populations/repository.ts';
import { seededDatabase } from './support/test-database.ts';

let db: Database;
let household: { code: string; cellCode: string };

/** An entry of the test's own, monthly-risk, registered on 2026-01-01 in t-worker's grid. */
async function register(id: string) {
  await db.rows(sql`
    INSERT INTO special_people (id, category, name, household_code, area_code, risk_level, registered_on)
    VALUES (${id}, 'severe_mental_illness', '测试人员', ${household.code}, ${household.cellCode}, 2, '2026-01-01')`);
  await db.rows(sql`
    INSERT INTO special_person_states (person_id, area_code, effective_from, risk_level, set_by_name)
    VALUES (${id}, ${household.cellCode}, '2026-01-01T00:00:00+08:00', 2, 'test')`);
}

async function visit(personId: string, at: string, outcome: string) {
  await db.rows(sql`
    INSERT INTO special_visits (id, client_id, person_id, category, area_code, visitor_id, visitor_name, visited_at, mode, outcome)
    VALUES (${crypto.randomUUID()}, ${crypto.randomUUID()}, ${personId}, 'severe_mental_illness', ${household.cellCode},
      'test-visitor', 'test', ${at}::timestamptz, 'home', ${outcome})`);
}

async function followUpOf(id: string) {
  const [row] = await db.rows<{ lastVisitAt: string | null; nextDueOn: string | null }>(sql`
    SELECT to_char(last_visit_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "lastVisitAt", next_due_on::text AS "nextDueOn"
    FROM special_people WHERE id = ${id}`);
  return row;
}

beforeAll(async () => {
  db = await seededDatabase();
  const [row] = await db.rows<{ code: string; cellCode: string }>(
    sql`SELECT code, cell_code AS "cellCode" FROM households WHERE cell_code ^@ '511921108209001' ORDER BY code LIMIT 1`,
  );
  household = row!;
});

describe('recomputeFollowUps', () => {
  it('keeps the newest visit of any outcome and counts the due day from the newest one that reached the person', async () => {
    await register('T-FU-1');
    await db.transaction((tx) => specialPopulationsRepository(tx).recomputeFollowUps(['T-FU-1']));
    expect(await followUpOf('T-FU-1')).toEqual({ lastVisitAt: null, nextDueOn: '2026-01-31' });

    await visit('T-FU-1', '2026-01-10T09:00:00+08:00', 'seen_stable');
    // 00:30 in Shanghai on the 15th is still the 14th in UTC: the day is Shanghai's.
    await visit('T-FU-1', '2026-01-15T00:30:00+08:00', 'not_home');
    await db.transaction((tx) => specialPopulationsRepository(tx).recomputeFollowUps(['T-FU-1']));
    expect(await followUpOf('T-FU-1')).toEqual({ lastVisitAt: '2026-01-14T16:30:00Z', nextDueOn: '2026-02-09' });
  });

  it('reads the dated state history: a rise to weekly brings the visit forward', async () => {
    await register('T-FU-2');
    await visit('T-FU-2', '2026-01-10T09:00:00+08:00', 'seen_concern');
    await db.rows(sql`
      INSERT INTO special_person_states (person_id, area_code, effective_from, risk_level, set_by_name)
      VALUES ('T-FU-2', ${household.cellCode}, '2026-01-20T23:30:00+08:00', 4, 'test')`);
    await db.transaction((tx) => specialPopulationsRepository(tx).recomputeFollowUps(['T-FU-2', 'T-FU-1']));
    expect((await followUpOf('T-FU-2'))?.nextDueOn).toBe('2026-01-27');
    expect((await followUpOf('T-FU-1'))?.nextDueOn).toBe('2026-02-09');
  });
});
