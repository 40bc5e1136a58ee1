import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../api/db/client.ts';
import { assessWorkers } from '../../api/review/service.ts';
import { insertTestReport } from './support/reports.ts';
import { okJson, signedInBrowser, type TestBrowser } from './support/sessions.ts';
import { testApp } from './support/test-database.ts';

type App = Awaited<ReturnType<typeof testApp>>['app'];

interface Worker {
  personId: string;
  name: string;
  gridCode: string;
  certificate: string;
  trainingHours: number;
  surveyMean: number | null;
  surveys: number;
}
interface Rate {
  code: string;
  name: string | null;
  workers: number;
  certified: number;
  rate: number | null;
}
interface List {
  year: number;
  workers: Worker[];
  townships: Rate[];
  villages: Rate[];
}

const SHAXI = '511921108';
const WANGPING = '511921108209';
const INFORMANT_CELL = '511921108209001001';
/** A year of the past the tests' cases are stamped in, so no other test's cases count in it. */
const CASE_YEAR = 2001;
const thisYear = new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();

let app: App;
let db: Database;
const browsers: Record<string, TestBrowser> = {};
/** 沙溪镇's grid workers, by grid code. */
let shaxiWorkers: { id: string; gridCode: string }[];

beforeAll(async () => {
  ({ app, db } = await testApp());
  for (const username of ['t-county', 't-shaxi', 't-chief', 't-informant', 't-worker', 't-admin', 't-duty']) {
    browsers[username] = await signedInBrowser(app, username);
  }
  shaxiWorkers = await db.rows<{ id: string; gridCode: string }>(sql`
    SELECT id, area_code AS "gridCode" FROM people WHERE role = 'grid_worker' AND area_code ^@ ${SHAXI} ORDER BY area_code, id`);
});

const list = (username: string, year = thisYear) =>
  okJson<List>(browsers[username]!.request('GET', `/api/workforce/workers?year=${year}`), 'workers');

describe('the workforce list and the certification rate', () => {
  it('lists the grid workers of the caller’s scope only, and audits the read', async () => {
    const shaxi = await list('t-shaxi');
    expect(shaxi.workers.length).toBe(shaxiWorkers.length);
    expect(shaxi.workers.every((worker) => worker.gridCode.startsWith(SHAXI))).toBe(true);
    const chief = await list('t-chief');
    expect(chief.workers.length).toBeGreaterThan(0);
    expect(chief.workers.every((worker) => worker.gridCode.startsWith(WANGPING))).toBe(true);
    const [audit] = await db.rows<{ count: number }>(sql`
      SELECT COUNT(*)::int AS count FROM audit_log WHERE actor_username = 't-shaxi' AND action = 'workforce.list_read'`);
    expect(audit!.count).toBeGreaterThan(0);
  });

  it('gives the rate per township and village as certified workers over workers, hand-computed', async () => {
    // Every third worker of 沙溪镇 (by grid) holds a certificate, the rest none.
    for (const [index, worker] of shaxiWorkers.entries()) {
      const certified = index % 3 === 0;
      await okJson(
        browsers['t-shaxi']!.request('PUT', `/api/workforce/workers/${worker.id}/credential`, {
          certificate: certified ? 'assistant' : 'none',
          certificateNumber: certified ? `ZS-${index}` : null,
          certifiedOn: certified ? '2020-06-01' : null,
          examStatus: certified ? 'passed' : 'registered',
          examYear: certified ? 2020 : thisYear,
        }),
        'credential',
      );
    }
    const expectedTownship = shaxiWorkers.filter((_, index) => index % 3 === 0).length;
    const wangping = shaxiWorkers.map((worker, index) => ({ ...worker, index })).filter((w) => w.gridCode.startsWith(WANGPING));
    const expectedVillage = wangping.filter((worker) => worker.index % 3 === 0).length;

    const shaxi = await list('t-shaxi');
    expect(shaxi.townships).toEqual([
      {
        code: SHAXI,
        name: '沙溪镇',
        workers: shaxiWorkers.length,
        certified: expectedTownship,
        rate: expectedTownship / shaxiWorkers.length,
      },
    ]);
    const village = shaxi.villages.find((rate) => rate.code === WANGPING)!;
    expect(village).toMatchObject({ workers: wangping.length, certified: expectedVillage });
    expect(village.rate).toBeCloseTo(expectedVillage / wangping.length, 10);

    const county = await list('t-county');
    const codes = county.townships.map((rate) => rate.code);
    expect(codes.length).toBeGreaterThan(1);
    expect(codes).toContain(SHAXI);
    const rates = county.townships.map((rate) => rate.rate ?? -1);
    expect(rates).toEqual([...rates].sort((a, b) => b - a));
  });

  it('refuses a worker outside the caller’s scope (404), and those without review.people (403)', async () => {
    const [outside] = await db.rows<{ id: string }>(sql`
      SELECT id FROM people WHERE role = 'grid_worker' AND NOT area_code ^@ ${SHAXI} LIMIT 1`);
    const body = { certificate: 'senior', examStatus: 'passed' };
    const out = await browsers['t-shaxi']!.request('PUT', `/api/workforce/workers/${outside!.id}/credential`, body);
    expect(out.status).toBe(404);
    expect(((await out.json()) as { error: { message: string } }).error.message).toContain('网格员');
    const chief = await browsers['t-chief']!.request('PUT', `/api/workforce/workers/${shaxiWorkers[0]!.id}/credential`, body);
    expect(chief.status).toBe(403);
    const bad = await browsers['t-shaxi']!.request('PUT', `/api/workforce/workers/${shaxiWorkers[0]!.id}/credential`, {
      certificate: 'doctor',
      examStatus: 'passed',
    });
    expect(bad.status).toBe(400);
  });

  it('sums the training hours of the year asked', async () => {
    const worker = shaxiWorkers[1]!;
    const before = (await list('t-shaxi')).workers.find((w) => w.personId === worker.id)!.trainingHours;
    const post = (hours: number, completedOn: string) =>
      browsers['t-shaxi']!.request('POST', `/api/workforce/workers/${worker.id}/trainings`, {
        course: '社会工作实务',
        hours,
        completedOn,
      });
    expect((await post(8, `${thisYear}-01-02`)).status).toBe(201);
    expect((await post(4.5, `${thisYear}-01-03`)).status).toBe(201);
    expect((await post(6, `${thisYear - 1}-12-31`)).status).toBe(201);
    expect((await post(2, '2999-01-01')).status).toBe(400);
    const after = (await list('t-shaxi')).workers.find((w) => w.personId === worker.id)!.trainingHours;
    expect(after - before).toBeCloseTo(12.5, 6);
  });

  it('exports the list and the rates as XLSX (review.export), audited', async () => {
    const response = await browsers['t-shaxi']!.request('GET', `/api/workforce/export.xlsx?year=${thisYear}`);
    expect(response.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as never);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).getCell(5).value).toBe('网格员');
    expect(sheet.rowCount).toBe(shaxiWorkers.length + 1);
    expect(workbook.worksheets[1]!.getRow(2).getCell(1).value).toBe('沙溪镇');
    expect((await browsers['t-duty']!.request('GET', '/api/workforce/export.xlsx')).status).toBe(403);
  });
});

