import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { stageDueAt } from '../../api/cases/deadlines.ts';
import { DEFAULT_TIME_LIMITS } from '../../api/cases/default-time-limits.ts';
import { escalateOverdue } from '../../api/cases/escalation.ts';
import { actOk, CADRES, caseAt, casesContext, liveEventsOf, newCase, versionOf } from './cases-fixtures.ts';

let context: Awaited<ReturnType<typeof casesContext>>;

beforeAll(async () => {
  context = await casesContext();
});

/** An instant written in Shanghai wall time. */
const cst = (local: string) => new Date(`${local}+08:00`);
const iso = (local: string) => cst(local).toISOString();

/** The escalation columns of a case, as stored. */
async function caseRow(id: string) {
  const [row] = await context.db.rows<{ level: string; count: number; dueAt: string; startedAt: string; stage: string }>(sql`
    SELECT responsible_level AS level, escalation_count::int AS count, clock_stage AS stage,
      to_char(due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "dueAt",
      to_char(clock_started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "startedAt"
    FROM reports WHERE id = ${id}`);
  return row!;
}

describe('deadlines from the time_limits table', () => {
  it('seeds the defaults of DESIGN.md into the table at start, each with its clock', async () => {
    const [row] = await context.db.rows<{ count: number }>(sql`SELECT count(*)::int AS count FROM time_limits`);
    expect(row!.count).toBeGreaterThanOrEqual(DEFAULT_TIME_LIMITS.length);
    const rows = await context.db.rows<{
      type: string;
      urgency: string;
      stage: string;
      amount: number;
      unit: string;
      clock: string;
    }>(
      sql`SELECT type, urgency, stage, amount, unit, clock FROM time_limits
        WHERE (type, urgency, stage) IN (('*', 'urgent', 'file'), ('*', 'normal', 'file'), ('landslide', 'normal', 'acknowledge'))
        ORDER BY type, urgency, stage`,
    );
    expect(rows).toEqual([
      { type: '*', urgency: 'normal', stage: 'file', amount: 30, unit: 'minutes', clock: 'working' },
      { type: '*', urgency: 'urgent', stage: 'file', amount: 10, unit: 'minutes', clock: 'natural' },
      { type: 'landslide', urgency: 'normal', stage: 'acknowledge', amount: 1, unit: 'hours', clock: 'natural' },
    ]);
  });

  it('refuses a clock or a unit the check constraints do not know, even from SQL', async () => {
    await expect(
      context.db.rows(sql`UPDATE time_limits SET clock = 'lunar' WHERE type = '*' AND urgency = 'urgent' AND stage = 'file'`),
    ).rejects.toThrow();
    await expect(
      context.db.rows(sql`UPDATE time_limits SET unit = 'work_hours' WHERE type = '*' AND urgency = 'urgent' AND stage = 'file'`),
    ).rejects.toThrow();
  });

  // 2026-09-11 is a Friday, 2026-09-12 a Saturday; National Day runs 1-7 October 2026, with the
  // make-up workdays Sunday 20 September and Saturday 10 October.
  it.each([
    [
      'file, urgent: 10 natural minutes, at night on a holiday',
      { stage: 'file', urgency: 'urgent', type: 'road_damage' },
      '2026-10-02T23:55',
      '2026-10-03T00:05',
      { amount: 10, unit: 'minutes', clock: 'natural' },
    ],
    [
      'file a landslide, normal: 30 natural minutes (a geohazard), at night on a holiday',
      { stage: 'file', urgency: 'normal' },
      '2026-10-02T23:55',
      '2026-10-03T00:25',
      { amount: 30, unit: 'minutes', clock: 'natural' },
    ],
    [
      'file road damage, normal: 30 working minutes, from Friday 17:15 to Monday 08:45',
      { stage: 'file', urgency: 'normal', type: 'road_damage' },
      '2026-09-11T17:15',
      '2026-09-14T08:45',
      { amount: 30, unit: 'minutes', clock: 'working' },
    ],
    [
      'acknowledge an urgent landslide dispatched at 22:00 on a Saturday: by 23:00',
      { stage: 'acknowledge', urgency: 'urgent' },
      '2026-09-12T22:00',
      '2026-09-12T23:00',
      { amount: 1, unit: 'hours', clock: 'natural' },
    ],
    [
      'acknowledge a normal landslide dispatched at 22:00 on a Saturday: by 23:00 too',
      { stage: 'acknowledge', urgency: 'normal' },
      '2026-09-12T22:00',
      '2026-09-12T23:00',
      { amount: 1, unit: 'hours', clock: 'natural' },
    ],
    [
      'acknowledge road damage, normal: 1 working hour, Friday 17:00 to Monday 09:00',
      { stage: 'acknowledge', urgency: 'normal', type: 'road_damage' },
      '2026-09-11T17:00',
      '2026-09-14T09:00',
      { amount: 1, unit: 'hours', clock: 'working' },
    ],
    [
      'handle a landslide, urgent: 4 natural hours, Friday 16:00 to 20:00',
      { stage: 'handle', urgency: 'urgent' },
      '2026-09-11T16:00',
      '2026-09-11T20:00',
      { amount: 4, unit: 'hours', clock: 'natural' },
    ],
    [
      'handle a landslide, normal: 2 natural days through National Day',
      { stage: 'handle', urgency: 'normal' },
      '2026-09-30T10:00',
      '2026-10-02T10:00',
      { amount: 2, unit: 'days', clock: 'natural' },
    ],
    [
      'handle a dispute: 5 working days, the make-up Saturday 10 October among them',
      { stage: 'handle', urgency: 'normal', type: 'dispute' },
      '2026-09-30T10:00',
      '2026-10-13T10:00',
      { amount: 5, unit: 'days', clock: 'working' },
    ],
    [
      'handle road damage, urgent: 1 natural day over the holiday',
      { stage: 'handle', urgency: 'urgent', type: 'road_damage' },
      '2026-09-30T10:00',
      '2026-10-01T10:00',
      { amount: 1, unit: 'days', clock: 'natural' },
    ],
    [
      'handle road damage, normal: 3 working days over the holiday and up to the make-up Saturday',
      { stage: 'handle', urgency: 'normal', type: 'road_damage' },
      '2026-09-30T10:00',
      '2026-10-10T10:00',
      { amount: 3, unit: 'days', clock: 'working' },
    ],
    [
      'check road damage, rural: 2 working hours',
      { stage: 'check', urgency: 'normal', type: 'road_damage', urban: false },
      '2026-09-30T16:00',
      '2026-10-08T09:00',
      { amount: 2, unit: 'hours', clock: 'working' },
    ],
    [
      'check road damage, urban: 1 working hour',
      { stage: 'check', urgency: 'normal', type: 'road_damage', urban: true },
      '2026-09-30T16:00',
      '2026-09-30T17:00',
      { amount: 1, unit: 'hours', clock: 'working' },
    ],
    [
      'check a landslide, rural: 2 natural hours, on the eve of the holiday',
      { stage: 'check', urgency: 'normal', urban: false },
      '2026-09-30T16:00',
      '2026-09-30T18:00',
      { amount: 2, unit: 'hours', clock: 'natural' },
    ],
  ] as const)('%s', async (_label, key, start, due, limit) => {
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
    expect(deadline).toEqual({ dueAt: cst(due), ...limit });
  });
});

