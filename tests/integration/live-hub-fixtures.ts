import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Database } from '../../api/db/client.ts';
import { DEFAULT_HUB_TIMING, type HubTiming, LiveHub } from '../../api/live/hub.ts';
import { appendNote } from './support/live-events.ts';
import { once } from './support/once.ts';
import { seededDatabase } from './support/test-database.ts';

export const CELL = '511921108209001001';
export const onPostgres = Boolean(process.env.DATABASE_URL);

export let db: Database;
export const cleanups: (() => Promise<void>)[] = [];

/** Stops what a test started (hubs, streams, held transactions), last first; every file runs it after each test. */
export async function runCleanups(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}

export function append(note: string): Promise<number> {
  return db.transaction((tx) => appendNote(tx, CELL, note));
}

/** A hub of its own (reading through `source`) with a subscriber that records what it gets, stopped after the test. */
export async function recordingHub(timing: Partial<HubTiming> = {}, source: Pick<Database, 'rows' | 'listen'> = db) {
  const hub = new LiveHub(source, { ...DEFAULT_HUB_TIMING, ...timing });
  await hub.start();
  cleanups.push(() => hub.stop());
  const received: { id: number; late: boolean }[] = [];
  hub.subscribe({ scopeCode: '511921', deliver: (row, _frame, late) => received.push({ id: row.id, late }), close: () => {} });
  return { hub, received };
}

export async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A transaction that appends an event and stays open until `commit()` is called. */
export async function appendAndHold(note: string) {
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
export async function appendsWithTransactionIdsCrossed(olderNote: string) {
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

/** Opens the seeded database. */
export const openLiveHub = once(async () => {
  db = await seededDatabase();
});
