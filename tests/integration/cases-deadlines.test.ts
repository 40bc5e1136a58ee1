import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { stageDueAt } from '../../api/cases/deadlines.ts';
import { DEFAULT_TIME_LIMITS } from '../../api/cases/default-time-limits.ts';
import { escalateOverdue } from '../../api/cases/escalation.ts';
import { actOk, caseAt, casesContext, liveEventsOf, newCase, versionOf } from './cases-fixtures.ts';

let context: Awaited<ReturnType<typeof casesContext>>;

beforeAll(async () => {
  context = await casesContext();
});

/** An instant written in Shanghai wall time. */
const cst = (local: string) => new Date(`${local}+08:00`);

describe('deadlines from the time_limits table', () => {
  it('seeds the defaults of DESIGN.md into an empty table at start', async () => {
    const [row] = await context.db.rows<{ count: number }>(sql`SELECT count(*)::int AS count FROM time_limits`);
    expect(row!.count).toBeGreaterThanOrEqual(DEFAULT_TIME_LIMITS.length);
    const [file] = await context.db.rows<{ amount: number; unit: string }>(
      sql`SELECT amount, unit FROM time_limits WHERE type = '*' AND urgency = 'urgent' AND stage = 'file'`,
    );
    expect(file).toEqual({ amount: 10, unit: 'minutes' });
  });

  it.each([
    [
      'file, urgent: 10 minutes of wall clock, at night on a holiday',
      { stage: 'file', urgency: 'urgent' },
      '2026-10-02T23:55',
      '2026-10-03T00:05',
      10,
      'minutes',
    ],
    ['file, normal: 30 minutes', { stage: 'file', urgency: 'normal' }, '2026-10-02T23:55', '2026-10-03T00:25', 30, 'minutes'],
    [
      'acknowledge: 1 working hour, Friday 17:00 to Monday 09:00',
      { stage: 'acknowledge', urgency: 'normal' },
      '2026-09-11T17:00',
      '2026-09-14T09:00',
      1,
      'work_hours',
    ],
    [
      'handle a landslide, urgent: 4 working hours, Friday 16:00 to Monday 11:00',
      { stage: 'handle', urgency: 'urgent' },
      '2026-09-11T16:00',
      '2026-09-14T11:00',
      4,
      'work_hours',
    ],
    [
      'handle a landslide, normal: 2 working days over National Day',
      { stage: 'handle', urgency: 'normal' },
      '2026-09-30T10:00',
      '2026-10-09T10:00',
      2,
      'work_days',
    ],
    [
      'handle a dispute: 5 working days, the make-up Saturday 10 October among them',
      { stage: 'handle', urgency: 'normal', type: 'dispute' },
      '2026-09-30T10:00',
      '2026-10-13T10:00',
      5,
      'work_days',
    ],
    [
      'handle road damage, urgent: 1 working day over the holiday',
      { stage: 'handle', urgency: 'urgent', type: 'road_damage' },
      '2026-09-30T10:00',
      '2026-10-08T10:00',
      1,
      'work_days',
    ],
    [
      'check, rural: 2 working hours',
      { stage: 'check', urgency: 'normal', urban: false },
      '2026-09-30T16:00',
      '2026-10-08T09:00',
      2,
      'work_hours',
    ],
    [
      'check, urban: 1 working hour',
      { stage: 'check', urgency: 'normal', urban: true },
      '2026-09-30T16:00',
      '2026-09-30T17:00',
      1,
      'work_hours',
    ],
  ] as const)('%s', async (_label, key, start, due, amount, unit) => {
    const deadline = await stageDueAt(
      context.db,
      {
        type: 'type' in key ? key.type : 'landslide',
        urgency: key.urgency,
        stage: key.stage,
        urban: 'urban' in key ? key.urban : false,
      },
      cst(start),
    );
    expect(deadline).toEqual({ dueAt: cst(due), amount, unit });
  });
});

