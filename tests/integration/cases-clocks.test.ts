import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { addWorkingDays, addWorkingHours } from '../../api/cases/working-time.ts';
import { context, detail, openCasesContext } from './cases-context.ts';
import { actOk, CADRES, caseAt } from './cases-fixtures.ts';

beforeAll(openCasesContext);

describe('clocks set by the workflow', () => {
  it('starts an urgent landslide’s clocks on natural time: acknowledge 1 hour after dispatch, handle 4 hours after that', async () => {
    const { db } = context;
    const hour = 3_600_000;
    const id = await caseAt(context, 'filed', { type: 'landslide', urgency: 'urgent' });
    const { case: dispatched } = await actOk(db, await context.as('t-duty'), id, 'dispatch', { departmentCode: 'D05' });
    expect(dispatched).toMatchObject({ clockStage: 'acknowledge', limitAmount: 1, limitUnit: 'hours', limitClock: 'natural' });
    expect(new Date(dispatched.dueAt).getTime()).toBe(new Date(dispatched.clockStartedAt).getTime() + hour);
    const { case: acknowledged } = await actOk(db, await context.as(CADRES.D05), id, 'acknowledge');
    expect(acknowledged).toMatchObject({ clockStage: 'handle', limitAmount: 4, limitUnit: 'hours', limitClock: 'natural' });
    expect(new Date(acknowledged.dueAt).getTime()).toBe(new Date(acknowledged.clockStartedAt).getTime() + 4 * hour);
    const { case: handled } = await actOk(db, await context.as(CADRES.D05), id, 'feedback', { note: '完成' });
    // 沙溪镇 is rural: the on-site check of a geohazard gets 2 hours, natural time too.
    expect(handled).toMatchObject({ clockStage: 'check', limitAmount: 2, limitUnit: 'hours', limitClock: 'natural' });
    const { case: closed } = await actOk(db, await context.as('t-duty'), id, 'check', { passed: true });
    expect(closed).toMatchObject({ state: 'closed', clockStage: null, light: 'none', closedOnTime: true });
    expect(closed.closedAt).not.toBeNull();
  });

  it('starts a routine case’s clocks on working time: acknowledge 1 working hour after dispatch', async () => {
    const { db } = context;
    const id = await caseAt(context, 'filed', { type: 'road_damage', urgency: 'normal' });
    const { case: dispatched } = await actOk(db, await context.as('t-duty'), id, 'dispatch', { departmentCode: 'D05' });
    expect(dispatched).toMatchObject({ clockStage: 'acknowledge', limitAmount: 1, limitUnit: 'hours', limitClock: 'working' });
    expect(dispatched.dueAt).toBe(addWorkingHours(new Date(dispatched.clockStartedAt), 1).toISOString());
    const { case: acknowledged } = await actOk(db, await context.as(CADRES.D05), id, 'acknowledge');
    expect(acknowledged).toMatchObject({ clockStage: 'handle', limitAmount: 3, limitUnit: 'days', limitClock: 'working' });
    expect(acknowledged.dueAt).toBe(addWorkingDays(new Date(acknowledged.clockStartedAt), 3).toISOString());
  });

  it('extends the due time by the approved extension, in working days from the old due time on a working clock', async () => {
    const { db } = context;
    const id = await caseAt(context, 'acknowledged', { type: 'dispute' });
    const before = await detail('t-duty', id);
    expect(before).toMatchObject({ limitAmount: 5, limitUnit: 'days', limitClock: 'working' });
    await actOk(db, await context.as(CADRES.D05), id, 'request_extension', { note: '当事人外出', amount: 2, unit: 'days' });
    const { case: after, step } = await actOk(db, await context.as('t-shaxi'), id, 'approve');
    expect(after.dueAt).toBe(addWorkingDays(new Date(before.dueAt), 2).toISOString());
    expect(after).toMatchObject({ limitAmount: 7, limitUnit: 'days', limitClock: 'working', state: 'acknowledged' });
    expect(step.details).toMatchObject({ previousDueAt: before.dueAt, dueAt: after.dueAt });
  });

  it('extends a natural clock in natural time: 3 more hours on an urgent landslide’s 4 are 7 hours', async () => {
    const { db } = context;
    const id = await caseAt(context, 'acknowledged', { type: 'landslide', urgency: 'urgent' });
    const before = await detail('t-duty', id);
    expect(before).toMatchObject({ limitAmount: 4, limitUnit: 'hours', limitClock: 'natural' });
    await actOk(db, await context.as(CADRES.D05), id, 'request_extension', { note: '夜间无法施工', amount: 3, unit: 'hours' });
    const { case: after } = await actOk(db, await context.as('t-shaxi'), id, 'approve');
    expect(new Date(after.dueAt).getTime()).toBe(new Date(before.dueAt).getTime() + 3 * 3_600_000);
    expect(after).toMatchObject({ limitAmount: 7, limitUnit: 'hours', limitClock: 'natural' });
  });

  it('sends a case back to filing with its assignment cleared and the filing clock restarted', async () => {
    const { db } = context;
    const id = await caseAt(context, 'dispatched');
    await actOk(db, await context.as(CADRES.D05), id, 'request_send_back', { note: '非本部门职责' });
    const { case: after } = await actOk(db, await context.as('t-duty'), id, 'approve');
    expect(after).toMatchObject({
      state: 'filed',
      assignedDepartmentCode: null,
      assignedTownshipCode: null,
      clockStage: 'file',
      limitUnit: 'minutes',
      limitAmount: 30,
      // The test case is a landslide: a geohazard files on natural time even when not urgent.
      limitClock: 'natural',
    });
    expect(after.nextActions).toContain('dispatch');
  });

  it('pauses the clock while parked and gives back the time left on resume', async () => {
    const { db } = context;
    const id = await caseAt(context, 'parked');
    const parked = await detail('t-duty', id);
    expect(parked).toMatchObject({ state: 'parked', parked: true, nextActions: ['supervise', 'resume'] });
    const parkedAt = new Date(parked.steps.at(-1).at).getTime();
    // A natural limit of 20 minutes, half used when parked: whatever the time now, it stays half used.
    await db.rows(sql`
      UPDATE reports SET limit_unit = 'minutes', limit_clock = 'natural', limit_amount = 20,
        clock_started_at = ${new Date(parkedAt - 600_000).toISOString()}::timestamptz,
        due_at = ${new Date(parkedAt + 600_000).toISOString()}::timestamptz
      WHERE id = ${id}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await detail('t-duty', id)).toMatchObject({ light: 'green', usedShare: 0.5 });
    const { case: resumed, step } = await actOk(db, await context.as('t-duty'), id, 'resume');
    expect(resumed).toMatchObject({ state: 'acknowledged', parked: false });
    // The 10 minutes left when parked count again from the resumption.
    expect(new Date(resumed.dueAt).getTime()).toBe(new Date(step.at).getTime() + 600_000);
    expect(new Date(resumed.clockStartedAt).getTime()).toBe(new Date(step.at).getTime() - 600_000);
  });

  it('counts reworks and drops a pending request when the state moves on', async () => {
    const { db } = context;
    const id = await caseAt(context, 'handled');
    await actOk(db, await context.as('t-duty'), id, 'check', { passed: false, note: '未清理干净' });
    const cadre = await context.as(CADRES.D05);
    await actOk(db, cadre, id, 'request_extension', { note: '理由', amount: 2, unit: 'hours' });
    const { step } = await actOk(db, cadre, id, 'feedback', { note: '已彻底清理' });
    expect(step.details.droppedRequest).toMatchObject({ kind: 'extension' });
    const current = await detail('t-duty', id);
    expect(current).toMatchObject({ reworkCount: 1, pendingRequest: null, state: 'handled' });
  });
});
