import { sql } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../api/db/client.ts';
import { appendLiveEvent } from '../../api/live/events.ts';
import { RECONNECT_MS } from '../../api/live/sse.ts';
import { noteCase, noteEvent, noteOf } from './support/live-events.ts';
import { signedInBrowser, TestBrowser } from './support/sessions.ts';
import { isLogEvent, liveData, type SseMessage, SseReader } from './support/sse.ts';
import { testApp } from './support/test-database.ts';

/** 王坪村 (沙溪镇), its first grid's first cell: inside t-shaxi's, t-worker's and t-informant's scopes. */
const WANGPING_CELL = '511921108209001001';
/** Another cell of the same grid: inside t-worker's scope, outside t-informant's. */
const NEIGHBOUR_CELL = '511921108209001002';
/** 红江村 (涪阳镇): outside every scope but the county's. */
const HONGJIANG_CELL = '511921112200001001';

type App = Awaited<ReturnType<typeof testApp>>['app'];
let app: App;
let db: Database;
const browsers = new Map<string, TestBrowser>();
const open: SseReader[] = [];

beforeAll(async () => {
  ({ app, db } = await testApp());
  for (const username of ['t-duty', 't-shaxi', 't-informant', 't-worker']) {
    browsers.set(username, await signedInBrowser(app, username));
  }
});

afterEach(async () => {
  for (const reader of open.splice(0)) await reader.close();
});

/** Appends one event in a transaction of its own, as a command would; returns its id. */
function append(scopeCode: string, note = 'test', type: 'report.created' | 'case.changed' = 'report.created'): Promise<number> {
  return db.transaction((tx) => appendLiveEvent(tx, noteEvent(scopeCode, note, type)));
}

/** Opens the live stream as `username` and reads up to its `ready` message. */
async function connect(
  username: string,
  options: { lastEventId?: number; query?: string; browser?: TestBrowser } = {},
): Promise<{ reader: SseReader; response: Response; replay: SseMessage[]; ready: Record<string, unknown> }> {
  const browser = options.browser ?? browsers.get(username)!;
  const headers: Record<string, string> =
    options.lastEventId === undefined ? {} : { 'Last-Event-ID': String(options.lastEventId) };
  const response = await browser.get(`/api/live/events${options.query ?? ''}`, headers);
  expect(response.status).toBe(200);
  const reader = new SseReader(response.body!);
  open.push(reader);
  const messages = await reader.until((message) => message.event === 'ready');
  const ready = JSON.parse(messages.pop()!.data) as Record<string, unknown>;
  return { reader, response, replay: messages, ready };
}

/** Log events until the one with id `lastId` (inclusive). */
async function eventsUpTo(reader: SseReader, lastId: number, timeoutMs = 5_000): Promise<SseMessage[]> {
  const messages = await reader.until((message) => message.id === String(lastId), timeoutMs);
  return messages.filter(isLogEvent);
}

const ids = (messages: SseMessage[]) => messages.map((message) => Number(message.id));

