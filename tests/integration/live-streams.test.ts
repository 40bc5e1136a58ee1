import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../api/app-env.ts';
import { SessionCache } from '../../api/auth/session-cache.ts';
import { areaReader, scopedDatabase } from '../../api/db/scoped.ts';
import { liveService } from '../../api/live/service.ts';
import { append, cleanups, db, openLiveHub, recordingHub, runCleanups } from './live-hub-fixtures.ts';
import { TestBrowser } from './support/sessions.ts';
import { isLogEvent, SseReader } from './support/sse.ts';
import { testApp } from './support/test-database.ts';

beforeAll(openLiveHub);
afterEach(runCleanups);

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