describe('a case’s clock through the API, at a fixed time', () => {
  // Sign in before the clock is set back: a session opened in a faked September would have
  // expired by the time later tests run in the real present.
  beforeAll(async () => {
    for (const username of ['t-duty', 't-shaxi', CADRES.D05]) await context.as(username);
  });

  /** Runs `body` with the server's clock (Date only; timers stay real) set to `local` in Shanghai. */
  async function at<T>(local: string, body: () => Promise<T>): Promise<T> {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(cst(local));
      return await body();
    } finally {
      vi.useRealTimers();
    }
  }

  it('gives a landslide dispatched at 22:00 on a Saturday until 23:00 that night, red by 23:30, escalated on the same clock', async () => {
    const { db } = context;
    const duty = await context.as('t-duty');
    const shaxi = await context.as('t-shaxi');
    const id = await at('2026-09-12T21:50', () => caseAt(context, 'filed', { type: 'landslide', urgency: 'normal' }));
    const { case: dispatched } = await at('2026-09-12T22:00', () => actOk(db, duty, id, 'dispatch', { departmentCode: 'D05' }));
    expect(dispatched).toMatchObject({
      clockStage: 'acknowledge',
      clockStartedAt: iso('2026-09-12T22:00'),
      dueAt: iso('2026-09-12T23:00'),
      limitAmount: 1,
      limitUnit: 'hours',
      limitClock: 'natural',
      light: 'green',
    });
    const detailAt = async (local: string) => at(local, async () => (await (await shaxi.get(`/api/cases/${id}`)).json()).case);
    expect(await detailAt('2026-09-12T22:48')).toMatchObject({ light: 'green', usedShare: expect.closeTo(0.8, 10) });
    expect(await detailAt('2026-09-12T22:50')).toMatchObject({ light: 'yellow' });
    expect(await detailAt('2026-09-12T23:30')).toMatchObject({ light: 'red', usedShare: expect.closeTo(1.5, 10) });
    // The list's light filter reads the same clock.
    const redList = await at('2026-09-12T23:30', async () =>
      (await shaxi.get(`/api/cases?light=red&type=landslide&pageSize=200`)).json(),
    );
    expect(redList.items.map((item: { id: string }) => item.id)).toContain(id);

    const escalated = await escalateOverdue(db, cst('2026-09-12T23:30'));
    expect(escalated).toContainEqual(expect.objectContaining({ id, fromLevel: 'cell', toLevel: 'grid' }));
    // The grid gets the acknowledge limit again, on natural time: 00:30 on Sunday, not Monday.
    expect(await caseRow(id)).toMatchObject({ stage: 'acknowledge', dueAt: cst('2026-09-13T00:30').toISOString() });
    expect(await detailAt('2026-09-13T00:00')).toMatchObject({ light: 'green', limitClock: 'natural', responsibleLevel: 'grid' });
  });

  it('gives road damage dispatched at 17:00 on a Friday one working hour: due Monday 09:00, green all weekend', async () => {
    const { db } = context;
    const duty = await context.as('t-duty');
    const shaxi = await context.as('t-shaxi');
    const id = await at('2026-09-11T16:50', () => caseAt(context, 'filed', { type: 'road_damage', urgency: 'normal' }));
    const { case: dispatched } = await at('2026-09-11T17:00', () => actOk(db, duty, id, 'dispatch', { departmentCode: 'D05' }));
    expect(dispatched).toMatchObject({
      dueAt: iso('2026-09-14T09:00'),
      limitAmount: 1,
      limitUnit: 'hours',
      limitClock: 'working',
    });
    const weekend = await at('2026-09-13T22:00', async () => (await (await shaxi.get(`/api/cases/${id}`)).json()).case);
    expect(weekend).toMatchObject({ light: 'green', usedShare: expect.closeTo(0.5, 10) });
    expect(await escalateOverdue(db, cst('2026-09-13T22:00'))).not.toContainEqual(expect.objectContaining({ id }));
  });
});