describe('the time limits routes', () => {
  it('lists the limits to every role that views cases', async () => {
    for (const username of ['t-informant', 't-cadre', 't-admin']) {
      const response = await (await context.as(username)).get('/api/time-limits');
      expect(response.status).toBe(200);
      const body = await response.json();
      expect(body.units).toEqual(['minutes', 'work_hours', 'work_days']);
      expect(body.limits).toContainEqual(
        expect.objectContaining({ type: 'landslide', urgency: 'urgent', stage: 'handle', amount: 4, unit: 'work_hours' }),
      );
    }
  });

  it('lets an administrator change a limit, audited, and new clocks use it', async () => {
    const admin = await context.as('t-admin');
    try {
      const response = await admin.request('PUT', '/api/time-limits', {
        limits: [{ type: 'landslide', urgency: 'urgent', stage: 'handle', amount: 6, unit: 'work_hours' }],
      });
      expect(response.status).toBe(200);
      const body = await response.json();
      expect(body.limits).toContainEqual(
        expect.objectContaining({
          type: 'landslide',
          urgency: 'urgent',
          stage: 'handle',
          amount: 6,
          unit: 'work_hours',
          updatedBy: 't-admin',
        }),
      );
      const [audit] = await context.db.rows<{ scopeCode: string; details: { changes: unknown[] } }>(sql`
        SELECT scope_code AS "scopeCode", details FROM audit_log
        WHERE action = 'time-limits.update' AND actor_username = 't-admin' ORDER BY id DESC LIMIT 1`);
      expect(audit).toEqual({
        scopeCode: '511921',
        details: {
          changes: [
            {
              type: 'landslide',
              urgency: 'urgent',
              stage: 'handle',
              amount: 6,
              unit: 'work_hours',
              before: { amount: 4, unit: 'work_hours' },
            },
          ],
        },
      });
      const deadline = await stageDueAt(
        context.db,
        { type: 'landslide', urgency: 'urgent', stage: 'handle', urban: false },
        cst('2026-09-14T08:30'),
      );
      expect(deadline).toEqual({ dueAt: cst('2026-09-14T16:30'), amount: 6, unit: 'work_hours' });
      const id = await caseAt(context, 'dispatched', { type: 'landslide', urgency: 'urgent' });
      const { case: acknowledged } = await actOk(context.db, await context.as('cases-cadre-d05'), id, 'acknowledge');
      expect(acknowledged).toMatchObject({ limitAmount: 6, limitUnit: 'work_hours' });
    } finally {
      await admin.request('PUT', '/api/time-limits', {
        limits: [{ type: 'landslide', urgency: 'urgent', stage: 'handle', amount: 4, unit: 'work_hours' }],
      });
    }
  });

  it.each([
    [{ type: 'landslide', urgency: 'urgent', stage: 'handle', amount: 0, unit: 'work_hours' }, 'invalid_amount'],
    [{ type: 'landslide', urgency: 'urgent', stage: 'handle', amount: 1.5, unit: 'work_hours' }, 'invalid_request'],
    [{ type: 'landslide', urgency: 'urgent', stage: 'handle', amount: 800, unit: 'work_hours' }, 'invalid_amount'],
    [{ type: 'landslide', urgency: 'urgent', stage: 'handle', amount: 2, unit: 'fortnights' }, 'invalid_unit'],
    [{ type: 'meteor', urgency: 'urgent', stage: 'handle', amount: 2, unit: 'work_days' }, 'invalid_type'],
    [{ type: '*', urgency: 'urgent', stage: 'check', amount: 2, unit: 'work_hours' }, 'invalid_urgency'],
    [{ type: '*', urgency: 'urban', stage: 'review', amount: 2, unit: 'work_hours' }, 'invalid_stage'],
  ])('refuses %o with 400 %s and changes nothing, not even the valid rows sent with it', async (bad, code) => {
    const before = await context.db.rows(
      sql`SELECT type, urgency, stage, amount, unit FROM time_limits ORDER BY type, urgency, stage`,
    );
    const response = await (await context.as('t-admin')).request('PUT', '/api/time-limits', {
      limits: [{ type: 'fire', urgency: 'normal', stage: 'handle', amount: 9, unit: 'work_days' }, bad],
    });
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe(code);
    expect(
      await context.db.rows(sql`SELECT type, urgency, stage, amount, unit FROM time_limits ORDER BY type, urgency, stage`),
    ).toEqual(before);
  });

  it('refuses a repeated row', async () => {
    const row = { type: 'fire', urgency: 'normal', stage: 'handle', amount: 2, unit: 'work_days' };
    const response = await (await context.as('t-admin')).request('PUT', '/api/time-limits', { limits: [row, row] });
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe('duplicate_time_limit');
  });

  it.each(['t-duty', 't-county', 't-shaxi', 't-cadre', 't-informant'])('refuses %s (no time-limits.manage)', async (username) => {
    const response = await (await context.as(username)).request('PUT', '/api/time-limits', {
      limits: [{ type: 'fire', urgency: 'normal', stage: 'handle', amount: 9, unit: 'work_days' }],
    });
    expect(response.status).toBe(403);
    const [row] = await context.db.rows<{ amount: number }>(
      sql`SELECT amount FROM time_limits WHERE type = 'fire' AND urgency = 'normal' AND stage = 'handle'`,
    );
    expect(row!.amount).toBe(2);
  });

  it('refuses an administrator scoped below the county: the limits hold county-wide', async () => {
    const response = await (await context.as('t-shaxi-admin')).request('PUT', '/api/time-limits', {
      limits: [{ type: 'fire', urgency: 'normal', stage: 'handle', amount: 9, unit: 'work_days' }],
    });
    expect(response.status).toBe(403);
    expect((await response.json()).error.code).toBe('county_scope_required');
    const [row] = await context.db.rows<{ amount: number }>(
      sql`SELECT amount FROM time_limits WHERE type = 'fire' AND urgency = 'normal' AND stage = 'handle'`,
    );
    expect(row!.amount).toBe(2);
  });
});

