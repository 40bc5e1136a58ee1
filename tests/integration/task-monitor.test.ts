import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../api/db/client.ts';
import { sweepTasks } from '../../api/task-monitor/escalation.ts';
import { okJson, signedInBrowser, type TestBrowser } from './support/sessions.ts';
import { insertTestResponse, insertTestTask, stampTarget } from './support/task-fixtures.ts';
import { testApp } from './support/test-database.ts';

type App = Awaited<ReturnType<typeof testApp>>['app'];

/** 王坪村 (沙溪镇), the test accounts' village, and 涪阳镇, outside every scope but the county's. */
const VILLAGE = '511921108209';
const SHAXI = '511921108';
const FUYANG = '511921112';

let app: App;
let db: Database;
let county: TestBrowser;
let shaxi: TestBrowser;
let chief: TestBrowser;

beforeAll(async () => {
  ({ app, db } = await testApp());
  county = await signedInBrowser(app, 't-county');
  shaxi = await signedInBrowser(app, 't-shaxi');
  chief = await signedInBrowser(app, 't-chief');
});

interface ReachAnswer {
  targets: number;
  townships: { code: string; targets: number; points: { minute: number; delivered: number; read: number; done: number }[] }[];
  total: { points: { minute: number; delivered: number; read: number; acknowledged: number; done: number }[] };
  fullAt: { delivered: number | null; read: number | null; acknowledged: number | null; done: number | null };
}

describe('targets and reach curves', () => {
  it('draws the shares by minute since dispatch from hand-made timestamps, and the minute 100% was reached', async () => {
    const task = await insertTestTask(db, { areaCode: VILLAGE, dispatchedMinutesAgo: 30 });
    const cells = task.targets.filter((target) => target.targetKind === 'cell');
    expect(cells.length).toBeGreaterThanOrEqual(4);
    // Every target delivered by minute 10 (one at 0.5 min: minute 1); the first half read at minute 5;
    // one acknowledged (without a read stamp: it counts as read too); none done.
    for (const [index, target] of task.targets.entries()) {
      const delivered = index === 0 ? 0.5 : index === task.targets.length - 1 ? 10 : 3;
      const read = index < task.targets.length / 2 ? 5 : null;
      await stampTarget(db, target.id, task.dispatchedAt, { delivered, read });
    }
    await stampTarget(db, task.targets.at(-1)!.id, task.dispatchedAt, { delivered: 10, acknowledged: 12 });
    const reach = await okJson<ReachAnswer>(county.get(`/api/tasks/${task.id}/reach?step=1`), 'reach');
    const n = task.targets.length;
    const readers = task.targets.filter((_, index) => index < n / 2).length + 1;
    expect(reach.targets).toBe(n);
    expect(reach.townships.map((township) => township.code)).toEqual([SHAXI]);
    const at = (minute: number) => reach.total.points.find((point) => point.minute === minute)!;
    expect(at(0).delivered).toBe(0);
    expect(at(1).delivered).toBeCloseTo(1 / n);
    expect(at(3).delivered).toBeCloseTo((n - 1) / n);
    expect(at(9).delivered).toBeCloseTo((n - 1) / n);
    expect(at(10).delivered).toBe(1);
    expect(at(5).read).toBeCloseTo((readers - 1) / n);
    expect(at(12).read).toBeCloseTo(readers / n);
    expect(at(12).acknowledged).toBeCloseTo(1 / n);
    expect(at(30).done).toBe(0);
    expect(reach.total.points.at(-1)!.minute).toBeGreaterThanOrEqual(30);
    expect(reach.fullAt).toEqual({ delivered: 10, read: null, acknowledged: null, done: null });
  });

  it('colours each target by its furthest stamp, cut to the reader’s scope', async () => {
    const task = await insertTestTask(db, { areaCode: '511921', dispatchedMinutesAgo: 5 });
    const inShaxi = task.targets.filter((target) => target.areaCode.startsWith(SHAXI));
    await stampTarget(db, inShaxi[0]!.id, task.dispatchedAt, { delivered: 1, read: 2, done: 3 });
    await stampTarget(db, inShaxi[1]!.id, task.dispatchedAt, { read: 2 });
    const all = await okJson<{ targets: { id: number; state: string; areaCode: string }[] }>(
      county.get(`/api/tasks/${task.id}/targets`),
      'targets',
    );
    expect(all.targets).toHaveLength(task.targets.length);
    const own = await okJson<{ targets: { id: number; state: string; areaCode: string }[] }>(
      shaxi.get(`/api/tasks/${task.id}/targets`),
      'targets',
    );
    expect(own.targets).toHaveLength(inShaxi.length);
    expect(own.targets.every((target) => target.areaCode.startsWith(SHAXI))).toBe(true);
    const state = (id: number) => own.targets.find((target) => target.id === id)?.state;
    expect([state(inShaxi[0]!.id), state(inShaxi[1]!.id), state(inShaxi[2]!.id)]).toEqual(['done', 'read', 'pending']);
    const reach = await okJson<ReachAnswer>(shaxi.get(`/api/tasks/${task.id}/reach`), 'reach');
    expect(reach.townships.map((township) => township.code)).toEqual([SHAXI]);
    expect(reach.targets).toBe(inShaxi.length);
    // A task of 涪阳镇 is not the grid chief's (nor the township's) to see.
    const elsewhere = await insertTestTask(db, { areaCode: FUYANG });
    expect((await chief.get(`/api/tasks/${elsewhere.id}/reach`)).status).toBe(404);
    expect((await shaxi.get(`/api/tasks/${elsewhere.id}/targets`)).status).toBe(404);
  });
});

