import { destination } from '@turf/turf';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../api/db/client.ts';
import { geohazardsRepository } from '../../api/geohazards/repository.ts';
import { shanghaiDay } from '../../api/geohazards/service.ts';
import type { LngLat } from '../../geo/types.ts';
import { accountIdOf } from './support/patrols.ts';
import { okJson, signedInBrowser, type TestBrowser } from './support/sessions.ts';
import { testApp } from './support/test-database.ts';

type App = Awaited<ReturnType<typeof testApp>>['app'];

interface PointDay {
  id: string;
  patrols: number;
  required: number;
  status: string;
  monitorName: string;
}
interface PointsAnswer {
  day: string;
  inSeason: boolean;
  required: number;
  points: PointDay[];
}

let app: App;
let db: Database;
let informant: TestBrowser;
let county: TestBrowser;
let shaxi: TestBrowser;
/** The centre of 王坪村's first grid's first cell (t-informant's cell), WGS84. */
let origin: LngLat;
/** A day three days back (Asia/Shanghai), when the test's fixes are stamped. */
const DAY = shanghaiDay(new Date(Date.now() - 3 * 86_400_000));
/** `hh:mm` of DAY, Shanghai time, as an instant. */
const at = (time: string, seconds = 0) => new Date(new Date(`${DAY}T${time}:00+08:00`).getTime() + seconds * 1000);
/** The point `east` metres east and `north` metres north of the origin. */
const offset = (east: number, north = 0): LngLat => {
  const eastward = destination(origin, east, 90, { units: 'meters' }).geometry.coordinates as LngLat;
  return destination(eastward, north, 0, { units: 'meters' }).geometry.coordinates as LngLat;
};

/** The test's points, each 2 km from the next along the east axis, all watched by t-informant. */
const POINTS = { stay: 'T-GH-STAY', far: 'T-GH-FAR', poor: 'T-GH-POOR', jump: 'T-GH-JUMP' } as const;
const POINT_EAST = { stay: 0, far: 2000, poor: 4000, jump: 6000 } as const;
const OUT_POINT = 'T-GH-OUT';

/** Walks one patrol of t-informant through the API: the fixes given (metres east/north of the origin, time, accuracy). */
async function walk(fixes: { east: number; north?: number; time: Date; accuracyM?: number }[]) {
  const ok = <Body>(response: Promise<Response>) => okJson<Body>(response, 'patrol');
  const { patrol } = await ok<{ patrol: { id: string } }>(
    informant.request('POST', '/api/patrols', { clientId: crypto.randomUUID(), startedAt: fixes[0]!.time.toISOString() }),
  );
  const body = fixes.map((fix, index) => {
    const [lng, lat] = offset(fix.east, fix.north ?? 0);
    return { clientFixId: `fix-${index}`, fixedAt: fix.time.toISOString(), lng, lat, accuracyM: fix.accuracyM ?? 6 };
  });
  await ok(informant.request('POST', `/api/patrols/${patrol.id}/positions`, { fixes: body }));
  await ok(informant.request('POST', `/api/patrols/${patrol.id}/end`, { endedAt: fixes.at(-1)!.time.toISOString() }));
  return patrol.id;
}

async function points(browser: TestBrowser, day?: string): Promise<PointsAnswer> {
  return okJson<PointsAnswer>(browser.request('GET', `/api/geohazards/points${day ? `?day=${day}` : ''}`), 'points');
}
const pointOf = (answer: PointsAnswer, id: string) => answer.points.find((point) => point.id === id);

