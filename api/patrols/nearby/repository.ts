import { type SQL, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import { isoTime } from '../../db/iso-time.ts';
import type { patrols, reports } from '../../db/schema.ts';

type PatrolRow = typeof patrols.$inferSelect;

/** The case the nearby workers are measured from: its number, state and point. */
export type NearbyCaseRow = Pick<typeof reports.$inferSelect, 'id' | 'caseNumber' | 'state' | 'cellCode'> & {
  lng: number;
  lat: number;
};

/** A worker on patrol near a case, at their latest valid fix, with the metres to the case. */
export type NearbyPatrolRow = Pick<PatrolRow, 'workerId' | 'workerName' | 'workerRole' | 'areaCode'> & {
  patrolId: PatrolRow['id'];
  areaName: string | null;
  /** The `people` row that answers for the worker's role and area, else the account: who an alert is addressed to. */
  personId: string;
  fixedAt: string;
  accuracyM: number;
  lng: number;
  lat: number;
  distanceM: number;
};

export interface NearbyQuery {
  /** [lng, lat] of the case, WGS84. */
  from: readonly [number, number];
  /** Only fixes at least this recent count. */
  freshSince: Date;
  limit: number;
  /** Metres; no limit when absent. */
  radiusM?: number;
  /** Only these patrols (the ones a duty officer selected). */
  patrolIds?: readonly string[];
}

/** Reads of workers near a case. Run over the scoped handle: row-level security keeps patrols and cases to the caller's scope. */
export function nearbyPatrolsRepository(db: Queryable) {
  return {
    async findCase(id: string): Promise<NearbyCaseRow | undefined> {
      const [row] = await db.rows<NearbyCaseRow>(sql`
        SELECT id, case_number AS "caseNumber", state, cell_code AS "cellCode", ST_X(location) AS lng, ST_Y(location) AS lat
        FROM reports WHERE id = ${id}`);
      return row;
    },

    /**
     * Workers on patrol (not ended) whose latest valid fix (no jump, no poor accuracy) is at least
     * `freshSince`, nearest first, metres on the spheroid (geography). The candidates are the workers
     * out now, each found by one probe of (patrol_id, fixed_at) bounded by the freshness limit; a
     * spatial index on all positions could not pick "each worker's latest" first, so the distance is
     * measured on that short list, cut by ST_DWithin when a radius is given, then ordered.
     */
    nearby(query: NearbyQuery): Promise<NearbyPatrolRow[]> {
      const here = sql`ST_SetSRID(ST_MakePoint(${query.from[0]}, ${query.from[1]}), 4326)::geography`;
      const since = query.freshSince.toISOString();
      const filters: SQL[] = [sql`p.ended_at IS NULL`, sql`p.last_fix_at >= ${since}::timestamptz`];
      if (query.radiusM !== undefined) filters.push(sql`ST_DWithin(f.location::geography, ${here}, ${query.radiusM})`);
      if (query.patrolIds) filters.push(sql`p.id = ANY(${sql.param([...query.patrolIds])}::text[])`);
      return db.rows<NearbyPatrolRow>(sql`
        SELECT p.id AS "patrolId", p.worker_id AS "workerId", p.worker_name AS "workerName", p.worker_role AS "workerRole",
          p.area_code AS "areaCode", a.name AS "areaName",
          COALESCE((SELECT pe.id FROM people pe WHERE pe.role = p.worker_role AND pe.area_code = p.area_code ORDER BY pe.id LIMIT 1),
            p.worker_id) AS "personId",
          ${isoTime(sql`f.fixed_at`)} AS "fixedAt", f.accuracy_m AS "accuracyM", ST_X(f.location) AS lng, ST_Y(f.location) AS lat,
          ST_Distance(f.location::geography, ${here}) AS "distanceM"
        FROM patrols p
        CROSS JOIN LATERAL (
          SELECT fixed_at, accuracy_m, location FROM patrol_positions
          WHERE patrol_id = p.id AND NOT poor_accuracy AND NOT jump AND fixed_at >= ${since}::timestamptz
          ORDER BY fixed_at DESC LIMIT 1
        ) f
        LEFT JOIN areas a ON a.code = p.area_code
        WHERE ${sql.join(filters, sql` AND `)}
        ORDER BY "distanceM", p.id
        LIMIT ${query.limit}`);
    },
  };
}
