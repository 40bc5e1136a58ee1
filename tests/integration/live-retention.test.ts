import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../api/db/client.ts';
import { parseEnv } from '../../api/env.ts';
import { LiveHub } from '../../api/live/hub.ts';
import { liveRetention } from '../../api/live/retention.ts';
import { signedInBrowser, type TestBrowser } from './support/sessions.ts';
import { SseReader } from './support/sse.ts';
import { freshDatabase, testApp } from './support/test-database.ts';

/**
 * The live log's retention (issue: live_events grew forever): events past LIVE_RETENTION_DAYS are
 * deleted in batches by the sweep alone, and a browser resuming from a removed id is told its
 * replay is not whole, as one resuming from an id older than the replay reaches.
 */

let db: Database;
let county: TestBrowser;
const SHAXI = '511921108';
const DAY_MS = 86_400_000;

/** Drill events (about no case) in 沙溪镇, `daysAgo` old; their ids. */
async function eventsAged(daysAgo: number, count: number): Promise<number[]> {
  const drill = { running: false, intervalSeconds: 600, scopeCode: SHAXI, startedBy: null, startedAt: null, reportsFiled: 0 };
  const at = new Date(Date.now() - daysAgo * DAY_MS).toISOString();
  const rows = await db.rows<{ id: number }>(sql`
    INSERT INTO live_events (type, scope_code, payload, department_codes, at)
    SELECT 'drill.changed', ${SHAXI}, ${JSON.stringify({ drill })}::jsonb, NULL, ${at}::timestamptz FROM generate_series(1, ${count})
    RETURNING id::int AS id`);
  return rows.map((row) => row.id).sort((a, b) => a - b);
}

async function existing(ids: number[]): Promise<number[]> {
  const rows = await db.rows<{ id: number }>(
    sql`SELECT id::int AS id FROM live_events WHERE id = ANY(${`{${ids.join(',')}}`}::bigint[]) ORDER BY id`,
  );
  return rows.map((row) => row.id);
}

/** The `ready` message of a stream resumed after `lastEventId`. */
async function readyAfter(lastEventId: number): Promise<{ replayed: number; complete: boolean; lastEventId: number }> {
  const response = await county.get('/api/live/events', { 'Last-Event-ID': String(lastEventId) });
  expect(response.status).toBe(200);
  const stream = new SseReader(response.body!);
  try {
    for (;;) {
      const message = await stream.next(15_000);
      if (!message) throw new Error('the stream ended before ready');
      if (message.event === 'ready') return JSON.parse(message.data);
    }
  } finally {
    await stream.close();
  }
}

beforeAll(async () => {
  const { app, db: database } = await testApp();
  db = database;
  county = await signedInBrowser(app, 't-county');
}, 300_000);

describe('live event retention', () => {
  it('defaults to 30 days, configurable by LIVE_RETENTION_DAYS', () => {
    expect(parseEnv({}).LIVE_RETENTION_DAYS).toBe(30);
    expect(parseEnv({ LIVE_RETENTION_DAYS: '7' }).LIVE_RETENTION_DAYS).toBe(7);
    expect(() => parseEnv({ LIVE_RETENTION_DAYS: '0' })).toThrow(/LIVE_RETENTION_DAYS/);
  });

  it('refuses to change or delete an event outside the sweep', async () => {
    const [id] = await eventsAged(40, 1);
    await expect(db.rows(sql`UPDATE live_events SET scope_code = '511921' WHERE id = ${id}`)).rejects.toThrow();
    await expect(db.rows(sql`DELETE FROM live_events WHERE id = ${id}`)).rejects.toThrow();
    expect(await existing([id!])).toEqual([id]);
  });

  it('deletes the events older than the period in batches, keeps the newer, and tells a browser resuming from a removed id', async () => {
    const old = await eventsAged(31, 7);
    const young = await eventsAged(29, 2);
    const fresh = await eventsAged(0, 2);
    // Resuming from the newest old event: before the sweep, an id older than the replay's 24 hours.
    const before = await readyAfter(old.at(-1)!);
    expect(before.complete).toBe(false);

    const result = await liveRetention(db, { retentionDays: 30, batchSize: 3 }).apply();
    expect(result.deleted).toBeGreaterThanOrEqual(old.length);
    expect(await existing([...old, ...young, ...fresh])).toEqual([...young, ...fresh]);
    const [left] = await db.rows<{ count: number }>(
      sql`SELECT count(*)::int AS count FROM live_events WHERE at < ${result.cutoff}::timestamptz`,
    );
    expect(left!.count).toBe(0);

    // What a too-old id got before: the last 24 hours replayed, and not whole.
    const after = await readyAfter(old.at(-1)!);
    expect(after.complete).toBe(false);
    expect(after.replayed).toBeGreaterThanOrEqual(fresh.length);
    expect(after.replayed).toBeGreaterThanOrEqual(before.replayed);
    // A browser that had every event up to the newest kept one past 24 hours misses nothing.
    const whole = await readyAfter(young.at(-1)!);
    expect(whole.complete).toBe(true);
  });

  it('keeps the newest event whatever its age, and knows when events after an id were removed', async () => {
    // A database of its own: its ids are in the order of their times, as in a server's log.
    const own = await freshDatabase();
    try {
      const append = async (age: string, count: number) => {
        const rows = await own.rows<{ id: number }>(sql`
          INSERT INTO live_events (type, scope_code, payload, at)
          SELECT 'drill.changed', ${SHAXI}, '{}'::jsonb, now() - ${age}::interval FROM generate_series(1, ${count})
          RETURNING id::int AS id`);
        return rows.map((row) => row.id).sort((a, b) => a - b);
      };
      const old = await append('40 days', 4);
      const fresh = await append('1 minute', 2);
      const sweep = liveRetention(own, { retentionDays: 30, batchSize: 3 });
      expect((await sweep.apply()).deleted).toBe(old.length);
      expect((await sweep.apply()).deleted).toBe(0);
      const hub = new LiveHub(own);
      expect(await hub.removedAfter(old[0]!)).toBe(true);
      expect(await hub.removedAfter(old.at(-1)!)).toBe(false);
      expect(await hub.removedAfter(fresh[0]!)).toBe(false);
      const later = liveRetention(own, { retentionDays: 30, now: () => new Date(Date.now() + 3_650 * DAY_MS) });
      expect((await later.apply()).deleted).toBe(1);
      const [row] = await own.rows<{ id: number }>(sql`SELECT id::int AS id FROM live_events`);
      expect(row!.id).toBe(fresh.at(-1));
    } finally {
      await own.close();
    }
  }, 300_000);
});
