import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { stageDueAt } from '../../api/cases/deadlines.ts';
import { DEFAULT_TIME_LIMITS } from '../../api/cases/default-time-limits.ts';
import { escalateOverdue } from '../../api/cases/escalation.ts';
import { caseRow, context, cst, iso, openCasesContext } from './cases-context.ts';
import { actOk, CADRES, caseAt, liveEventsOf, newCase, versionOf } from './cases-fixtures.ts';

beforeAll(openCasesContext);

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
