import { sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.ts';
import { OPEN_STATES } from '../vocabulary/case-states.ts';
import type { CaseClock } from './light.ts';
import { type CaseRow, clockColumns } from './repository.ts';

/** One case the duty screen counts: where, what, whether it came in today, and its clock. */
export type SummaryCaseRow = CaseClock &
  Pick<CaseRow, 'id' | 'type' | 'townshipName'> & {
    /** The first nine digits of the cell code: the township whose `area=` filter lists the case. */
    townshipCode: CaseRow['townshipCode'];
    /** Reported in [dayStart, dayEnd). */
    reportedToday: boolean;
  };

/**
 * The duty screen's reads. Run on the reader's scoped handle, so row-level security cuts them
 * as it cuts the case list.
 */
export function dutySummaryRepository(db: Queryable) {
  return {
    /**
     * Every case that is open or was reported in [dayStart, dayEnd), with the clock columns the
     * case list's light filter reads (`clockColumns`), so the service lights them with the same
     * `lightOf`. One statement: the four counts come from one snapshot.
     */
    openOrReportedBetween(dayStart: Date, dayEnd: Date): Promise<SummaryCaseRow[]> {
      const reportedToday = sql`(r.reported_at >= ${dayStart.toISOString()}::timestamptz AND r.reported_at < ${dayEnd.toISOString()}::timestamptz)`;
      return db.rows<SummaryCaseRow>(sql`
        SELECT ${clockColumns}, left(r.cell_code, 9) AS "townshipCode", t.name AS "townshipName", r.type,
          ${reportedToday} AS "reportedToday"
        FROM reports r LEFT JOIN areas t ON t.code = left(r.cell_code, 9)
        WHERE r.state = ANY(${sql.param([...OPEN_STATES])}::text[]) OR ${reportedToday}`);
    },
  };
}
