import { distance } from '@turf/turf';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAccountAsSystem } from '../../api/accounts/service.ts';
import type { Database } from '../../api/db/client.ts';
import { partitionName, patrolsRepository } from '../../api/patrols/repository.ts';
import { PARTITION_DAYS_AHEAD, patrolsService } from '../../api/patrols/service.ts';
import { fromWgs84 } from '../../geo/convert-datum.ts';
import type { LngLat } from '../../geo/types.ts';
import { eastOf, fixEastOf, flagsOf, readTrack, startPatrol, uploadFixes, walkOrigin } from './support/patrol-batches.ts';
import { signedInBrowser, TEST_PASSWORD, type TestBrowser } from './support/sessions.ts';
import { isLogEvent, liveData, type SseMessage, SseReader } from './support/sse.ts';
import { testApp } from './support/test-database.ts';

type App = Awaited<ReturnType<typeof testApp>>['app'];

/** Where the walks start: support/patrol-batches.ts. */
let origin: LngLat;
let app: App;
let db: Database;
let worker: TestBrowser;
const DAY_MS = 86_400_000;

/** The point `metres` east of the origin. */
const east = (metres: number) => eastOf(origin, metres);
const fixAt = (start: number, seconds: number, metres: number, extra: Record<string, unknown> = {}) =>
  fixEastOf(origin, start, seconds, metres, extra);
const upload = uploadFixes;
const track = readTrack;

beforeAll(async () => {
  ({ app, db } = await testApp());
  origin = await walkOrigin(db);
  worker = await signedInBrowser(app, 't-worker');
});

