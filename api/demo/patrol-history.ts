import { flagFixes, trackLength } from '../../geo/flag-fixes.ts';
import { prepareGround, walkPatrol } from '../../geo/plan-patrol-walk.ts';
import { createRandomStream, type RandomStream } from '../../geo/seeded-random.ts';
import { isWorkdayDate, shanghaiDate } from '../cases/working-time.ts';
import { PATROL_GAP_CAUSE_CODES } from '../vocabulary/patrols.ts';
import type { HistoryPatrol, WalkerGround } from './walkers-repository.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const SHANGHAI_OFFSET = 8 * HOUR;

/**
 * Stored history keeps a fix every 5 min, not every 5 s as phones send: 30 days of the county at
 * 5 s would be about 17 million rows, and even at 2 min (about 720,000) the embedded database took
 * minutes to write them on a first start; at 5 min about 290,000. The walk runs in straight legs
 * between cells and stops at them, so lines and coverage read roughly the same; playback is
 * coarse, and distances come out shorter where a fix falls past a turn.
 */
export const HISTORY_FIX_INTERVAL_MS = 300_000;

/** Share of grids that fall behind (patrolled on few days), so that coverage has holes to show. */
const BEHIND_SHARE = 0.12;
/** Chance a grid worker patrols on a working day: most do; a behind grid seldom. */
const PATROL_DAY_CHANCE = { onTrack: 0.9, behind: 0.2 };
/** Chance of a second patrol (the afternoon's) on a day with one. */
const SECOND_PATROL_CHANCE = 0.35;
/** Chance a patrol has a gap (the screen locked, the browser stopped locating), and its length. */
const GAP_CHANCE = 0.15;
const GAP_MS = [3 * MINUTE, 15 * MINUTE] as const;

export interface PatrolHistoryPlan {
  /** The grids that fall behind. */
  behindGrids: string[];
  /** The UTC days (midnights) the patrols may span, for the day partitions. */
  utcDays: Date[];
  /**
   * The patrols, one working day at a time, or with `batchGrids` a few grids of a working day at a
   * time, in the same order (drawn lazily: a county's month does not sit in memory at once, and a
   * batch of a few grids is a few milliseconds of planning). A batch may be empty.
   */
  days: Iterable<HistoryPatrol[]>;
}

