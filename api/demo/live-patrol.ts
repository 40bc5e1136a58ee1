import type { LngLat } from '../../geo/types.ts';
import type { Principal } from '../app-env.ts';
import { yieldToRequests } from '../db/yield-to-requests.ts';
import type { PatrolsService } from '../patrols/service.ts';

/** A position a demo phone will report, when its time comes. */
interface LiveFix {
  /** Fix time, ms since the epoch. */
  fixedAtMs: number;
  /** WGS84 [lng, lat]. */
  position: LngLat;
  accuracyM: number;
  speedMps: number;
}

/**
 * A demo walker's patrol under way, as its phone holds it: the planned fixes not yet due, those due
 * but not yet sent, and when it uploads next. Shared by the grid workers (walkers.ts) and the
 * geohazard monitors (monitor-rounds.ts), who both go through the patrols service as a phone does.
 */
export interface LivePatrol {
  id: string;
  clientId: string;
  principal: Principal;
  fixes: Iterator<LiveFix>;
  /** The next planned fix, not yet due. */
  next: LiveFix | null;
  /** Fixes due but not yet uploaded. */
  pending: LiveFix[];
  sent: number;
  endsAtMs: number;
  nextUploadMs: number;
}

/** Starts a patrol for `principal` through the service, as the field page's start button does. */
export async function setOutLive(
  patrols: PatrolsService,
  principal: Principal,
  plan: { clientId: string; startMs: number; endsAtMs: number; firstUploadMs: number; fixes: Iterator<LiveFix> },
): Promise<LivePatrol> {
  const { patrol } = await patrols.start(principal, { clientId: plan.clientId, startedAt: new Date(plan.startMs) });
  return {
    id: patrol.id,
    clientId: plan.clientId,
    principal,
    fixes: plan.fixes,
    next: plan.fixes.next().value ?? null,
    pending: [],
    sent: 0,
    endsAtMs: plan.endsAtMs,
    nextUploadMs: plan.firstUploadMs,
  };
}

/** Moves the planned fixes taken by `untilMs` to those waiting for upload. */
export function collectDue(patrol: LivePatrol, untilMs: number): void {
  while (patrol.next && patrol.next.fixedAtMs <= untilMs) {
    patrol.pending.push(patrol.next);
    patrol.next = patrol.fixes.next().value ?? null;
  }
}

/** Uploads the waiting fixes in one batch, each with its client fix id (a retried batch never doubles a fix). */
export async function uploadPending(patrols: PatrolsService, patrol: LivePatrol): Promise<void> {
  if (patrol.pending.length === 0) return;
  const fixes = patrol.pending.map((fix, index) => ({
    clientFixId: `${patrol.clientId}:${patrol.sent + index}`,
    fixedAt: new Date(fix.fixedAtMs),
    lng: fix.position[0],
    lat: fix.position[1],
    accuracyM: fix.accuracyM,
    speedMps: fix.speedMps,
    datum: 'wgs84' as const,
  }));
  await patrols.upload(patrol.principal, patrol.id, { fixes, gaps: [] });
  patrol.sent += fixes.length;
  patrol.pending = [];
}

/** Runs `step` over `items`, `size` at a time: the walkers' one pace for the database. */
export async function inBatches<Item>(items: readonly Item[], size: number, step: (item: Item) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += size) {
    await Promise.all(items.slice(start, start + size).map(step));
    // The embedded database settles its promises at once: without a turn for I/O between steps,
    // a tick of the whole county's walkers held every request until it ended.
    await yieldToRequests();
  }
}

/** Where demo walkers may walk now: a scope (an area code prefix, '' the county) and until when (ms) it keeps walking at most. */
export interface WalkingScope {
  scopeCode: string;
  untilMs: number;
}