describe('the time limits routes', () => {
  it('lists the limits, each with its clock, to every role that views cases', async () => {
    for (const username of ['t-informant', 't-cadre', 't-admin']) {
      const response = await (await context.as(username)).get('/api/time-limits');
      expect(response.status).toBe(200);
      const body = await response.json();
      expect(body.units).toEqual(['minutes', 'hours', 'days']);
      expect(body.clocks).toEqual(['natural', 'working']);
      expect(body.limits).toContainEqual(
        expect.objectContaining({
          type: 'landslide',
          urgency: 'urgent',
          stage: 'handle',
          amount: 4,
          unit: 'hours',
          clock: 'natural',
        }),
      );
      expect(body.limits).toContainEqual(
        expect.objectContaining({
          type: '*',
          urgency: 'normal',
          stage: 'acknowledge',
          amount: 1,
          unit: 'hours',
          clock: 'working',
        }),
      );
      for (const limit of body.limits) expect(['natural', 'working']).toContain(limit.clock);
    }
  });

  it('lets an administrator change a limit, audited, and new clocks use it', async () => {
    const admin = await context.as('t-admin');
    try {
      const response = await admin.request('PUT', '/api/time-limits', {
        limits: [{ type: 'landslide', urgency: 'urgent', stage: 'handle', amount: 6, unit: 'hours', clock: 'natural' }],
      });
      expect(response.status).toBe(200);
      const body = await response.json();
      expect(body.limits).toContainEqual(
        expect.objectContaining({
          type: 'landslide',
          urgency: 'urgent',
          stage: 'handle',
          amount: 6,
          unit: 'hours',
          clock: 'natural',
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
              unit: 'hours',
              clock: 'natural',
              before: { amount: 4, unit: 'hours', clock: 'natural' },
            },
          ],
        },
      });
      const deadline = await stageDueAt(
        context.db,
        { type: 'landslide', urgency: 'urgent', stage: 'handle', urban: false },
        cst('2026-09-12T22:00'),
      );
      expect(deadline).toEqual({ dueAt: cst('2026-09-13T04:00'), amount: 6, unit: 'hours', clock: 'natural' });
      const id = await caseAt(context, 'dispatched', { type: 'landslide', urgency: 'urgent' });
      const { case: acknowledged } = await actOk(context.db, await context.as('cases-cadre-d05'), id, 'acknowledge');
      expect(acknowledged).toMatchObject({ limitAmount: 6, limitUnit: 'hours', limitClock: 'natural' });
    } finally {
      await admin.request('PUT', '/api/time-limits', {
        limits: [{ type: 'landslide', urgency: 'urgent', stage: 'handle', amount: 4, unit: 'hours', clock: 'natural' }],
      });
    }
  });

  it('lets an administrator switch a limit’s clock: routine acknowledgment on natural time, then back', async () => {
    const admin = await context.as('t-admin');
    const routine = { type: 'road_damage', urgency: 'normal', stage: 'acknowledge', urban: false } as const;
    try {
      const response = await admin.request('PUT', '/api/time-limits', {
        limits: [{ type: '*', urgency: 'normal', stage: 'acknowledge', amount: 1, unit: 'hours', clock: 'natural' }],
      });
      expect(response.status).toBe(200);
      expect(await stageDueAt(context.db, routine, cst('2026-09-11T17:00'))).toEqual({
        dueAt: cst('2026-09-11T18:00'),
        amount: 1,
        unit: 'hours',
        clock: 'natural',
      });
    } finally {
      await admin.request('PUT', '/api/time-limits', {
        limits: [{ type: '*', urgency: 'normal', stage: 'acknowledge', amount: 1, unit: 'hours', clock: 'working' }],
      });
    }
    expect(await stageDueAt(context.db, routine, cst('2026-09-11T17:00'))).toEqual({
      dueAt: cst('2026-09-14T09:00'),
      amount: 1,
      unit: 'hours',
      clock: 'working',
    });
  });

  it.each([
    [{ type: 'landslide', urgency: 'urgent', stage: 'handle', amount: 0, unit: 'hours', clock: 'natural' }, 'invalid_amount'],
    [{ type: 'landslide', urgency: 'urgent', stage: 'handle', amount: 1.5, unit: 'hours', clock: 'natural' }, 'invalid_request'],
    [{ type: 'landslide', urgency: 'urgent', stage: 'handle', amount: 800, unit: 'hours', clock: 'natural' }, 'invalid_amount'],
    [{ type: 'landslide', urgency: 'urgent', stage: 'handle', amount: 2, unit: 'fortnights', clock: 'natural' }, 'invalid_unit'],
    [{ type: 'landslide', urgency: 'urgent', stage: 'handle', amount: 2, unit: 'work_hours', clock: 'natural' }, 'invalid_unit'],
    [{ type: 'landslide', urgency: 'urgent', stage: 'handle', amount: 2, unit: 'hours', clock: 'lunar' }, 'invalid_clock'],
    [{ type: 'landslide', urgency: 'urgent', stage: 'handle', amount: 2, unit: 'hours' }, 'invalid_request'],
    [{ type: 'meteor', urgency: 'urgent', stage: 'handle', amount: 2, unit: 'days', clock: 'natural' }, 'invalid_type'],
    [{ type: '*', urgency: 'urgent', stage: 'check', amount: 2, unit: 'hours', clock: 'natural' }, 'invalid_urgency'],
    [{ type: '*', urgency: 'urban', stage: 'review', amount: 2, unit: 'hours', clock: 'working' }, 'invalid_stage'],
  ])('refuses %o with 400 %s and changes nothing, not even the valid rows sent with it', async (bad, code) => {
    const before = await context.db.rows(
      sql`SELECT type, urgency, stage, amount, unit, clock FROM time_limits ORDER BY type, urgency, stage`,
    );
    const response = await (await context.as('t-admin')).request('PUT', '/api/time-limits', {
      limits: [{ type: 'fire', urgency: 'normal', stage: 'handle', amount: 9, unit: 'days', clock: 'natural' }, bad],
    });
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe(code);
    expect(
      await context.db.rows(sql`SELECT type, urgency, stage, amount, unit, clock FROM time_limits ORDER BY type, urgency, stage`),
    ).toEqual(before);
  });

  it('explains a wrong clock in Chinese and in English', async () => {
    const admin = await context.as('t-admin');
    const body = { limits: [{ type: '*', urgency: 'normal', stage: 'file', amount: 30, unit: 'minutes', clock: 'office' }] };
    const zh = await admin.request('PUT', '/api/time-limits', body);
    expect((await zh.json()).error).toMatchObject({
      code: 'invalid_clock',
      message: '第 1 行：计时方式须为 natural（自然时间）或 working（工作时间）',
      details: { index: 0, clock: 'office' },
    });
    const en = await admin.request('PUT', '/api/time-limits', body, { 'Accept-Language': 'en' });
    expect((await en.json()).error.message).toBe(
      'Row 1: the clock is natural (every hour counts) or working (office time on working days)',
    );
  });

  it('refuses a repeated row', async () => {
    const row = { type: 'fire', urgency: 'normal', stage: 'handle', amount: 2, unit: 'days', clock: 'working' };
    const response = await (await context.as('t-admin')).request('PUT', '/api/time-limits', { limits: [row, row] });
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe('duplicate_time_limit');
  });

  it.each(['t-duty', 't-county', 't-shaxi', 't-cadre', 't-informant'])('refuses %s (no time-limits.manage)', async (username) => {
    const response = await (await context.as(username)).request('PUT', '/api/time-limits', {
      limits: [{ type: 'fire', urgency: 'normal', stage: 'handle', amount: 9, unit: 'days', clock: 'natural' }],
    });
    expect(response.status).toBe(403);
    const [row] = await context.db.rows<{ amount: number; clock: string }>(
      sql`SELECT amount, clock FROM time_limits WHERE type = 'fire' AND urgency = 'normal' AND stage = 'handle'`,
    );
    expect(row).toEqual({ amount: 2, clock: 'working' });
  });

  it('refuses an administrator scoped below the county: the limits hold county-wide', async () => {
    const response = await (await context.as('t-shaxi-admin')).request('PUT', '/api/time-limits', {
      limits: [{ type: 'fire', urgency: 'normal', stage: 'handle', amount: 9, unit: 'days', clock: 'natural' }],
    });
    expect(response.status).toBe(403);
    expect((await response.json()).error.code).toBe('county_scope_required');
    const [row] = await context.db.rows<{ amount: number; clock: string }>(
      sql`SELECT amount, clock FROM time_limits WHERE type = 'fire' AND urgency = 'normal' AND stage = 'handle'`,
    );
    expect(row).toEqual({ amount: 2, clock: 'working' });
  });
});