function uuidOf(random: RandomStream): string {
  const hex = Array.from({ length: 32 }, () => random.integer(0, 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The Shanghai midnight (as an instant) of the day `daysBack` before the one holding `now`. */
function shanghaiMidnight(now: Date, daysBack: number): number {
  const local = now.getTime() + SHANGHAI_OFFSET;
  return local - (local % DAY) - SHANGHAI_OFFSET - daysBack * DAY;
}

/**
 * The demo's past patrols: over the `days` Shanghai days before today's, on each working day most
 * grid workers walk once or twice (a morning patrol from 08:40 and sometimes an afternoon one from
 * 14:10, each 1-2.5 h), a few grids fall behind and patrol on few days. Fixes at
 * HISTORY_FIX_INTERVAL_MS along the same walks as live walkers, flagged by the upload path's own
 * jump filter; some patrols carry a gap with its cause. Deterministic per seed.
 */
export function planPatrolHistory(
  grounds: readonly WalkerGround[],
  options: { seed: number; now: Date; days: number; batchGrids?: number },
): PatrolHistoryPlan {
  const random = createRandomStream(options.seed, 'demo-patrol-history');
  // A fixed share, at least one grid in any area of a few: the demo always has a hole to show.
  const behindCount = grounds.length >= 5 ? Math.max(1, Math.round(grounds.length * BEHIND_SHARE)) : 0;
  const behind = new Set(random.shuffle(grounds.map((ground) => ground.gridCode)).slice(0, behindCount));
  const first = shanghaiMidnight(options.now, options.days);
  const utcDays: Date[] = [];
  for (let day = Math.floor(first / DAY) * DAY; day < shanghaiMidnight(options.now, 0); day += DAY) utcDays.push(new Date(day));
  return { behindGrids: [...behind].sort(), utcDays, days: historyDays(random, grounds, behind, options) };
}

function* historyDays(
  random: RandomStream,
  grounds: readonly WalkerGround[],
  behind: ReadonlySet<string>,
  options: { now: Date; days: number; batchGrids?: number },
): Generator<HistoryPatrol[]> {
  const batchGrids = options.batchGrids ?? grounds.length;
  // Each grid made walkable when first walked, so that the first batch is a few grids' work, not the county's.
  const walkables = new Map<string, ReturnType<typeof prepareGround>>();
  const walkableOf = (ground: WalkerGround) => {
    const known = walkables.get(ground.gridCode);
    if (known) return known;
    const walkable = prepareGround(ground);
    walkables.set(ground.gridCode, walkable);
    return walkable;
  };
  for (let back = options.days; back >= 1; back--) {
    const midnight = shanghaiMidnight(options.now, back);
    if (!isWorkdayDate(shanghaiDate(new Date(midnight)))) continue;
    let patrols: HistoryPatrol[] = [];
    for (const [gridIndex, ground] of grounds.entries()) {
      if (gridIndex > 0 && gridIndex % batchGrids === 0) {
        yield patrols;
        patrols = [];
      }
      const chance = behind.has(ground.gridCode) ? PATROL_DAY_CHANCE.behind : PATROL_DAY_CHANCE.onTrack;
      if (random.next() >= chance) continue;
      const starts: number[] = [midnight + 8 * HOUR + 40 * MINUTE + random.uniform(0, 80) * MINUTE];
      if (random.next() < SECOND_PATROL_CHANCE) starts.push(midnight + 14 * HOUR + 10 * MINUTE + random.uniform(0, 80) * MINUTE);
      for (const startMs of starts) {
        const durationMs = Math.round(random.uniform(60, 150)) * MINUTE;
        const walk = createRandomStream(random.integer(0, 2 ** 31), 'walk');
        let fixes = [
          ...walkPatrol(walkableOf(ground), walk, {
            startMs: Math.round(startMs),
            durationMs,
            fixIntervalMs: HISTORY_FIX_INTERVAL_MS,
          }),
        ];
        const gaps: HistoryPatrol['gaps'] = [];
        if (random.next() < GAP_CHANCE) {
          const gapStart = startMs + random.uniform(0.2, 0.7) * durationMs;
          const gapEnd = gapStart + random.uniform(GAP_MS[0], GAP_MS[1]);
          fixes = fixes.filter((fix) => fix.fixedAtMs < gapStart || fix.fixedAtMs > gapEnd);
          gaps.push({ startedAt: new Date(gapStart), endedAt: new Date(gapEnd), cause: random.pick(PATROL_GAP_CAUSE_CODES) });
        }
        const flags = flagFixes(fixes, null);
        const last = fixes[fixes.length - 1];
        // The upload path measures on the spheroid (ST_Length of geography); this sphere is within 0.5% of it.
        const distanceM = trackLength(
          fixes.filter((_, index) => !flags[index]!.poorAccuracy && !flags[index]!.jump).map((fix) => fix.position),
        );
        patrols.push({
          id: uuidOf(random),
          workerId: ground.workerId,
          workerName: ground.workerName,
          areaCode: ground.gridCode,
          startedAt: new Date(Math.round(startMs)),
          endedAt: new Date(last ? last.fixedAtMs : startMs + durationMs),
          distanceM,
          fixes: fixes.map((fix, index) => ({
            fixedAtMs: fix.fixedAtMs,
            position: fix.position,
            accuracyM: fix.accuracyM,
            speedMps: fix.speedMps,
            ...flags[index]!,
          })),
          gaps,
        });
      }
    }
    yield patrols;
  }
}
