/**
 * The overdue list of the whole county (issue 17): the register service's due list as the route
 * runs it (`/api/special/due?area=<county>`: a scoped handle whose scope is the county, the overdue
 * and due-soon reads, the per-grid counts, the audit row) against the overdue statement itself
 * (entriesSql in api/special-populations/repository.ts: overdue and due within 7 days, the same text and parameters) sent straight
 * to the driver as the owner: the floor for that answer. Alternating, call by call.
 *
 * On a fresh database of the small generated county (4 townships) with a synthetic register of
 * REGISTER_SIZE entries spread over its households, due days spread over ±90 days of today: the
 * demo's register is seeded elsewhere. `BENCH_ONLY=special npm run bench` runs it on the embedded
 * database, and on PostgreSQL too when DATABASE_URL is set.
 */
import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Database } from '../../api/db/client.ts';
import { areaReader, scopedDatabase } from '../../api/db/scoped.ts';
import { shanghaiDay } from '../../api/special-populations/follow-up.ts';
import { entriesSql } from '../../api/special-populations/repository.ts';
import { specialPopulationsService } from '../../api/special-populations/service.ts';
import { onFreshEngines } from './fresh-engines.ts';
import { alternateCalls, type LoadResult } from './load.ts';

const COUNTY = '511921';
const REGISTER_SIZE = 4_000;
const CALLS = 40;
const LIST_LIMIT = 20_000;

export interface SpecialOverdueResult {
  engine: string;
  entries: number;
  overdue: number;
  raw: LoadResult;
  service: LoadResult;
}

/** A synthetic register over the county's households, deterministic: every n-th household, a category and a due day from its code. */
async function fillRegister(db: Database, today: string): Promise<void> {
  await db.rows(sql`
    INSERT INTO special_people (id, category, name, household_code, area_code, risk_level, registered_on, next_due_on)
    SELECT 'BENCH-' || h.code,
      (ARRAY['severe_mental_illness','drug_rehabilitation','released_prisoner','community_correction','rental_house'])[1 + abs(hashtext(h.code)) % 5],
      '测试' || right(h.code, 4), h.code, h.cell_code, NULL, ${today}::date - 400,
      ${today}::date + (abs(hashtext(h.code || 'due')) % 181 - 90)
    FROM (SELECT code, cell_code, row_number() OVER (ORDER BY code) AS n, count(*) OVER () AS total FROM households) h
    WHERE h.n % greatest(1, h.total / ${REGISTER_SIZE}) = 0
    ON CONFLICT (id) DO NOTHING`);
}

async function benchSpecialOverdue(db: Database, now = new Date()): Promise<SpecialOverdueResult> {
  const today = shanghaiDay(now);
  await fillRegister(db, today);
  const [counts] = await db.rows<{ entries: number }>(sql`SELECT count(*)::int AS entries FROM special_people`);
  const statement = new PgDialect().sqlToQuery(entriesSql({ area: COUNTY, today, needsVisit: true }, LIST_LIMIT, 0));
  const driver = (db.orm as unknown as { $client: { query(text: string, params: unknown[]): Promise<{ rows: unknown[] }> } })
    .$client;
  const reader = scopedDatabase(db, areaReader(COUNTY));
  const service = specialPopulationsService(db, { now: () => now });
  const context = {
    principal: {
      accountId: 'bench',
      username: 'bench',
      displayName: 'bench',
      role: 'grid_chief',
      scopeCode: COUNTY,
      departmentCode: null,
      sessionId: 'bench',
      csrfToken: 'bench',
    },
    ip: null,
    userAgent: 'bench',
  };
  const paths = {
    raw: async () => (await driver.query(statement.sql, statement.params)).rows.length,
    service: async () => {
      const list = await service.dueList(reader, context, COUNTY);
      return list.overdue.length + list.dueSoon.length;
    },
  };
  const [rawRows, serviceRows] = [await paths.raw(), await paths.service()];
  if (rawRows !== serviceRows) throw new Error(`raw SQL gave ${rawRows} entries to visit, the service ${serviceRows}`);
  const times = await alternateCalls(paths, CALLS, 3);
  return {
    engine: db.engine,
    entries: counts?.entries ?? 0,
    overdue: rawRows,
    raw: times.raw,
    service: times.service,
  };
}

const fmt = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

function printSpecialOverdue(result: SpecialOverdueResult): void {
  console.log(
    `\n### [${result.engine}] the county's overdue list (${result.entries} entries, ${result.overdue} overdue or due within 7 days; small county)\n`,
  );
  console.log('| path | calls | p50 ms | p99 ms | time ratio to raw SQL |');
  console.log('| --- | --- | --- | --- | --- |');
  const row = (name: string, load: LoadResult) =>
    console.log(
      `| ${name} | ${load.requests} | ${fmt(load.p50Ms, 2)} | ${fmt(load.p99Ms, 2)} | ${fmt(load.p50Ms / result.raw.p50Ms, 2)}x |`,
    );
  row('raw SQL of the entries overdue or due soon (owner)', result.raw);
  row('due list service (county-wide scoped handle, row-level security, per-grid counts, audit row)', result.service);
}

/** The engines to measure: the embedded database, and PostgreSQL (a fresh database, dropped after) when DATABASE_URL names one. */
export async function benchSpecialOverdueEngines(postgresUrl: string | undefined): Promise<SpecialOverdueResult[]> {
  return onFreshEngines('special', postgresUrl, (db) => benchSpecialOverdue(db), printSpecialOverdue);
}
