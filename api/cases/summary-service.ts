import type { Queryable } from '../db/client.ts';
import { OPEN_STATES } from '../vocabulary/case-states.ts';
import { REPORT_TYPE_CODES } from '../vocabulary/report-types.ts';
import { lightOf } from './light.ts';
import { dutySummaryRepository, type SummaryCaseRow } from './summary-repository.ts';
import { shanghaiDate } from './working-time.ts';

/**
 * What the duty screen counts. Each is exactly what `GET /api/cases` lists for the query in
 * `DutySummary.filters` (plus `area=` a township or `type=` a type for a breakdown row), so
 * a count opens its list.
 */
const SUMMARY_METRICS = ['reportedToday', 'open', 'awaitingAcknowledgement', 'overdue'] as const;
type SummaryMetric = (typeof SUMMARY_METRICS)[number];
export type SummaryCounts = Record<SummaryMetric, number>;

/** The state of a case dispatched to a department or township that has not acknowledged it yet. */
const AWAITING_ACKNOWLEDGEMENT = 'dispatched';

export interface DutySummary {
  /** When the counts were taken (ISO 8601): the overdue count moves with time. */
  at: string;
  /** Today in Asia/Shanghai, `YYYY-MM-DD`. */
  day: string;
  /** Today's bounds, [dayStart, dayEnd), ISO 8601. */
  dayStart: string;
  dayEnd: string;
  totals: SummaryCounts;
  /** Townships with at least one case counted, by code. */
  byTownship: ({ code: string; name: string | null } & SummaryCounts)[];
  /** Report types with at least one case counted, in the order of report-types.ts. */
  byType: ({ type: string } & SummaryCounts)[];
  /** The case list's query (`GET /api/cases`) that lists the cases of each count. */
  filters: Record<SummaryMetric, Record<string, string>>;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Midnight in Shanghai (UTC+8 all year: no daylight saving since 1991) of the day holding `now`, and the next one. */
function shanghaiDay(now: Date): { day: string; start: Date; end: Date } {
  const day = shanghaiDate(now);
  const start = new Date(`${day}T00:00:00+08:00`);
  return { day, start, end: new Date(start.getTime() + DAY_MS) };
}

const zero = (): SummaryCounts => ({ reportedToday: 0, open: 0, awaitingAcknowledgement: 0, overdue: 0 });

/** The counts one case adds; `overdue` is the case list's `light=red`, lit by the same `lightOf`. */
function countsOf(row: SummaryCaseRow, now: Date): SummaryCounts {
  return {
    reportedToday: row.reportedToday ? 1 : 0,
    open: (OPEN_STATES as readonly string[]).includes(row.state) ? 1 : 0,
    awaitingAcknowledgement: row.state === AWAITING_ACKNOWLEDGEMENT ? 1 : 0,
    overdue: lightOf(row, now).light === 'red' ? 1 : 0,
  };
}

function add(into: SummaryCounts, counts: SummaryCounts): void {
  for (const metric of SUMMARY_METRICS) into[metric] += counts[metric];
}

const typeRank = (type: string) => {
  const rank = (REPORT_TYPE_CODES as readonly string[]).indexOf(type);
  return rank === -1 ? REPORT_TYPE_CODES.length : rank;
};

/**
 * The duty screen's counts: today's reports, open cases, cases awaiting acknowledgement and
 * overdue cases, in total, by township and by report type. Read through the reader's scoped
 * handle, so each count is cut to the scope as the case list is.
 */
export function dutySummaryService(options: { now?: () => Date } = {}) {
  const clock = options.now ?? (() => new Date());
  return {
    async read(scoped: Queryable): Promise<DutySummary> {
      const now = clock();
      const { day, start, end } = shanghaiDay(now);
      const rows = await dutySummaryRepository(scoped).openOrReportedBetween(start, end);
      const totals = zero();
      const townships = new Map<string, { code: string; name: string | null } & SummaryCounts>();
      const types = new Map<string, { type: string } & SummaryCounts>();
      for (const row of rows) {
        const counts = countsOf(row, now);
        add(totals, counts);
        let township = townships.get(row.townshipCode);
        if (!township) {
          township = { code: row.townshipCode, name: row.townshipName, ...zero() };
          townships.set(row.townshipCode, township);
        }
        add(township, counts);
        let type = types.get(row.type);
        if (!type) {
          type = { type: row.type, ...zero() };
          types.set(row.type, type);
        }
        add(type, counts);
      }
      return {
        at: now.toISOString(),
        day,
        dayStart: start.toISOString(),
        dayEnd: end.toISOString(),
        totals,
        byTownship: [...townships.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)),
        byType: [...types.values()].sort((a, b) => typeRank(a.type) - typeRank(b.type) || (a.type < b.type ? -1 : 1)),
        filters: {
          reportedToday: { from: start.toISOString(), to: end.toISOString() },
          open: { state: OPEN_STATES.join(',') },
          awaitingAcknowledgement: { state: AWAITING_ACKNOWLEDGEMENT },
          overdue: { light: 'red' },
        },
      };
    },
  };
}

export type DutySummaryService = ReturnType<typeof dutySummaryService>;