beforeAll(async () => {
  ({ app, db } = await testApp());
  const [cell] = await db.rows<{ lng: number; lat: number }>(
    sql`SELECT ST_X(label_point) AS lng, ST_Y(label_point) AS lat FROM areas WHERE code = '511921108209001001'`,
  );
  origin = [cell!.lng, cell!.lat];
  const [outCell] = await db.rows<{ code: string; lng: number; lat: number }>(
    sql`SELECT code, ST_X(label_point) AS lng, ST_Y(label_point) AS lat FROM areas WHERE level = 'cell' AND code ^@ '511921112200' ORDER BY code LIMIT 1`,
  );
  const monitorId = await accountIdOf(db, 't-informant');
  await geohazardsRepository(db).insertPoints([
    ...Object.entries(POINTS).map(([key, id]) => {
      const [lng, lat] = offset(POINT_EAST[key as keyof typeof POINTS]);
      return {
        id,
        name: `测试${key}滑坡`,
        kind: 'landslide' as const,
        areaCode: '511921108209001001',
        monitorId,
        monitorName: '测试监测员',
        threatenedHouseholds: 4,
        threatenedPeople: 13,
        lng,
        lat,
      };
    }),
    {
      id: OUT_POINT,
      name: '涪阳测试崩塌',
      kind: 'collapse',
      areaCode: outCell!.code,
      monitorId: `informant-${outCell!.code}`,
      monitorName: '涪阳监测员',
      threatenedHouseholds: 2,
      threatenedPeople: 5,
      lng: outCell!.lng,
      lat: outCell!.lat,
    },
  ]);
  informant = await signedInBrowser(app, 't-informant');
  county = await signedInBrowser(app, 't-county');
  shaxi = await signedInBrowser(app, 't-shaxi');

  // The long stay: near the point from 09:00 to 11:30 (a fix every 10 min, within 20 m), then back at
  // 13:30, two hours after the last near fix: two patrols.
  await walk(Array.from({ length: 16 }, (_, index) => ({ east: (index % 3) * 10, north: 5, time: at('09:00', index * 600) })));
  await walk([
    { east: 300, time: at('13:20') },
    { east: 15, time: at('13:30') },
    { east: 300, time: at('13:40') },
  ]);
  // 80 m from the far point: no patrol of it. 30 m from it would be, but only on the day after.
  await walk([
    { east: POINT_EAST.far - 80, time: at('10:00') },
    { east: POINT_EAST.far + 80, time: at('10:05') },
  ]);
  // Within 10 m of the poor point, but measured to ±300 m: kept, flagged, not counted.
  await walk([{ east: POINT_EAST.poor + 10, time: at('15:00'), accuracyM: 300 }]);
  // A jump: 3 km away, then 5 s later within 10 m of the jump point (600 m/s): flagged, not counted.
  await walk([
    { east: POINT_EAST.jump, north: 3000, time: at('16:00') },
    { east: POINT_EAST.jump + 10, time: at('16:00', 5) },
  ]);
});

afterAll(async () => {
  await db.rows(sql`DELETE FROM geohazard_points WHERE id ^@ 'T-GH-'`);
});

describe('the rainy-season rule', () => {
  it('asks four patrols a day in July and the off-season number in December', async () => {
    const july = await points(county, '2026-07-15');
    expect({ inSeason: july.inSeason, required: july.required }).toEqual({ inSeason: true, required: 4 });
    expect(pointOf(july, POINTS.stay)).toMatchObject({ required: 4, patrols: 0, status: 'behind' });
    const december = await points(county, '2026-12-15');
    expect({ inSeason: december.inSeason, required: december.required }).toEqual({ inSeason: false, required: 1 });
  });

  it('applies a changed rule from its day on, and keeps the days before it', async () => {
    const set = await county.request('PUT', '/api/geohazards/rule', {
      effectiveFrom: '2031-06-01',
      seasonStartMonth: 6,
      seasonEndMonth: 8,
      inSeasonPerDay: 6,
      offSeasonPerDay: 0,
    });
    expect(set.status).toBe(200);
    expect(((await set.json()) as { rule: { setByName: string } }).rule.setByName).toBe('t-county');
    expect((await points(county, '2031-05-31')).required).toBe(4);
    expect((await points(county, '2031-07-01')).required).toBe(6);
    const september = await points(county, '2031-09-15');
    expect(september.required).toBe(0);
    expect(pointOf(september, POINTS.stay)!.status).toBe('unwatched');
    const rule = await okJson<{ versions: { effectiveFrom: string; setByName: string }[] }>(
      county.request('GET', '/api/geohazards/rule'),
      'rule',
    );
    expect(rule.versions.find((version) => version.effectiveFrom === '2031-06-01')).toMatchObject({ setByName: 't-county' });
  });

  it('refuses a rule from a past day, one below the county, and one from a role that may not set it', async () => {
    const body = { effectiveFrom: '2020-01-01', seasonStartMonth: 5, seasonEndMonth: 9, inSeasonPerDay: 4, offSeasonPerDay: 1 };
    const past = await county.request('PUT', '/api/geohazards/rule', body);
    expect(past.status).toBe(400);
    expect(((await past.json()) as { error: { code: string } }).error.code).toBe('rule_in_past');
    const future = { ...body, effectiveFrom: '2032-01-01' };
    const township = await signedInBrowser(app, 't-shaxi-admin');
    const below = await township.request('PUT', '/api/geohazards/rule', future);
    expect(below.status).toBe(403);
    expect(((await below.json()) as { error: { code: string } }).error.code).toBe('county_scope_required');
    expect((await shaxi.request('PUT', '/api/geohazards/rule', future)).status).toBe(403);
    expect((await county.request('PUT', '/api/geohazards/rule', { ...future, inSeasonPerDay: 25 })).status).toBe(400);
  });
});

