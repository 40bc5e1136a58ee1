import { createRandomStream } from '../../geo/seeded-random.ts';
import type { LngLat } from '../../geo/types.ts';
import type { Database } from '../db/client.ts';
import { yieldToRequestsInBackground } from '../db/yield-to-requests.ts';
import { patrolCellsRepository } from '../patrols/cells-repository.ts';
import { partitionName, patrolsRepository } from '../patrols/repository.ts';
import { GEOHAZARD_KIND_CODES, GEOHAZARD_KINDS, type GeohazardKind } from '../vocabulary/geohazards.ts';
import { type PlannedRound, planRounds, type WatchedPoint } from './demo-rounds.ts';
import { geohazardsRepository, type NewPoint } from './repository.ts';
import { shanghaiDay } from './service.ts';

/** The county's register holds a few hundred points: one rural cell in 25, at most 300. */
const MAX_POINTS = 300;
const CELLS_PER_POINT = 25;
/** Days of past rounds the demo holds. */
const HISTORY_DAYS = 30;
/** History keeps a fix every 60 s of the rounds (the phone sends one every 5 s): a twelfth of the rows, still lines (coverage joins fixes up to 2 min apart), and half the first start a fix every 30 s cost. */
const HISTORY_STEP_S = 60;
/**
 * Rounds written per transaction, with their cells walked: well under a tenth of a second of the
 * embedded database, which runs on the server's one thread (300 a transaction held every request
 * for about a second).
 */
const ROUNDS_PER_TRANSACTION = 30;
/** The cell of the source study's village (王坪村, 沙溪镇), where the demo accounts are: it always has a point. */
const WANGPING_CELL = '511921108209001001';

/** Landslides are most of Sichuan's known points, then collapses; debris flows and subsidence are fewer. */
const KIND_WEIGHTS: Record<GeohazardKind, number> = { landslide: 55, collapse: 25, debris_flow: 12, subsidence: 8 };
/** Place words of the Daba mountains, for synthetic point names (湾, 沟, 岩, 梁: bay, gully, cliff, ridge). */
const PLACES = [
  '张家湾',
  '李家沟',
  '大岩',
  '后山',
  '垭口',
  '老屋基',
  '梁上',
  '河坝',
  '石板沟',
  '龙洞湾',
  '黄泥坡',
  '松树梁',
  '瓦窑沟',
  '岩脚',
  '水井湾',
  '堰塘湾',
];

/**
 * The embedded demo's geohazard watch as planned at `now` for `seed`: synthetic points in rural
 * cells, each watched by its cell's informant, the first county day of its 30 days, and the
 * monitors' rounds over them as the rule asks (some monitors lax, so some points are behind
 * today), drawn lazily. The same seed, `now` and county give the same points and rounds, ids and
 * all; null for a county without rural cells.
 */
export async function planGeohazardWatch(db: Database, options: { seed: number; now: Date }) {
  const { now } = options;
  const random = createRandomStream(options.seed, 'geohazard-points');
  const cells = await geohazardsRepository(db).ruralCells();
  if (cells.length === 0) return null;
  const count = Math.min(MAX_POINTS, Math.max(5, Math.round(cells.length / CELLS_PER_POINT)));
  const chosen = random.shuffle([...cells]).slice(0, count);
  const wangping = cells.find((cell) => cell.code === WANGPING_CELL);
  if (wangping && !chosen.includes(wangping)) chosen[0] = wangping;
  chosen.sort((a, b) => (a.code < b.code ? -1 : 1));
  const positions = new Map(
    (
      await geohazardsRepository(db).pointsInCells(
        chosen.map((cell) => cell.code),
        (options.seed % 100_000) + 1,
      )
    ).map((row) => [row.code, [row.lng, row.lat] as LngLat]),
  );
  const kindWeights = GEOHAZARD_KIND_CODES.map((kind) => KIND_WEIGHTS[kind]);
  const points: (NewPoint & { home: LngLat })[] = chosen.map((cell, index) => {
    const kind = GEOHAZARD_KIND_CODES[random.weightedIndex(kindWeights)]!;
    const households = random.integer(2, 40);
    return {
      id: `DZ-${String(index + 1).padStart(4, '0')}`,
      name: `${cell.villageName}${random.pick(PLACES)}${GEOHAZARD_KINDS[kind].zh}`,
      kind,
      areaCode: cell.code,
      monitorId: cell.informantId,
      monitorName: cell.informantName,
      threatenedHouseholds: households,
      threatenedPeople: Math.round(households * random.uniform(2.6, 3.6)),
      lng: positions.get(cell.code)?.[0] ?? cell.lng,
      lat: positions.get(cell.code)?.[1] ?? cell.lat,
      home: [cell.lng, cell.lat],
    };
  });
  const watched: WatchedPoint[] = points.map((point, index) => ({
    id: point.id,
    position: [point.lng, point.lat],
    home: point.home,
    monitorId: point.monitorId,
    monitorName: point.monitorName,
    areaCode: point.areaCode,
    // One monitor in four is lax, and Wangping's (the first point of the small county) is not.
    lax: index % 4 === 1,
  }));
  const rules = await geohazardsRepository(db).rules();
  const firstDay = shanghaiDay(new Date(now.getTime() - (HISTORY_DAYS - 1) * 86_400_000));
  const rounds = planRounds(watched, rules, {
    firstDay,
    now,
    stepS: HISTORY_STEP_S,
    random: createRandomStream(options.seed, 'geohazard-rounds'),
  });
  return { points: points.map(({ home: _home, ...point }): NewPoint => point), firstDay, rounds };
}