const liveEventsOf = (type: string, taskId: string) =>
  db.rows<{ scope_code: string; payload: { targetId: number; level?: number } }>(sql`
    SELECT scope_code, payload FROM live_events WHERE type = ${type} AND payload->>'taskId' = ${taskId} ORDER BY id`);

describe('reminders', () => {
  it('reminds only the targets not done, once per clientId, inside the caller’s scope, and tracks them', async () => {
    const task = await insertTestTask(db, { areaCode: '511921', dispatchedMinutesAgo: 20 });
    const inShaxi = task.targets.filter((target) => target.areaCode.startsWith(SHAXI));
    await stampTarget(db, inShaxi[0]!.id, task.dispatchedAt, { delivered: 1, done: 2 });
    await stampTarget(db, inShaxi[1]!.id, task.dispatchedAt, { acknowledged: 2 });
    const clientId = crypto.randomUUID();
    const first = await okJson<{ reminded: number }>(
      shaxi.request('POST', `/api/tasks/${task.id}/remind`, { clientId }),
      'remind',
    );
    expect(first.reminded).toBe(inShaxi.length - 1);
    const retry = await okJson<{ reminded: number; replayed: boolean }>(
      shaxi.request('POST', `/api/tasks/${task.id}/remind`, { clientId }),
      'remind again',
    );
    expect(retry).toEqual({ reminded: inShaxi.length - 1, replayed: true });
    const [counts] = await db.rows<{ rows: number; targets: number; outside: number }>(sql`
      SELECT (SELECT count(*) FROM task_reminders WHERE task_id = ${task.id})::int AS rows,
        (SELECT count(*) FROM task_targets WHERE task_id = ${task.id} AND reminders = 1)::int AS targets,
        (SELECT count(*) FROM task_targets WHERE task_id = ${task.id} AND reminders > 0 AND NOT area_code ^@ ${SHAXI})::int AS outside`);
    expect(counts).toEqual({ rows: inShaxi.length - 1, targets: inShaxi.length - 1, outside: 0 });
    const events = await liveEventsOf('task.reminded', task.id);
    expect(events).toHaveLength(inShaxi.length - 1);
    expect(events.every((event) => event.scope_code.startsWith(SHAXI))).toBe(true);
    expect(events.map((event) => event.payload.targetId)).not.toContain(inShaxi[0]!.id);
    // The acknowledged one is not done: it is reminded too.
    expect(events.map((event) => event.payload.targetId)).toContain(inShaxi[1]!.id);

    const listed = await okJson<{
      reminders: { targetId: number; kind: string; areaCode: string; areaName: string | null; sentByName: string }[];
    }>(county.get(`/api/tasks/${task.id}/reminders`), 'reminders');
    expect(listed.reminders).toHaveLength(inShaxi.length - 1);
    expect(new Set(listed.reminders.map((reminder) => reminder.kind))).toEqual(new Set(['remind']));
    expect(listed.reminders[0]!.sentByName).toBe('t-shaxi');
    // Each names its cell as the map does, not by code alone.
    for (const reminder of listed.reminders) expect(reminder.areaName).toMatch(/网格/);

    // An area outside the caller's scope is refused; a new command reminds again.
    const outside = await shaxi.request('POST', `/api/tasks/${task.id}/remind`, {
      clientId: crypto.randomUUID(),
      areaCode: FUYANG,
    });
    expect(outside.status).toBe(403);
    const village = await okJson<{ reminded: number }>(
      county.request('POST', `/api/tasks/${task.id}/remind`, { clientId: crypto.randomUUID(), areaCode: VILLAGE }),
      'remind the village',
    );
    const [villageLaggards] = await db.rows<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM task_targets WHERE task_id = ${task.id} AND area_code ^@ ${VILLAGE} AND done_at IS NULL`);
    expect(village.reminded).toBe(villageLaggards!.n);
  });

  it('refuses reminders on a closed task', async () => {
    const task = await insertTestTask(db, { areaCode: VILLAGE });
    await db.rows(sql`UPDATE tasks SET status = 'closed', closed_at = now() WHERE id = ${task.id}`);
    const response = await county.request('POST', `/api/tasks/${task.id}/remind`, { clientId: crypto.randomUUID() });
    expect(response.status).toBe(409);
  });
});

describe('the escalation sweep', () => {
  it('takes a silent cell to its grid worker after the limit, then its grid chief after twice as long, once each', async () => {
    const task = await insertTestTask(db, { areaCode: VILLAGE, dispatchedMinutesAgo: 70, escalateAfterMinutes: 60 });
    const cells = task.targets.filter((target) => target.targetKind === 'cell');
    const grids = task.targets.filter((target) => target.targetKind === 'grid');
    await stampTarget(db, cells[0]!.id, task.dispatchedAt, { delivered: 1, acknowledged: 5 });
    await stampTarget(db, cells[1]!.id, task.dispatchedAt, { delivered: 1, read: 5 });
    await sweepTasks(db);
    const levels = async () =>
      new Map(
        (
          await db.rows<{ id: number; level: number }>(sql`
            SELECT id::int AS id, escalation_level::int AS level FROM task_targets WHERE task_id = ${task.id}`)
        ).map((row) => [row.id, row.level]),
      );
    let level = await levels();
    expect(level.get(cells[0]!.id)).toBe(0);
    expect(level.get(cells[1]!.id)).toBe(1);
    expect(cells.slice(1).every((cell) => level.get(cell.id) === 1)).toBe(true);
    expect(grids.every((grid) => level.get(grid.id) === 2)).toBe(true);
    // A second sweep at the same time moves nothing and writes nothing.
    const [before] = await db.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM task_reminders WHERE task_id = ${task.id}`);
    await sweepTasks(db);
    const [after] = await db.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM task_reminders WHERE task_id = ${task.id}`);
    expect(after!.n).toBe(before!.n);
    expect(before!.n).toBe(cells.length - 1 + grids.length);
    // The recipients: the grid worker of the cell's grid, the grid chief of the village.
    const recipients = await db.rows<{ kind: string; role: string; area: string; target: string }>(sql`
      SELECT r.kind, p.role, p.area_code AS area, r.area_code AS target FROM task_reminders r
      JOIN people p ON p.id = r.recipient_id WHERE r.task_id = ${task.id}`);
    expect(recipients).toHaveLength(before!.n);
    for (const recipient of recipients) {
      if (recipient.kind === 'escalate_worker')
        expect([recipient.role, recipient.area]).toEqual(['grid_worker', recipient.target.slice(0, 15)]);
      else expect([recipient.role, recipient.area]).toEqual(['grid_chief', recipient.target.slice(0, 12)]);
    }
    const events = await liveEventsOf('task.escalated', task.id);
    expect(events).toHaveLength(before!.n);
    expect(events.every((event) => event.scope_code.startsWith(VILLAGE))).toBe(true);

    // Twice the limit: the silent cells go on to the grid chief; the acknowledged one never moves.
    await db.rows(sql`UPDATE tasks SET dispatched_at = dispatched_at - interval '60 minutes' WHERE id = ${task.id}`);
    await stampTarget(db, cells[1]!.id, task.dispatchedAt, { delivered: 1, read: 5, acknowledged: 80 });
    await sweepTasks(db);
    level = await levels();
    expect(level.get(cells[0]!.id)).toBe(0);
    expect(level.get(cells[1]!.id)).toBe(1);
    expect(cells.slice(2).every((cell) => level.get(cell.id) === 2)).toBe(true);
    const chiefs = await liveEventsOf('task.escalated', task.id);
    expect(chiefs.filter((event) => event.payload.level === 2)).toHaveLength(grids.length + cells.length - 2);
  });

  it('closes a task past its deadline and chases no one on it', async () => {
    const task = await insertTestTask(db, { areaCode: VILLAGE, dispatchedMinutesAgo: 200, deadlineInMinutes: -1 });
    await sweepTasks(db);
    const [row] = await db.rows<{ status: string; escalated: number }>(sql`
      SELECT status, (SELECT count(*) FROM task_targets WHERE task_id = ${task.id} AND escalation_level > 0)::int AS escalated
      FROM tasks WHERE id = ${task.id}`);
    expect(row).toEqual({ status: 'closed', escalated: 0 });
  });
});

const VEHICLE_FORM = [
  { key: 'owner', label: '车主', type: 'text', required: true },
  { key: 'fuel', label: '燃料', type: 'choice', options: ['汽油', '柴油', '电'], required: false },
  {
    key: 'vehicles',
    label: '车辆',
    type: 'list',
    required: true,
    fields: [
      { key: 'plate', label: '车牌', type: 'text', required: true },
      { key: 'seats', label: '座位数', type: 'number', required: true },
    ],
  },
];

describe('results and exports', () => {
  async function collection() {
    const task = await insertTestTask(db, {
      areaCode: '511921',
      kind: 'collection',
      fields: VEHICLE_FORM,
      dispatchedMinutesAgo: 10,
    });
    const shaxiCell = task.targets.find((target) => target.targetKind === 'cell' && target.areaCode.startsWith(VILLAGE))!;
    const fuyangCell = task.targets.find((target) => target.targetKind === 'cell' && target.areaCode.startsWith(FUYANG))!;
    await insertTestResponse(
      db,
      task.id,
      shaxiCell,
      {
        owner: '张三',
        fuel: '柴油',
        vehicles: [
          { plate: '川Y12345', seats: 3 },
          { plate: '=川Y67890', seats: 2 },
        ],
      },
      { location: [107.25, 31.9] },
    );
    await insertTestResponse(db, task.id, fuyangCell, { owner: '李四', vehicles: [] });
    return { task, shaxiCell, fuyangCell };
  }

  it('answers the rows with their locations, cut to scope, and audits the read', async () => {
    const { task, shaxiCell } = await collection();
    const all = await okJson<{ rows: { areaCode: string; location: unknown; answers: { owner: string } }[] }>(
      county.get(`/api/tasks/${task.id}/results`),
      'results',
    );
    expect(all.rows).toHaveLength(2);
    const own = await okJson<{ fields: unknown[]; rows: { areaCode: string; location: unknown; areaName: string | null }[] }>(
      shaxi.get(`/api/tasks/${task.id}/results`),
      'results',
    );
    expect(own.fields).toHaveLength(3);
    expect(own.rows).toHaveLength(1);
    expect(own.rows[0]).toMatchObject({
      areaCode: shaxiCell.areaCode,
      location: { lon: expect.closeTo(107.25, 6), lat: expect.closeTo(31.9, 6) },
    });
    const [audit] = await db.rows<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM audit_log WHERE action = 'tasks.results_read' AND target_id = ${task.id} AND actor_username = 't-shaxi'`);
    expect(audit!.n).toBe(1);
  });

  it('exports CSV with one line per vehicle and XLSX with a sub-sheet, stamped and audited; a township’s export holds only its township', async () => {
    const { task } = await collection();
    const csvResponse = await shaxi.get(`/api/tasks/${task.id}/results.csv`);
    expect(csvResponse.status).toBe(200);
    const csv = (await csvResponse.text()).replace(/^\uFEFF/, '');
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toContain('导出人：t-shaxi');
    expect(lines[1]).toContain('车辆-车牌');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toContain('川Y12345');
    expect(lines[3]).toContain("'=川Y67890");
    expect(csv).not.toContain('李四');

    const countyCsv = await (await county.get(`/api/tasks/${task.id}/results.csv`)).text();
    expect(countyCsv).toContain('李四');

    const xlsxResponse = await shaxi.get(`/api/tasks/${task.id}/results.xlsx`);
    expect(xlsxResponse.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsxResponse.arrayBuffer());
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['填报结果', '车辆']);
    const answers = workbook.getWorksheet('填报结果')!;
    expect(String(answers.getCell('A1').value)).toContain('导出人：t-shaxi');
    expect(answers.rowCount).toBe(3);
    expect(workbook.getWorksheet('车辆')!.rowCount).toBe(4);
    const audits = await db.rows<{ format: string }>(sql`
      SELECT details->>'format' AS format FROM audit_log WHERE action = 'tasks.results_export' AND target_id = ${task.id}
      ORDER BY id`);
    expect(audits.map((row) => row.format)).toEqual(['csv', 'csv', 'xlsx']);
  });
});

describe('the API document', () => {
  it('lists the command side’s routes with their schemas', async () => {
    const document = await okJson<{ paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } }>(
      county.get('/api/openapi.json'),
      'openapi',
    );
    for (const path of [
      '/api/tasks/{id}/targets',
      '/api/tasks/{id}/reach',
      '/api/tasks/{id}/remind',
      '/api/tasks/{id}/reminders',
      '/api/tasks/{id}/results',
      '/api/tasks/{id}/results.xlsx',
      '/api/tasks/{id}/results.csv',
      '/api/drill/tasks',
    ])
      expect(Object.keys(document.paths)).toContain(path);
    expect(Object.keys(document.components.schemas)).toEqual(
      expect.arrayContaining(['TaskTarget', 'TaskReach', 'TaskReachPoint', 'TaskReminder', 'TaskResultRow']),
    );
  });
});
