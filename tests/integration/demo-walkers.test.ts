import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountAsSystem } from '../../api/accounts/service.ts';
import { createApp } from '../../api/app.ts';
import type { Database } from '../../api/db/client.ts';
import { signedInBrowser, TEST_PASSWORD, type TestBrowser } from './support/sessions.ts';
import { seededDatabase } from './support/test-database.ts';

/** 王坪村 (沙溪镇): the drill's scope, a handful of grids. */
const VILLAGE = '511921108209';
/** The walkers' clock runs 30 times as fast as the wall's, from 20 minutes ago (it must never pass real time). */
const SPEED = 30;

let db: Database;
let app: Awaited<ReturnType<typeof createApp>>;
let duty: TestBrowser;
let since: number;
let grids: number;

/** Polls `probe` until it gives a truthy answer (a behaviour wait with a generous timeout, not a timing claim). */
async function eventually<T>(probe: () => Promise<T | null>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const walkerPatrols = () =>
  db.rows<{ id: string; area_code: string; ended_at: Date | null; distance_m: number }>(
    sql`SELECT id, area_code, ended_at, distance_m FROM patrols WHERE client_id LIKE 'walker-%' AND area_code LIKE ${VILLAGE} || '%'`,
  );

beforeAll(async () => {
  db = await seededDatabase();
  const [meta] = await db.rows<{ seed: string }>(sql`SELECT value AS seed FROM dataset_meta WHERE key = 'seed'`);
  const realStart = Date.now();
  const simulatedStart = realStart - 20 * 60_000;
  app = await createApp({
    db,
    env: { TILE_CACHE_ENTRIES: 100, BASEMAP_STYLE_URL: undefined, DEMO_WALKERS: 'drills' },
    dataset: { seed: Number(meta?.seed), preset: 'small', seededAt: '' },
    demo: false,
    walkers: {
      tickMs: 50,
      clock: () => new Date(simulatedStart + (Date.now() - realStart) * SPEED),
      patrolMinutes: [3, 4],
      restMinutes: [1, 2],
      uploadSeconds: [10, 30],
      startSpreadSeconds: 0,
    },
  });
  // An officer of its own: the drill test counts the drill reports t-duty files.
  await createAccountAsSystem(db, {
    username: 'walkers-duty',
    displayName: '演练值班员',
    role: 'duty_officer',
    scopeCode: '511921',
    password: TEST_PASSWORD,
  });
  duty = await signedInBrowser(app, 'walkers-duty');
  const [row] = await db.rows<{ id: string | null }>(sql`SELECT max(id)::text AS id FROM live_events`);
  since = Number(row?.id ?? 0);
  const [count] = await db.rows<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM areas g WHERE g.level = 'grid' AND g.code LIKE ${VILLAGE} || '%'
          AND EXISTS (SELECT 1 FROM people w WHERE w.role = 'grid_worker' AND w.area_code = g.code)`,
  );
  grids = count?.n ?? 0;
});

afterAll(async () => {
  await app?.close();
  await db.rows(sql`UPDATE reports SET state = 'cancelled', clock_stage = NULL, due_at = NULL WHERE source = 'drill'`);
});

describe('demo walkers', () => {
  it('walk nobody while no drill runs (mode drills)', async () => {
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await walkerPatrols()).toEqual([]);
  });

  it('walk every grid worker of a drill’s scope through the patrols service: patrols, fixes inside the grid, live moves', async () => {
    expect(grids).toBeGreaterThan(0);
    const response = await duty.request('PUT', '/api/drill', { running: true, intervalSeconds: 600, scopeCode: VILLAGE });
    expect(response.status).toBe(200);

    const started = await eventually(async () => {
      const rows = await walkerPatrols();
      return rows.length >= grids ? rows : null;
    }, 'a patrol for every grid worker of the village');
    expect(new Set(started.map((row) => row.area_code)).size).toBe(grids);

    const fixes = await eventually(async () => {
      const [row] = await db.rows<{ n: number; outside: number }>(sql`
        SELECT count(*)::int AS n,
          count(*) FILTER (WHERE NOT ST_Intersects(p.location, g.geom))::int AS outside
        FROM patrol_positions p JOIN areas g ON g.code = p.area_code
        WHERE p.area_code LIKE ${VILLAGE} || '%' AND p.client_fix_id LIKE 'walker-%'`);
      return row && row.n >= grids * 20 ? row : null;
    }, 'fixes from every walker');
    expect(fixes.outside).toBe(0);

    const moved = await eventually(async () => {
      const rows = await db.rows<{ scope_code: string; payload: { patrol: { id: string }; fix: unknown } }>(sql`
        SELECT scope_code, payload FROM live_events
        WHERE id > ${since} AND type = 'patrol.moved' AND scope_code LIKE ${VILLAGE} || '%'`);
      return rows.length >= grids ? rows : null;
    }, 'patrol.moved events');
    expect(moved.some((event) => event.payload.fix !== null)).toBe(true);
  });

  it('end patrols after their time and set out again; distances follow the fixes', async () => {
    const rows = await eventually(
      async () => {
        const all = await walkerPatrols();
        const ended = all.filter((row) => row.ended_at);
        return ended.length >= grids && all.length > grids ? all : null;
      },
      'patrols ended and new ones started',
      90_000,
    );
    expect(rows.filter((row) => row.ended_at).some((row) => row.distance_m > 50)).toBe(true);
  });

  it('end every patrol when the drill stops', async () => {
    const response = await duty.request('PUT', '/api/drill', { running: false, scopeCode: VILLAGE });
    expect(response.status).toBe(200);
    await eventually(async () => (await walkerPatrols()).every((row) => row.ended_at), 'every walker patrol ended');
    const [event] = await db.rows<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM live_events
      WHERE id > ${since} AND type = 'patrol.moved' AND scope_code LIKE ${VILLAGE} || '%'
        AND (payload -> 'patrol' ->> 'active')::boolean = false`);
    expect(event?.n).toBeGreaterThanOrEqual(grids);
  });
});
