import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../api/db/client.ts';
import { caseAt, casesContext, HONGJIANG_CELL, newCase, SHAXI, URBAN_CELL } from './cases-fixtures.ts';

let context: Awaited<ReturnType<typeof casesContext>>;

type Counts = { reportedToday: number; open: number; awaitingAcknowledgement: number; overdue: number };
const METRICS = ['reportedToday', 'open', 'awaitingAcknowledgement', 'overdue'] as const;
interface Summary {
  at: string;
  day: string;
  dayStart: string;
  dayEnd: string;
  totals: Counts;
  byTownship: (Counts & { code: string; name: string | null })[];
  byType: (Counts & { type: string })[];
  filters: Record<(typeof METRICS)[number], Record<string, string>>;
}

const URBAN_TOWNSHIP = URBAN_CELL.slice(0, 9);
const HONGJIANG_TOWNSHIP = HONGJIANG_CELL.slice(0, 9);
const HOUR_MS = 60 * 60 * 1000;

/** Today in Shanghai, worked out here from the clock (UTC+8), not by the code under test. */
function shanghaiToday(now = new Date()): { day: string; start: Date } {
  const day = new Date(now.getTime() + 8 * HOUR_MS).toISOString().slice(0, 10);
  return { day, start: new Date(`${day}T00:00:00+08:00`) };
}

async function summaryAs(username: string): Promise<Summary> {
  const response = await (await context.as(username)).get('/api/cases/summary');
  expect(response.status).toBe(200);
  return response.json();
}

async function listTotal(username: string, query: Record<string, string>): Promise<number> {
  const params = new URLSearchParams({ ...query, pageSize: '1' });
  const response = await (await context.as(username)).get(`/api/cases?${params}`);
  expect(response.status, `GET /api/cases?${params}`).toBe(200);
  return ((await response.json()) as { total: number }).total;
}

/** Puts a case's clock `minutesLate` past its end (negative: still running), counted in wall-clock minutes. */
async function setLate(db: Database, id: string, minutesLate: number) {
  const now = Date.now();
  await db.rows(sql`
    UPDATE reports SET clock_stage = 'handle', limit_unit = 'minutes', limit_amount = 60,
      clock_started_at = ${new Date(now - (60 + minutesLate) * 60_000).toISOString()}::timestamptz,
      due_at = ${new Date(now - minutesLate * 60_000).toISOString()}::timestamptz
    WHERE id = ${id}`);
}

const byCode = (summary: Summary, code: string) => summary.byTownship.find((row) => row.code === code);
const byType = (summary: Summary, type: string) => summary.byType.find((row) => row.type === type);
const countsOf = (row: Counts | undefined): Counts => ({
  reportedToday: row?.reportedToday ?? 0,
  open: row?.open ?? 0,
  awaitingAcknowledgement: row?.awaitingAcknowledgement ?? 0,
  overdue: row?.overdue ?? 0,
});
const minus = (after: Counts, before: Counts): Counts => ({
  reportedToday: after.reportedToday - before.reportedToday,
  open: after.open - before.open,
  awaitingAcknowledgement: after.awaitingAcknowledgement - before.awaitingAcknowledgement,
  overdue: after.overdue - before.overdue,
});

/** The counts before this file's cases were written, as the county commander saw them. */
let before: Summary;
let after: Summary;

beforeAll(async () => {
  context = await casesContext();
  const { db } = context;
  before = await summaryAs('t-county');
  const { start } = shanghaiToday();
  const midday = new Date(start.getTime() + (Date.now() - start.getTime()) / 2);
  // 沙溪镇 (王坪村): reported at the first instant of today, and one just before it (yesterday);
  // one dispatched (awaiting acknowledgement) and one acknowledged but overdue, both from earlier days;
  // one reported today and already closed (counted today, not open).
  await newCase(db, { type: 'epidemic', reportedAt: start });
  await newCase(db, { type: 'epidemic', reportedAt: new Date(start.getTime() - 1000) });
  await caseAt(context, 'dispatched', { type: 'ground_crack', reportedAt: new Date(start.getTime() - 30 * HOUR_MS) });
  const late = await caseAt(context, 'acknowledged', {
    type: 'production_safety',
    reportedAt: new Date(start.getTime() - 50 * HOUR_MS),
  });
  await setLate(db, late, 30);
  const running = await caseAt(context, 'acknowledged', {
    type: 'production_safety',
    reportedAt: new Date(start.getTime() - 50 * HOUR_MS),
  });
  await setLate(db, running, -30);
  await newCase(db, { type: 'epidemic', state: 'closed', reportedAt: midday });
  // Parked a quarter into its limit, an hour before that limit ran out: its light stands still, green.
  // (The timeline is append-only: the approval is written as it would have been then.)
  const parked = await newCase(db, {
    type: 'ground_crack',
    state: 'parked',
    reportedAt: new Date(start.getTime() - 30 * HOUR_MS),
  });
  await setLate(db, parked.id, 60);
  await db.rows(sql`UPDATE reports SET parked = true WHERE id = ${parked.id}`);
  await db.rows(sql`
    INSERT INTO case_steps (report_id, at, actor_name, actor_role, action, from_state, to_state, cell_code)
    SELECT id, ${new Date(Date.now() - 105 * 60_000).toISOString()}::timestamptz, '测试', 'township_commander', 'approve',
      'acknowledged', 'parked', cell_code
    FROM reports WHERE id = ${parked.id}`);
  // The urban core (壁州街道), reported today; 红江村 (涪阳镇), overdue.
  await newCase(db, { cellCode: URBAN_CELL, type: 'epidemic', reportedAt: midday });
  const hongjiang = await newCase(db, { cellCode: HONGJIANG_CELL, type: 'production_safety', reportedAt: midday });
  await setLate(db, hongjiang.id, 5);
  after = await summaryAs('t-county');
});