describe('residents’ surveys of their grid worker', () => {
  it('rates the grid worker of the household’s grid, once per client id', async () => {
    const [household] = await db.rows<{ code: string }>(sql`
      SELECT code FROM households WHERE cell_code = ${INFORMANT_CELL} ORDER BY code LIMIT 1`);
    const [worker] = await db.rows<{ id: string }>(sql`
      SELECT id FROM people WHERE role = 'grid_worker' AND area_code = ${INFORMANT_CELL.slice(0, 15)} ORDER BY id LIMIT 1`);
    const informant = browsers['t-informant']!;
    const before = (await list('t-chief')).workers.find((w) => w.personId === worker!.id)!;
    const clientId = randomUUID();
    const survey = {
      clientId,
      householdCode: household!.code,
      score: 4,
      comment: '很负责',
      surveyedAt: new Date().toISOString(),
    };
    const first = await informant.request('POST', '/api/workforce/surveys', survey);
    expect(first.status).toBe(201);
    const created = (await first.json()) as { survey: { personId: string; areaCode: string } };
    expect(created.survey).toMatchObject({ personId: worker!.id, areaCode: INFORMANT_CELL });
    const again = await informant.request('POST', '/api/workforce/surveys', survey);
    expect(again.status).toBe(200);
    expect(((await again.json()) as { created: boolean }).created).toBe(false);
    const changed = await informant.request('POST', '/api/workforce/surveys', { ...survey, score: 1 });
    expect(changed.status).toBe(409);
    const [stored] = await db.rows<{ count: number }>(sql`
      SELECT COUNT(*)::int AS count FROM worker_surveys WHERE client_id = ${clientId}`);
    expect(stored!.count).toBe(1);

    const after = (await list('t-chief')).workers.find((w) => w.personId === worker!.id)!;
    expect(after.surveys).toBe(before.surveys + 1);
    const expectedMean = ((before.surveyMean ?? 0) * before.surveys + 4) / (before.surveys + 1);
    expect(after.surveyMean).toBeCloseTo(expectedMean, 6);
  });

  it('refuses a household outside the caller’s scope, and those who may not record', async () => {
    const [outside] = await db.rows<{ code: string }>(sql`
      SELECT code FROM households WHERE NOT cell_code ^@ ${INFORMANT_CELL} ORDER BY code LIMIT 1`);
    const survey = { clientId: randomUUID(), householdCode: outside!.code, score: 5, surveyedAt: new Date().toISOString() };
    expect((await browsers['t-informant']!.request('POST', '/api/workforce/surveys', survey)).status).toBe(404);
    expect((await browsers['t-worker']!.request('POST', '/api/workforce/surveys', survey)).status).toBe(403);
    const old = { ...survey, surveyedAt: '2001-01-01T00:00:00Z' };
    expect((await browsers['t-county']!.request('POST', '/api/workforce/surveys', old)).status).toBe(403);
  });

  it('lists the informant’s households with their grid worker', async () => {
    const { households } = await okJson<{ households: { cellCode: string; workerName: string | null }[] }>(
      browsers['t-informant']!.request('GET', '/api/workforce/surveys/households'),
      'households',
    );
    expect(households.length).toBeGreaterThan(0);
    expect(households.every((household) => household.cellCode === INFORMANT_CELL && household.workerName)).toBe(true);
  });
});

