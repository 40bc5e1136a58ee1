import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../api/db/client.ts';
import { planSpecialRegister } from '../../api/demo/special-register.ts';
import { specialRegisterRepository } from '../../api/demo/special-register-repository.ts';
import { writeDemoRegister } from '../../api/demo/special-register-service.ts';
import { seedIfEmpty } from '../../api/seed/service.ts';
import { freshDatabase } from './support/test-database.ts';

/**
 * The embedded demo's register of special populations as a first start writes it, on a database of
 * its own (the shared one holds other tests' entries, and the demo writes only into empty registers).
 */
const SEED = 7;
const NOW = new Date('2026-06-15T04:00:00Z');

let db: Database;

beforeAll(async () => {
  db = await freshDatabase();
  await seedIfEmpty(db, { seed: SEED, preset: 'small' });
}, 300_000);

afterAll(async () => {
  await db?.close();
});

async function plan(seed = SEED) {
  const repository = specialRegisterRepository(db);
  return planSpecialRegister(await repository.households(), await repository.visitors(), { seed, now: NOW });
}

describe('the demo’s register of special populations', () => {
  it('is planned the same from the same seed and instant, and otherwise from another seed', async () => {
    const [first, again, other] = [await plan(), await plan(), await plan(SEED + 1)];
    expect(JSON.stringify(again)).toBe(JSON.stringify(first));
    expect(other.entries.map((entry) => entry.householdCode)).not.toEqual(first.entries.map((entry) => entry.householdCode));
  });

  it('is written whole after a start that stopped half way, never doubled, and once', async () => {
    const planned = await plan();
    const stop = new AbortController();
    let begun = 0;
    const stopping: Database = {
      ...db,
      transaction: (work) => {
        begun += 1;
        if (begun >= 1) stop.abort();
        return db.transaction(work);
      },
    };
    expect(await writeDemoRegister(stopping, { seed: SEED, now: NOW, signal: stop.signal, entriesPerBatch: 10 })).toBeNull();
    const [half] = await db.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM special_people`);
    expect(half!.n).toBeGreaterThan(0);
    expect(half!.n).toBeLessThan(planned.entries.length);

    // The next start plans at the first one's instant, whatever its own clock says.
    expect(await writeDemoRegister(db, { seed: SEED, now: new Date() })).toMatch(/demo register: \d+ entries/);
    const [counts] = await db.rows<{ entries: number; visits: number; ids: number }>(sql`
      SELECT (SELECT count(*)::int FROM special_people) AS entries, (SELECT count(*)::int FROM special_visits) AS visits,
        (SELECT count(DISTINCT id)::int FROM special_people) AS ids`);
    expect(counts).toEqual({
      entries: planned.entries.length,
      ids: planned.entries.length,
      visits: planned.entries.reduce((total, entry) => total + entry.visits.length, 0),
    });
    expect(await writeDemoRegister(db, { seed: SEED })).toBeNull();
  });

  it('links every entry to a household of its cell, visited by its grid’s worker at plausible distances, denser in the urban core', async () => {
    const [facts] = await db.rows<{
      entries: number;
      categories: number;
      unlinked: number;
      urbanRate: number;
      ruralRate: number;
      foreignVisitors: number;
      atDoor: number;
      homeVisits: number;
      phoneWithFix: number;
      withStates: number;
      overdue: number;
      dueSet: number;
      active: number;
      tenants: number;
    }>(sql`
      SELECT
        (SELECT count(*)::int FROM special_people) AS entries,
        (SELECT count(DISTINCT category)::int FROM special_people) AS categories,
        (SELECT count(*)::int FROM special_people p LEFT JOIN households h ON h.code = p.household_code
           WHERE h.code IS NULL OR h.cell_code <> p.area_code) AS unlinked,
        (SELECT count(*)::float8 FROM special_people WHERE left(area_code, 9) IN ('511921001', '511921100'))
          / (SELECT count(*) FROM households WHERE left(cell_code, 9) IN ('511921001', '511921100')) AS "urbanRate",
        (SELECT count(*)::float8 FROM special_people WHERE left(area_code, 9) NOT IN ('511921001', '511921100'))
          / (SELECT count(*) FROM households WHERE left(cell_code, 9) NOT IN ('511921001', '511921100')) AS "ruralRate",
        (SELECT count(*)::int FROM special_visits v LEFT JOIN people w ON w.id = v.visitor_id AND w.role = 'grid_worker'
           WHERE w.area_code IS DISTINCT FROM left(v.area_code, 15)) AS "foreignVisitors",
        (SELECT count(*)::int FROM special_visits WHERE mode = 'home' AND distance_m <= 25) AS "atDoor",
        (SELECT count(*)::int FROM special_visits WHERE mode = 'home') AS "homeVisits",
        (SELECT count(*)::int FROM special_visits WHERE mode IN ('phone', 'video') AND location IS NOT NULL) AS "phoneWithFix",
        (SELECT count(DISTINCT person_id)::int FROM special_person_states) AS "withStates",
        (SELECT count(*)::int FROM special_people WHERE active AND next_due_on < ${NOW.toISOString().slice(0, 10)}::date) AS overdue,
        (SELECT count(*)::int FROM special_people WHERE next_due_on IS NOT NULL) AS "dueSet",
        (SELECT count(*)::int FROM special_people WHERE active) AS active,
        (SELECT count(*)::int FROM special_people WHERE category = 'rental_house' AND jsonb_array_length(tenants) > 0) AS tenants`);
    expect(facts!.entries).toBeGreaterThan(20);
    expect(facts!.categories).toBe(5);
    expect(facts!.unlinked).toBe(0);
    expect(facts!.urbanRate).toBeGreaterThan(facts!.ruralRate * 1.5);
    expect(facts!.foreignVisitors).toBe(0);
    expect(facts!.atDoor / facts!.homeVisits).toBeGreaterThan(0.55);
    expect(facts!.phoneWithFix).toBe(0);
    expect(facts!.withStates).toBeGreaterThan(0);
    expect(facts!.overdue).toBeGreaterThan(0);
    expect(facts!.dueSet).toBeGreaterThan(facts!.active * 0.8);
    expect(facts!.tenants).toBeGreaterThan(0);
  });
});