describe('counting patrols of a point', () => {
  it('counts a long stay once and a visit two hours later again', async () => {
    expect(pointOf(await points(county, DAY), POINTS.stay)!.patrols).toBe(2);
  });

  it('does not count a fix 80 m away, one of poor accuracy, or a jump', async () => {
    const answer = await points(county, DAY);
    expect(pointOf(answer, POINTS.far)!.patrols).toBe(0);
    expect(pointOf(answer, POINTS.poor)!.patrols).toBe(0);
    expect(pointOf(answer, POINTS.jump)!.patrols).toBe(0);
  });

  it('counts a fix within 50 m, only on its own day', async () => {
    await walk([{ east: POINT_EAST.far - 30, time: at('11:00') }]);
    expect(pointOf(await points(county, DAY), POINTS.far)!.patrols).toBe(1);
    const nextDay = shanghaiDay(new Date(at('12:00').getTime() + 86_400_000));
    expect(pointOf(await points(county, nextDay), POINTS.far)!.patrols).toBe(0);
  });

  it('lists a point’s visits per day, and audits the read of someone else’s', async () => {
    const chief = await signedInBrowser(app, 't-chief');
    const answer = await okJson<{ days: { day: string; patrols: number }[]; visits: { visitedAt: string }[] }>(
      chief.request('GET', `/api/geohazards/points/${POINTS.stay}/visits?days=7`),
      'visits',
    );
    expect(answer.days.find((day) => day.day === DAY)!.patrols).toBe(2);
    // Other test files walk t-informant through the cell's centre today: only DAY's visits are this test's.
    const onDay = answer.visits.filter((visit) => shanghaiDay(new Date(visit.visitedAt)) === DAY);
    expect(onDay.map((visit) => visit.visitedAt)).toEqual([at('13:30').toISOString(), at('09:00').toISOString()]);
    const audited = await db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'geohazards.visits_read' AND target_id = ${POINTS.stay} AND actor_username = 't-chief'`,
    );
    expect(audited[0]!.n).toBe(1);
    // Informants walk to their points; watching the register is for those above them.
    expect((await informant.request('GET', '/api/geohazards/points')).status).toBe(403);
  });
});

describe('scope', () => {
  it('cuts the points to the reader’s scope, in the database', async () => {
    const township = (await points(shaxi, DAY)).points.map((point) => point.id);
    expect(township).toContain(POINTS.stay);
    expect(township).not.toContain(OUT_POINT);
    expect((await points(county, DAY)).points.map((point) => point.id)).toContain(OUT_POINT);
    expect((await shaxi.request('GET', `/api/geohazards/points/${OUT_POINT}/visits`)).status).toBe(404);
  });

  it('gives a department cadre the counts of points in scope although it sees no patrol', async () => {
    const ziran = await signedInBrowser(app, 't-ziran');
    expect(pointOf(await points(ziran, DAY), POINTS.stay)!.patrols).toBe(2);
    expect((await ziran.request('GET', '/api/patrols/active')).status).toBe(403);
  });
});