/**
 * Writes the embedded demo's geohazard watch as planned at `now` (planGeohazardWatch; the same
 * instant after a restart, so that the same rounds with the same ids come out): the points while
 * the register is empty, then the rounds a few at a time, each batch one transaction with its
 * fixes and cells walked, with a turn for waiting requests between batches. Rounds whose ids are
 * in `written` (stored by a run that stopped half way) are left out, so a restart finishes the
 * watch without doubling it. Stops between batches once `signal` is aborted. Returns what this
 * call wrote.
 */
export async function ensureGeohazardDemo(
  db: Database,
  options: { seed: number; now: Date; written: ReadonlySet<string>; coverageDistanceM: number; signal?: AbortSignal },
) {
  const { now } = options;
  const plan = await planGeohazardWatch(db, options);
  if (!plan) return { points: 0, rounds: 0, fixes: 0 };
  const { points, firstDay, rounds } = plan;
  const registered = await db.transaction(async (tx) => {
    const repository = geohazardsRepository(tx);
    if ((await repository.pointCount()) > 0) return false;
    await repository.insertPoints(points);
    const patrols = patrolsRepository(tx);
    // Day partitions (UTC days) for the history, so its fixes do not all land in the default partition.
    const firstUtc = Math.floor(new Date(`${firstDay}T00:00:00+08:00`).getTime() / 86_400_000) * 86_400_000;
    const existing = new Set(await patrols.partitions());
    for (let day = firstUtc; day <= now.getTime(); day += 86_400_000) {
      if (!existing.has(partitionName(new Date(day)))) await patrols.createPartition(new Date(day));
    }
    return true;
  });
  const written = { points: registered ? points.length : 0, rounds: 0, fixes: 0 };
  let batch: PlannedRound[] = [];
  const flush = async () => {
    const rows = batch;
    batch = [];
    await db.transaction(async (tx) => {
      await geohazardsRepository(tx).insertFinishedPatrols(
        rows.map((round) => ({
          id: round.id,
          clientId: round.id,
          workerId: round.monitorId,
          workerName: round.monitorName,
          workerRole: 'cell_informant',
          areaCode: round.areaCode,
          startedAt: round.startedAt,
          endedAt: round.endedAt,
          distanceM: round.distanceM,
          lastFixAt: round.fixes.at(-1)?.fixedAt ?? round.endedAt,
          fixes: round.fixes,
        })),
      );
      await patrolCellsRepository(tx).deriveAgain(
        rows.map((round) => ({ id: round.id, changedAt: round.startedAt })),
        new Date(Math.max(...rows.map((round) => round.endedAt.getTime())) + 1),
        options.coverageDistanceM,
      );
    });
    written.rounds += rows.length;
    written.fixes += rows.reduce((sum, round) => sum + round.fixes.length, 0);
    await yieldToRequestsInBackground();
  };
  let skipped = 0;
  for (const round of rounds) {
    if (options.signal?.aborted) return written;
    if (options.written.has(round.id)) {
      // Planning the rounds already stored is work too: a turn for requests every batch's worth.
      if (++skipped % ROUNDS_PER_TRANSACTION === 0) await yieldToRequestsInBackground();
      continue;
    }
    batch.push(round);
    if (batch.length >= ROUNDS_PER_TRANSACTION) await flush();
  }
  if (batch.length > 0) await flush();
  return written;
}