describe('escalation of overdue cases', () => {
  /** A case whose filing clock (30 minutes) ran out an hour ago. */
  async function overdueCase(options: { level?: string; parked?: boolean } = {}) {
    const { db } = context;
    const { id } = await newCase(db, { type: 'rockfall', urgency: 'normal' });
    const started = new Date(Date.now() - 90 * 60_000);
    await db.rows(sql`
      UPDATE reports SET clock_stage = 'file', limit_amount = 30, limit_unit = 'minutes',
        clock_started_at = ${started.toISOString()}::timestamptz,
        due_at = ${new Date(started.getTime() + 30 * 60_000).toISOString()}::timestamptz,
        responsible_level = ${options.level ?? 'cell'}, parked = ${options.parked ?? false},
        state = ${options.parked ? 'parked' : 'reported'}
      WHERE id = ${id}`);
    return id;
  }

  async function caseRow(id: string) {
    const [row] = await context.db.rows<{ level: string; count: number; dueAt: string; startedAt: string; stage: string }>(sql`
      SELECT responsible_level AS level, escalation_count::int AS count, clock_stage AS stage,
        to_char(due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "dueAt",
        to_char(clock_started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "startedAt"
      FROM reports WHERE id = ${id}`);
    return row!;
  }

  it('moves an overdue case one level up once, restarts its clock, and writes the timeline and the live event', async () => {
    const { db } = context;
    const id = await overdueCase();
    const now = new Date();
    const escalated = await escalateOverdue(db, now);
    expect(escalated).toContainEqual(expect.objectContaining({ id, fromLevel: 'cell', toLevel: 'grid' }));
    expect(await caseRow(id)).toEqual({
      level: 'grid',
      count: 1,
      stage: 'file',
      startedAt: now.toISOString(),
      dueAt: new Date(now.getTime() + 30 * 60_000).toISOString(),
    });
    const steps = await db.rows<{
      action: string;
      actorRole: string;
      actorId: string | null;
      details: Record<string, unknown>;
    }>(sql`
      SELECT action, actor_role AS "actorRole", actor_id AS "actorId", details FROM case_steps WHERE report_id = ${id} AND action = 'escalate'`);
    expect(steps).toEqual([
      expect.objectContaining({
        actorRole: 'system',
        actorId: null,
        details: expect.objectContaining({ fromLevel: 'cell', toLevel: 'grid' }),
      }),
    ]);
    const events = (await liveEventsOf(db, id)).filter((event) => event.type === 'case.escalated');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      scopeCode: '511921108209001001',
      payload: { case: { id }, fromLevel: 'cell', toLevel: 'grid' },
    });

    // The same run again (or another process at the same moment) finds nothing left to do.
    const version = await versionOf(db, id);
    expect((await escalateOverdue(db, now)).map((row) => row.id)).not.toContain(id);
    expect(await versionOf(db, id)).toBe(version);
    expect((await caseRow(id)).count).toBe(1);

    // Half an hour later the grid has let it run out too: up to the village.
    const later = new Date(now.getTime() + 31 * 60_000);
    expect(await escalateOverdue(db, later)).toContainEqual(
      expect.objectContaining({ id, fromLevel: 'grid', toLevel: 'village' }),
    );
    expect(await caseRow(id)).toMatchObject({ level: 'village', count: 2 });
  });

  it('shows the escalation in the case timeline over HTTP', async () => {
    const id = await overdueCase();
    await escalateOverdue(context.db);
    const response = await (await context.as('t-shaxi')).get(`/api/cases/${id}`);
    const { case: detail } = await response.json();
    expect(detail).toMatchObject({ responsibleLevel: 'grid', escalationCount: 1, light: 'green' });
    expect(detail.steps.at(-1)).toMatchObject({ action: 'escalate', actorName: '系统', actorRole: 'system' });
  });

  it('leaves parked cases, finished cases and cases already at the county alone', async () => {
    const parked = await overdueCase({ parked: true });
    const atCounty = await overdueCase({ level: 'county' });
    const closed = await overdueCase();
    await context.db.rows(sql`UPDATE reports SET state = 'closed' WHERE id = ${closed}`);
    const escalated = (await escalateOverdue(context.db)).map((row) => row.id);
    for (const id of [parked, atCounty, closed]) {
      expect(escalated).not.toContain(id);
      expect((await caseRow(id)).count).toBe(0);
    }
  });

  it('escalates a case overdue in a later stage with that stage’s limit, counted in working time', async () => {
    const { db } = context;
    const id = await caseAt(context, 'dispatched');
    const now = cst('2026-09-11T17:00');
    await db.rows(sql`UPDATE reports SET due_at = ${cst('2026-09-11T16:00').toISOString()}::timestamptz WHERE id = ${id}`);
    expect(await escalateOverdue(db, now)).toContainEqual(expect.objectContaining({ id, toLevel: 'grid' }));
    // The acknowledge limit again: 1 working hour from Friday 17:00 is half an hour that day and half on Monday.
    expect(await caseRow(id)).toMatchObject({ stage: 'acknowledge', dueAt: cst('2026-09-14T09:00').toISOString() });
  });
});