describe('a batch of fixes', () => {
  it('is stored once however often the phone retries it, and a retried start gives the same patrol', async () => {
    const clientId = crypto.randomUUID();
    const first = await worker.request('POST', '/api/patrols', { clientId, startedAt: new Date().toISOString() });
    const again = await worker.request('POST', '/api/patrols', { clientId, startedAt: new Date().toISOString() });
    expect([first.status, again.status]).toEqual([201, 200]);
    const patrolId = ((await first.json()) as { patrol: { id: string } }).patrol.id;
    expect(((await again.json()) as { patrol: { id: string } }).patrol.id).toBe(patrolId);

    const start = Date.now() - 60_000;
    const batch = [fixAt(start, 0, 0), fixAt(start, 5, 7), fixAt(start, 10, 14)];
    expect(await upload(worker, patrolId, batch)).toMatchObject({ stored: 3, duplicates: 0 });
    expect(await upload(worker, patrolId, batch)).toMatchObject({ stored: 0, duplicates: 3 });
    // A retry overlapping a new batch stores only the new fix.
    expect(await upload(worker, patrolId, [...batch, fixAt(start, 15, 21)])).toMatchObject({ stored: 1, duplicates: 3 });
    const [row] = await db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM patrol_positions WHERE patrol_id = ${patrolId}`,
    );
    expect(row!.n).toBe(4);
    const { body } = await track(worker, patrolId);
    expect(body!.patrol.distanceM).toEqual(expect.closeTo(21, 0));

    // A fix twice in one batch (an outbox that queued it twice) is stored once, the first as sent;
    // the same id at another time is another fix.
    const twice = fixAt(start, 20, 28);
    const answer = await upload(worker, patrolId, [
      twice,
      { ...twice, lng: twice.lng + 0.001 },
      { ...twice, fixedAt: new Date(start + 21_000).toISOString() },
    ]);
    expect(answer).toMatchObject({ stored: 2, duplicates: 1 });
    const stored = await db.rows<{ fixedAt: string; lng: number }>(sql`
      SELECT fixed_at::text AS "fixedAt", ST_X(location) AS lng FROM patrol_positions
      WHERE patrol_id = ${patrolId} AND client_fix_id = ${twice.clientFixId} ORDER BY fixed_at`);
    expect(stored.map((fix) => fix.lng)).toEqual([expect.closeTo(twice.lng, 9), expect.closeTo(twice.lng, 9)]);
  });

  it('takes the largest batch the route allows, as a phone sends it (UUIDs for ids), in one request', async () => {
    const start = Date.now() - 3 * 3_600_000;
    const patrolId = await startPatrol(worker, new Date(start));
    const fixes = Array.from({ length: 2_000 }, (_, index) => ({
      ...fixAt(start, index * 5, index * 5),
      clientFixId: crypto.randomUUID(),
      speedMps: 1.05,
      datum: 'wgs84',
    }));
    expect(JSON.stringify({ fixes }).length).toBeGreaterThan(64 * 1024);
    expect((await upload(worker, patrolId, fixes)).stored).toBe(2_000);
  });

  it('stores a fix id with a lone surrogate (JSON can escape one) as U+FFFD, and the rest of its batch with it', async () => {
    const start = Date.now() - 60_000;
    const patrolId = await startPatrol(worker, new Date(start));
    const fixes = [{ ...fixAt(start, 0, 0), clientFixId: 'a\ud800b' }, fixAt(start, 5, 7)];
    expect(await upload(worker, patrolId, fixes)).toMatchObject({ stored: 2, duplicates: 0 });
    const rows = await db.rows<{ id: string }>(
      sql`SELECT client_fix_id AS id FROM patrol_positions WHERE patrol_id = ${patrolId} ORDER BY fixed_at`,
    );
    expect(rows.map((row) => row.id)).toEqual(['a\ufffdb', fixes[1]!.clientFixId]);
  });

  it('refuses fixes stamped in the future and keeps the rest', async () => {
    const patrolId = await startPatrol(worker);
    const now = Date.now();
    const result = await upload(worker, patrolId, [fixAt(now - 5000, 0, 0), fixAt(now + 3_600_000, 0, 10)]);
    expect(result.stored).toBe(1);
    expect(result.refused).toEqual([`f-${now + 3_600_000}-0`]);
  });

  it('refuses fixes stamped over 10 minutes before the patrol started: a cached position, no part of this walk', async () => {
    const startedAt = Date.now() - 3_600_000;
    const patrolId = await startPatrol(worker, new Date(startedAt));
    const fixes = [fixAt(startedAt - 11 * 60_000, 0, 0), fixAt(startedAt - 9 * 60_000, 0, 5), fixAt(startedAt, 0, 10)];
    expect(await upload(worker, patrolId, fixes)).toMatchObject({ stored: 2, duplicates: 0, refused: [fixes[0]!.clientFixId] });
    const stored = (await track(worker, patrolId)).body!.fixes.map((fix) => fix.clientFixId);
    expect(stored).toEqual([fixes[1]!.clientFixId, fixes[2]!.clientFixId]);
  });

  it('stores GCJ-02 and BD-09 fixes as WGS84', async () => {
    const patrolId = await startPatrol(worker);
    const start = Date.now() - 30_000;
    const gcj = fromWgs84(east(0), 'gcj02');
    const bd = fromWgs84(east(10), 'bd09');
    await upload(worker, patrolId, [
      { ...fixAt(start, 0, 0), lng: gcj[0], lat: gcj[1], datum: 'gcj02' },
      { ...fixAt(start, 10, 10), lng: bd[0], lat: bd[1], datum: 'bd09' },
    ]);
    const { body } = await track(worker, patrolId);
    expect(distance(body!.fixes[0]!.position, east(0), { units: 'meters' })).toBeLessThan(0.01);
    expect(distance(body!.fixes[1]!.position, east(10), { units: 'meters' })).toBeLessThan(0.01);
  });

  it('keeps fixes of poor accuracy, flagged, and records gaps with their cause', async () => {
    const patrolId = await startPatrol(worker);
    const start = Date.now() - 120_000;
    await upload(
      worker,
      patrolId,
      [fixAt(start, 0, 0), fixAt(start, 5, 400, { accuracyM: 800 }), fixAt(start, 60, 30)],
      [
        {
          clientGapId: 'g1',
          startedAt: new Date(start + 6000).toISOString(),
          endedAt: new Date(start + 59_000).toISOString(),
          cause: 'screen_locked',
        },
      ],
    );
    const { body } = await track(worker, patrolId);
    expect(flagsOf(body!.fixes)).toEqual({ [`f-${start}-0`]: 'ok', [`f-${start}-5`]: 'poor', [`f-${start}-60`]: 'ok' });
    expect(body!.gaps).toEqual([expect.objectContaining({ cause: 'screen_locked' })]);
    expect(body!.patrol.distanceM).toEqual(expect.closeTo(30, 0));
  });
});

describe('a report made during a patrol', () => {
  it('is linked to it once, and only the reporter may link its own report', async () => {
    const patrolId = await startPatrol(worker);
    const [point] = await db.rows<{ lng: number; lat: number }>(
      sql`SELECT ST_X(label_point) AS lng, ST_Y(label_point) AS lat FROM areas WHERE code = '511921108209001001'`,
    );
    const reported = await worker.request('POST', '/api/reports', {
      clientId: crypto.randomUUID(),
      type: 'rockfall',
      urgency: 'urgent',
      description: '巡查途中发现落石',
      lng: point!.lng,
      lat: point!.lat,
    });
    const reportId = ((await reported.json()) as { report: { id: string } }).report.id;
    for (let attempt = 0; attempt < 2; attempt++) {
      const linked = await worker.request('POST', `/api/patrols/${patrolId}/reports`, { reportId });
      expect(await linked.json()).toEqual({ reports: [reportId] });
    }
    expect((await track(worker, patrolId)).body).toMatchObject({ reports: [reportId] });
    // The chief's own patrol cannot take the worker's report.
    const chief = await signedInBrowser(app, 't-chief');
    const chiefPatrol = await startPatrol(chief);
    expect((await chief.request('POST', `/api/patrols/${chiefPatrol}/reports`, { reportId })).status).toBe(404);
  });
});

describe('scope and audit of track reads', () => {
  let patrolId: string;
  const auditRows = async () =>
    db.rows<{ actor: string }>(
      sql`SELECT actor_username AS actor FROM audit_log WHERE action = 'patrols.track_read' AND target_id = ${patrolId} ORDER BY id`,
    );

  beforeAll(async () => {
    patrolId = await startPatrol(worker);
    await upload(worker, patrolId, [fixAt(Date.now() - 10_000, 0, 0)]);
    await createAccountAsSystem(db, {
      username: 'patrol-fuyang',
      displayName: '涪阳',
      role: 'township_commander',
      scopeCode: '511921112',
      password: TEST_PASSWORD,
    });
  });

  it('lets the worker read its own track without an audit entry', async () => {
    expect((await track(worker, patrolId)).status).toBe(200);
    expect(await auditRows()).toEqual([]);
  });

  it.each([
    ['t-chief', 200],
    ['t-shaxi', 200],
    ['t-county', 200],
    ['t-duty', 200],
    ['patrol-fuyang', 404],
    ['t-cadre', 404],
    ['t-ziran', 404],
    ['t-informant', 404],
    ['t-admin', 404],
  ])('%s reads it: %i', async (username, status) => {
    const browser = await signedInBrowser(app, username);
    expect((await track(browser, patrolId)).status).toBe(status);
    const audited = (await auditRows()).some((row) => row.actor === username);
    expect(audited).toBe(status === 200);
  });

  it('lists workers out now to those in scope, and the list read is audited', async () => {
    const chief = await signedInBrowser(app, 't-chief');
    const chiefList = (await (await chief.request('GET', '/api/patrols/active')).json()) as { patrols: { id: string }[] };
    expect(chiefList.patrols.map((patrol) => patrol.id)).toContain(patrolId);
    const fuyang = await signedInBrowser(app, 'patrol-fuyang');
    const fuyangList = (await (await fuyang.request('GET', '/api/patrols/active')).json()) as {
      patrols: { id: string; areaCode: string }[];
    };
    // Other test files may have left patrols in 涪阳镇; none from elsewhere reaches its commander.
    expect(fuyangList.patrols.map((patrol) => patrol.id)).not.toContain(patrolId);
    expect(fuyangList.patrols.filter((patrol) => !patrol.areaCode.startsWith('511921112'))).toEqual([]);
    const [entry] = await db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'patrols.active_read' AND actor_username = 't-chief'`,
    );
    expect(entry!.n).toBeGreaterThan(0);
  });

  it('does not let another worker write to the patrol', async () => {
    const chief = await signedInBrowser(app, 't-chief');
    const response = await chief.request('POST', `/api/patrols/${patrolId}/positions`, { fixes: [fixAt(Date.now(), 0, 0)] });
    expect(response.status).toBe(404);
  });
});

