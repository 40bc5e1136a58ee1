import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../api/app-env.ts';
import type { Database } from '../../api/db/client.ts';
import { AppError } from '../../api/errors.ts';
import { type FixInput, patrolsService } from '../../api/patrols/service.ts';
import type { LngLat } from '../../geo/types.ts';
import { fixEastOf, walkOrigin } from './support/patrol-batches.ts';
import { accountIdOf } from './support/patrols.ts';
import { testApp } from './support/test-database.ts';

/**
 * Batches that wait together are stored together (api/patrols/upload-group.ts): one transaction
 * for the group, and each request its own answer. The service runs one group at a time here, so
 * batches sent at once go as the first alone and the rest as one group.
 */
let db: Database;
let origin: LngLat;
let walker: Principal;
let other: Principal;

const principalOf = async (username: string, role: Principal['role'], scopeCode: string): Promise<Principal> => ({
  accountId: await accountIdOf(db, username),
  username,
  displayName: username,
  role,
  scopeCode,
  departmentCode: null,
  sessionId: 'test',
  csrfToken: 'test',
});

beforeAll(async () => {
  db = (await testApp()).db;
  origin = await walkOrigin(db);
  walker = await principalOf('t-worker', 'grid_worker', '511921108209001');
  other = await principalOf('t-informant', 'cell_informant', '511921108209001001');
});

