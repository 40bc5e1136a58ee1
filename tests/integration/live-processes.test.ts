import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../api/db/client.ts';
import { appendLiveEvent } from '../../api/live/events.ts';
import { signInOverHttp } from '../support/http-sign-in.ts';
import { type ServerProcess, startServer } from '../support/server-process.ts';
import { noteEvent } from './support/live-events.ts';
import { TEST_PASSWORD } from './support/sessions.ts';
import { isLogEvent, liveData, type SseMessage, SseReader } from './support/sse.ts';
import { seededDatabase } from './support/test-database.ts';

const CELL = '511921108209001001';
const OTHER_TOWNSHIP_CELL = '511921112200001001';

/**
 * The ids among `ours` a stream brought, in the order it brought them. Other test files append
 * to the same live log on the shared PostgreSQL database (and every API process sweeps overdue
 * cases and silent task targets), so a county reader may hear their events in between: each test
 * checks what became of its own.
 */
function ownIds(messages: readonly SseMessage[], ours: readonly number[]): number[] {
  return messages.filter(isLogEvent).flatMap((message) => (ours.includes(Number(message.id)) ? [Number(message.id)] : []));
}

/**
 * Two API processes (api/server.ts, each its own Node process with its own pool, session cache,
 * hub and LISTEN connection) on one PostgreSQL database: what one commits, the other's browsers
 * hear of at once. The embedded database admits one process, so there is nothing to test there.
 */
