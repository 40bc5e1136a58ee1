import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { context, detail, openCasesContext } from './cases-context.ts';
import { actOk, CADRES, caseAt, HONGJIANG_CELL, newCase, SHAXI, stepCount, versionOf } from './cases-fixtures.ts';

beforeAll(openCasesContext);

/** An evaluation as the routes answer it (api/cases/evaluations/routes.ts), the fields these tests read. */
interface Evaluation {
  id: string;
  party: string;
  subjectCode: string;
  source: string;
  score: number;
  calledName: string | null;
  calledPhone: string | null;
  note: string;
}

/** What a POST answers: the evaluation when it was taken, the error when it was refused (the test knows which from the status). */
interface RateAnswer {
  evaluation: Evaluation;
  error: { code: string; message: string };
}

/** POSTs one party's evaluation as `username`; returns the status and body. */
async function rate(username: string, id: string, party: string, fields: Record<string, unknown> = {}) {
  const body = { clientId: randomUUID(), score: 4, ...fields };
  const response = await (await context.as(username)).request('POST', `/api/cases/${id}/evaluations/${party}`, body);
  return { status: response.status, body: (await response.json()) as RateAnswer, sent: body };
}

const CALLED = { calledName: '王大姐', calledPhone: '13800001234' };

async function evaluationsOf(username: string, id: string) {
  const response = await (await context.as(username)).get(`/api/cases/${id}/evaluations`);
  return { status: response.status, evaluations: ((await response.json()) as { evaluations: Evaluation[] }).evaluations };
}

async function rowsOf(id: string) {
  return context.db.rows<{ party: string; subjectCode: string; score: number; source: string }>(sql`
    SELECT party, subject_code AS "subjectCode", score::int AS score, source FROM case_evaluations WHERE report_id = ${id} ORDER BY id`);
}

describe('the resident’s satisfaction', () => {
  it('is a return call naming who was called: the case becomes evaluated, with the step and the score kept on the case', async () => {
    const id = await caseAt(context, 'closed');
    const steps = await stepCount(context.db, id);
    const first = await rate('t-duty', id, 'return-call', { ...CALLED, score: 3, note: '基本满意' });
    expect(first.status).toBe(201);
    expect(first.body.evaluation).toMatchObject({ party: 'resident', source: 'return_call', score: 3, calledName: '王大姐' });
    expect(first.body.evaluation.calledPhone).toBe('138****1234');
    const seen = await detail('t-duty', id);
    expect(seen).toMatchObject({ state: 'evaluated', satisfaction: 3 });
    const step = seen.steps.at(-1);
    expect(step).toMatchObject({ action: 'evaluate', fromState: 'closed', toState: 'evaluated', note: '基本满意' });
    expect(step.details).toMatchObject({ satisfaction: 3, source: 'return_call', calledName: '王大姐' });
    expect(await stepCount(context.db, id)).toBe(steps + 1);

    // The phone retries: the same row, 200, nothing more written.
    const retry = await (await context.as('t-duty')).request('POST', `/api/cases/${id}/evaluations/return-call`, first.sent);
    expect(retry.status).toBe(200);
    expect((await retry.json()).evaluation.id).toBe(first.body.evaluation.id);
    expect(await stepCount(context.db, id)).toBe(steps + 1);

    // A second call, or the reporter afterwards: the resident has rated already.
    const again = await rate('t-shaxi', id, 'return-call', CALLED);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('already_evaluated');
    expect(again.body.error.message).toMatch(/已有居民满意度评价/);
    expect(await rowsOf(id)).toHaveLength(1);
  });

  it.each([
    ['no name', { calledPhone: '13800001234' }],
    ['no number', { calledName: '王大姐' }],
    ['a blank name', { calledName: '  ', calledPhone: '13800001234' }],
    ['a number that is no number', { calledName: '王大姐', calledPhone: '不知道' }],
  ])('refuses a return call with %s (400), writing nothing', async (_label, fields) => {
    const id = await caseAt(context, 'closed');
    const version = await versionOf(context.db, id);
    const { status } = await rate('t-duty', id, 'return-call', fields);
    expect(status).toBe(400);
    expect(await rowsOf(id)).toEqual([]);
    expect(await versionOf(context.db, id)).toBe(version);
  });

  it('is refused as a bare score through the workflow', async () => {
    const id = await caseAt(context, 'closed');
    const response = await (await context.as('t-duty')).request('POST', `/api/cases/${id}/actions`, {
      action: 'evaluate',
      clientId: randomUUID(),
      version: await versionOf(context.db, id),
    });
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe('evaluate_by_return_call');
  });

  it('comes from the reporter on their own closed report, and from no one else on the field page', async () => {
    const id = await caseAt(context, 'closed');
    const [informant] = await context.db.rows<{ id: string }>(sql`SELECT id FROM accounts WHERE username = 't-informant'`);
    await context.db.rows(sql`UPDATE reports SET reporter_id = ${informant!.id} WHERE id = ${id}`);
    const other = await rate('t-worker', id, 'field', { score: 5 });
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('not_reporter');
    const own = await rate('t-informant', id, 'field', { score: 5 });
    expect(own.status).toBe(201);
    expect(own.body.evaluation).toMatchObject({ party: 'resident', source: 'field', score: 5, calledName: null });
    expect(await detail('t-duty', id)).toMatchObject({ state: 'evaluated', satisfaction: 5 });
  });

  it('waits for the case to close (409)', async () => {
    const id = await caseAt(context, 'handled');
    const { status, body } = await rate('t-duty', id, 'return-call', CALLED);
    expect(status).toBe(409);
    expect(body.error.code).toBe('case_not_closed');
  });

  it('is not given by a role that does not command cases (403)', async () => {
    const id = await caseAt(context, 'closed');
    expect((await rate('t-worker', id, 'return-call', CALLED)).status).toBe(403);
  });
});

