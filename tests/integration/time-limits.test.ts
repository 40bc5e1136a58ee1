import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { stageDueAt } from '../../api/cases/deadlines.ts';
import { context, cst, openCasesContext } from './cases-context.ts';
import { actOk, caseAt } from './cases-fixtures.ts';

beforeAll(openCasesContext);

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
