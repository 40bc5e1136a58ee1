import { randomUUID } from 'node:crypto';
import { distance } from '@turf/turf';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromWgs84 } from '../../geo/convert-datum.ts';
import type { LngLat } from '../../geo/types.ts';
import {
  app,
  CELL,
  db,
  duty,
  FUYANG_VILLAGE,
  fields,
  formOf,
  informant,
  labelPoint,
  NEIGHBOUR_CELL,
  openReports,
  PNG,
  postForm,
  type ReportBody,
  rowCounts,
} from './reports-fixtures.ts';
import { signedInBrowser } from './support/sessions.ts';

beforeAll(openReports);

describe('POST /api/reports', () => {
  it('files a report in the cell under the point, with its areas, case number, clock, zone, first step and live event', async () => {
    const position = await labelPoint(CELL);
    const response = await informant.request('POST', '/api/reports', fields(position, { accuracyM: 8 }));
    expect(response.status).toBe(201);
    const { report } = (await response.json()) as ReportBody;
    expect(report.areas).toEqual({
      cell: { code: CELL, name: '王坪村第1网格1单元' },
      grid: { code: '511921108209001', name: '王坪村第1网格' },
      village: { code: '511921108209', name: '王坪村' },
      township: { code: '511921108', name: '沙溪镇' },
    });
    expect(report.caseNumber).toMatch(/^TJ\d{8}-\d{4,}$/);
    expect(report).toMatchObject({ state: 'reported', responsibleLevel: 'cell', source: 'field', clockStage: 'file' });
    expect(Date.parse(report.dueAt)).toBeGreaterThan(Date.parse(report.reportedAt));
    expect(report.position).toEqual(position);
    // The default zone of a landslide: a 300 m circle around the point.
    const ring = report.controlZone.coordinates[0]!;
    expect(ring).toHaveLength(65);
    expect(distance(position, ring[0]!, { units: 'meters' })).toEqual(expect.closeTo(300, 0));

    const [stored] = await db.rows<Record<string, unknown>>(sql`
      SELECT r.state, r.cell_code AS "cellCode", r.grid_code AS "gridCode", r.village_code AS "villageCode",
        r.township_code AS "townshipCode", r.accuracy_m AS "accuracyM", r.reporter_role AS "reporterRole",
        r.limit_unit IS NOT NULL AS "hasLimit", ST_NPoints(r.control_zone) AS "zonePoints", ST_GeometryType(r.control_zone) AS "zoneType",
        (SELECT json_agg(json_build_object('action', s.action, 'toState', s.to_state, 'clientId', s.client_id)) FROM case_steps s WHERE s.report_id = r.id) AS steps
      FROM reports r WHERE r.id = ${report.id}`);
    expect(stored).toEqual({
      state: 'reported',
      cellCode: CELL,
      gridCode: '511921108209001',
      villageCode: '511921108209',
      townshipCode: '511921108',
      accuracyM: 8,
      reporterRole: 'cell_informant',
      hasLimit: true,
      zonePoints: 65,
      zoneType: 'ST_Polygon',
      steps: [{ action: 'report', toState: 'reported', clientId: report.clientId }],
    });
    const events = await db.rows<{ type: string; scopeCode: string; payload: { case: Record<string, unknown> } }>(sql`
      SELECT type, scope_code AS "scopeCode", payload FROM live_events WHERE payload->'case'->>'id' = ${report.id}`);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'report.created',
      scopeCode: CELL,
      payload: { case: { id: report.id, caseNumber: report.caseNumber, state: 'reported', urgency: 'urgent', position } },
    });
  });

  it('numbers concurrent reports of one day with distinct consecutive serials', async () => {
    const position = await labelPoint(CELL);
    const responses = await Promise.all(
      Array.from({ length: 4 }, () =>
        informant.request('POST', '/api/reports', fields(position, { type: 'other', urgency: 'normal' })),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual([201, 201, 201, 201]);
    const numbers = await Promise.all(
      responses.map(async (response) => ((await response.json()) as ReportBody).report.caseNumber),
    );
    const day = numbers[0]!.slice(0, 11);
    expect(numbers.every((number) => number.startsWith(day))).toBe(true);
    const serials = numbers.map((number) => Number(number.slice(11))).sort((a, b) => a - b);
    expect(new Set(serials).size).toBe(4);
    expect(serials[3]! - serials[0]!).toBe(3);
  });

  it('assigns a point on the boundary shared by two cells to the lowest cell code, every time', async () => {
    // A corner of one cell that other cells' polygons also cover (ST_Covers includes the boundary).
    const [corner] = await db.rows<{ lng: number; lat: number; cells: string[] }>(sql`
      WITH corners AS (
        SELECT DISTINCT ST_X(d.geom) AS lng, ST_Y(d.geom) AS lat
        FROM areas c, ST_DumpPoints(c.geom) d WHERE c.level = 'cell' AND c.code LIKE '511921108209%')
      SELECT k.lng, k.lat, array_agg(o.code ORDER BY o.code) AS cells
      FROM corners k JOIN areas o ON o.level = 'cell' AND ST_Covers(o.geom, ST_SetSRID(ST_MakePoint(k.lng, k.lat), 4326))
      GROUP BY k.lng, k.lat HAVING count(*) = 2
      ORDER BY k.lng, k.lat LIMIT 1`);
    expect(corner?.cells).toHaveLength(2);
    const [lowest, highest] = corner!.cells as [string, string];
    for (let attempt = 0; attempt < 2; attempt++) {
      const response = await duty.request('POST', '/api/reports', fields([corner!.lng, corner!.lat], { type: 'ground_crack' }));
      expect(response.status).toBe(201);
      const { report } = (await response.json()) as ReportBody;
      expect(report.areas.cell.code).toBe(lowest);
      expect(report.position).toEqual([corner!.lng, corner!.lat]);
    }
    expect(highest > lowest).toBe(true);
  });

  it.each([
    ['Beijing', [116.4074, 39.9042] as LngLat],
    ['just west of the county', [106.4, 32.0] as LngLat],
    ['the null island', [0, 0] as LngLat],
  ])('refuses a point outside the county (%s) with 422 and writes nothing', async (_name, position) => {
    const before = await rowCounts();
    const response = await duty.request('POST', '/api/reports', fields(position));
    expect(response.status).toBe(422);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('point_outside_county');
    expect(await rowCounts()).toEqual(before);
  });

  it('refuses a point outside the reporter’s scope with 403 and writes nothing', async () => {
    for (const code of [NEIGHBOUR_CELL, FUYANG_VILLAGE]) {
      const before = await rowCounts();
      const response = await informant.request('POST', '/api/reports', fields(await labelPoint(code)), {
        'Accept-Language': 'en',
      });
      expect(response.status).toBe(403);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('point_outside_scope');
      expect(body.error.message).toMatch(/outside your area/);
      expect(await rowCounts()).toEqual(before);
    }
  });

  /**
   * A point of the informant's cell whose coordinates in `datum`, read as if they were WGS84, fall
   * in another cell or outside the county: sending them with the right datum must still land in
   * the informant's cell.
   */
  async function pointWhereDatumMatters(datum: 'gcj02' | 'bd09'): Promise<LngLat> {
    const [box] = await db.rows<{ west: number; south: number; east: number; north: number }>(sql`
      SELECT ST_XMin(geom) AS west, ST_YMin(geom) AS south, ST_XMax(geom) AS east, ST_YMax(geom) AS north FROM areas WHERE code = ${CELL}`);
    const candidates: LngLat[] = [];
    for (let i = 1; i < 20; i++) {
      for (let j = 1; j < 20; j++) {
        candidates.push([box!.west + ((box!.east - box!.west) * i) / 20, box!.south + ((box!.north - box!.south) * j) / 20]);
      }
    }
    const written = candidates.map((position) => fromWgs84(position, datum));
    const rows = await db.rows<{ index: number }>(sql`
      SELECT t.index FROM (
        SELECT ordinality::int - 1 AS index, (v->>0)::float8 AS lng, (v->>1)::float8 AS lat, (v->>2)::float8 AS wlng, (v->>3)::float8 AS wlat
        FROM json_array_elements(${JSON.stringify(candidates.map((p, i) => [p[0], p[1], written[i]![0], written[i]![1]]))}::json) WITH ORDINALITY AS e(v, ordinality)
      ) t
      WHERE EXISTS (SELECT 1 FROM areas c WHERE c.code = ${CELL} AND ST_Covers(c.geom, ST_SetSRID(ST_MakePoint(t.lng, t.lat), 4326)))
        AND NOT EXISTS (SELECT 1 FROM areas c WHERE c.code = ${CELL} AND ST_Covers(c.geom, ST_SetSRID(ST_MakePoint(t.wlng, t.wlat), 4326)))
      ORDER BY t.index LIMIT 1`);
    if (!rows[0]) throw new Error(`no point of ${CELL} where ${datum} moves it out of the cell`);
    return candidates[rows[0].index]!;
  }

  it.each(['gcj02', 'bd09'] as const)('stores %s input as the WGS84 point, in the cell it is really in', async (datum) => {
    const truth = await pointWhereDatumMatters(datum);
    const written = fromWgs84(truth, datum);
    expect(distance(truth, [written[0], written[1]], { units: 'meters' })).toBeGreaterThan(100);

    // Read as WGS84, the numbers leave the informant's cell: refused as outside the scope.
    const naive = await informant.request('POST', '/api/reports', fields([written[0], written[1]]));
    expect([403, 422]).toContain(naive.status);

    const response = await informant.request('POST', '/api/reports', fields([written[0], written[1]], { datum }));
    expect(response.status).toBe(201);
    const { report } = (await response.json()) as ReportBody;
    expect(report.areas.cell.code).toBe(CELL);
    expect(report.inputDatum).toBe(datum);
    expect(report.position[0]).toEqual(expect.closeTo(truth[0], 7));
    expect(report.position[1]).toEqual(expect.closeTo(truth[1], 7));
    const [stored] = await db.rows<{ lng: number; lat: number; datum: string }>(sql`
      SELECT ST_X(location) AS lng, ST_Y(location) AS lat, input_datum AS datum FROM reports WHERE id = ${report.id}`);
    expect(stored!.lng).toEqual(expect.closeTo(truth[0], 7));
    expect(stored!.lat).toEqual(expect.closeTo(truth[1], 7));
    expect(stored!.datum).toBe(datum);
  });
});

