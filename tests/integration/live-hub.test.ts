import { type SQL, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../api/app-env.ts';
import { SessionCache } from '../../api/auth/session-cache.ts';
import type { Database } from '../../api/db/client.ts';
import { areaReader, scopedDatabase } from '../../api/db/scoped.ts';
import { DEFAULT_HUB_TIMING, type HubTiming, LiveHub } from '../../api/live/hub.ts';
import { liveService } from '../../api/live/service.ts';
import { appendNote } from './support/live-events.ts';
import { TestBrowser } from './support/sessions.ts';
import { isLogEvent, SseReader } from './support/sse.ts';
import { seededDatabase, testApp } from './support/test-database.ts';

const CELL = '511921108209001001';
const onPostgres = Boolean(process.env.DATABASE_URL);

let db: Database;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  db = await seededDatabase();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function append(note: string): Promise<number> {
  return db.transaction((tx) => appendNote(tx, CELL, note));
}

/** A hub of its own (reading through `source`) with a subscriber that records what it gets, stopped after the test. */
async function recordingHub(timing: Partial<HubTiming> = {}, source: Pick<Database, 'rows' | 'listen'> = db) {
  const hub = new LiveHub(source, { ...DEFAULT_HUB_TIMING, ...timing });
  await hub.start();
  cleanups.push(() => hub.stop());
  const received: { id: number; late: boolean }[] = [];
  hub.subscribe({ scopeCode: '511921', deliver: (row, _frame, late) => received.push({ id: row.id, late }), close: () => {} });
  return { hub, received };
}

async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A transaction that appends an event and stays open until `commit()` is called. */
async function appendAndHold(note: string) {
  let commit = () => {};
  const released = new Promise<void>((resolve) => {
    commit = resolve;
  });
  let id = 0;
  const done = db.transaction(async (tx) => {
    id = await appendNote(tx, CELL, note);
    await released;
  });
  await waitFor(() => id > 0, 5_000, 'the held transaction appended');
  const held = {
    id,
    commit: async () => {
      commit();
      await done;
    },
  };
  // Never left open by a failed test: it would hold back every later test's hub.
  cleanups.push(held.commit);
  return held;
}

/**
 * Two appends whose transaction ids and event ids are in opposite orders: the newer event's
 * command takes its transaction id first, the older event's command then takes its own and its
 * event id (and stays open, see appendAndHold), and only then does the newer one take its event
 * id and commit.
 */
async function appendsWithTransactionIdsCrossed(olderNote: string) {
  let appendNow = () => {};
  const gate = new Promise<void>((resolve) => {
    appendNow = resolve;
  });
  let started = false;
  const newerCommand = db.transaction(async (tx) => {
    await tx.rows(sql`SELECT pg_current_xact_id()`);
    started = true;
    await gate;
    return appendNote(tx, CELL, 'newer');
  });
  cleanups.push(async () => {
    appendNow();
    await newerCommand.catch(() => {});
  });
  await waitFor(() => started, 5_000, 'the newer command took its transaction id');
  const older = await appendAndHold(olderNote);
  appendNow();
  const newer = await newerCommand;
  expect(newer).toBeGreaterThan(older.id);
  return { older, newer };
}

describe('the hub and ids that commit out of order', () => {
  it('gets past the id of a rolled-back append at once, without waiting out the hold', async () => {
    // A hold far longer than the test: only the proof that no appender is in flight can release it.
    const { received } = await recordingHub({ holdMs: 60_000 });
    await expect(
      db.transaction(async (tx) => {
        await appendNote(tx, CELL, 'rolled back');
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    const after = await append('after the rollback');
    await waitFor(() => received.some((event) => event.id === after), 3_000, 'the event after the gap');
    expect(received).toEqual([{ id: after, late: false }]);
  });

  it.skipIf(!onPostgres)(
    'holds a newer event back until an older one still in flight commits, then delivers both in order (PostgreSQL only: PGlite runs one transaction at a time)',
    async () => {
      const { hub, received } = await recordingHub({ holdMs: 60_000 });
      const older = await appendAndHold('older, slow to commit');
      const newer = await append('newer, committed first');
      expect(newer).toBeGreaterThan(older.id);
      await hub.wakeAndWait();
      expect(received).toEqual([]);
      expect(hub.horizon).toBeLessThan(older.id);
      await older.commit();
      await waitFor(() => received.length === 2, 3_000, 'both events');
      expect(received).toEqual([
        { id: older.id, late: false },
        { id: newer, late: false },
      ]);
    },
  );

  it.skipIf(!onPostgres)(
    'holds a newer event back behind an older one whose command took its transaction id later (PostgreSQL only: PGlite runs one transaction at a time)',
    async () => {
      // A command that writes before it appends takes its transaction id early. The older
      // transaction's id is then above every id that had ended when the hub first saw the gap.
      const { hub, received } = await recordingHub({ holdMs: 60_000 });
      const { older, newer } = await appendsWithTransactionIdsCrossed('older, slow to commit');
      // The first read sees the gap; the second must not take it for a rollback.
      await hub.wakeAndWait();
      await hub.wakeAndWait();
      expect(received).toEqual([]);
      await older.commit();
      await waitFor(() => received.length === 2, 3_000, 'both events');
      expect(received).toEqual([
        { id: older.id, late: false },
        { id: newer, late: false },
      ]);
    },
  );

  it.skipIf(!onPostgres)(
    'keeps watching a gap whose transaction commits just after the read that first saw it (PostgreSQL only: PGlite runs one transaction at a time)',
    async () => {
      // As above, the newer event's command takes its transaction id first, so the read that
      // first sees the gap has nothing running below its xmax: its xmin equals its xmax. The
      // older transaction then commits before the hub asks pg_locks who is appending, so nobody
      // is, and the bound is that xmax. The read that saw the gap says nothing of a transaction
      // that ended after it: only a later read, whose snapshot would show the row, may.
      let commitBeforeBound: (() => Promise<void>) | null = null;
      const dialect = new PgDialect();
      const watched: Pick<Database, 'rows' | 'listen'> = {
        rows: async <Row>(query: SQL) => {
          if (commitBeforeBound && dialect.sqlToQuery(query).sql.includes('pg_locks')) {
            const commit = commitBeforeBound;
            commitBeforeBound = null;
            await commit();
          }
          return db.rows<Row>(query);
        },
        listen: (...args) => db.listen(...args),
      };
      const { hub, received } = await recordingHub({ holdMs: 60_000 }, watched);
      const { older, newer } = await appendsWithTransactionIdsCrossed('older, commits between the read and the bound');
      commitBeforeBound = older.commit;
      await hub.wakeAndWait();
      expect(commitBeforeBound).toBeNull();
      await waitFor(() => received.length === 2, 3_000, 'both events');
      expect(received).toEqual([
        { id: older.id, late: false },
        { id: newer, late: false },
      ]);
    },
  );

  it.skipIf(!onPostgres)(
    'lets newer events go after the hold, and delivers the older one late when it commits (PostgreSQL only: PGlite runs one transaction at a time)',
    async () => {
      const { received } = await recordingHub({ holdMs: 150 });
      const older = await appendAndHold('older, very slow');
      const newer = await append('newer');
      await waitFor(() => received.length === 1, 3_000, 'the newer event after the hold');
      expect(received).toEqual([{ id: newer, late: false }]);
      await older.commit();
      await waitFor(() => received.length === 2, 6_000, 'the older event, late');
      expect(received[1]).toEqual({ id: older.id, late: true });
    },
  );

  it.skipIf(!onPostgres)(
    'comes back after its listening connection is killed, and catches up with what it missed (PostgreSQL only: PGlite has no connection to lose)',
    async () => {
      // The poll is pushed out of the way: only the reconnection can bring these events.
      const { received } = await recordingHub({ pollMs: 600_000 });
      const [{ killed } = { killed: 0 }] = await db.rows<{ killed: number }>(sql`
      SELECT count(pg_terminate_backend(pid))::int AS killed FROM pg_stat_activity
      WHERE application_name = 'gcc-listener' AND datname = current_database()`);
      expect(killed).toBe(1);
      const whileDown = await append('while the listener was down');
      await waitFor(() => received.some((event) => event.id === whileDown), 4_000, 'the missed event after reconnecting');
      const listeners = await db.rows<{ pid: number }>(sql`
      SELECT pid FROM pg_stat_activity WHERE application_name = 'gcc-listener' AND datname = current_database()`);
      expect(listeners).toHaveLength(1);
      const afterwards = await append('after reconnecting');
      await waitFor(() => received.some((event) => event.id === afterwards), 1_000, 'a notified event after reconnecting');
    },
  );
});

const principal = (sessionId: string): Principal => ({
  accountId: '00000000-0000-4000-8000-000000000001',
  username: 'stream-test',
  displayName: 'stream test',
  role: 'duty_officer',
  scopeCode: '511921',
  departmentCode: null,
  sessionId,
  csrfToken: 'unused',
});

describe('streams', () => {
  it('beats while the session holds, and ends at the first beat after it stops holding', async () => {
    const { hub } = await recordingHub();
    const live = liveService(hub, new SessionCache(), {
      keepAliveMs: 40,
      sessionCheckMs: 40,
      replayLimit: 1000,
      replayMaxAgeHours: 24,
      maxQueued: 100,
    });
    cleanups.push(() => live.close());
    let holds = true;
    const reader = new SseReader(
      await live.open({
        principal: principal('beating'),
        scoped: scopedDatabase(db, areaReader('511921')),
        lastEventId: null,
        sessionHolds: async () => holds,
      }),
    );
    await reader.until((message) => message.event === 'ready');
    expect(await reader.readUntil(() => reader.comments >= 2, 2_000, 'two heartbeats')).toBe(true);
    await expect(reader.next(100)).rejects.toThrow('no message');
    holds = false;
    const rest = await reader.rest(1_000);
    expect(rest).toEqual([{ id: null, event: 'end', data: JSON.stringify({ reason: 'session_ended' }) }]);
    expect(live.openStreams).toBe(0);
  });

  it('beats on every stream every keepAliveMs, so a browser can tell a quiet stream from a dead one, and checks sessions only every sessionCheckMs', async () => {
    const { hub } = await recordingHub();
    const live = liveService(hub, new SessionCache(), {
      keepAliveMs: 20,
      sessionCheckMs: 100,
      replayLimit: 1000,
      replayMaxAgeHours: 24,
      maxQueued: 100,
    });
    cleanups.push(() => live.close());
    let checks = 0;
    const reader = new SseReader(
      await live.open({
        principal: principal('pulse'),
        scoped: scopedDatabase(db, areaReader('511921')),
        lastEventId: null,
        sessionHolds: async () => {
          checks++;
          return true;
        },
      }),
    );
    await reader.until((message) => message.event === 'ready');
    expect(await reader.readUntil(() => reader.comments >= 12, 5_000, 'twelve beats')).toBe(true);
    // Every fifth beat checks the session (once it holds, that beat's comment follows).
    expect(checks).toBeGreaterThanOrEqual(Math.floor(reader.comments / 5) - 1);
    expect(checks).toBeLessThanOrEqual(Math.ceil(reader.comments / 5) + 1);
  });

  it('keeps a stream whose session cannot be checked (database away), and checks each session once per beat', async () => {
    const { hub } = await recordingHub();
    const live = liveService(hub, new SessionCache(), {
      keepAliveMs: 30,
      sessionCheckMs: 30,
      replayLimit: 1000,
      replayMaxAgeHours: 24,
      maxQueued: 100,
    });
    cleanups.push(() => live.close());
    let checks = 0;
    const sessionHolds = async () => {
      checks++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      throw new Error('connection refused');
    };
    const readers = await Promise.all(
      [1, 2, 3].map(
        async () =>
          new SseReader(
            await live.open({
              principal: principal('shared'),
              scoped: scopedDatabase(db, areaReader('511921')),
              lastEventId: null,
              sessionHolds,
            }),
          ),
      ),
    );
    for (const reader of readers) expect(await reader.readUntil(() => reader.comments >= 2, 2_000, 'heartbeats')).toBe(true);
    expect(live.openStreams).toBe(3);
    await live.close();
    for (const reader of readers) await reader.rest(1_000);
    // Three streams of one session: one check per beat, not one per stream.
    const beats = Math.max(...readers.map((reader) => reader.comments));
    expect(checks).toBeGreaterThanOrEqual(beats);
    expect(checks).toBeLessThanOrEqual(beats + 1);
    expect(live.openStreams).toBe(0);
  });

  it('ends the stream of a browser that does not read, instead of queueing without end', async () => {
    const { hub } = await recordingHub();
    const live = liveService(hub, new SessionCache(), {
      keepAliveMs: 60_000,
      sessionCheckMs: 60_000,
      replayLimit: 1000,
      replayMaxAgeHours: 24,
      maxQueued: 5,
    });
    cleanups.push(() => live.close());
    const body = await live.open({
      principal: principal('slow'),
      scoped: scopedDatabase(db, areaReader('511921')),
      lastEventId: null,
      sessionHolds: async () => true,
    });
    const appended: number[] = [];
    for (let index = 0; index < 12; index++) appended.push(await append(`flood ${index}`));
    await hub.wakeAndWait();
    expect(live.openStreams).toBe(0);
    const messages = await new SseReader(body).rest(2_000);
    expect(messages.at(-1)).toEqual({ id: null, event: 'end', data: JSON.stringify({ reason: 'too_slow' }) });
    // What it did get is a prefix of the log, in order: the replay on reconnecting fills in the rest.
    const got = messages.filter(isLogEvent).map((message) => Number(message.id));
    expect(got).toEqual(appended.slice(0, got.length));
    expect(got.length).toBeLessThan(appended.length);
  });

  it('ends every stream with `shutdown` when the app closes', async () => {
    const { app } = await testApp();
    const browser = new TestBrowser(app);
    expect((await browser.signIn('t-duty')).status).toBe(200);
    const response = await browser.get('/api/live/events');
    const reader = new SseReader(response.body!);
    await reader.until((message) => message.event === 'ready');
    await app.close();
    const rest = await reader.rest(1_000);
    expect(rest.at(-1)).toEqual({ id: null, event: 'end', data: JSON.stringify({ reason: 'shutdown' }) });
  });
});

describe('sessions revoked in another app on the same database', () => {
  it('are forgotten by its session cache at once, well inside the cache time', async () => {
    const a = await testApp();
    const b = await testApp();
    cleanups.push(
      () => a.app.close(),
      () => b.app.close(),
    );
    const browser = new TestBrowser(a.app);
    expect((await browser.signIn('t-shaxi')).status).toBe(200);
    const onB = () => b.app.request('http://localhost/api/auth/me', { headers: { Cookie: browser.cookieHeader() } });
    // B resolves the session once: from now on its cache would trust it for 5 s.
    expect((await onB()).status).toBe(200);

    const streamOnB = await b.app.request('http://localhost/api/live/events', { headers: { Cookie: browser.cookieHeader() } });
    const reader = new SseReader(streamOnB.body!);
    await reader.until((message) => message.event === 'ready');

    const cookie = browser.cookieHeader();
    const started = Date.now();
    expect((await browser.request('POST', '/api/auth/logout', {})).status).toBe(200);
    let status = 200;
    while (status === 200 && Date.now() - started < 1_000) {
      // Yield to the event loop: the notification arrives on a socket.
      await new Promise((resolve) => setTimeout(resolve, 5));
      status = (await b.app.request('http://localhost/api/auth/me', { headers: { Cookie: cookie } })).status;
    }
    expect(status).toBe(401);
    const rest = await reader.rest(1_000);
    expect(rest.at(-1)).toEqual({ id: null, event: 'end', data: JSON.stringify({ reason: 'session_ended' }) });
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
