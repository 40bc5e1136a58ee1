import { REACH_STAGES, type ReachStage } from '../vocabulary/task-monitor.ts';
import type { ReachCountRow } from './repository.ts';

/** Shares 0–1 of targets that reached each stage by `minute` since dispatch. */
export type ReachPoint = { minute: number } & Record<ReachStage, number>;
type FullAt = Record<ReachStage, number | null>;

/** The most points a curve gets when no step is asked: the step grows with the task's age. */
const MAX_POINTS = 120;
/** The most points a curve gets whatever step is asked (a week at one minute would be 10,080 per township). */
const POINTS_CAP = 2_000;

interface Histogram {
  targets: number;
  /** Per stage: targets reaching it in each minute (sparse), and how many reached it at all. */
  stages: Record<ReachStage, { byMinute: Map<number, number>; reached: number }>;
}

const emptyHistogram = (): Histogram => ({
  targets: 0,
  stages: Object.fromEntries(REACH_STAGES.map((stage) => [stage, { byMinute: new Map(), reached: 0 }])) as Histogram['stages'],
});

function add(histogram: Histogram, row: ReachCountRow): void {
  // Every target appears once per stage: the delivered rows (reached or not) count the targets.
  if (row.stage === 'delivered') histogram.targets += row.n;
  if (row.minute === null) return;
  const stage = histogram.stages[row.stage];
  stage.byMinute.set(row.minute, (stage.byMinute.get(row.minute) ?? 0) + row.n);
  stage.reached += row.n;
}

/** The minute every target had reached each stage, or null while some have not. */
function fullAtOf(histogram: Histogram): FullAt {
  return Object.fromEntries(
    REACH_STAGES.map((stage) => {
      const { byMinute, reached } = histogram.stages[stage];
      return [stage, histogram.targets > 0 && reached === histogram.targets ? Math.max(...byMinute.keys()) : null];
    }),
  ) as FullAt;
}

/** The minutes to draw: 0, every `step` after, and the last one. */
function minutesOf(lastMinute: number, step: number): number[] {
  const minutes: number[] = [];
  for (let minute = 0; minute < lastMinute; minute += step) minutes.push(minute);
  minutes.push(lastMinute);
  return minutes;
}

function curve(histogram: Histogram, minutes: readonly number[]): ReachPoint[] {
  const sorted = Object.fromEntries(
    REACH_STAGES.map((stage) => [stage, [...histogram.stages[stage].byMinute].sort(([a], [b]) => a - b)]),
  ) as Record<ReachStage, [number, number][]>;
  const position = Object.fromEntries(REACH_STAGES.map((stage) => [stage, { index: 0, sum: 0 }])) as Record<
    ReachStage,
    { index: number; sum: number }
  >;
  return minutes.map((minute) => {
    const point = { minute } as ReachPoint;
    for (const stage of REACH_STAGES) {
      const entries = sorted[stage];
      const at = position[stage];
      while (at.index < entries.length && entries[at.index]![0] <= minute) at.sum += entries[at.index++]![1];
      point[stage] = histogram.targets === 0 ? 0 : at.sum / histogram.targets;
    }
    return point;
  });
}

/**
 * The reach curves of a task from its counts per township, stage and minute: per township and in
 * total, the share of targets that reached each stage by each minute since dispatch (every `step`
 * minutes, or a step that keeps a curve within MAX_POINTS), up to `minutesOpen` or the last
 * minute anything happened, whichever is later; and the minute each stage reached 100%.
 */
export function reachCurves(rows: readonly ReachCountRow[], minutesOpen: number, step?: number) {
  const townships = new Map<string, { name: string; histogram: Histogram }>();
  const total = emptyHistogram();
  let lastEvent = 0;
  for (const row of rows) {
    let township = townships.get(row.township);
    if (!township) {
      township = { name: row.name ?? row.township, histogram: emptyHistogram() };
      townships.set(row.township, township);
    }
    add(township.histogram, row);
    add(total, row);
    if (row.minute !== null) lastEvent = Math.max(lastEvent, row.minute);
  }
  const lastMinute = Math.max(minutesOpen, lastEvent);
  const stepMinutes = Math.max(step ?? Math.ceil(lastMinute / MAX_POINTS), Math.ceil(lastMinute / POINTS_CAP), 1);
  const minutes = minutesOf(lastMinute, stepMinutes);
  return {
    targets: total.targets,
    step: stepMinutes,
    townships: [...townships].map(([code, { name, histogram }]) => ({
      code,
      name,
      targets: histogram.targets,
      points: curve(histogram, minutes),
      fullAt: fullAtOf(histogram),
    })),
    total: { points: curve(total, minutes) },
    fullAt: fullAtOf(total),
  };
}