describe('retries', () => {
  async function rowsOfClient(clientId: string) {
    const [row] = await db.rows<{ reports: number; steps: number; events: number }>(sql`
      SELECT (SELECT count(*)::int FROM reports WHERE client_id = ${clientId}) AS reports,
        (SELECT count(*)::int FROM case_steps s JOIN reports r ON r.id = s.report_id WHERE r.client_id = ${clientId}) AS steps,
        (SELECT count(*)::int FROM live_events e JOIN reports r ON r.id = e.payload->'case'->>'id' WHERE r.client_id = ${clientId}) AS events`);
    return row!;
  }

  it('answers a repeated submission with the same report (200, same body) and writes nothing more', async () => {
    const submission = fields(await labelPoint(CELL));
    const first = await informant.request('POST', '/api/reports', submission);
    const second = await informant.request('POST', '/api/reports', submission);
    expect([first.status, second.status]).toEqual([201, 200]);
    expect(await second.json()).toEqual(await first.json());
    expect(await rowsOfClient(submission.clientId)).toEqual({ reports: 1, steps: 1, events: 1 });
  });

  it('returns the first report for a same clientId with different content', async () => {
    const submission = fields(await labelPoint(CELL));
    const first = (await (await informant.request('POST', '/api/reports', submission)).json()) as ReportBody;
    const changed = await informant.request('POST', '/api/reports', { ...submission, description: '改过的描述', type: 'flood' });
    expect(changed.status).toBe(200);
    const body = (await changed.json()) as ReportBody;
    expect(body.report.id).toBe(first.report.id);
    expect(body.report.description).toBe(submission.description);
    expect(await rowsOfClient(submission.clientId)).toEqual({ reports: 1, steps: 1, events: 1 });
  });

  it('makes one report of three concurrent retries', async () => {
    const submission = fields(await labelPoint(CELL));
    const form = () => formOf(submission, [{ bytes: PNG, name: 'a.png', type: 'image/png' }]);
    const responses = await Promise.all([postForm(informant, form()), postForm(informant, form()), postForm(informant, form())]);
    expect(responses.map((response) => response.status).sort()).toEqual([200, 200, 201]);
    const ids = await Promise.all(responses.map(async (response) => ((await response.json()) as ReportBody).report.id));
    expect(new Set(ids).size).toBe(1);
    expect(await rowsOfClient(submission.clientId)).toEqual({ reports: 1, steps: 1, events: 1 });
    const [photos] = await db.rows<{ count: number }>(
      sql`SELECT count(*)::int AS count FROM report_photos WHERE report_id = ${ids[0]!}`,
    );
    expect(photos!.count).toBe(1);
  });

  it('keeps the clientIds of different reporters apart', async () => {
    const clientId = randomUUID();
    const position = await labelPoint(CELL);
    const mine = await informant.request('POST', '/api/reports', fields(position, { clientId }));
    const theirs = await duty.request('POST', '/api/reports', fields(position, { clientId }));
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    expect(((await mine.json()) as ReportBody).report.id).not.toBe(((await theirs.json()) as ReportBody).report.id);
  });
});