describe('annual commendations', () => {
  /** Cases of CASE_YEAR in the grid `gridCode`, due two days after their report: `closed` of `due` closed, `onTime` of those on time. */
  async function casesFor(gridCode: string, due: number, closed: number, onTime: number) {
    const cellCode = `${gridCode}001`;
    for (let index = 0; index < due; index++) {
      const { id } = await insertTestReport(db, {
        cellCode,
        reportedAt: new Date(`${CASE_YEAR}-05-0${1 + (index % 9)}T10:00:00+08:00`),
      });
      const isClosed = index < closed;
      await db.rows(sql`UPDATE reports SET due_at = reported_at + interval '2 days',
        state = ${isClosed ? 'closed' : 'acknowledged'}, closed_at = ${isClosed ? sql`reported_at + interval '1 day'` : null},
        closed_on_time = ${isClosed ? index < onTime : null} WHERE id = ${id}`);
    }
  }

  it('records the best workers of the commander’s scope by the review’s score, idempotently', async () => {
    const [a, b, c] = shaxiWorkers;
    await casesFor(a!.gridCode, 4, 4, 4);
    await casesFor(b!.gridCode, 4, 4, 2);
    await casesFor(c!.gridCode, 4, 2, 1);
    // The review's own assessment of the year, as the commanders' review page shows it.
    const window = {
      areaCode: SHAXI,
      start: new Date(`${CASE_YEAR}-01-01T00:00:00+08:00`),
      end: new Date(`${CASE_YEAR + 1}-01-01T00:00:00+08:00`),
      now: new Date(),
    };
    const assessed = (await assessWorkers(db, SHAXI, window)).filter((worker) => worker.score !== null);
    const best = [...assessed].sort((x, y) => y.score! - x.score! || x.personId.localeCompare(y.personId)).slice(0, 2);
    expect(best.map((worker) => worker.personId)).toEqual([a!.id, b!.id]);

    const commend = (username: string) =>
      browsers[username]!.request('POST', `/api/workforce/commendations/${CASE_YEAR}`, { top: 2 });
    const first = await okJson<{
      recorded: number;
      commendations: { personId: string; rank: number; score: number; title: string }[];
    }>(commend('t-shaxi'), 'commend');
    expect(first.recorded).toBe(2);
    expect(first.commendations.map(({ personId, rank, score, title }) => ({ personId, rank, score, title }))).toEqual(
      best.map((worker, index) => ({
        personId: worker.personId,
        rank: index + 1,
        score: Math.round(worker.score! * 10) / 10,
        title: '优秀网格员',
      })),
    );
    const again = await okJson<{ recorded: number; commendations: unknown[] }>(commend('t-shaxi'), 'commend again');
    expect(again.recorded).toBe(0);
    expect(again.commendations).toHaveLength(2);
    expect((await commend('t-admin')).status).toBe(403);
    expect((await commend('t-chief')).status).toBe(403);

    const { commendations } = await okJson<{ commendations: { personId: string }[] }>(
      browsers['t-chief']!.request('GET', `/api/workforce/commendations?year=${CASE_YEAR}`),
      'list',
    );
    const wangping = new Set(shaxiWorkers.filter((w) => w.gridCode.startsWith(WANGPING)).map((w) => w.id));
    expect(commendations.every((row) => wangping.has(row.personId))).toBe(true);
  });
});
