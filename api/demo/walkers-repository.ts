import { sql } from 'drizzle-orm';
import type { MultiPolygon } from 'geojson';
import type { PatrolGround } from '../../geo/plan-patrol-walk.ts';
import type { LngLat } from '../../geo/types.ts';
import type { Queryable } from '../db/client.ts';
import { patrolsRepository } from '../patrols/repository.ts';
import type { PatrolGapCause } from '../vocabulary/patrols.ts';

/** A grid and the grid worker who walks it. */
export interface WalkerGround extends PatrolGround {
  gridCode: string;
  workerId: string;
  workerName: string;
}

/** A past patrol to store, its fixes already flagged by the jump filter (geo/flag-fixes.ts). */
export interface HistoryPatrol {
  id: string;
  workerId: string;
  workerName: string;
  areaCode: string;
  startedAt: Date;
  endedAt: Date;
  /** Metres along the valid fixes (geo/flag-fixes.ts trackLength), as the patrol's total. */
  distanceM: number;
  fixes: {
    fixedAtMs: number;
    position: LngLat;
    accuracyM: number;
    speedMps: number;
    poorAccuracy: boolean;
    jump: boolean;
  }[];
  gaps: { startedAt: Date; endedAt: Date; cause: PatrolGapCause }[];
}

/** The demo's past patrols: planned at `plannedAt` (ISO 8601), all written at `writtenAt`. */
export interface DemoPatrolsProgress {
  plannedAt: string;
  writtenAt?: string;
}

/** Fixes per INSERT: each column travels as one array parameter. */
const FIXES_PER_STATEMENT = 40_000;
/** Seconds between a history fix and its arrival: a phone uploads every 10-30 s. */
const UPLOAD_DELAY_S = 20;