describe('escalation of overdue cases', () => {
  /** A case whose filing clock (30 minutes) ran out an hour ago. */
  async function overdueCase(options: { level?: string; parked?: boolean } = {}) {
    const { db } = context;
    const { id } = await newCase(db, { type: 'rockfall', urgency: 'normal' });
    const started = new Date(Date.now() - 90 * 60_000);
    await db.rows(sql`
      UPDATE reports SET clock_stage = 'file', limit_amount = 30, limit_unit = 'minutes', limit_clock = 'natural',
        clock_started_at = ${started.toISOString()}::timestamptz,
        due_at = ${new Date(started.getTime() + 30 * 60_000).toISOString()}::timestamptz,
        responsible_level = ${options.level ?? 'cell'}, parked = ${options.parked ?? false},
        state = ${options.parked ? 'parked' : 'reported'}
      WHERE id = ${id}`);
    return id;
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

  it('escalates a routine case overdue in a later stage with that stage’s limit, counted in working time', async () => {
    const { db } = context;
    const id = await caseAt(context, 'dispatched', { type: 'road_damage' });
    const now = cst('2026-09-11T17:00');
    await db.rows(sql`UPDATE reports SET due_at = ${cst('2026-09-11T16:00').toISOString()}::timestamptz WHERE id = ${id}`);
    expect(await escalateOverdue(db, now)).toContainEqual(expect.objectContaining({ id, toLevel: 'grid' }));
    // The acknowledge limit again: 1 working hour from Friday 17:00 is half an hour that day and half on Monday.
    expect(await caseRow(id)).toMatchObject({ stage: 'acknowledge', dueAt: cst('2026-09-14T09:00').toISOString() });
  });
});
