import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../api/db/client.ts';
import { fixEastOf, startPatrol, walkOrigin } from './support/patrol-batches.ts';
import { signedInBrowser, type TestBrowser } from './support/sessions.ts';
import { testApp } from './support/test-database.ts';

// A gate that admits no batch: every upload is one too many (api/patrols/upload-gate.ts).
let db: Database;
let worker: TestBrowser;
let admin: TestBrowser;
let patrolId: string;
let fixes: unknown[];

beforeAll(async () => {
  const started = await testApp({ uploadGate: { running: 0, waiting: 0, waitMs: 1 } });
  db = started.db;
  worker = await signedInBrowser(started.app, 't-worker');
  admin = await signedInBrowser(started.app, 't-admin');
  const origin = await walkOrigin(db);
  const start = Date.now() - 60_000;
  patrolId = await startPatrol(worker, new Date(start));
  fixes = [fixEastOf(origin, start, 0, 0), fixEastOf(origin, start, 5, 7)];
});

describe('batches of fixes when the server is too busy for them', () => {
  it('are answered 503 at once with Retry-After and a message in Chinese, and nothing is stored', async () => {
    const response = await worker.request('POST', `/api/patrols/${patrolId}/positions`, { fixes, gaps: [] });
    expect(response.status).toBe(503);
    expect(response.headers.get('Retry-After')).toBe('10');
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('patrol_uploads_busy');
    expect(body.error.message).toContain('轨迹已保存在手机上');
    const [row] = await db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM patrol_positions WHERE patrol_id = ${patrolId}`,
    );
    expect(row!.n).toBe(0);
  });

  it('are still refused 403 first to a role that may not record patrols', async () => {
    const response = await admin.request('POST', `/api/patrols/${patrolId}/positions`, { fixes, gaps: [] });
    expect(response.status).toBe(403);
  });
});
