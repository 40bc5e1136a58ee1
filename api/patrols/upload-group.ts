import { availableParallelism } from 'node:os';
import type { SQL } from 'drizzle-orm';
import { toWgs84 } from '../../geo/convert-datum.ts';
import type { FixLimits } from '../../geo/flag-fixes.ts';
import type { Principal } from '../app-env.ts';
import type { Database, Transaction } from '../db/client.ts';
import { liveEventInsert, type NewLiveEvent } from '../live/events.ts';
import { appendBatches } from './append-fixes.ts';
import { type GroupPatrol, type GroupSettle, type GroupStored, patrolGroupRepository } from './group-repository.ts';
import { batchAlone, reflag } from './reflag.ts';
import type { FixRow, PatrolRow, PatrolSpan } from './repository.ts';
import type { FixInput, GapInput } from './service.ts';
import type { TrackEnds } from './track-ends.ts';

/**
 * Batches of fixes go to PostgreSQL in groups: the batches waiting when a turn comes run together
 * in one transaction, each statement once for all their patrols (group-repository.ts), and each
 * request gets its own answer. One batch alone costs five round trips and a commit; at 561
 * workers a fix a second each that was ~250 batches a second at most, both cores busy.
 */
export interface UploadGroupLimits {
  /** Groups in their transaction at once (connections of the owner's pool they hold). */
  running: number;
  /** Batches in one group at most, and fixes. */
  batches: number;
  fixes: number;
}

/**
 * As many groups at once as the machine has cores: more only took turns on them, and each group
 * the fewer batches. Measured on 2 cores against 50 million positions (npm run bench), from 6
 * groups of at most 1,000 fixes to 2 of at most 4,000: 561 workers at a fix a second went from
 * p50 95 ms to 31 ms, and batches of 500 from 0.30-0.42x of COPY's rate to 0.44-0.45x.
 */
export const DEFAULT_UPLOAD_GROUPS: UploadGroupLimits = { running: availableParallelism(), batches: 64, fixes: 4_000 };

export interface UploadRequest {
  principal: Principal;
  patrolId: string;
  batch: { fixes: FixInput[]; gaps: GapInput[] };
}

export interface UploadAnswer<View> {
  stored: number;
  duplicates: number;
  refused: string[];
  patrol: View;
}

/** What a group needs of the patrols service. */
export interface GroupContext<View> {
  limits: FixLimits;
  spanOf(patrol: PatrolRow): PatrolSpan;
  view(row: PatrolRow, cellsWalked: number): View;
  notFound(id: string): Error;
  /** The live event telling where the patrol is now, or null when the feed heard of it less than a second ago. */
  announcement(patrol: PatrolRow, latest: FixRow | null): NewLiveEvent | null;
  /** When the feed last heard of each patrol (ms): a group that rolls back puts its patrols' times back. */
  heard: Map<string, number>;
  /** Where each patrol's track ended after its last batch here: a group's ends are remembered once it committed. */
  trackEnds: TrackEnds;
}

type Outcome<View> = { answer: UploadAnswer<View> } | { error: unknown };

/** A batch ready to store: the caller's patrol, locked, and its fixes in WGS84 within the patrol's time bounds. */
interface Prepared {
  request: UploadRequest;
  patrol: PatrolRow;
  span: PatrolSpan;
  fixes: GroupPatrol['fixes'][number][];
  refused: string[];
}

function prepare(request: UploadRequest, patrol: PatrolRow, span: PatrolSpan): Prepared {
  const [earliestAllowed, latestAllowed] = [span.from.getTime(), span.to.getTime()];
  const inTime = (fix: FixInput) => fix.fixedAt.getTime() <= latestAllowed && fix.fixedAt.getTime() >= earliestAllowed;
  const accepted = request.batch.fixes.filter(inTime);
  return {
    request,
    patrol,
    span,
    refused: request.batch.fixes.filter((fix) => !inTime(fix)).map((fix) => fix.clientFixId),
    fixes: accepted.map((fix) => ({
      clientFixId: fix.clientFixId,
      fixedAt: fix.fixedAt,
      accuracyM: fix.accuracyM,
      speedMps: fix.speedMps,
      inputDatum: fix.datum,
      position: toWgs84([fix.lng, fix.lat], fix.datum),
    })),
  };
}