describe('the live stream', () => {
  it('is an event stream the server does not buffer or transform, and starts with the reconnection delay', async () => {
    const { reader, response, ready } = await connect('t-duty');
    expect(response.headers.get('Content-Type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('Cache-Control')).toContain('no-transform');
    expect(response.headers.get('Content-Encoding')).toBeNull();
    expect(reader.retryMs).toBe(RECONNECT_MS);
    expect(ready).toMatchObject({ replayed: 0, complete: true });
  });

  it('brings a duty officer an event appended in another transaction within a second, as {id, at, type, scopeCode, payload}', async () => {
    const { reader } = await connect('t-duty');
    const started = Date.now();
    const id = await append(WANGPING_CELL, 'rockfall by the provincial road');
    const message = await reader.next(1_000);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(message).toMatchObject({ id: String(id), event: 'report.created' });
    const data = liveData(message!);
    expect(data).toEqual({
      id,
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      type: 'report.created',
      scopeCode: WANGPING_CELL,
      payload: { case: expect.objectContaining({ cellCode: WANGPING_CELL, description: 'rockfall by the provincial road' }) },
    });
    expect(Math.abs(new Date(data.at).getTime() - Date.now())).toBeLessThan(60_000);
  });

  it('delivers nothing of an event that rolls back', async () => {
    const { reader } = await connect('t-duty');
    await expect(
      db.transaction(async (tx) => {
        await appendLiveEvent(tx, noteEvent(WANGPING_CELL, 'rolled back'));
        throw new Error('the command failed after appending');
      }),
    ).rejects.toThrow('the command failed');
    const after = await append(WANGPING_CELL, 'after the rollback');
    const messages = await eventsUpTo(reader, after);
    expect(messages.map((message) => noteOf(message))).toEqual(['after the rollback']);
  });

  it('delivers a burst in order, each event once', async () => {
    const { reader } = await connect('t-duty');
    const appended = await Promise.all(Array.from({ length: 25 }, (_, index) => append(WANGPING_CELL, `burst ${index}`)));
    const last = Math.max(...appended);
    const messages = await eventsUpTo(reader, last);
    expect(ids(messages)).toEqual([...appended].sort((a, b) => a - b));
  });
});

describe('scope', () => {
  it('never brings a 沙溪镇 account an event in 涪阳镇, and does bring one in 沙溪镇', async () => {
    const { reader } = await connect('t-shaxi');
    const outside = await append(HONGJIANG_CELL, 'in 涪阳镇');
    const inside = await append(WANGPING_CELL, 'in 沙溪镇');
    expect(outside).toBeLessThan(inside);
    // Events arrive in id order, so the one outside would have come first.
    const messages = await eventsUpTo(reader, inside);
    expect(ids(messages)).toEqual([inside]);
    expect(liveData(messages[0]!).scopeCode).toBe(WANGPING_CELL);
  });

  it('cuts to the cell for an informant and to the grid for a grid worker', async () => {
    const informant = await connect('t-informant');
    const worker = await connect('t-worker');
    const neighbour = await append(NEIGHBOUR_CELL, 'next cell');
    const own = await append(WANGPING_CELL, 'own cell');
    expect(ids(await eventsUpTo(informant.reader, own))).toEqual([own]);
    expect(ids(await eventsUpTo(worker.reader, own))).toEqual([neighbour, own]);
  });

  it('brings a county-wide account events from every township', async () => {
    const { reader } = await connect('t-duty');
    const outside = await append(HONGJIANG_CELL, '涪阳镇');
    const inside = await append(WANGPING_CELL, '沙溪镇');
    expect(ids(await eventsUpTo(reader, inside))).toEqual([outside, inside]);
  });

  it('replays nothing outside the scope either', async () => {
    const before = await append(WANGPING_CELL, 'before');
    const outside = await append(HONGJIANG_CELL, '涪阳镇, missed');
    const inside = await append(WANGPING_CELL, '沙溪镇, missed');
    const shaxi = await connect('t-shaxi', { lastEventId: before });
    expect(ids(shaxi.replay)).toEqual([inside]);
    const duty = await connect('t-duty', { lastEventId: before });
    expect(ids(duty.replay)).toEqual([outside, inside]);
  });
});

describe('reconnecting with Last-Event-ID', () => {
  it('replays exactly the missed events, in order, then continues live without a duplicate', async () => {
    const first = await connect('t-shaxi');
    const seen = await append(WANGPING_CELL, 'seen');
    const [message] = await eventsUpTo(first.reader, seen);
    expect(first.reader.lastEventId).toBe(String(seen));
    await first.reader.close();

    const missed = [
      await append(WANGPING_CELL, 'missed 1'),
      await append(HONGJIANG_CELL, 'missed, out of scope'),
      await append(WANGPING_CELL, 'missed 2'),
      await append(NEIGHBOUR_CELL, 'missed 3'),
    ];
    const second = await connect('t-shaxi', { lastEventId: Number(message!.id) });
    expect(ids(second.replay)).toEqual([missed[0], missed[2], missed[3]]);
    expect(second.replay.map((replayed) => noteOf(replayed))).toEqual(['missed 1', 'missed 2', 'missed 3']);
    expect(second.ready).toMatchObject({ replayed: 3, complete: true });

    const live = await append(WANGPING_CELL, 'live again');
    expect(ids(await eventsUpTo(second.reader, live))).toEqual([live]);
  });

  it('takes ?lastEventId= from a fresh page, and prefers the Last-Event-ID header of a reconnect', async () => {
    const a = await append(WANGPING_CELL, 'a');
    const b = await append(WANGPING_CELL, 'b');
    const c = await append(WANGPING_CELL, 'c');
    const fromQuery = await connect('t-duty', { query: `?lastEventId=${a}` });
    expect(ids(fromQuery.replay)).toEqual([b, c]);
    const both = await connect('t-duty', { query: `?lastEventId=${a}`, lastEventId: b });
    expect(ids(both.replay)).toEqual([c]);
  });

  it('leaves no gap and no duplicate at the seam while events keep coming', async () => {
    const start = await append(WANGPING_CELL, 'start');
    const appended: number[] = [];
    let reader: SseReader | null = null;
    let replayed: SseMessage[] = [];
    const writer = (async () => {
      for (let index = 0; index < 40; index++) {
        appended.push(await append(WANGPING_CELL, `flow ${index}`));
        // Let the connection's own requests in between (PGlite runs in this thread).
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    })();
    // Connect while the writer is in the middle of its run.
    while (appended.length < 10) await new Promise((resolve) => setTimeout(resolve, 2));
    ({ reader, replay: replayed } = await connect('t-duty', { lastEventId: start }));
    await writer;
    const last = appended.at(-1)!;
    const live = ids(replayed).includes(last) ? [] : await eventsUpTo(reader, last);
    const received = [...ids(replayed), ...ids(live)];
    expect(received).toEqual(appended);
  });

  it('refuses an id that is not one, with a message in both languages', async () => {
    for (const bad of ['abc', '-1', '1.5', '9'.repeat(20)]) {
      const response = await browsers.get('t-duty')!.get('/api/live/events', { 'Last-Event-ID': bad });
      expect(response.status).toBe(400);
      expect((await response.json()).error.code).toBe('invalid_request');
      const english = await browsers.get('t-duty')!.get(`/api/live/events?lastEventId=${encodeURIComponent(bad)}`, {
        'Accept-Language': 'en',
      });
      expect(english.status).toBe(400);
      expect((await english.json()).error.message).toMatch(/Invalid request/);
    }
  });

  it('replays at most the newest 1,000 and says the replay is incomplete', async () => {
    const before = await append(WANGPING_CELL, 'before the flood');
    // Written straight into the log as the owner, as 1,001 commands would have.
    await db.transaction(async (tx) => {
      await tx.rows(sql`
        INSERT INTO live_events (type, scope_code, payload)
        SELECT 'report.created', ${WANGPING_CELL},
          jsonb_set(${JSON.stringify({ case: noteCase(WANGPING_CELL, '') })}::jsonb, '{case,description}', to_jsonb('flood ' || n))
        FROM generate_series(1, 1001) AS n`);
    });
    const [{ last } = { last: 0 }] = await db.rows<{ last: number }>(sql`SELECT max(id)::int AS last FROM live_events`);
    const { replay, ready } = await connect('t-duty', { lastEventId: before });
    expect(replay).toHaveLength(1000);
    expect(ready).toMatchObject({ replayed: 1000, complete: false });
    expect(Number(replay.at(-1)!.id)).toBe(last);
    expect(noteOf(replay[0]!)).toBe('flood 2');
  });

  it('replays nothing older than a day, and says so', async () => {
    const before = await append(WANGPING_CELL, 'before');
    await db.transaction(async (tx) => {
      await tx.rows(sql`
        INSERT INTO live_events (at, type, scope_code, payload)
        VALUES (now() - interval '25 hours', 'report.created', ${WANGPING_CELL}, ${JSON.stringify({ case: noteCase(WANGPING_CELL, 'stale') })}::jsonb)`);
    });
    const fresh = await append(WANGPING_CELL, 'fresh');
    const { replay, ready } = await connect('t-duty', { lastEventId: before });
    expect(ids(replay)).toEqual([fresh]);
    expect(ready).toMatchObject({ replayed: 1, complete: false });
  });

  it('replays nothing to a browser that is already ahead', async () => {
    const latest = await append(WANGPING_CELL, 'latest');
    const { replay, ready } = await connect('t-duty', { lastEventId: latest + 1000 });
    expect(replay).toEqual([]);
    expect(ready).toMatchObject({ replayed: 0, complete: true });
  });
});

describe('sessions', () => {
  it('answers 401 without a session', async () => {
    const response = await app.request('http://localhost/api/live/events');
    expect(response.status).toBe(401);
  });

  it('ends the stream when the session signs out, and refuses it afterwards', async () => {
    const browser = await signedInBrowser(app, 't-duty');
    const { reader } = await connect('t-duty', { browser });
    const started = Date.now();
    expect((await browser.request('POST', '/api/auth/logout', {})).status).toBe(200);
    const rest = await reader.rest(1_000);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(rest.at(-1)).toMatchObject({ event: 'end', data: JSON.stringify({ reason: 'session_ended' }) });
    const refused = await app.request('http://localhost/api/live/events', { headers: { Cookie: browser.cookieHeader() } });
    expect(refused.status).toBe(401);
  });

  it('ends the streams of an account an administrator disables, and keeps them through a harmless change', async () => {
    const admin = await signedInBrowser(app, 't-admin');
    const username = `live-${Date.now().toString(36)}`;
    const created = await admin.request('POST', '/api/accounts', {
      username,
      displayName: '指挥长甲',
      role: 'township_commander',
      scopeCode: '511921108',
      password: 'Passw0rd-live',
    });
    expect(created.status).toBe(201);
    const { account } = await created.json();
    const officer = new TestBrowser(app);
    expect((await officer.signIn(username, 'Passw0rd-live')).status).toBe(200);
    const { reader } = await connect(username, { browser: officer });

    expect((await admin.request('PATCH', `/api/accounts/${account.id}`, { displayName: '指挥长乙' })).status).toBe(200);
    const stillOpen = await append(WANGPING_CELL, 'after the rename');
    expect(ids(await eventsUpTo(reader, stillOpen))).toEqual([stillOpen]);

    expect((await admin.request('PATCH', `/api/accounts/${account.id}`, { disabled: true })).status).toBe(200);
    const rest = await reader.rest(1_000);
    expect(rest.at(-1)).toMatchObject({ event: 'end', data: JSON.stringify({ reason: 'session_ended' }) });
  });
});
