import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../api/db/client.ts';
import { areaReader, scopedDatabase } from '../../api/db/scoped.ts';
import { ensureDemoHistory } from '../../api/demo/service.ts';
import { reviewService } from '../../api/review/service.ts';
import { seedIfEmpty } from '../../api/seed/service.ts';
import { principalOf } from './review-fixtures.ts';
import { freshDatabase } from './support/test-database.ts';

/**
 * The embedded demo's year as a first start writes it, on a database of its own (the shared one
 * holds other tests' cases, and the demo writes only into an empty reports table).
 */
const SEED = 7;
const NOW = new Date('2026-11-15T04:00:00Z');

let db: Database;
let written: number;

beforeAll(async () => {
  db = await freshDatabase();
  await seedIfEmpty(db, { seed: SEED, preset: 'small' });
  written = await ensureDemoHistory(db, { seed: SEED, now: NOW });
}, 300_000);

afterAll(async () => {
  await db?.close();
});

const one = async <Row>(query: ReturnType<typeof sql>) => (await db.rows<Row>(query))[0]!;

describe('the demo’s year', () => {
  it('covers the 365 days before now, once', async () => {
    expect(written).toBeGreaterThan(50);
    const span = await one<{ first: string; last: string; count: number }>(sql`
      SELECT min(reported_at)::text AS first, max(reported_at)::text AS last, count(*)::int AS count FROM reports`);
    expect(span.count).toBe(written);
    expect(new Date(span.first).getTime()).toBeGreaterThanOrEqual(NOW.getTime() - 365 * 86_400_000);
    expect(new Date(span.first).getTime()).toBeLessThan(NOW.getTime() - 300 * 86_400_000);
    expect(await ensureDemoHistory(db, { seed: SEED, now: NOW })).toBe(0);
  });

  it('has extended, reworked, cancelled and merged cases, and merges into an earlier case of the same type', async () => {
    const shares = await one<{ extended: number; rework: number; cancelled: number; merged: number }>(sql`
      SELECT count(DISTINCT report_id) FILTER (WHERE action = 'approve' AND details->'request'->>'kind' = 'extension')::int AS extended,
        count(DISTINCT report_id) FILTER (WHERE action = 'check' AND (details->>'passed')::boolean = false)::int AS rework,
        count(DISTINCT report_id) FILTER (WHERE to_state = 'cancelled')::int AS cancelled,
        count(DISTINCT report_id) FILTER (WHERE action = 'merge')::int AS merged
      FROM case_steps`);
    for (const count of Object.values(shares)) expect(count).toBeGreaterThan(0);
    const mismatched = await one<{ count: number }>(sql`
      SELECT count(*)::int AS count FROM reports d JOIN reports f ON f.id = d.merged_into
      WHERE d.state <> 'merged' OR d.type <> f.type OR f.reported_at > d.reported_at`);
    expect(mismatched.count).toBe(0);
    // Each acknowledgement starts the handling deadline, as the case service writes it: the review's due day.
    const undated = await one<{ count: number }>(sql`
      SELECT count(*)::int AS count FROM case_steps WHERE action = 'acknowledge' AND details->>'dueAt' IS NULL`);
    expect(undated.count).toBe(0);
  });

  it('evaluates closed cases from three parties, the resident by a named return call', async () => {
    const parties = await db.rows<{ party: string; count: number; unnamed: number; open: number }>(sql`
      SELECT e.party, count(*)::int AS count,
        count(*) FILTER (WHERE e.party = 'resident' AND (e.called_name IS NULL OR e.called_phone IS NULL))::int AS unnamed,
        count(*) FILTER (WHERE r.closed_at IS NULL)::int AS open
      FROM case_evaluations e JOIN reports r ON r.id = e.report_id GROUP BY e.party ORDER BY e.party`);
    expect(parties.map((row) => row.party)).toEqual(['department', 'grid_worker', 'resident']);
    for (const row of parties) expect(row).toMatchObject({ unnamed: 0, open: 0 });
  });

  it('shows all three parties in the county’s review of the year', async () => {
    const review = reviewService(db, { now: () => NOW });
    const from = new Date(NOW.getTime() - 330 * 86_400_000).toISOString().slice(0, 7);
    const to = NOW.toISOString().slice(0, 7);
    const county = await review.area(
      scopedDatabase(db, areaReader('511921')),
      principalOf('county_commander', '511921'),
      '511921',
      {
        from,
        to,
      },
    );
    for (const key of ['resident_satisfaction', 'department_evaluation', 'worker_evaluation']) {
      const kpi = county.area.kpis.find((row) => row.key === key)!;
      expect({ key, counted: kpi.denominator > 0 && kpi.value !== null }).toEqual({ key, counted: true });
    }
  });

  it('gives the grid workers certificates (more in the urban core), trainings and surveys', async () => {
    const rates = await db.rows<{ urban: boolean; workers: number; certified: number; trained: number; surveyed: number }>(sql`
      SELECT t.urban, count(*)::int AS workers, count(*) FILTER (WHERE c.certificate <> 'none')::int AS certified,
        count(*) FILTER (WHERE EXISTS (SELECT 1 FROM worker_trainings w WHERE w.person_id = p.id))::int AS trained,
        count(*) FILTER (WHERE EXISTS (SELECT 1 FROM worker_surveys s WHERE s.person_id = p.id))::int AS surveyed
      FROM people p JOIN areas t ON t.code = left(p.area_code, 9) LEFT JOIN worker_credentials c ON c.person_id = p.id
      WHERE p.role = 'grid_worker' GROUP BY t.urban ORDER BY t.urban`);
    const workers = rates.reduce((sum, row) => sum + row.workers, 0);
    const certified = rates.reduce((sum, row) => sum + row.certified, 0);
    expect(certified / workers).toBeGreaterThan(0.2);
    expect(certified / workers).toBeLessThan(0.65);
    for (const row of rates) expect(row).toMatchObject({ trained: row.workers, surveyed: row.workers });
    const surveysInCells = await one<{ count: number }>(sql`
      SELECT count(*)::int AS count FROM worker_surveys s JOIN people p ON p.id = s.person_id
      WHERE left(s.area_code, 15) <> p.area_code`);
    expect(surveysInCells.count).toBe(0);
  });
});