/**
 * Stores a group of batches (at most one a patrol) in the transaction `tx`: the patrols locked
 * in id order; the batches that extend their track flagged and copied in (append-fixes.ts), every
 * other fix in one statement; the jump filter run per patrol on fix time from its anchor (reading
 * back only the tracks a late batch, a retry or a tie landed in), new flags in one statement,
 * totals and live events in one. A batch whose patrol is not the caller's gets its 404 and takes
 * no part. Returns each batch's outcome, and where each patrol's track now ends.
 */
async function storeGroup<View>(tx: Transaction, requests: readonly UploadRequest[], context: GroupContext<View>) {
  const repository = patrolGroupRepository(tx);
  const locked = new Map((await repository.lock(requests.map((request) => request.patrolId))).map((row) => [row.id, row]));
  const outcomes = new Map<UploadRequest, Outcome<View>>();
  const prepared: Prepared[] = [];
  for (const request of requests) {
    const patrol = locked.get(request.patrolId);
    if (!patrol || patrol.workerId !== request.principal.accountId)
      outcomes.set(request, { error: context.notFound(request.patrolId) });
    else prepared.push(prepare(request, patrol, context.spanOf(patrol)));
  }
  // Batches that only extend their track go in by COPY, flagged already; the rest by storeFixes.
  const appended = await appendBatches(tx, repository, prepared, context);
  const stored = await repository.storeFixes(
    prepared.filter((item) => !appended.has(item)).map(({ span, patrol, fixes }) => ({ span, areaCode: patrol.areaCode, fixes })),
  );
  await repository.insertGaps(
    prepared.flatMap(({ patrol, request }) =>
      request.batch.gaps.map((gap) => ({ ...gap, patrolId: patrol.id, areaCode: patrol.areaCode })),
    ),
  );
  const none: GroupStored = { anchor: null, tailM: 0, fixesAfter: false, stored: 0, storedFrom: null, storedTo: null };
  const storedOf = (item: Prepared) => appended.get(item)?.stored ?? stored.get(item.patrol.id) ?? none;
  const moved = prepared.filter((item) => storedOf(item).stored > 0);
  // The filter walks from each anchor over what follows it: the batch's own fixes when they are
  // all there is, else read back (every track that needs it in one statement).
  const known = new Map(
    moved
      .filter((item) => !appended.has(item))
      .map((item) => [item, batchAlone(item.fixes, storedOf(item).stored, storedOf(item).fixesAfter)]),
  );
  const read = await repository.fixesFrom(
    moved
      .filter((item) => !appended.has(item) && !known.get(item))
      .map((item) => {
        const { anchor } = storedOf(item);
        const earliest = new Date(Math.min(...item.fixes.map((fix) => fix.fixedAt.getTime())));
        return { span: item.span, from: anchor ? anchor.fixedAt : earliest };
      }),
  );
  const settles: GroupSettle[] = [];
  const latest = new Map<string, FixRow | null>();
  const events: SQL[] = [];
  const changes: Parameters<typeof repository.updateFlags>[0][number][] = [];
  for (const item of moved) {
    const { anchor, tailM, storedFrom, storedTo } = storedOf(item);
    const flagged = appended.get(item) ?? reflag(known.get(item) ?? read.get(item.patrol.id) ?? [], anchor, context.limits);
    const itsChanges = 'changes' in flagged ? flagged.changes : [];
    changes.push(...itsChanges.map((change) => ({ ...change, patrolId: item.patrol.id })));
    // The cells walked are derived after the commit (cells-settler.ts): the batch marks from where.
    const changedAt = itsChanges.map((change) => change.fixedAt.getTime());
    settles.push({
      span: item.span,
      anchor,
      tailBeforeM: tailM,
      lastFixAt: storedTo!,
      cellsFrom: new Date(Math.min(storedFrom!.getTime(), ...changedAt)),
      ...('validLine' in flagged ? { validLine: flagged.validLine } : {}),
    });
    latest.set(item.patrol.id, flagged.latestValid);
    const event = context.announcement(item.patrol, flagged.latestValid);
    if (event) events.push(liveEventInsert(event));
  }
  await repository.updateFlags(changes);
  const settled = new Map((await repository.settleTotals(settles, events)).map((row) => [row.id, row]));
  // Nothing new: the patrol as locked above, with its cells walked as last derived.
  const still = prepared.filter((item) => !settled.has(item.patrol.id));
  const cells = await repository.cellsWalked(still.map((item) => item.patrol.id));
  for (const item of prepared) {
    const row = settled.get(item.patrol.id);
    outcomes.set(item.request, {
      answer: {
        stored: storedOf(item).stored,
        duplicates: item.fixes.length - storedOf(item).stored,
        refused: item.refused,
        patrol: row ? context.view(row, row.cellsWalked) : context.view(item.patrol, cells.get(item.patrol.id) ?? 0),
      },
    });
  }
  // Each patrol that stored something, as its row and newest valid fix now are: where its track ends.
  const ends = [...settled.values()].map((row) => ({ row, latestValid: latest.get(row.id) ?? null }));
  return { outcomes, ends };
}

