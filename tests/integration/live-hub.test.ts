import { type SQL, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../api/db/client.ts';
import {
  append,
  appendAndHold,
  appendsWithTransactionIdsCrossed,
  CELL,
  db,
  onPostgres,
  openLiveHub,
  recordingHub,
  runCleanups,
  waitFor,
} from './live-hub-fixtures.ts';
import { appendNote } from './support/live-events.ts';

beforeAll(openLiveHub);
afterEach(runCleanups);

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