/** Reads the demo's walkers need and the bulk writes of their stored past, run as the owner. */
export function walkersRepository(db: Queryable) {
  return {
    /**
     * Every grid of `scopeCode` with a grid worker, its outline, label point and its cells' label
     * points, by grid code (so the same data gives the same walks).
     */
    async grounds(scopeCode: string): Promise<WalkerGround[]> {
      const rows = await db.rows<{
        gridCode: string;
        grid: string;
        lng: number;
        lat: number;
        stops: string | null;
        workerId: string;
        workerName: string;
      }>(sql`
        SELECT g.code AS "gridCode", ST_AsGeoJSON(g.geom) AS grid, ST_X(g.label_point) AS lng, ST_Y(g.label_point) AS lat,
          (SELECT json_agg(json_build_array(ST_X(c.label_point), ST_Y(c.label_point)) ORDER BY c.code)::text
             FROM areas c WHERE c.level = 'cell' AND c.parent_code = g.code) AS stops,
          w.id AS "workerId", w.name AS "workerName"
        FROM areas g
        JOIN LATERAL (SELECT id, name FROM people WHERE role = 'grid_worker' AND area_code = g.code ORDER BY id LIMIT 1) w ON true
        WHERE g.level = 'grid' AND g.code LIKE ${scopeCode} || '%'
        ORDER BY g.code`);
      return rows.map((row) => ({
        gridCode: row.gridCode,
        grid: JSON.parse(row.grid) as MultiPolygon,
        start: [row.lng, row.lat] as LngLat,
        stops: row.stops ? (JSON.parse(row.stops) as LngLat[]) : [],
        workerId: row.workerId,
        workerName: row.workerName,
      }));
    },

    /** Patrols other than the live demo walkers' (whose client ids start `walker-`, api/demo/walkers.ts). */
    async patrolCount(): Promise<number> {
      const [row] = await db.rows<{ count: number }>(
        sql`SELECT count(*)::int AS count FROM patrols WHERE client_id NOT LIKE 'walker-%'`,
      );
      return row?.count ?? 0;
    },

    /**
     * The ids of the patrols the demo wrote in bulk (its history and the monitors' past rounds, whose
     * client id is their id; a phone's patrol gets an id of the server's own), to leave out when a
     * restart finishes writing them.
     */
    async bulkWrittenPatrolIds(): Promise<Set<string>> {
      const rows = await db.rows<{ id: string }>(sql`SELECT id FROM patrols WHERE client_id = id`);
      return new Set(rows.map((row) => row.id));
    },

    /**
     * Where the demo's past patrols stand (dataset_meta `demo_patrols`): the instant they were
     * planned at, and when they were all written; null before the first start that writes them.
     */
    async demoPatrolsProgress(): Promise<DemoPatrolsProgress | null> {
      const [row] = await db.rows<{ value: string }>(sql`SELECT value FROM dataset_meta WHERE key = 'demo_patrols'`);
      return row ? (JSON.parse(row.value) as DemoPatrolsProgress) : null;
    },

    async recordDemoPatrolsProgress(progress: DemoPatrolsProgress): Promise<void> {
      await db.rows(sql`
        INSERT INTO dataset_meta (key, value, updated_at) VALUES ('demo_patrols', ${JSON.stringify(progress)}, now())
        ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`);
    },

    /** Creates the day partitions of `days` (UTC midnights), so past fixes never land in the default partition. */
    async ensureDayPartitions(days: readonly Date[]): Promise<void> {
      const positions = patrolsRepository(db);
      for (const day of days) await positions.createPartition(day);
    },

    /**
     * Stores past patrols in bulk: patrols with their totals, fixes (INSERT … SELECT FROM unnest of
     * column arrays) and gaps. Returns the fixes stored.
     */
    async insertHistory(patrols: readonly HistoryPatrol[]): Promise<number> {
      if (patrols.length === 0) return 0;
      const patrolRows = patrols.map((patrol) => ({
        id: patrol.id,
        worker_id: patrol.workerId,
        worker_name: patrol.workerName,
        area_code: patrol.areaCode,
        started_at: patrol.startedAt.toISOString(),
        ended_at: patrol.endedAt.toISOString(),
        distance_m: patrol.distanceM,
        last_fix_at: patrol.fixes.length > 0 ? new Date(patrol.fixes[patrol.fixes.length - 1]!.fixedAtMs).toISOString() : null,
      }));
      for (let start = 0; start < patrolRows.length; start += 5_000) {
        await db.rows(sql`
          INSERT INTO patrols (id, client_id, worker_id, worker_name, worker_role, area_code, started_at, ended_at, distance_m, last_fix_at)
          SELECT r.id, r.id, r.worker_id, r.worker_name, 'grid_worker', r.area_code, r.started_at, r.ended_at, r.distance_m, r.last_fix_at
          FROM json_to_recordset(${JSON.stringify(patrolRows.slice(start, start + 5_000))}::json) AS r(
            id text, worker_id text, worker_name text, area_code text, started_at timestamptz, ended_at timestamptz,
            distance_m float8, last_fix_at timestamptz)`);
      }
      let stored = 0;
      let columns = emptyColumns();
      const flush = async () => {
        if (columns.patrol.length === 0) return;
        await db.rows(sql`
          INSERT INTO patrol_positions (patrol_id, client_fix_id, area_code, fixed_at, received_at, location, accuracy_m,
            speed_mps, input_datum, poor_accuracy, jump)
          SELECT f.patrol_id, f.seq::text, f.area_code, to_timestamp(f.at), to_timestamp(f.at + ${UPLOAD_DELAY_S}),
            ST_SetSRID(ST_MakePoint(f.lng, f.lat), 4326), f.accuracy, f.speed, 'wgs84', f.flag = 1, f.flag = 2
          FROM unnest(${sql.param(columns.patrol)}::text[], ${sql.param(columns.seq)}::int[], ${sql.param(columns.area)}::text[],
            ${sql.param(columns.at)}::float8[], ${sql.param(columns.lng)}::float8[], ${sql.param(columns.lat)}::float8[],
            ${sql.param(columns.accuracy)}::float8[], ${sql.param(columns.speed)}::float8[], ${sql.param(columns.flag)}::int[])
            AS f(patrol_id, seq, area_code, at, lng, lat, accuracy, speed, flag)`);
        stored += columns.patrol.length;
        columns = emptyColumns();
      };
      for (const patrol of patrols) {
        patrol.fixes.forEach((fix, index) => {
          columns.patrol.push(patrol.id);
          columns.seq.push(index);
          columns.area.push(patrol.areaCode);
          columns.at.push(fix.fixedAtMs / 1000);
          columns.lng.push(fix.position[0]);
          columns.lat.push(fix.position[1]);
          columns.accuracy.push(fix.accuracyM);
          columns.speed.push(fix.speedMps);
          columns.flag.push(fix.poorAccuracy ? 1 : fix.jump ? 2 : 0);
        });
        if (columns.patrol.length >= FIXES_PER_STATEMENT) await flush();
      }
      await flush();
      const gaps = patrols.flatMap((patrol) =>
        patrol.gaps.map((gap, index) => ({
          patrol_id: patrol.id,
          client_gap_id: `gap-${index}`,
          area_code: patrol.areaCode,
          started_at: gap.startedAt.toISOString(),
          ended_at: gap.endedAt.toISOString(),
          cause: gap.cause,
        })),
      );
      if (gaps.length > 0) {
        await db.rows(sql`
          INSERT INTO patrol_gaps (patrol_id, client_gap_id, area_code, started_at, ended_at, cause)
          SELECT r.patrol_id, r.client_gap_id, r.area_code, r.started_at, r.ended_at, r.cause
          FROM json_to_recordset(${JSON.stringify(gaps)}::json) AS r(
            patrol_id text, client_gap_id text, area_code text, started_at timestamptz, ended_at timestamptz, cause text)`);
      }
      return stored;
    },
  };
}

function emptyColumns() {
  return {
    patrol: [] as string[],
    seq: [] as number[],
    area: [] as string[],
    at: [] as number[],
    lng: [] as number[],
    lat: [] as number[],
    accuracy: [] as number[],
    speed: [] as number[],
    flag: [] as number[],
  };
}