describe('GET /api/cases/summary', () => {
  it('counts today in Shanghai: from its midnight to the next', () => {
    const { day, start } = shanghaiToday(new Date(after.at));
    expect(after.day).toBe(day);
    expect(after.dayStart).toBe(start.toISOString());
    expect(new Date(after.dayEnd).getTime() - new Date(after.dayStart).getTime()).toBe(24 * HOUR_MS);
    expect(after.filters.reportedToday).toEqual({ from: after.dayStart, to: after.dayEnd });
  });

  it('adds each new case where it belongs: today, open, awaiting acknowledgement, overdue', () => {
    expect(minus(after.totals, before.totals)).toEqual({ reportedToday: 4, open: 8, awaitingAcknowledgement: 1, overdue: 2 });
    expect(minus(countsOf(byCode(after, SHAXI)), countsOf(byCode(before, SHAXI)))).toEqual({
      reportedToday: 2,
      open: 6,
      awaitingAcknowledgement: 1,
      overdue: 1,
    });
    expect(minus(countsOf(byCode(after, URBAN_TOWNSHIP)), countsOf(byCode(before, URBAN_TOWNSHIP)))).toEqual({
      reportedToday: 1,
      open: 1,
      awaitingAcknowledgement: 0,
      overdue: 0,
    });
    expect(minus(countsOf(byCode(after, HONGJIANG_TOWNSHIP)), countsOf(byCode(before, HONGJIANG_TOWNSHIP)))).toEqual({
      reportedToday: 1,
      open: 1,
      awaitingAcknowledgement: 0,
      overdue: 1,
    });
    expect(minus(countsOf(byType(after, 'epidemic')), countsOf(byType(before, 'epidemic')))).toEqual({
      reportedToday: 3,
      open: 3,
      awaitingAcknowledgement: 0,
      overdue: 0,
    });
    expect(minus(countsOf(byType(after, 'production_safety')), countsOf(byType(before, 'production_safety')))).toEqual({
      reportedToday: 1,
      open: 3,
      awaitingAcknowledgement: 0,
      overdue: 2,
    });
    expect(byCode(after, SHAXI)?.name).toBe('沙溪镇');
  });

  it('sums its breakdowns to its totals', () => {
    for (const metric of METRICS) {
      expect(after.byTownship.reduce((sum, row) => sum + row[metric], 0)).toBe(after.totals[metric]);
      expect(after.byType.reduce((sum, row) => sum + row[metric], 0)).toBe(after.totals[metric]);
    }
  });

  it.each(['t-county', 't-duty', 't-shaxi', 't-chief', 't-worker', 't-cadre'])(
    'agrees with the case list for every count, township and type, as %s',
    async (username) => {
      const summary = await summaryAs(username);
      const checks: { what: string; query: Record<string, string>; expected: number }[] = [];
      for (const metric of METRICS) {
        const filter = summary.filters[metric];
        checks.push({ what: metric, query: filter, expected: summary.totals[metric] });
        for (const row of summary.byTownship)
          checks.push({ what: `${metric} ${row.code}`, query: { ...filter, area: row.code }, expected: row[metric] });
        for (const row of summary.byType)
          checks.push({ what: `${metric} ${row.type}`, query: { ...filter, type: row.type }, expected: row[metric] });
      }
      expect(checks.length).toBeGreaterThan(METRICS.length);
      for (const check of checks) {
        expect({ what: check.what, total: await listTotal(username, check.query) }).toEqual({
          what: check.what,
          total: check.expected,
        });
      }
    },
  );

  it('cuts the counts to the reader’s scope: a township commander counts only its township', async () => {
    const shaxi = await summaryAs('t-shaxi');
    expect(shaxi.byTownship.map((row) => row.code)).toEqual([SHAXI]);
    expect(shaxi.totals).toEqual(countsOf(byCode(after, SHAXI)));
    expect(JSON.stringify(shaxi)).not.toContain(HONGJIANG_TOWNSHIP);
    expect(JSON.stringify(shaxi)).not.toContain(URBAN_TOWNSHIP);
    const chief = await summaryAs('t-chief');
    expect(chief.totals.open).toBeLessThanOrEqual(shaxi.totals.open);
    expect(chief.byTownship.every((row) => row.code === SHAXI)).toBe(true);
  });

  it('is in the OpenAPI document', async () => {
    const response = await (await context.as('t-county')).get('/api/openapi.json');
    const document = (await response.json()) as {
      paths: Record<string, { get?: { responses: Record<string, unknown> } }>;
      components: { schemas: Record<string, unknown> };
    };
    expect(document.paths['/api/cases/summary']?.get?.responses).toHaveProperty('200');
    expect(document.components.schemas).toHaveProperty('DutySummary');
  });

  it('answers 401 without a session and is not mistaken for a case id', async () => {
    const anonymous = await context.app.request('/api/cases/summary');
    expect(anonymous.status).toBe(401);
    const summary = await summaryAs('t-duty');
    expect(summary).toHaveProperty('totals');
  });
});