/** The service over `db`, one group at a time; `transactions` counts the groups, `failNext` rolls the next one back after its work. */
function groupedService() {
  const counts = { transactions: 0, failNext: false };
  const counted = new Proxy(db, {
    get(target, key) {
      if (key === 'transaction') {
        return <T>(work: Parameters<Database['transaction']>[0]) => {
          counts.transactions++;
          if (!counts.failNext) return target.transaction(work) as Promise<T>;
          counts.failNext = false;
          return target.transaction(async (tx) => {
            await work(tx);
            throw new Error('the group fails after its work');
          });
        };
      }
      const value = Reflect.get(target, key);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const service = patrolsService(counted, { retentionDays: 180, groups: { running: 1, batches: 64, fixes: 5_000 } });
  return { service, counts };
}

const fix = (start: number, seconds: number, metres: number, extra: Partial<FixInput> = {}): FixInput => {
  const { clientFixId, fixedAt, lng, lat, accuracyM } = fixEastOf(origin, start, seconds, metres);
  return { clientFixId, fixedAt: new Date(fixedAt), lng, lat, accuracyM, speedMps: null, datum: 'wgs84', ...extra };
};
const batch = (fixes: FixInput[]) => ({ fixes, gaps: [] });

async function started(service: ReturnType<typeof patrolsService>, principal: Principal, start: number) {
  return (await service.start(principal, { clientId: crypto.randomUUID(), startedAt: new Date(start) })).patrol.id;
}

async function flags(patrolId: string) {
  const rows = await db.rows<{ id: string; jump: boolean; poor: boolean }>(sql`
    SELECT client_fix_id AS id, jump, poor_accuracy AS poor FROM patrol_positions WHERE patrol_id = ${patrolId} ORDER BY fixed_at`);
  return rows.map((row) => (row.jump ? 'jump' : row.poor ? 'poor' : 'ok'));
}

const eventsOf = async (patrolId: string) =>
  (
    await db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM live_events WHERE type = 'patrol.moved' AND payload->'patrol'->>'id' = ${patrolId}`,
    )
  )[0]!.n;

describe('batches stored in one group', () => {
  it('answer each request with its own result, batches of different workers in one transaction', async () => {
    const { service, counts } = groupedService();
    const start = Date.now() - 600_000;
    const [a, b, c] = [
      await started(service, walker, start),
      await started(service, walker, start),
      await started(service, other, start),
    ];
    counts.transactions = 0;
    const answers = await Promise.all([
      service.upload(walker, a, batch([fix(start, 0, 0)])),
      service.upload(walker, b, batch([fix(start, 0, 0), fix(start, 5, 7)])),
      service.upload(other, c, batch([fix(start, 0, 0), fix(start, 5, 7), fix(start, 10, 14)])),
      service.upload(walker, a, batch([fix(start, 5, 7), fix(start, 10, 14)])),
    ]);
    // The first alone, the next two together; a's second batch waits for the group after its first.
    expect(counts.transactions).toBe(2);
    expect(answers.map((answer) => [answer.patrol.id, answer.stored, answer.duplicates])).toEqual([
      [a, 1, 0],
      [b, 2, 0],
      [c, 3, 0],
      [a, 2, 0],
    ]);
    expect(answers[2]!.patrol.workerId).toBe(other.accountId);
    expect(answers[2]!.patrol.distanceM).toEqual(expect.closeTo(14, 0));
    expect(answers[3]!.patrol.distanceM).toEqual(expect.closeTo(14, 0));
  });

  it('answers 404 to a batch for a patrol not the caller’s, alone, and stores the others', async () => {
    const { service, counts } = groupedService();
    const start = Date.now() - 600_000;
    const [mine, theirs] = [await started(service, walker, start), await started(service, other, start)];
    const first = await started(service, walker, start);
    counts.transactions = 0;
    const [, foreign, missing, own] = await Promise.allSettled([
      service.upload(walker, first, batch([fix(start, 0, 0)])),
      service.upload(walker, theirs, batch([fix(start, 0, 0)])),
      service.upload(walker, 'no-such-patrol', batch([fix(start, 0, 0)])),
      service.upload(walker, mine, batch([fix(start, 0, 0), fix(start, 5, 7)])),
    ]);
    expect(counts.transactions).toBe(2);
    for (const refused of [foreign, missing]) {
      expect(refused.status).toBe('rejected');
      const error = (refused as PromiseRejectedResult).reason as AppError;
      expect(error).toBeInstanceOf(AppError);
      expect([error.status, error.code]).toEqual([404, 'patrol_not_found']);
    }
    expect(own.status === 'fulfilled' && own.value.stored).toBe(2);
    expect(await flags(theirs)).toEqual([]);
  });

  it('stores a retried batch once, in a group with others', async () => {
    const { service } = groupedService();
    const start = Date.now() - 600_000;
    const [a, b] = [await started(service, walker, start), await started(service, other, start)];
    const walk = [fix(start, 0, 0), fix(start, 5, 7), fix(start, 10, 14)];
    await service.upload(walker, a, batch(walk));
    const [first, , retry] = await Promise.all([
      service.upload(other, b, batch([fix(start, 0, 0)])),
      service.upload(other, b, batch([fix(start, 5, 7)])),
      service.upload(walker, a, batch([...walk, fix(start, 15, 21)])),
    ]);
    expect(first.stored).toBe(1);
    expect([retry.stored, retry.duplicates]).toEqual([1, 3]);
    expect(await flags(a)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(retry.patrol.distanceM).toEqual(expect.closeTo(21, 0));
  });

  it('runs the jump filter on fix time for a late batch grouped with another patrol’s', async () => {
    const { service } = groupedService();
    const start = Date.now() - 600_000;
    const [a, b] = [await started(service, walker, start), await started(service, other, start)];
    // a's later half arrives first, then its earlier half (with a jump) in a group with b's walk.
    await service.upload(walker, a, batch([fix(start, 20, 28), fix(start, 25, 35), fix(start, 30, 42)]));
    const [late, walk] = await Promise.all([
      service.upload(other, b, batch([fix(start, 0, 0)])),
      service.upload(walker, a, batch([fix(start, 0, 0), fix(start, 5, 7), fix(start, 10, 3000), fix(start, 15, 21)])),
      service.upload(
        other,
        b,
        batch([fix(start, 5, 7), fix(start, 10, 5000), fix(start, 15, 21), fix(start, 20, 40, { accuracyM: 120 })]),
      ),
    ]).then(([, aLate, bWalk]) => [aLate, bWalk]);
    expect(await flags(a)).toEqual(['ok', 'ok', 'jump', 'ok', 'ok', 'ok', 'ok']);
    expect(late!.patrol.distanceM).toEqual(expect.closeTo(42, 0));
    expect(await flags(b)).toEqual(['ok', 'ok', 'jump', 'ok', 'poor']);
    expect(walk!.patrol.distanceM).toEqual(expect.closeTo(21, 0));
  });

  it('tells the live feed of each patrol at most once a second, and of every patrol in the group', async () => {
    const { service } = groupedService();
    const start = Date.now() - 600_000;
    const [a, b] = [await started(service, walker, start), await started(service, other, start)];
    await Promise.all([
      service.upload(walker, a, batch([fix(start, 0, 0)])),
      service.upload(walker, b, batch([fix(start, 0, 0)])).catch(() => null),
      service.upload(other, b, batch([fix(start, 0, 0)])),
      service.upload(walker, a, batch([fix(start, 5, 7)])),
      service.upload(walker, a, batch([fix(start, 10, 14)])),
    ]);
    expect([await eventsOf(a), await eventsOf(b)]).toEqual([1, 1]);
  });

  it('goes again batch by batch when the group’s transaction fails, each to its own answer', async () => {
    const { service, counts } = groupedService();
    const start = Date.now() - 600_000;
    const [a, b, first] = [
      await started(service, walker, start),
      await started(service, other, start),
      await started(service, walker, start),
    ];
    counts.transactions = 0;
    const [, ownA, ownB] = await Promise.all([
      service.upload(walker, first, batch([fix(start, 0, 0)])).then((answer) => {
        counts.failNext = true;
        return answer;
      }),
      service.upload(walker, a, batch([fix(start, 0, 0), fix(start, 5, 7)])),
      service.upload(other, b, batch([fix(start, 0, 0)])),
    ]);
    // The first alone, the group that failed, then its two batches alone.
    expect(counts.transactions).toBe(4);
    expect([ownA!.stored, ownB!.stored]).toEqual([2, 1]);
    expect(await flags(a)).toEqual(['ok', 'ok']);
    // The rolled-back group's events were heard by nobody: the batches alone tell the feed.
    expect([await eventsOf(a), await eventsOf(b)]).toEqual([1, 1]);
  });
});