describe('the department’s view and the grid worker’s rating', () => {
  /** A case led by D05 with D07 co-handling, handled by D05. */
  async function coHandledCase(): Promise<string> {
    const { id } = await newCase(context.db);
    const duty = await context.as('t-duty');
    const d05 = await context.as(CADRES.D05);
    await actOk(context.db, duty, id, 'file');
    await actOk(context.db, duty, id, 'dispatch', { townshipCode: SHAXI, departmentCode: 'D05', coDepartmentCodes: ['D07'] });
    await actOk(context.db, d05, id, 'acknowledge');
    await actOk(context.db, d05, id, 'feedback', { note: '已处置' });
    return id;
  }

  it('each department the case went to gives its view once handled, and sees only its own department’s rows', async () => {
    const id = await coHandledCase();
    const d05 = await rate(CADRES.D05, id, 'department', { score: 5 });
    expect(d05.status).toBe(201);
    expect(d05.body.evaluation).toMatchObject({ party: 'department', subjectCode: 'D05', source: 'department' });
    const d07 = await rate(CADRES.D07, id, 'department', { score: 2, note: '配合不及时' });
    expect(d07.status).toBe(201);
    const twice = await rate(CADRES.D05, id, 'department', { score: 1 });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('already_evaluated');
    // A cadre of no department does not see the case at all.
    expect((await rate(CADRES.none, id, 'department')).status).toBe(404);

    const seen = await detail('t-duty', id);
    expect(seen.steps.filter((step: { action: string }) => step.action === 'department_view')).toHaveLength(2);
    expect(seen.state).toBe('handled');

    await actOk(context.db, await context.as('t-duty'), id, 'check', { passed: true });
    const worker = await rate('t-worker', id, 'grid-worker', { score: 4, departmentCode: 'D07' });
    expect(worker.status).toBe(201);
    expect(worker.body.evaluation).toMatchObject({ party: 'grid_worker', subjectCode: 'D07', source: 'grid_worker' });
    const lead = await rate('t-worker', id, 'grid-worker', { score: 5 });
    expect(lead.body.evaluation).toMatchObject({ subjectCode: 'D05' });
    expect((await rate('t-worker', id, 'grid-worker', { score: 1 })).status).toBe(409);

    const county = await evaluationsOf('t-duty', id);
    expect(county.evaluations.map((row) => `${row.party}:${row.subjectCode}`).sort()).toEqual([
      'department:D05',
      'department:D07',
      'grid_worker:D05',
      'grid_worker:D07',
    ]);
    const ofD05 = await evaluationsOf(CADRES.D05, id);
    expect(ofD05.evaluations.map((row) => `${row.party}:${row.subjectCode}`).sort()).toEqual([
      'department:D05',
      'grid_worker:D05',
    ]);
    expect(JSON.stringify(ofD05.evaluations)).not.toContain('配合不及时');
  });

  it('a department gives its view only once the case is handled, and not to a case that was not its own', async () => {
    const { id } = await newCase(context.db, { type: 'flood' });
    await actOk(context.db, await context.as('t-duty'), id, 'file');
    await actOk(context.db, await context.as('t-duty'), id, 'dispatch', { townshipCode: SHAXI, departmentCode: 'D05' });
    const early = await rate(CADRES.D05, id, 'department');
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('case_not_handled');
  });

  it('the grid worker rates only once the case is closed, and only a case of their own grid', async () => {
    const id = await caseAt(context, 'handled');
    const early = await rate('t-worker', id, 'grid-worker');
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('case_not_closed');
    await actOk(context.db, await context.as('t-duty'), id, 'check', { passed: true });
    const chief = await rate('t-chief', id, 'grid-worker');
    expect(chief.status).toBe(403);
    expect(chief.body.error.code).toBe('not_your_grid');
  });

  it('a case without a department has none to rate (409)', async () => {
    const { id } = await newCase(context.db);
    await context.db.rows(sql`UPDATE reports SET state = 'closed', assigned_township_code = ${SHAXI} WHERE id = ${id}`);
    const { status, body } = await rate('t-worker', id, 'grid-worker');
    expect(status).toBe(409);
    expect(body.error.code).toBe('no_department');
  });
});

describe('scope', () => {
  it('answers 404 for a case outside the caller’s scope, to read or to rate', async () => {
    const { id } = await newCase(context.db, { cellCode: HONGJIANG_CELL });
    await context.db.rows(sql`UPDATE reports SET state = 'closed' WHERE id = ${id}`);
    expect((await evaluationsOf('t-shaxi', id)).status).toBe(404);
    expect((await rate('t-shaxi', id, 'return-call', CALLED)).status).toBe(404);
    expect(await rowsOf(id)).toEqual([]);
  });
});