describe('bad input', () => {
  it.each([
    [
      'a truncated body',
      '--XYZ\r\nContent-Disposition: form-data; name="type"\r\n\r\nlandslide',
      'multipart/form-data; boundary=XYZ',
    ],
    ['no boundary', 'type=landslide', 'multipart/form-data'],
    [
      'a body of another boundary',
      '--ABC\r\nContent-Disposition: form-data; name="type"\r\n\r\nlandslide\r\n--ABC--\r\n',
      'multipart/form-data; boundary=XYZ',
    ],
  ])('refuses malformed multipart (%s) with 400 and writes nothing', async (_name, body, contentType) => {
    const before = await rowCounts();
    const response = await postForm(informant, body, { 'Content-Type': contentType });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('malformed_multipart');
    expect(await rowCounts()).toEqual(before);
  });

  it.each([
    ['an empty description', { description: '   ' }],
    ['a description over 2000 characters', { description: '崩'.repeat(2001) }],
    ['an unknown type', { type: 'meteor' }],
    ['an unknown urgency', { urgency: 'whenever' }],
    ['an unknown datum', { datum: 'bd09mc' }],
    ['a longitude that is not a number', { lng: 'east' }],
    ['a latitude beyond 90°', { lat: 95 }],
    ['a client id that is not a UUID', { clientId: 'retry-1' }],
    ['a negative accuracy', { accuracyM: -3 }],
  ])('refuses %s with 400 invalid_request, over JSON and multipart, and writes nothing', async (_name, override) => {
    const before = await rowCounts();
    const submission = fields(await labelPoint(CELL), override);
    const asJson = await informant.request('POST', '/api/reports', submission);
    const asForm = await postForm(informant, formOf(submission));
    for (const response of [asJson, asForm]) {
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_request');
    }
    expect(await rowCounts()).toEqual(before);
  });

  it('refuses other content types with 415, and malformed JSON with 400', async () => {
    const submission = JSON.stringify(fields(await labelPoint(CELL)));
    expect((await postForm(informant, submission, { 'Content-Type': 'text/plain' })).status).toBe(415);
    const malformed = await postForm(informant, `${submission.slice(0, -3)}`, { 'Content-Type': 'application/json' });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: { code: string } }).error.code).toBe('malformed_json');
  });

  it('refuses accounts that may not report, and anonymous requests', async () => {
    const admin = await signedInBrowser(app, 't-admin');
    expect((await admin.request('POST', '/api/reports', fields(await labelPoint(CELL)))).status).toBe(403);
    const anonymous = await app.request('http://localhost/api/reports', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: 'http://localhost', Host: 'localhost' },
      body: JSON.stringify(fields(await labelPoint(CELL))),
    });
    expect(anonymous.status).toBe(401);
  });
});

