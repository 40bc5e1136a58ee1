import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLOCK_STAGES, defaultClockOf, urgencyKeysOf } from '../../api/cases/default-time-limits.ts';
import type { Database } from '../../api/db/client.ts';
import { REPORT_TYPE_CODES } from '../../api/vocabulary/report-types.ts';
import { seededDatabase } from './support/test-database.ts';

/** Migration 0008's statements, as the migrator splits them. */
const STATEMENTS = readFileSync(new URL('../../migrations/0008_limit_clocks.sql', import.meta.url), 'utf8')
  .split('--> statement-breakpoint')
  .map((statement) => statement.trim())
  .filter((statement) => statement.length > 0);

class Rollback extends Error {}

interface OldLimit {
  type: string;
  urgency: string;
  stage: string;
  amount: number;
  unit: string;
  updatedBy?: string;
}

interface OldCase {
  id: string;
  limitAmount: number | null;
  limitUnit: string | null;
  pendingRequest: Record<string, unknown> | null;
}

/**
 * Runs migration 0008 over rows shaped as 0007 left them, in a schema of their own inside a
 * transaction that is rolled back: the tables it changes as 0004 created them (`time_limits`
 * whole, `reports` with the columns 0008 reads and writes), and the rows after it.
 */
async function migrate(db: Database, limits: readonly OldLimit[], cases: readonly OldCase[]) {
  let after: { limits: Record<string, unknown>[]; cases: Record<string, unknown>[] } | undefined;
  try {
    await db.transaction(async (tx) => {
      await tx.rows(sql`CREATE SCHEMA gcc_migration_0008`);
      await tx.rows(sql`SET LOCAL search_path TO gcc_migration_0008`);
      await tx.rows(sql`
        CREATE TABLE "time_limits" (
          "type" text NOT NULL, "urgency" text NOT NULL, "stage" text NOT NULL, "amount" integer NOT NULL,
          "unit" text NOT NULL, "updated_at" timestamp with time zone DEFAULT now() NOT NULL, "updated_by" text,
          CONSTRAINT "time_limits_type_urgency_stage_pk" PRIMARY KEY("type","urgency","stage"))`);
      await tx.rows(sql`
        CREATE TABLE "reports" ("id" text PRIMARY KEY, "limit_amount" integer, "limit_unit" text, "pending_request" jsonb)`);
      await tx.rows(sql`
        INSERT INTO time_limits (type, urgency, stage, amount, unit, updated_by)
        SELECT type, urgency, stage, amount, unit, "updatedBy"
        FROM jsonb_to_recordset(${JSON.stringify(limits)}::jsonb)
          AS r(type text, urgency text, stage text, amount int, unit text, "updatedBy" text)`);
      await tx.rows(sql`
        INSERT INTO reports (id, limit_amount, limit_unit, pending_request)
        SELECT id, "limitAmount", "limitUnit", "pendingRequest"
        FROM jsonb_to_recordset(${JSON.stringify(cases)}::jsonb)
          AS r(id text, "limitAmount" int, "limitUnit" text, "pendingRequest" jsonb)`);
      for (const statement of STATEMENTS) await tx.rows(sql.raw(statement));
      after = {
        limits: await tx.rows(sql`
          SELECT type, urgency, stage, amount, unit, clock, updated_by AS "updatedBy" FROM time_limits ORDER BY type, urgency, stage`),
        cases: await tx.rows(sql`
          SELECT id, limit_amount AS "limitAmount", limit_unit AS "limitUnit", limit_clock AS "limitClock",
            pending_request AS "pendingRequest"
          FROM reports ORDER BY id`),
      };
      throw new Rollback();
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
  if (!after) throw new Error('the migration transaction ended without reading its rows');
  return after;
}

/** Every key the defaults could have had before 0008, in the units of then. */
const OLD_LIMITS: OldLimit[] = CLOCK_STAGES.flatMap((stage) =>
  urgencyKeysOf(stage).flatMap((urgency) =>
    ['*', ...REPORT_TYPE_CODES].map((type, index) => ({
      type,
      urgency,
      stage,
      amount: index + 1,
      unit: stage === 'file' ? 'minutes' : index % 2 === 0 ? 'work_hours' : 'work_days',
    })),
  ),
);

let db: Database;

beforeAll(async () => {
  db = await seededDatabase();
});

describe('migration 0008: each limit names its clock', () => {
  it('backfills every existing time limit with the default rule’s clock, keeping its amount and renaming its unit', async () => {
    const { limits } = await migrate(db, OLD_LIMITS, []);
    expect(limits).toHaveLength(OLD_LIMITS.length);
    for (const old of OLD_LIMITS) {
      expect(limits).toContainEqual({
        type: old.type,
        urgency: old.urgency,
        stage: old.stage,
        amount: old.amount,
        unit: { minutes: 'minutes', work_hours: 'hours', work_days: 'days' }[old.unit],
        clock: defaultClockOf(old.type, old.urgency),
        updatedBy: null,
      });
    }
    // The rule spelled out on the rows the issue names.
    const clockOf = (type: string, urgency: string, stage: string) =>
      limits.find((row) => row.type === type && row.urgency === urgency && row.stage === stage)?.clock;
    expect(clockOf('*', 'urgent', 'acknowledge')).toBe('natural');
    expect(clockOf('landslide', 'normal', 'handle')).toBe('natural');
    expect(clockOf('road_damage', 'normal', 'handle')).toBe('working');
    expect(clockOf('*', 'normal', 'file')).toBe('working');
  });

  it('keeps an administrator’s edited amount and who edited it', async () => {
    const { limits } = await migrate(
      db,
      [{ type: 'fire', urgency: 'normal', stage: 'handle', amount: 9, unit: 'work_days', updatedBy: 'admin' }],
      [],
    );
    expect(limits).toEqual([
      { type: 'fire', urgency: 'normal', stage: 'handle', amount: 9, unit: 'days', clock: 'working', updatedBy: 'admin' },
    ]);
  });

  it('gives each case the clock its stored deadline was counted on, and renames waiting extensions', async () => {
    const { cases } = await migrate(
      db,
      [],
      [
        { id: 'a-filing', limitAmount: 30, limitUnit: 'minutes', pendingRequest: null },
        {
          id: 'b-handling',
          limitAmount: 4,
          limitUnit: 'work_hours',
          pendingRequest: { kind: 'extension', reason: '夜间无法施工', amount: 2, unit: 'work_days' },
        },
        {
          id: 'c-handling',
          limitAmount: 3,
          limitUnit: 'work_days',
          pendingRequest: { kind: 'extension', reason: '等待材料', amount: 5, unit: 'work_hours' },
        },
        { id: 'd-parking', limitAmount: 1, limitUnit: 'work_hours', pendingRequest: { kind: 'park', reason: '汛期' } },
        { id: 'e-no-clock', limitAmount: null, limitUnit: null, pendingRequest: null },
      ],
    );
    expect(cases).toEqual([
      { id: 'a-filing', limitAmount: 30, limitUnit: 'minutes', limitClock: 'natural', pendingRequest: null },
      {
        id: 'b-handling',
        limitAmount: 4,
        limitUnit: 'hours',
        limitClock: 'working',
        pendingRequest: { kind: 'extension', reason: '夜间无法施工', amount: 2, unit: 'days' },
      },
      {
        id: 'c-handling',
        limitAmount: 3,
        limitUnit: 'days',
        limitClock: 'working',
        pendingRequest: { kind: 'extension', reason: '等待材料', amount: 5, unit: 'hours' },
      },
      {
        id: 'd-parking',
        limitAmount: 1,
        limitUnit: 'hours',
        limitClock: 'working',
        pendingRequest: { kind: 'park', reason: '汛期' },
      },
      { id: 'e-no-clock', limitAmount: null, limitUnit: null, limitClock: null, pendingRequest: null },
    ]);
  });

  it('leaves the real tables as the migrator made them: every row has a known clock and unit', async () => {
    const [row] = await db.rows<{ bad: number }>(sql`
      SELECT count(*)::int AS bad FROM time_limits WHERE clock NOT IN ('natural', 'working') OR unit NOT IN ('minutes', 'hours', 'days')`);
    expect(row!.bad).toBe(0);
  });
});
