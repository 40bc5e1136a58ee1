import { and, desc, eq, type SQL, sql } from 'drizzle-orm';
import type { LngLat } from '../../geo/types.ts';
import type { Queryable } from '../db/client.ts';
import { isoTime } from '../db/iso-time.ts';
import { patrolGaps, type patrolPositions, patrolReports, patrols } from '../db/schema.ts';

/** A patrol as its table holds it (api/db/schema.ts). */
export type PatrolRow = typeof patrols.$inferSelect;
export type NewPatrol = typeof patrols.$inferInsert;
/** A gap as its table holds it. */
export type GapRow = typeof patrolGaps.$inferSelect;

/** A fix to store: the position already in WGS84, the flags still to be worked out. */
export type NewFix = Pick<
  typeof patrolPositions.$inferInsert,
  'clientFixId' | 'fixedAt' | 'accuracyM' | 'speedMps' | 'inputDatum'
> & {
  position: LngLat;
};

/** A stored fix as the jump filter and the track read it: the schema's columns, the point as [lng, lat]. */
export type FixRow = Pick<
  typeof patrolPositions.$inferSelect,
  'clientFixId' | 'fixedAt' | 'accuracyM' | 'speedMps' | 'poorAccuracy' | 'jump'
> & { lng: number; lat: number };

/** The latest valid fix of a patrol that is out now, for the command map. */
export type ActivePatrolRow = Pick<PatrolRow, 'id' | 'workerId' | 'workerName' | 'workerRole' | 'areaCode' | 'startedAt'> & {
  fixedAt: string;
  accuracyM: number;
  lng: number;
  lat: number;
};

/** Partitions are named by their UTC day: patrol_positions_yyyymmdd. */
const PARTITION_NAME = /^patrol_positions_(\d{4})(\d{2})(\d{2})$/;

/** The name of the partition of `day` (a UTC midnight). */
export function partitionName(day: Date): string {
  return `patrol_positions_${day.toISOString().slice(0, 10).replaceAll('-', '')}`;
}

/** The UTC day a partition named `name` holds, or null for the default partition and any other table. */
export function partitionDay(name: string): Date | null {
  const match = PARTITION_NAME.exec(name);
  return match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
}

const FIX_COLUMNS = sql`client_fix_id AS "clientFixId", fixed_at AS "fixedAt", accuracy_m AS "accuracyM",
  speed_mps AS "speedMps", poor_accuracy AS "poorAccuracy", jump, ST_X(location) AS lng, ST_Y(location) AS lat`;

/** Fix times come back from `rows` as text (PGlite) or Date (pg): one shape for both. */
function fixOf(row: Omit<FixRow, 'fixedAt'> & { fixedAt: Date | string }): FixRow {
  return { ...row, fixedAt: new Date(row.fixedAt) };
}

const VALID = sql`NOT poor_accuracy AND NOT jump`;

/**
 * A fix stamped this long (ms) before its patrol's start is refused: a phone's cached position is
 * minutes old at most, and an older fix belongs to no walk of this patrol. Every read of a
 * patrol's fixes starts there, so PostgreSQL visits the day partitions the patrol can lie in, not
 * all of them (probing some thirty partitions' indexes, and the JIT compiling a plan costed for
 * them, made a batch take half a second on a table of 50 million fixes).
 */
export const EARLY_FIX_SLACK_MS = 10 * 60_000;

/**
 * What bounds a patrol's fixes in the table: its id, the earliest fix time it can hold
 * (`earliestFixOf`) and the latest (now, and the slack the service allows a phone's clock). Both
 * bounds reach the planner as constants, so it plans for the day partitions in between only (the
 * seven created ahead and the default one cost planning time too).
 */
export interface PatrolSpan {
  id: string;
  from: Date;
  to: Date;
}

/** The earliest fix time a patrol can hold. */
export const earliestFixOf = (patrol: Pick<PatrolRow, 'startedAt'>) => new Date(patrol.startedAt.getTime() - EARLY_FIX_SLACK_MS);

