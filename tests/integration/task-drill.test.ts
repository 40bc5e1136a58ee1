import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../api/db/client.ts';
import { applyDueStamps, simulatedWays } from '../../api/task-monitor/simulated-informants.ts';
import { createRandomStream } from '../../geo/seeded-random.ts';
import { okJson, signedInBrowser } from './support/sessions.ts';
import { insertTestTask } from './support/task-fixtures.ts';
import { testApp } from './support/test-database.ts';

const VILLAGE = '511921108209';

let app: Awaited<ReturnType<typeof testApp>>['app'];
let db: Database;

beforeAll(async () => {
  ({ app, db } = await testApp());
});

describe('simulated informants', () => {
  it('stamp a drill task forward in time order, a few never answering, each move a task.target event', async () => {
    const task = await insertTestTask(db, { areaCode: VILLAGE });
    const ways = simulatedWays(
      task.targets.map((target) => target.id),
      'notice',
      createRandomStream(11, 'test'),
    );
    for (const way of ways) {
      if (way.read !== null) expect(way.read).toBeGreaterThan(way.delivered!);
      if (way.acknowledged !== null) expect(way.done).toBe(way.acknowledged);
    }
    const at = (minutes: number) => new Date(task.dispatchedAt.getTime() + minutes * 60_000);
    const early = await applyDueStamps(db, task.id, task.dispatchedAt, ways, at(0.01));
    expect(early).toBe(0);
    const firstMinute = await applyDueStamps(db, task.id, task.dispatchedAt, ways, at(1));
    const expectedFirst = ways.filter((way) => way.delivered !== null && way.delivered <= 60_000).length;
    expect(firstMinute).toBe(expectedFirst);
    // The same instant again moves nothing; the end of the play moves every target that answers.
    expect(await applyDueStamps(db, task.id, task.dispatchedAt, ways, at(1))).toBe(0);
    await applyDueStamps(db, task.id, task.dispatchedAt, ways, at(30));
    const rows = await db.rows<{ id: number; delivered: string | null; done: string | null }>(sql`
      SELECT id::int AS id, delivered_at AS delivered, done_at AS done FROM task_targets WHERE task_id = ${task.id}`);
    const byId = new Map(ways.map((way) => [way.id, way]));
    for (const row of rows) {
      const way = byId.get(row.id)!;
      expect(row.delivered === null).toBe(way.delivered === null);
      expect(row.done === null).toBe(way.done === null);
      if (way.done !== null) expect(new Date(row.done!).getTime()).toBe(task.dispatchedAt.getTime() + way.done);
    }
    const [events] = await db.rows<{ n: number; outside: number }>(sql`
      SELECT count(*)::int AS n, count(*) FILTER (WHERE NOT scope_code ^@ ${VILLAGE})::int AS outside
      FROM live_events WHERE type = 'task.target' AND payload->>'taskId' = ${task.id}`);
    expect(events!.n).toBeGreaterThanOrEqual(rows.filter((row) => row.delivered !== null).length);
    expect(events!.outside).toBe(0);
  });
});

describe('POST /api/drill/tasks', () => {
  it('sends a practice notice only while a drill runs over the area', async () => {
    const county = await signedInBrowser(app, 't-county');
    const refused = await county.request('POST', '/api/drill/tasks', { areaCode: VILLAGE });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('drill_not_running');
    await okJson(county.request('PUT', '/api/drill', { running: true, intervalSeconds: 600, scopeCode: '511921108' }), 'drill');
    try {
      // A drill over 沙溪镇 does not cover 涪阳镇.
      expect((await county.request('POST', '/api/drill/tasks', { areaCode: '511921112200' })).status).toBe(409);
      const sent = await county.request('POST', '/api/drill/tasks', { areaCode: VILLAGE });
      expect(sent.status).toBe(201);
      const { taskId, targets } = (await sent.json()) as { taskId: string; targets: number };
      const [task] = await db.rows<{ drill: boolean; targets: number; events: number }>(sql`
        SELECT drill, target_count AS targets,
          (SELECT count(*)::int FROM live_events WHERE type = 'task.dispatched' AND payload->>'taskId' = ${taskId}) AS events
        FROM tasks WHERE id = ${taskId}`);
      const [cells] = await db.rows<{ n: number }>(sql`
        SELECT count(*)::int AS n FROM areas WHERE level IN ('cell', 'grid') AND code ^@ ${VILLAGE}`);
      expect(task).toEqual({ drill: true, targets: cells!.n, events: cells!.n });
      expect(targets).toBe(cells!.n);
    } finally {
      await okJson(county.request('PUT', '/api/drill', { running: false, scopeCode: '511921108' }), 'drill stop');
    }
  });
});
