import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database } from '../../../api/db/client.ts';
import { patrolsService } from '../../../api/patrols/service.ts';
import { okJson, type TestBrowser } from './sessions.ts';

/**
 * A patrol out now in `areaCode`, walked by `workerId` (an account id, or any id for a worker who
 * is not a test account), with one valid fix a few seconds old at the area's label point. Written
 * as the owner, as the service would.
 */
export async function insertTestPatrol(db: Database, { workerId, areaCode }: { workerId: string; areaCode: string }) {
  const id = randomUUID();
  await db.transaction(async (tx) => {
    await tx.rows(sql`
      INSERT INTO patrols (id, client_id, worker_id, worker_name, worker_role, area_code, started_at, last_fix_at)
      VALUES (${id}, ${randomUUID()}, ${workerId}, '测试网格员', 'grid_worker', ${areaCode}, now() - interval '10 minutes', now() - interval '5 seconds')`);
    await tx.rows(sql`
      INSERT INTO patrol_positions (patrol_id, client_fix_id, area_code, fixed_at, location, accuracy_m)
      SELECT ${id}, 'fix-1', ${areaCode}, now() - interval '5 seconds', label_point, 8 FROM areas WHERE code = ${areaCode}`);
  });
  return { id };
}

/** The account id of a test account, by username. */
export async function accountIdOf(db: Database, username: string): Promise<string> {
  const [row] = await db.rows<{ id: string }>(sql`SELECT id FROM accounts WHERE username = ${username}`);
  if (!row) throw new Error(`no account ${username}`);
  return row.id;
}

/**
 * Starts a patrol as `browser`, uploads one fix at the label point of `side.cell` and ends it,
 * through the API; the patrol's id joins the side's secrets.
 */
export async function walkAndStop(db: Database, browser: TestBrowser, side: { cell: string; secrets: Set<string> }) {
  const cellCode = side.cell;
  const [point] = await db.rows<{ lng: number; lat: number }>(
    sql`SELECT ST_X(label_point) AS lng, ST_Y(label_point) AS lat FROM areas WHERE code = ${cellCode}`,
  );
  const ok = (response: Promise<Response>) => okJson<{ patrol: { id: string } }>(response, 'patrol');
  const { patrol } = await ok(
    browser.request('POST', '/api/patrols', { clientId: randomUUID(), startedAt: new Date().toISOString() }),
  );
  const fix = { clientFixId: randomUUID(), fixedAt: new Date().toISOString(), lng: point!.lng, lat: point!.lat, accuracyM: 6 };
  await ok(browser.request('POST', `/api/patrols/${patrol.id}/positions`, { fixes: [fix] }));
  await ok(browser.request('POST', `/api/patrols/${patrol.id}/end`, { endedAt: new Date().toISOString() }));
  side.secrets.add(patrol.id);
}

/**
 * Derives the cells walked that batches have marked, as the server's settler does a second or so
 * after them: what a test calls before it reads patrol_cells or a count of cells walked. Waits for
 * a settling under way (the test app's own) and goes on until nothing is marked.
 */
export async function settlePatrolCells(db: Database): Promise<void> {
  const patrols = patrolsService(db, { retentionDays: 180 });
  while ((await patrols.settleCells({ wait: true })) > 0);
}