/** The rows of one patrol, bounded in time. */
const ofPatrol = (patrol: PatrolSpan) =>
  sql`patrol_id = ${patrol.id} AND fixed_at >= ${patrol.from.toISOString()}::timestamptz
    AND fixed_at <= ${patrol.to.toISOString()}::timestamptz`;

/** Patrols, their fixes, gaps and linked reports. Writes run as the owner; reads through whichever handle is given. */
export function patrolsRepository(db: Queryable) {
  return {
    find(id: string): Promise<PatrolRow | undefined> {
      return db.read(async (orm) => (await orm.select().from(patrols).where(eq(patrols.id, id)).limit(1))[0]);
    },

    /**
     * The patrol, locked until the transaction ends: batches of one patrol take turns (two tabs, a
     * retry while the first is in flight), since each decides flags and distance from the fixes
     * it can see, and would not see the other's. Batches of different patrols do not wait.
     */
    findToWrite(id: string): Promise<PatrolRow | undefined> {
      return db.read(async (orm) => (await orm.select().from(patrols).where(eq(patrols.id, id)).limit(1).for('update'))[0]);
    },

    findByClient(workerId: string, clientId: string): Promise<PatrolRow | undefined> {
      return db.read(
        async (orm) =>
          (
            await orm
              .select()
              .from(patrols)
              .where(and(eq(patrols.workerId, workerId), eq(patrols.clientId, clientId)))
              .limit(1)
          )[0],
      );
    },

    /** The worker's patrols, newest first. */
    ofWorker(workerId: string, limit: number): Promise<PatrolRow[]> {
      return db.read((orm) =>
        orm.select().from(patrols).where(eq(patrols.workerId, workerId)).orderBy(desc(patrols.startedAt)).limit(limit),
      );
    },

    async insert(patrol: NewPatrol): Promise<PatrolRow> {
      const [row] = await db.read((orm) => orm.insert(patrols).values(patrol).returning());
      return row!;
    },

    async end(id: string, endedAt: Date): Promise<void> {
      await db.read((orm) => orm.update(patrols).set({ endedAt }).where(eq(patrols.id, id)));
    },

    /**
     * The newest valid fix of the patrol: where it is now. The latest time first, then the last
     * client id at it: the index (patrol_id, fixed_at) stops at the first valid fix from the end,
     * where ordering by both sorted the whole track.
     */
    async latestValidFix(patrol: PatrolSpan): Promise<FixRow | null> {
      const [row] = await db.rows<FixRow>(sql`
        SELECT ${FIX_COLUMNS} FROM patrol_positions WHERE ${ofPatrol(patrol)} AND ${VALID}
          AND fixed_at = (SELECT max(fixed_at) FROM patrol_positions WHERE ${ofPatrol(patrol)} AND ${VALID})
        ORDER BY client_fix_id DESC LIMIT 1`);
      return row ? fixOf(row) : null;
    },

    /** Every fix of the patrol (from `from` on), in fix-time order (ties by client id, so the order is stable). */
    async fixesFrom(patrol: PatrolSpan, from: Date | null): Promise<FixRow[]> {
      const since = from ? sql`AND fixed_at >= ${from.toISOString()}::timestamptz` : sql``;
      const rows = await db.rows<FixRow>(sql`
        SELECT ${FIX_COLUMNS} FROM patrol_positions WHERE ${ofPatrol(patrol)} ${since}
        ORDER BY fixed_at, client_fix_id`);
      return rows.map(fixOf);
    },

    gapsOf(patrolId: string): Promise<GapRow[]> {
      return db.read((orm) =>
        orm.select().from(patrolGaps).where(eq(patrolGaps.patrolId, patrolId)).orderBy(patrolGaps.startedAt),
      );
    },

    async linkReport(patrolId: string, reportId: string, areaCode: string): Promise<void> {
      await db.read((orm) => orm.insert(patrolReports).values({ patrolId, reportId, areaCode }).onConflictDoNothing());
    },

    /**
     * The cell of a report `reporterId` made, or null when it is not theirs. Read here rather than
     * through the reports service, which has no lookup by reporter: one column of one row.
     */
    async ownReportCell(reportId: string, reporterId: string): Promise<string | null> {
      const [row] = await db.rows<{ cellCode: string }>(
        sql`SELECT cell_code AS "cellCode" FROM reports WHERE id = ${reportId} AND reporter_id = ${reporterId}`,
      );
      return row?.cellCode ?? null;
    },

    async reportsOf(patrolId: string): Promise<string[]> {
      const rows = await db.read((orm) =>
        orm.select({ reportId: patrolReports.reportId }).from(patrolReports).where(eq(patrolReports.patrolId, patrolId)),
      );
      return rows.map((row) => row.reportId);
    },

    /**
     * Patrols out now (not ended, heard from since `heardSince`) with their latest valid fix (none
     * is stamped after `until`, now and the clock slack the service allows), as
     * the handle's scope allows. One index probe per patrol (patrol_id, fixed_at), in the partitions
     * from its start on.
     */
    active(heardSince: Date, until: Date): Promise<ActivePatrolRow[]> {
      return db.rows<ActivePatrolRow>(sql`
        SELECT p.id, p.worker_id AS "workerId", p.worker_name AS "workerName", p.worker_role AS "workerRole",
          p.area_code AS "areaCode", ${isoTime(sql`p.started_at`)} AS "startedAt",
          ${isoTime(sql`f.fixed_at`)} AS "fixedAt", f.accuracy_m AS "accuracyM", ST_X(f.location) AS lng, ST_Y(f.location) AS lat
        FROM patrols p
        CROSS JOIN LATERAL (
          SELECT fixed_at, accuracy_m, location FROM patrol_positions
          WHERE patrol_id = p.id AND fixed_at >= p.started_at - ${EARLY_FIX_SLACK_MS} * interval '1 millisecond'
            AND fixed_at <= ${until.toISOString()}::timestamptz
            AND ${VALID} ORDER BY fixed_at DESC LIMIT 1
        ) f
        WHERE p.ended_at IS NULL AND p.last_fix_at >= ${heardSince.toISOString()}::timestamptz
        ORDER BY p.area_code, p.id`);
    },

    /** The day partitions of the positions table, by name. */
    async partitions(): Promise<string[]> {
      const rows = await db.rows<{ name: string }>(sql`
        SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'patrol_positions'::regclass ORDER BY c.relname`);
      return rows.map((row) => row.name);
    },

    /** Creates the partition of the UTC day `day` unless it exists. */
    async createPartition(day: Date): Promise<void> {
      const next = new Date(day.getTime() + 86_400_000);
      await db.rows(
        sql.raw(`CREATE TABLE IF NOT EXISTS ${partitionName(day)} PARTITION OF patrol_positions
          FOR VALUES FROM ('${day.toISOString()}') TO ('${next.toISOString()}')`),
      );
    },

    async dropPartition(name: string): Promise<void> {
      if (!partitionDay(name)) throw new Error(`not a day partition of patrol_positions: ${name}`);
      await db.rows(sql.raw(`DROP TABLE IF EXISTS ${name}`));
    },

    /** Removes what is older than `cutoff` row by row: fixes left in the default partition, gaps, and patrols over by then. */
    async deleteBefore(cutoff: Date): Promise<{ positions: number; patrols: number }> {
      const at = cutoff.toISOString();
      const positions = await db.rows<{ n: number }>(
        sql`WITH gone AS (DELETE FROM patrol_positions WHERE fixed_at < ${at}::timestamptz RETURNING 1) SELECT count(*)::int AS n FROM gone`,
      );
      await db.rows(sql`DELETE FROM patrol_gaps WHERE ended_at < ${at}::timestamptz`);
      const over: SQL = sql`coalesce(ended_at, last_fix_at, started_at) < ${at}::timestamptz
        AND NOT EXISTS (SELECT 1 FROM patrol_positions f WHERE f.patrol_id = patrols.id)`;
      await db.rows(sql`DELETE FROM patrol_reports r USING patrols WHERE r.patrol_id = patrols.id AND ${over}`);
      const gone = await db.rows<{ n: number }>(
        sql`WITH gone AS (DELETE FROM patrols WHERE ${over} RETURNING 1) SELECT count(*)::int AS n FROM gone`,
      );
      return { positions: positions[0]?.n ?? 0, patrols: gone[0]?.n ?? 0 };
    },
  };
}
