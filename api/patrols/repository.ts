import { and, desc, eq, getTableColumns, type SQL, sql } from 'drizzle-orm';
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

/**
 * Length (metres, on the spheroid) of the line through the patrol's valid fixes from the anchor
 * (`anchorAt`, `anchorId`; the anchor included) on, or through all of them when the anchor is
 * null, in the order the track is drawn (fix time, then client id).
 */
const validLengthAfter = (patrol: PatrolSpan, anchorAt: SQL, anchorId: SQL) => sql`
  SELECT coalesce(ST_Length(ST_MakeLine(location ORDER BY fixed_at, client_fix_id)::geography), 0)::float8
  FROM patrol_positions
  WHERE ${ofPatrol(patrol)} AND ${VALID}
    AND (${anchorAt} IS NULL OR (fixed_at >= ${anchorAt} AND (fixed_at, client_fix_id) >= (${anchorAt}, ${anchorId})))`;

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
     * Stores a batch's fixes (a fix already stored is skipped: ON CONFLICT DO NOTHING) and reads,
     * as the track stood before them, where the batch takes it up: the last valid fix strictly
     * before the batch's earliest (the last of equal fix times by client id), from which the jump
     * filter walks on; the length of the valid line from there to the end, which the batch replaces
     * (see `settleTotals`); and whether any fix (of any flag) lay after the anchor (from the batch's
     * earliest, with none), which the filter would have to read again. Returns those with the count
     * and the time span of the fixes stored. One statement (its reads see the table as it was
     * before its insert): a batch's every round trip counts at county scale.
     */
    async storeFixes(
      patrol: PatrolSpan,
      areaCode: string,
      fixes: readonly NewFix[],
    ): Promise<{
      anchor: FixRow | null;
      tailM: number;
      fixesAfter: boolean;
      stored: number;
      storedFrom: Date | null;
      storedTo: Date | null;
    }> {
      if (fixes.length === 0) return { anchor: null, tailM: 0, fixesAfter: false, stored: 0, storedFrom: null, storedTo: null };
      const before = sql`${new Date(Math.min(...fixes.map((fix) => fix.fixedAt.getTime()))).toISOString()}::timestamptz`;
      // The batch is one JSON parameter, read back as rows: 500 fixes as 8 arrays of text cost the
      // server an escape of every element (and the garbage of it) on every batch; JSON.stringify
      // is native, and jsonb_to_recordset parses it in C. One row of parameters a fix would cost
      // PostgreSQL a plan of 4,000 of them. A lone surrogate (JSON may escape one) is stored as
      // U+FFFD, as a text parameter stores it: jsonb would refuse the whole batch.
      const rows = JSON.stringify(
        fixes.map((fix) => ({
          i: fix.clientFixId.toWellFormed(),
          t: fix.fixedAt.toISOString(),
          x: fix.position[0],
          y: fix.position[1],
          a: fix.accuracyM,
          s: fix.speedMps ?? null,
          d: fix.inputDatum,
        })),
      );
      const [row] = await db.rows<
        Omit<FixRow, 'fixedAt'> & {
          fixedAt: Date | string | null;
          tailM: number;
          fixesAfter: boolean;
          stored: number;
          storedFrom: Date | string | null;
          storedTo: Date | string | null;
        }
      >(sql`
        WITH anchor AS (
          SELECT client_fix_id, fixed_at, accuracy_m, speed_mps, poor_accuracy, jump, location FROM patrol_positions
          WHERE ${ofPatrol(patrol)} AND fixed_at < ${before} AND ${VALID}
          ORDER BY fixed_at DESC, client_fix_id DESC LIMIT 1),
        stored AS (
          INSERT INTO patrol_positions (patrol_id, client_fix_id, area_code, fixed_at, location, accuracy_m, speed_mps, input_datum)
          SELECT ${patrol.id}, f.i, ${areaCode}, f.t, ST_SetSRID(ST_MakePoint(f.x, f.y), 4326), f.a, f.s, f.d
          FROM jsonb_to_recordset(${rows}::jsonb) AS f(i text, t timestamptz, x float8, y float8, a float8, s float8, d text)
          ON CONFLICT DO NOTHING
          RETURNING fixed_at)
        SELECT a.client_fix_id AS "clientFixId", a.fixed_at AS "fixedAt", a.accuracy_m AS "accuracyM",
          a.speed_mps AS "speedMps", a.poor_accuracy AS "poorAccuracy", a.jump, ST_X(a.location) AS lng, ST_Y(a.location) AS lat,
          (${validLengthAfter(patrol, sql`a.fixed_at`, sql`a.client_fix_id`)}) AS "tailM",
          CASE WHEN a.fixed_at IS NULL
            THEN EXISTS (SELECT 1 FROM patrol_positions WHERE ${ofPatrol(patrol)} AND fixed_at >= ${before})
            ELSE EXISTS (SELECT 1 FROM patrol_positions WHERE ${ofPatrol(patrol)} AND fixed_at > a.fixed_at)
          END AS "fixesAfter",
          (SELECT count(*)::int FROM stored) AS stored,
          (SELECT min(fixed_at) FROM stored) AS "storedFrom",
          (SELECT max(fixed_at) FROM stored) AS "storedTo"
        FROM (SELECT 1) one LEFT JOIN anchor a ON true`);
      if (!row) throw new Error('storing fixes returned no row');
      const { tailM, fixesAfter, stored, storedFrom, storedTo, ...fix } = row;
      return {
        anchor: fix.fixedAt === null ? null : fixOf({ ...fix, fixedAt: fix.fixedAt }),
        tailM: Number(tailM ?? 0),
        fixesAfter: fixesAfter === true,
        stored,
        storedFrom: storedFrom ? new Date(storedFrom) : null,
        storedTo: storedTo ? new Date(storedTo) : null,
      };
    },

    /** The newest valid fix of the patrol: where it is now. */
    async latestValidFix(patrol: PatrolSpan): Promise<FixRow | null> {
      const [row] = await db.rows<FixRow>(sql`
        SELECT ${FIX_COLUMNS} FROM patrol_positions WHERE ${ofPatrol(patrol)} AND ${VALID}
        ORDER BY fixed_at DESC, client_fix_id DESC LIMIT 1`);
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

    async updateFlags(
      patrol: PatrolSpan,
      changes: readonly { clientFixId: string; fixedAt: Date; poorAccuracy: boolean; jump: boolean }[],
    ): Promise<void> {
      if (changes.length === 0) return;
      const values = changes.map(
        (change) =>
          sql`(${change.clientFixId}, ${change.fixedAt.toISOString()}::timestamptz, ${change.poorAccuracy}::boolean, ${change.jump}::boolean)`,
      );
      // The time bounds, as constants, let PostgreSQL visit only the partitions the changes lie in.
      const times = changes.map((change) => change.fixedAt.getTime());
      await db.rows(sql`
        UPDATE patrol_positions p SET poor_accuracy = v.poor, jump = v.jump
        FROM (VALUES ${sql.join(values, sql`, `)}) AS v(client_fix_id, fixed_at, poor, jump)
        WHERE p.patrol_id = ${patrol.id} AND p.client_fix_id = v.client_fix_id AND p.fixed_at = v.fixed_at
          AND p.fixed_at >= ${new Date(Math.min(...times)).toISOString()}::timestamptz
          AND p.fixed_at <= ${new Date(Math.max(...times)).toISOString()}::timestamptz`);
    },

    /**
     * Settles the patrol after a batch: its distance moves by the valid line from `anchor` on as it
     * is now less `tailBeforeM`, that line before the batch (flags before the anchor are unchanged,
     * so the rest of the track is too); the newest fix time moves on to `lastFixAt` if later; its
     * cells walked are marked to derive again from `cellsFrom` on (see `pendingCells`). Returns the
     * patrol and the cells it walked as last derived, as the batch's answer shows them. `also`, a
     * statement of the same command (the batch's live event), runs in the same round trip.
     */
    async settleTotals(
      patrol: PatrolSpan,
      { anchor, tailBeforeM }: { anchor: Pick<FixRow, 'fixedAt' | 'clientFixId'> | null; tailBeforeM: number },
      { lastFixAt, cellsFrom }: { lastFixAt: Date; cellsFrom: Date },
      also: SQL | null = null,
    ): Promise<PatrolRow & { cellsWalked: number }> {
      const anchorAt = anchor ? sql`${anchor.fixedAt.toISOString()}::timestamptz` : sql`NULL::timestamptz`;
      const anchorId = anchor ? sql`${anchor.clientFixId}` : sql`NULL::text`;
      const [row] = await db.read((orm) =>
        // `also` (the batch's live event) runs as a data-modifying WITH: one round trip for both.
        (also ? orm.with(orm.$with('also', { id: sql<number>`id` }).as(also)) : orm)
          .update(patrols)
          .set({
            distanceM: sql`greatest(${patrols.distanceM} - ${tailBeforeM}::float8 + (${validLengthAfter(patrol, anchorAt, anchorId)}), 0)`,
            lastFixAt: sql`greatest(${patrols.lastFixAt}, ${lastFixAt.toISOString()}::timestamptz)`,
            cellsFrom: sql`least(${patrols.cellsFrom}, ${cellsFrom.toISOString()}::timestamptz)`,
            cellsStamp: sql`${patrols.cellsStamp} + 1`,
          })
          .where(eq(patrols.id, patrol.id))
          .returning({
            ...getTableColumns(patrols),
            cellsWalked:
              sql<number>`(SELECT count(DISTINCT cell_code) FROM patrol_cells WHERE patrol_id = ${patrols.id})`.mapWith(Number),
          }),
      );
      return row!;
    },

    async insertGaps(patrolId: string, areaCode: string, gaps: readonly Omit<GapRow, 'patrolId' | 'areaCode'>[]): Promise<void> {
      if (gaps.length === 0) return;
      await db.read((orm) =>
        orm
          .insert(patrolGaps)
          .values(gaps.map((gap) => ({ ...gap, patrolId, areaCode })))
          .onConflictDoNothing(),
      );
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