describe('where a worker on patrol is, live', () => {
  it('reaches those who may view patrols, and not an admin or the worker whose scope holds the walk', async () => {
    const open = async (username: string) => {
      const browser = await signedInBrowser(app, username);
      const response = await browser.get('/api/live/events');
      expect(response.status).toBe(200);
      const reader = new SseReader(response.body!);
      await reader.until((message) => message.event === 'ready');
      return reader;
    };
    const [chief, admin, own] = [await open('t-chief'), await open('t-shaxi-admin'), await open('t-worker')];
    const patrolId = await startPatrol(worker);
    await upload(worker, patrolId, [fixAt(Date.now() - 30_000, 0, 0), fixAt(Date.now() - 30_000, 10, 12)]);
    const movedHere = (message: SseMessage) =>
      message.event === 'patrol.moved' && (liveData(message).payload as { patrol: { id: string } }).patrol.id === patrolId;
    // The chief hears it; by then the others have had it too, if they were to.
    const heard = await chief.until(movedHere, 10_000);
    expect(heard.some(movedHere)).toBe(true);
    for (const reader of [admin, own]) {
      const messages = await reader.within(1_500);
      expect(messages.filter(isLogEvent).filter(movedHere)).toEqual([]);
    }
    // A reconnect's replay holds to the same rule.
    const replay = await (await signedInBrowser(app, 't-shaxi-admin')).get('/api/live/events', { 'Last-Event-ID': '0' });
    const replayed = new SseReader(replay.body!);
    const messages = await replayed.until((message) => message.event === 'ready');
    expect(messages.filter(movedHere)).toEqual([]);
    for (const reader of [chief, admin, own, replayed]) await reader.close();
  });
});