describe.skipIf(!process.env.DATABASE_URL)('two API processes on one PostgreSQL (PostgreSQL only: PGlite is one process)', () => {
  let db: Database;
  let processA: ServerProcess;
  let processB: ServerProcess;
  const readers: SseReader[] = [];

  beforeAll(async () => {
    db = await seededDatabase();
    const [row] = await db.rows<{ name: string }>(sql`SELECT current_database() AS name`);
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = `/${row!.name}`;
    const env = { DATABASE_URL: url.toString(), COUNTY_PRESET: 'small', SEED: '7' };
    [processA, processB] = await Promise.all([startServer(env, 120_000), startServer(env, 120_000)]);
  });

  afterEach(async () => {
    for (const reader of readers.splice(0)) await reader.close();
  });

  afterAll(async () => {
    await Promise.all([processA?.stop(), processB?.stop()]);
  });

  /** Signs in on `server`; returns the cookie header and CSRF token a browser would hold. */
  function signIn(server: ServerProcess, username: string) {
    return signInOverHttp(server.url, username, TEST_PASSWORD);
  }

  async function stream(server: ServerProcess, cookie: string) {
    const response = await fetch(`${server.url}/api/live/events`, { headers: { Cookie: cookie } });
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toMatch(/^text\/event-stream/);
    const reader = new SseReader(response.body!);
    readers.push(reader);
    await reader.until((message) => message.event === 'ready');
    return reader;
  }

  it('brings an event committed once to the streams of both processes, each within a second, and only in scope', async () => {
    const duty = await signIn(processA, 't-duty');
    const shaxi = await signIn(processA, 't-shaxi');
    const onA = await stream(processA, duty.cookie);
    const onB = await stream(processB, duty.cookie);
    const shaxiOnB = await stream(processB, shaxi.cookie);

    const outside = await db.transaction((tx) => appendLiveEvent(tx, noteEvent(OTHER_TOWNSHIP_CELL, '涪阳镇', 'report.created')));
    const started = Date.now();
    const inside = await db.transaction((tx) => appendLiveEvent(tx, noteEvent(CELL, '沙溪镇', 'report.created')));
    for (const reader of [onA, onB]) {
      const got = await reader.until((message) => message.id === String(inside), 1_000);
      expect(ownIds(got, [outside, inside])).toEqual([outside, inside]);
    }
    const shaxiGot = (await shaxiOnB.until((message) => message.id === String(inside), 1_000)).filter(isLogEvent);
    expect(ownIds(shaxiGot, [outside, inside])).toEqual([inside]);
    expect(new Set(shaxiGot.map((message) => liveData(message).scopeCode.slice(0, 9)))).toEqual(new Set([CELL.slice(0, 9)]));
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('replays on process B what a browser missed after it last heard from process A', async () => {
    const duty = await signIn(processA, 't-duty');
    const onA = await stream(processA, duty.cookie);
    const seen = await db.transaction((tx) => appendLiveEvent(tx, noteEvent(CELL, 'seen on A', 'case.changed')));
    await onA.until((message) => message.id === String(seen), 1_000);
    await onA.close();
    const missed = await db.transaction((tx) => appendLiveEvent(tx, noteEvent(CELL, 'missed', 'case.changed')));
    const response = await fetch(`${processB.url}/api/live/events`, {
      headers: { Cookie: duty.cookie, 'Last-Event-ID': onA.lastEventId },
    });
    const onB = new SseReader(response.body!);
    readers.push(onB);
    const replay = await onB.until((message) => message.event === 'ready');
    expect(ownIds(replay, [seen, missed])).toEqual([missed]);
  });

  it('ends the stream and refuses the API in process B as soon as the session signs out in process A', async () => {
    const officer = await signIn(processA, 't-duty');
    const onB = await stream(processB, officer.cookie);
    const meOnB = () => fetch(`${processB.url}/api/auth/me`, { headers: { Cookie: officer.cookie } });
    // B has just resolved the session: its cache would trust it for another 5 s.
    expect((await meOnB()).status).toBe(200);

    const started = Date.now();
    const logout = await fetch(`${processA.url}/api/auth/logout`, {
      method: 'POST',
      headers: {
        Cookie: officer.cookie,
        'X-CSRF-Token': officer.csrfToken,
        Origin: processA.url,
        'Content-Type': 'application/json',
      },
      body: '{}',
    });
    expect(logout.status).toBe(200);
    const rest = await onB.rest(1_000);
    expect(rest.at(-1)).toEqual({ id: null, event: 'end', data: JSON.stringify({ reason: 'session_ended' }) });
    let status = (await meOnB()).status;
    while (status === 200 && Date.now() - started < 1_000) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      status = (await meOnB()).status;
    }
    expect(status).toBe(401);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect((await fetch(`${processB.url}/api/live/events`, { headers: { Cookie: officer.cookie } })).status).toBe(401);
  });

  it('ends the streams in process B of an account an administrator in process A disables', async () => {
    const admin = await signIn(processA, 't-admin');
    const username = `proc-${Date.now().toString(36)}`;
    const created = await fetch(`${processA.url}/api/accounts`, {
      method: 'POST',
      headers: {
        Cookie: admin.cookie,
        'X-CSRF-Token': admin.csrfToken,
        Origin: processA.url,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({
        username,
        displayName: '指挥长',
        role: 'township_commander',
        scopeCode: '511921108',
        password: TEST_PASSWORD,
      }),
    });
    expect(created.status).toBe(201);
    const { account } = (await created.json()) as { account: { id: string } };
    const officer = await signIn(processB, username);
    const onB = await stream(processB, officer.cookie);

    const started = Date.now();
    const disabled = await fetch(`${processA.url}/api/accounts/${account.id}`, {
      method: 'PATCH',
      headers: {
        Cookie: admin.cookie,
        'X-CSRF-Token': admin.csrfToken,
        Origin: processA.url,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ disabled: true }),
    });
    expect(disabled.status).toBe(200);
    const rest = await onB.rest(1_000);
    expect(rest.at(-1)).toEqual({ id: null, event: 'end', data: JSON.stringify({ reason: 'session_ended' }) });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('ends its streams with `shutdown` when a process stops, and the other keeps serving', async () => {
    const duty = await signIn(processA, 't-duty');
    const onA = await stream(processA, duty.cookie);
    const onB = await stream(processB, duty.cookie);
    await processA.stop();
    const rest = await onA.rest(5_000);
    expect(rest.at(-1)).toEqual({ id: null, event: 'end', data: JSON.stringify({ reason: 'shutdown' }) });
    const after = await db.transaction((tx) => appendLiveEvent(tx, noteEvent(CELL, 'after A stopped', 'report.created')));
    const got = await onB.until((message) => message.id === String(after), 1_000);
    expect(ownIds(got, [after])).toEqual([after]);
  });
});
