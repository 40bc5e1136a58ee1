/**
 * The county's review for a year, every level (issue 18): the review service as the route runs it
 * (`/api/review/areas/<county>?levels=all`: a county-wide scoped handle, row-level security on
 * reports, steps, evaluations, cells, patrols and visits, the areas' names, the KPIs and grades
 * worked out) against the two statements that compute its figures (caseSumsSql and fieldSumsSql in
 * api/review/repository.ts, the same text and parameters) sent straight to the driver as the
 * owner: the floor for that answer. Alternating, call by call.
 *
 * On a fresh database of the small generated county with a synthetic year of CASES cases (their
 * timelines and residents' scores), spread over its cells. `BENCH_ONLY=review npm run bench` runs
 * it on the embedded database, and on PostgreSQL too when DATABASE_URL is set.
 */
import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Database } from '../../api/db/client.ts';
import { areaReader, scopedDatabase } from '../../api/db/scoped.ts';
import { periodOf } from '../../api/review/period.ts';
import { caseSumsSql, fieldSumsSql, type Grouping } from '../../api/review/repository.ts';
import { reviewService } from '../../api/review/service.ts';
import { onFreshEngines } from './fresh-engines.ts';
import { alternateCalls, type LoadResult } from './load.ts';

const COUNTY = '511921';
const CASES = 20_000;
const CALLS = 20;

interface ReviewBenchResult {
  engine: string;
  cases: number;
  areas: number;
  raw: LoadResult;
  service: LoadResult;
}

/**
 * A year of synthetic cases, deterministic from their number: dispatched, acknowledged with a
 * three-day deadline, handled and closed (one in seven late), with a twentieth deferred, cancelled,
 * left open, reworked, and a tenth handled on the spot; a resident's score on every third.
 */
async function fillYear(db: Database, now: Date): Promise<void> {
  const start = new Date(now.getTime() - 365 * 86_400_000).toISOString();
  await db.rows(sql`
    WITH c AS (SELECT code, label_point, row_number() OVER (ORDER BY code) - 1 AS i, count(*) OVER () AS total
      FROM areas WHERE level = 'cell'),
    n AS (SELECT n, ${start}::timestamptz + (n::float8 / ${CASES}) * interval '360 days' AS at FROM generate_series(0, ${CASES - 1}) n)
    INSERT INTO reports (id, case_number, client_id, reporter_name, reporter_role, source, type, urgency, description, location,
      cell_code, grid_code, village_code, township_code, state, reported_at, updated_at, filed_at, dispatched_at, closed_at,
      closed_on_time, due_at, assigned_department_code)
    SELECT 'BR-' || n.n, 'BR-' || n.n, 'BR-' || n.n, '测试', 'cell_informant', 'demo', 'landslide', 'normal', '考评基准', c.label_point,
      c.code, left(c.code, 15), left(c.code, 12), left(c.code, 9),
      CASE n.n % 20 WHEN 0 THEN 'acknowledged' WHEN 1 THEN 'cancelled' WHEN 2 THEN 'acknowledged' ELSE 'closed' END,
      n.at, n.at, n.at, n.at + interval '10 minutes',
      CASE WHEN n.n % 20 > 2 THEN n.at + interval '2 days' END,
      CASE WHEN n.n % 20 > 2 THEN n.n % 7 <> 0 END,
      n.at + interval '3 days', 'D0' || (1 + n.n % 5)
    FROM n JOIN c ON c.i = (n.n * 7919) % c.total
    ON CONFLICT (id) DO NOTHING`);
  await db.rows(sql`
    INSERT INTO case_steps (report_id, at, actor_name, actor_role, action, to_state, details, cell_code)
    SELECT r.id, r.reported_at + s.after, '测试', 'department_cadre', s.action, r.state,
      CASE s.action WHEN 'acknowledge' THEN jsonb_build_object('dueAt', to_char((r.reported_at + interval '3 days') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
        WHEN 'check' THEN jsonb_build_object('passed', s.passed)
        WHEN 'approve' THEN '{"request":{"kind":"extension"}}'::jsonb END,
      r.cell_code
    FROM reports r CROSS JOIN (VALUES ('dispatch', interval '10 minutes', NULL::boolean, 0),
      ('acknowledge', interval '40 minutes', NULL, 0), ('approve', interval '1 day', NULL, 1),
      ('feedback', interval '1 day', NULL, 2), ('check', interval '26 hours', false, 3), ('check', interval '2 days', true, 2)) AS s(action, after, passed, kind)
    WHERE r.id ^@ 'BR-' AND (s.kind = 0
      OR (s.kind = 1 AND substr(r.id, 4)::int % 20 = 0)
      OR (s.kind = 2 AND substr(r.id, 4)::int % 20 > 2)
      OR (s.kind = 3 AND substr(r.id, 4)::int % 20 = 3))`);
  await db.rows(sql`
    INSERT INTO case_evaluations (report_id, party, subject_code, score, source, evaluator_name, evaluator_role, client_id, area_code)
    SELECT id, 'resident', '', 1 + substr(id, 4)::int % 5, 'field', '测试', 'cell_informant', id, cell_code
    FROM reports WHERE id ^@ 'BR-' AND state = 'closed' AND substr(id, 4)::int % 3 = 0
    ON CONFLICT DO NOTHING`);
  // Statistics for the planner and a vacuumed heap, as autovacuum would leave a database that grew
  // over a year (PGlite runs none): without statistics it nests loops over the year's steps and
  // takes minutes; with ANALYZE alone, PostgreSQL's autovacuum could wake on the fresh rows during
  // the measured calls, and the ratio swung from 1.0x to 1.4x between runs.
  await db.rows(sql`VACUUM ANALYZE`);
}

