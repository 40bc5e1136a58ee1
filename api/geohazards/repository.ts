import { asc, sql } from 'drizzle-orm';
import type { LngLat } from '../../geo/types.ts';
import type { Queryable } from '../db/client.ts';
import { isoTime } from '../db/iso-time.ts';
import { type geohazardPoints, geohazardRules, patrols } from '../db/schema.ts';
import type { GeohazardKind } from '../vocabulary/geohazards.ts';

/** A point of the register with its position as [lng, lat]. */
export type PointRow = Omit<typeof geohazardPoints.$inferSelect, 'location' | 'kind'> & {
  kind: GeohazardKind;
  lng: number;
  lat: number;
};
/** A point to write into the register (the demo's synthetic ones, an import). */
export type NewPoint = Omit<PointRow, 'active'>;
export type RuleRow = typeof geohazardRules.$inferSelect;

/** The start of a visit of a point: the first valid fix near it after a while away. */
export interface VisitRow {
  pointId: string;
  patrolId: string;
  /** ISO 8601, UTC. */
  visitedAt: string;
}

/** How a fix counts as a patrol of a point: near enough, and far enough in time from the fix before. */
export interface VisitCriteria {
  /** Metres from the point (on the spheroid). */
  radiusM: number;
  /** A fix near the point this long (ms) after the previous near fix starts a new visit; closer ones are the same stay. */
  minIntervalMs: number;
}

/** Rows per statement of a bulk write: large enough to amortise a round trip, small enough for the embedded database, which lost its connection state past 32,767 parameters (a signed 16-bit count). */
const PATROLS_PER_STATEMENT = 500;
const FIXES_PER_STATEMENT = 4_000;

const POINT_COLUMNS = sql`id, name, kind, area_code AS "areaCode", monitor_id AS "monitorId", monitor_name AS "monitorName",
  threatened_households AS "threatenedHouseholds", threatened_people AS "threatenedPeople", active,
  ST_X(location) AS lng, ST_Y(location) AS lat`;