describe('partitions and retention', () => {
  it('has a partition for today and the days ahead', async () => {
    const names = await patrolsRepository(db).partitions();
    const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
    for (let ahead = 0; ahead <= PARTITION_DAYS_AHEAD; ahead++) {
      expect(names).toContain(partitionName(new Date(today + ahead * DAY_MS)));
    }
    // A fix of today lands in today's partition, not the default one.
    const patrolId = await startPatrol(worker);
    await upload(worker, patrolId, [fixAt(Date.now() - 1000, 0, 0)]);
    const [row] = await db.rows<{ partition: string }>(
      sql`SELECT tableoid::regclass::text AS partition FROM patrol_positions WHERE patrol_id = ${patrolId}`,
    );
    expect(row!.partition).toBe(partitionName(new Date(today)));
  });

  it('drops day partitions past the retention period and deletes older fixes left elsewhere', async () => {
    const repository = patrolsRepository(db);
    const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
    const oldDay = new Date(today - 300 * DAY_MS);
    await repository.createPartition(oldDay);
    const kept = await startPatrol(worker, new Date(today - 400 * DAY_MS));
    // One fix 300 days old (in its own partition), one 400 days old and one 10 days old (in the default partition).
    await upload(worker, kept, [
      fixAt(today - 400 * DAY_MS, 0, 0),
      fixAt(oldDay.getTime(), 3600, 10),
      fixAt(today - 10 * DAY_MS, 0, 20),
    ]);
    // A patrol over long ago, all of whose fixes are past retention.
    const gone = await startPatrol(worker, new Date(today - 200 * DAY_MS));
    await upload(worker, gone, [fixAt(today - 200 * DAY_MS, 0, 0)]);
    await db.rows(
      sql`UPDATE patrols SET ended_at = ${new Date(today - 200 * DAY_MS + 60_000).toISOString()}::timestamptz WHERE id = ${gone}`,
    );

    const result = await patrolsService(db, { retentionDays: 180 }).applyRetention();
    expect(result.dropped).toContain(partitionName(oldDay));
    expect(await repository.partitions()).not.toContain(partitionName(oldDay));
    const left = await db.rows<{ id: string }>(sql`SELECT client_fix_id AS id FROM patrol_positions WHERE patrol_id = ${kept}`);
    expect(left.map((row) => row.id)).toEqual([`f-${today - 10 * DAY_MS}-0`]);
    expect(await repository.find(kept)).toBeDefined();
    expect(await repository.find(gone)).toBeUndefined();
    // Today's partition and those ahead are untouched.
    expect(await repository.partitions()).toContain(partitionName(new Date(today)));
  });
});