describe('GET /api/reports/mine', () => {
  it('lists the caller’s own reports, newest first, with areas, the latest step and whether each is closed', async () => {
    const worker = await signedInBrowser(app, 't-worker');
    const position = await labelPoint(CELL);
    const first = (await (
      await worker.request('POST', '/api/reports', fields(position, { description: '第一条' }))
    ).json()) as ReportBody;
    const second = (await (
      await worker.request('POST', '/api/reports', fields(position, { description: '第二条' }))
    ).json()) as ReportBody;
    await db.rows(sql`UPDATE reports SET state = 'closed', closed_at = now() WHERE id = ${first.report.id}`);

    const response = await worker.get('/api/reports/mine');
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      reports: {
        id: string;
        state: string;
        closed: boolean;
        closedAt: string | null;
        caseNumber: string;
        areas: unknown;
        lastStep: unknown;
      }[];
      total: number;
    };
    const [owners] = await db.rows<{ count: number }>(sql`
      SELECT count(*)::int AS count FROM reports r JOIN accounts a ON a.id = r.reporter_id
      WHERE a.username = 't-worker' AND r.cell_code LIKE a.scope_code || '%'`);
    expect(body.total).toBe(owners!.count);
    expect(body.reports.slice(0, 2).map((report) => report.id)).toEqual([second.report.id, first.report.id]);
    expect(body.reports[0]).toMatchObject({
      state: 'reported',
      closed: false,
      closedAt: null,
      caseNumber: second.report.caseNumber,
      areas: { cell: { code: CELL, name: '王坪村第1网格1单元' }, township: { code: '511921108', name: '沙溪镇' } },
      lastStep: { action: 'report', toState: 'reported', actorName: 't-worker' },
    });
    expect(body.reports[1]).toMatchObject({ state: 'closed', closed: true, closedAt: expect.any(String) });
    // Nobody else's reports.
    const informantIds = new Set(
      ((await (await informant.get('/api/reports/mine?limit=200')).json()) as { reports: { id: string }[] }).reports.map(
        (r) => r.id,
      ),
    );
    expect(informantIds.has(first.report.id)).toBe(false);
  });

  it('pages', async () => {
    const page = (await (await informant.get('/api/reports/mine?limit=2&offset=1')).json()) as {
      reports: unknown[];
      limit: number;
      offset: number;
    };
    expect(page.reports).toHaveLength(2);
    expect(page).toMatchObject({ limit: 2, offset: 1 });
    expect((await informant.get('/api/reports/mine?limit=0')).status).toBe(400);
  });
});
