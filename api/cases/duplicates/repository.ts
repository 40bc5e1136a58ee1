import { sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import { isoTime, type WithIsoTimes } from '../../db/iso-time.ts';
import type { areas, reports } from '../../db/schema.ts';

type Report = typeof reports.$inferSelect;

/** What merging reads of a case: its row in `reports`, in part. */
export type MergeCaseRow = Pick<Report, 'id' | 'caseNumber' | 'type' | 'state' | 'cellCode' | 'mergedInto'>;

/** A report near a case: its columns, its point, its cell's name, and how far and how long apart they are. */
export type NearbyCaseRow = WithIsoTimes<
  Pick<Report, 'id' | 'caseNumber' | 'type' | 'urgency' | 'state' | 'description' | 'cellCode' | 'reportedAt'>
> & {
  lng: number;
  lat: number;
  cellName: (typeof areas.$inferSelect)['name'] | null;
  /** Metres, geodesic. */
  distanceM: number;
  secondsApart: number;
};

/**
 * SQL of near-duplicate reports and of merging one case into another. Run over the scoped
 * handle or a transaction in scope: a duplicate outside the caller's scope is never suggested.
 */
export function duplicatesRepository(db: Queryable) {
  return {
    async findCase(id: string): Promise<MergeCaseRow | undefined> {
      const [row] = await db.rows<MergeCaseRow>(sql`
        SELECT id, case_number AS "caseNumber", type, state, cell_code AS "cellCode", merged_into AS "mergedInto"
        FROM reports WHERE id = ${id}`);
      return row;
    },

    /** Locks both cases for the rest of the transaction (in id order, so two merges cannot deadlock) and returns them. */
    lockCases(ids: string[]): Promise<MergeCaseRow[]> {
      return db.rows<MergeCaseRow>(sql`
        SELECT id, case_number AS "caseNumber", type, state, cell_code AS "cellCode", merged_into AS "mergedInto"
        FROM reports WHERE id = ANY(${sql.param(ids)}::text[]) ORDER BY id FOR UPDATE`);
    },

    /**
     * Reports of the same type within `radiusM` metres (geodesic) and `windowHours` of the case,
     * in none of `excludedStates`, nearest first. A bounding box of 0.01° (over 900 m at the
     * county's latitude) lets the spatial index narrow the search before the exact distance.
     */
    nearby(id: string, radiusM: number, windowHours: number, excludedStates: readonly string[]): Promise<NearbyCaseRow[]> {
      return db.rows<NearbyCaseRow>(sql`
        SELECT o.id, o.case_number AS "caseNumber", o.type, o.urgency, o.state, o.description,
          ST_X(o.location) AS lng, ST_Y(o.location) AS lat, o.cell_code AS "cellCode", c.name AS "cellName",
          ${isoTime(sql`o.reported_at`)} AS "reportedAt",
          ST_Distance(o.location::geography, r.location::geography) AS "distanceM",
          EXTRACT(EPOCH FROM (o.reported_at - r.reported_at))::float8 AS "secondsApart"
        FROM reports r
        JOIN reports o ON o.id <> r.id AND o.type = r.type
          AND o.location && ST_Expand(r.location, 0.01)
          AND o.reported_at BETWEEN r.reported_at - make_interval(hours => ${windowHours}::int)
                                AND r.reported_at + make_interval(hours => ${windowHours}::int)
          AND ST_DWithin(o.location::geography, r.location::geography, ${radiusM}::float8)
          AND o.state <> ALL(${sql.param([...excludedStates])}::text[])
        LEFT JOIN areas c ON c.code = o.cell_code
        WHERE r.id = ${id}
        ORDER BY "distanceM", abs(EXTRACT(EPOCH FROM (o.reported_at - r.reported_at))), o.id`);
    },

    async markMerged(id: string, intoId: string): Promise<void> {
      await db.rows(sql`
        UPDATE reports SET state = 'merged', merged_into = ${intoId}, clock_stage = NULL, due_at = NULL,
          version = version + 1, updated_at = now()
        WHERE id = ${id}`);
    },

    async touch(id: string): Promise<void> {
      await db.rows(sql`UPDATE reports SET version = version + 1, updated_at = now() WHERE id = ${id}`);
    },
  };
}