async function benchReview(db: Database, now = new Date()): Promise<ReviewBenchResult> {
  await fillYear(db, now);
  const [counts] = await db.rows<{ cases: number }>(sql`SELECT count(*)::int AS cases FROM reports`);
  const period = periodOf(undefined, undefined, now);
  const window = { areaCode: COUNTY, start: period.start, end: period.end, now };
  const grouping: Grouping = { by: 'prefix', lengths: [6, 9, 12, 15] };
  const dialect = new PgDialect();
  const statements = [dialect.sqlToQuery(caseSumsSql(window, grouping)), dialect.sqlToQuery(fieldSumsSql(window, grouping))];
  const driver = (db.orm as unknown as { $client: { query(text: string, params: unknown[]): Promise<{ rows: unknown[] }> } })
    .$client;
  const reader = scopedDatabase(db, areaReader(COUNTY));
  const service = reviewService(db, { now: () => now });
  const principal = {
    accountId: 'bench',
    username: 'bench',
    displayName: 'bench',
    role: 'county_commander',
    scopeCode: COUNTY,
    departmentCode: null,
    sessionId: 'bench',
    csrfToken: 'bench',
  };
  const paths = {
    raw: async () => {
      const [cases] = await Promise.all(statements.map((statement) => driver.query(statement.sql, statement.params)));
      return cases!.rows.length;
    },
    service: async () => {
      const review = await service.area(reader, principal, COUNTY, { levels: 'all' });
      return review.children.filter((child) => child.counts.due > 0).length + 1;
    },
  };
  const [rawRows, serviceRows] = [await paths.raw(), await paths.service()];
  if (rawRows !== serviceRows) throw new Error(`raw SQL gave ${rawRows} areas with cases, the service ${serviceRows}`);
  const times = await alternateCalls(paths, CALLS, 2);
  return {
    engine: db.engine,
    cases: counts?.cases ?? 0,
    areas: rawRows,
    raw: times.raw,
    service: times.service,
  };
}

const fmt = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

function printReview(result: ReviewBenchResult): void {
  console.log(
    `\n### [${result.engine}] the county's review for a year, every level (${result.cases} cases, ${result.areas} areas with cases; small county)\n`,
  );
  console.log('| path | calls | p50 ms | p99 ms | time ratio to raw SQL |');
  console.log('| --- | --- | --- | --- | --- |');
  const row = (name: string, load: LoadResult) =>
    console.log(
      `| ${name} | ${load.requests} | ${fmt(load.p50Ms, 2)} | ${fmt(load.p99Ms, 2)} | ${fmt(load.p50Ms / result.raw.p50Ms, 2)}x |`,
    );
  row('raw SQL of the case and field sums (owner)', result.raw);
  row('review service (county-wide scoped handle, row-level security, names, KPIs and grades)', result.service);
}

/** Target rows for run.ts's table: [target, measured, met]. */
export function reviewTargets(results: readonly ReviewBenchResult[]): [string, string, boolean][] {
  return results.map((result) => {
    const ratio = result.service.p50Ms / result.raw.p50Ms;
    return [
      `${result.engine}: the county's review for a year within 1.2x of its raw SQL (p50)`,
      `${fmt(ratio, 2)}x`,
      ratio <= 1.2,
    ];
  });
}

/** The engines to measure: the embedded database, and PostgreSQL (a fresh database, dropped after) when DATABASE_URL names one. */
export async function benchReviewEngines(postgresUrl: string | undefined): Promise<ReviewBenchResult[]> {
  return onFreshEngines('review', postgresUrl, (db) => benchReview(db), printReview);
}