/** The register of geohazard points, the patrol rule, and the visits of points read from patrol positions. */
export function geohazardsRepository(db: Queryable) {
  return {
    /** The active points the handle's scope allows (row-level security), by code. */
    activePoints(): Promise<PointRow[]> {
      return db.rows<PointRow>(sql`SELECT ${POINT_COLUMNS} FROM geohazard_points WHERE active ORDER BY id`);
    },

    /**
     * The active points with their monitor's home: the label point of the point's cell, where the
     * cell's informant lives (the demo's monitors set out from there, api/demo/monitor-rounds.ts). By code.
     */
    watchedPoints(): Promise<(PointRow & { homeLng: number; homeLat: number })[]> {
      return db.rows(sql`
        SELECT ${POINT_COLUMNS}, ST_X(home) AS "homeLng", ST_Y(home) AS "homeLat"
        FROM geohazard_points,
          LATERAL (SELECT coalesce((SELECT label_point FROM areas WHERE code = geohazard_points.area_code), location) AS home) h
        WHERE active ORDER BY id`);
    },

    async point(id: string): Promise<PointRow | undefined> {
      const [row] = await db.rows<PointRow>(sql`SELECT ${POINT_COLUMNS} FROM geohazard_points WHERE id = ${id}`);
      return row;
    },

    async pointCount(): Promise<number> {
      const [row] = await db.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM geohazard_points`);
      return row?.n ?? 0;
    },

    async insertPoints(points: readonly NewPoint[]): Promise<void> {
      if (points.length === 0) return;
      const values = points.map(
        (point) => sql`(${point.id}, ${point.name}, ${point.kind}, ST_SetSRID(ST_MakePoint(${point.lng}, ${point.lat}), 4326),
          ${point.areaCode}, ${point.monitorId}, ${point.monitorName}, ${point.threatenedHouseholds}, ${point.threatenedPeople})`,
      );
      await db.rows(sql`
        INSERT INTO geohazard_points (id, name, kind, location, area_code, monitor_id, monitor_name, threatened_households, threatened_people)
        VALUES ${sql.join(values, sql`, `)} ON CONFLICT (id) DO NOTHING`);
    },

    /**
     * The visits of the points `pointIds` between `from` and `to`: valid fixes (neither poor accuracy
     * nor a jump) of any patrol of the point's monitor within `radiusM` of it, a visit starting at a
     * near fix that comes `minIntervalMs` or more after the previous one (so a long stay is one visit).
     * Each monitor's patrols are found by worker id and their fixes by (patrol_id, fixed_at): the
     * index probes stay within the days asked for. Read as the owner: the count is the point's, not the
     * track's, and department cadres who watch points see no patrol.
     */
    visits(pointIds: readonly string[], from: Date, to: Date, criteria: VisitCriteria): Promise<VisitRow[]> {
      if (pointIds.length === 0) return Promise.resolve([]);
      const start = from.toISOString();
      const end = to.toISOString();
      // Degrees around the point that surely hold the radius (a degree of longitude is > 80 km below 44°N): a cheap box test first.
      const box = criteria.radiusM / 80_000;
      return db.rows<VisitRow>(sql`
        WITH near AS (
          SELECT g.id AS point_id, f.patrol_id, f.fixed_at
          FROM geohazard_points g
          JOIN patrols p ON p.worker_id = g.monitor_id AND p.started_at < ${end}::timestamptz
            AND coalesce(p.ended_at, p.last_fix_at, p.started_at) >= ${start}::timestamptz
          JOIN patrol_positions f ON f.patrol_id = p.id
            AND f.fixed_at >= ${start}::timestamptz AND f.fixed_at < ${end}::timestamptz
          WHERE g.id = ANY(${sql.param([...pointIds])}::text[])
            AND NOT f.poor_accuracy AND NOT f.jump
            AND ST_DWithin(f.location, g.location, ${box}::float8)
            AND ST_DWithin(f.location::geography, g.location::geography, ${criteria.radiusM}::float8)
        ), ordered AS (
          SELECT point_id, patrol_id, fixed_at, lag(fixed_at) OVER (PARTITION BY point_id ORDER BY fixed_at) AS previous
          FROM near
        )
        SELECT point_id AS "pointId", patrol_id AS "patrolId", ${isoTime(sql`fixed_at`)} AS "visitedAt"
        FROM ordered
        WHERE previous IS NULL OR fixed_at - previous >= ${criteria.minIntervalMs} * interval '1 millisecond'
        ORDER BY point_id, fixed_at`);
    },

    /**
     * The rural cells of the county (where the mountains are), by code, each with its village's name,
     * its centre and its informant (the natural monitor of a point in it).
     */
    ruralCells(): Promise<
      { code: string; villageName: string; lng: number; lat: number; informantId: string; informantName: string }[]
    > {
      return db.rows(sql`
        SELECT c.code, v.name AS "villageName", ST_X(c.label_point) AS lng, ST_Y(c.label_point) AS lat,
          p.id AS "informantId", p.name AS "informantName"
        FROM areas c
        JOIN areas v ON v.code = left(c.code, 12) AND v.level = 'village'
        JOIN people p ON p.area_code = c.code AND p.role = 'cell_informant'
        WHERE c.level = 'cell' AND NOT c.urban
        ORDER BY c.code`);
    },

    /** A point drawn inside each cell of `cells`, deterministic for `seed` (a positive whole number). */
    pointsInCells(cells: readonly string[], seed: number): Promise<{ code: string; lng: number; lat: number }[]> {
      if (cells.length === 0) return Promise.resolve([]);
      return db.rows(sql`
        SELECT c.code, ST_X(p.geom) AS lng, ST_Y(p.geom) AS lat
        FROM areas c, LATERAL ST_Dump(ST_GeneratePoints(c.geom, 1, ${seed}::int)) p
        WHERE c.code = ANY(${sql.param([...cells])}::text[])
        ORDER BY c.code`);
    },

    /**
     * Writes finished patrols and their fixes (all valid) in a few large statements: the demo's
     * thousands of monitors' rounds. One INSERT per patrol, as the patrols repository does for a
     * phone's batch, cost minutes on the embedded database; the rows are the same.
     */
    async insertFinishedPatrols(
      rows: readonly (typeof patrols.$inferInsert & {
        fixes: readonly { clientFixId: string; fixedAt: Date; position: LngLat; accuracyM: number; speedMps: number }[];
      })[],
    ): Promise<void> {
      for (let from = 0; from < rows.length; from += PATROLS_PER_STATEMENT) {
        const chunk = rows.slice(from, from + PATROLS_PER_STATEMENT);
        await db.read((orm) => orm.insert(patrols).values(chunk.map(({ fixes: _fixes, ...patrol }) => patrol)));
        const fixes = chunk.flatMap((patrol) =>
          patrol.fixes.map(
            (fix) =>
              sql`(${patrol.id}, ${fix.clientFixId}, ${patrol.areaCode}, ${fix.fixedAt.toISOString()}::timestamptz,
                ST_SetSRID(ST_MakePoint(${fix.position[0]}, ${fix.position[1]}), 4326), ${fix.accuracyM}, ${fix.speedMps}::float8)`,
          ),
        );
        for (let at = 0; at < fixes.length; at += FIXES_PER_STATEMENT)
          await db.rows(sql`
            INSERT INTO patrol_positions (patrol_id, client_fix_id, area_code, fixed_at, location, accuracy_m, speed_mps)
            VALUES ${sql.join(fixes.slice(at, at + FIXES_PER_STATEMENT), sql`, `)}`);
      }
    },

    /** Every version of the rule, oldest first. */
    rules(): Promise<RuleRow[]> {
      return db.read((orm) => orm.select().from(geohazardRules).orderBy(asc(geohazardRules.effectiveFrom)));
    },

    /** Writes the version applying from `rule.effectiveFrom`, replacing one set for the same day. */
    async saveRule(rule: Omit<RuleRow, 'id' | 'setAt'> & { setAt: Date }): Promise<RuleRow> {
      const [row] = await db.read((orm) =>
        orm
          .insert(geohazardRules)
          .values(rule)
          .onConflictDoUpdate({
            target: geohazardRules.effectiveFrom,
            set: {
              seasonStartMonth: rule.seasonStartMonth,
              seasonEndMonth: rule.seasonEndMonth,
              inSeasonPerDay: rule.inSeasonPerDay,
              offSeasonPerDay: rule.offSeasonPerDay,
              setById: rule.setById,
              setByName: rule.setByName,
              setAt: rule.setAt,
            },
          })
          .returning(),
      );
      return row!;
    },
  };
}