interface Waiting<View> {
  request: UploadRequest;
  resolve(answer: UploadAnswer<View>): void;
  reject(error: unknown): void;
}

/**
 * Takes batches as they come and stores them in groups: a batch that finds a turn free starts a
 * group at once; those that come while every turn is taken wait and go together in the next one
 * (a patrol's later batch waits for the group after, so batches of one patrol keep their order).
 * When a group's transaction fails, its batches go again one by one, each to its own answer.
 */
export function uploadGroups<View>(owner: Database, context: GroupContext<View>, limits: UploadGroupLimits) {
  let running = 0;
  const queue: Waiting<View>[] = [];
  /** Patrols of the groups running: their next batch waits for the group after (it would wait on the patrol's lock). */
  const busy = new Set<string>();

  const take = (): Waiting<View>[] => {
    const group: Waiting<View>[] = [];
    const patrols = new Set<string>();
    let fixes = 0;
    for (let index = 0; index < queue.length && group.length < limits.batches; ) {
      const waiting = queue[index]!;
      const size = waiting.request.batch.fixes.length;
      const patrolId = waiting.request.patrolId;
      if (patrols.has(patrolId) || busy.has(patrolId) || (group.length > 0 && fixes + size > limits.fixes)) {
        index++;
        continue;
      }
      patrols.add(patrolId);
      fixes += size;
      group.push(waiting);
      queue.splice(index, 1);
    }
    return group;
  };

  const settle = (group: readonly Waiting<View>[], { outcomes, ends }: Awaited<ReturnType<typeof storeGroup<View>>>) => {
    for (const { row, latestValid } of ends) context.trackEnds.remember(row, latestValid);
    for (const waiting of group) {
      const outcome = outcomes.get(waiting.request)!;
      if ('answer' in outcome) waiting.resolve(outcome.answer);
      else waiting.reject(outcome.error);
    }
  };

  const run = async (group: Waiting<View>[]) => {
    const requests = group.map((waiting) => waiting.request);
    // Nobody heard the events of a group that rolls back: the feed may hear of its patrols again.
    const heard = requests.map(({ patrolId }) => [patrolId, context.heard.get(patrolId)] as const);
    try {
      settle(group, await owner.transaction((tx) => storeGroup(tx, requests, context)));
    } catch (error) {
      for (const [id, at] of heard) {
        if (at === undefined) context.heard.delete(id);
        else context.heard.set(id, at);
      }
      if (group.length === 1) return group[0]!.reject(error);
      for (const waiting of group) {
        try {
          settle([waiting], await owner.transaction((tx) => storeGroup(tx, [waiting.request], context)));
        } catch (alone) {
          waiting.reject(alone);
        }
      }
    }
  };

  const pump = () => {
    while (running < limits.running && queue.length > 0) {
      const group = take();
      if (group.length === 0) return;
      const ids = group.map((waiting) => waiting.request.patrolId);
      for (const id of ids) busy.add(id);
      running++;
      void run(group).finally(() => {
        running--;
        for (const id of ids) busy.delete(id);
        pump();
      });
    }
  };

  /** Stores the batch with whatever else is waiting; resolves to its own answer, or rejects with its own error. */
  return (request: UploadRequest): Promise<UploadAnswer<View>> =>
    new Promise((resolve, reject) => {
      queue.push({ request, resolve, reject });
      pump();
    });
}
