import { sql } from 'drizzle-orm';
import type { Polygon } from 'geojson';
import type { LngLat } from '../../geo/types.ts';
import type { Queryable } from '../db/client.ts';
import { isoTime, type WithIsoTimes } from '../db/iso-time.ts';
import type { areas, caseSteps, reportPhotos, reports } from '../db/schema.ts';
import type { Urgency } from '../vocabulary/report-types.ts';

type Report = typeof reports.$inferSelect;
type Area = typeof areas.$inferSelect;
type Step = typeof caseSteps.$inferSelect;

/** The cell a point falls in, with the grid, village and township above it (codes and names from `areas`). */
export type CellAssignment = Pick<Report, 'cellCode' | 'gridCode' | 'villageCode' | 'townshipCode'> & {
  cellName: Area['name'];
  gridName: Area['name'];
  villageName: Area['name'];
  townshipName: Area['name'];
  /** The urban core (壁州街道, 诺江镇): shorter on-site check limits. */
  urban: Area['urban'];
};

/** A report to write: its columns in `reports`, its place as found, and its point and zone as GeoJSON. */
export type NewReport = Pick<
  Report,
  | 'id'
  | 'caseNumber'
  | 'clientId'
  | 'reporterName'
  | 'reporterRole'
  | 'source'
  | 'type'
  | 'urgency'
  | 'description'
  | 'accuracyM'
  | 'inputDatum'
  | 'reportedAt'
> & {
  reporterId: NonNullable<Report['reporterId']>;
  position: LngLat;
  cell: CellAssignment;
  dueAt: NonNullable<Report['dueAt']>;
  limitAmount: NonNullable<Report['limitAmount']>;
  limitUnit: NonNullable<Report['limitUnit']>;
  /** natural | working: the clock the filing limit counts on. */
  limitClock: NonNullable<Report['limitClock']>;
  controlZone: Polygon;
};

/** An area's code and name, read beside a report. */
interface AreaName {
  code: Area['code'];
  name: Area['name'] | null;
}

/** A report as read back (timestamps as ISO text), with its point, area names, zone (GeoJSON text) and photos. */
export type ReportRow = WithIsoTimes<
  Pick<
    Report,
    | 'id'
    | 'caseNumber'
    | 'clientId'
    | 'reporterId'
    | 'type'
    | 'description'
    | 'state'
    | 'source'
    | 'responsibleLevel'
    | 'inputDatum'
    | 'accuracyM'
    | 'reportedAt'
    | 'clockStage'
    | 'dueAt'
    | 'closedAt'
    | 'mergedInto'
  >
> & {
  urgency: Urgency;
  lng: number;
  lat: number;
  cell: AreaName;
  grid: AreaName;
  village: AreaName;
  township: AreaName;
  controlZone: string | null;
  photos: Pick<typeof reportPhotos.$inferSelect, 'id' | 'contentType' | 'byteSize'>[];
};

export type MyReportRow = Omit<ReportRow, 'photos' | 'controlZone' | 'clientId' | 'reporterId'> & {
  photoCount: number;
  lastStep: WithIsoTimes<Pick<Step, 'action' | 'toState' | 'at' | 'actorName' | 'note'>> | null;
};

const areaName = (alias: string, codeColumn: string) =>
  sql.raw(`json_build_object('code', r.${codeColumn}, 'name', ${alias}.name)`);

/**
 * The case a merged one went into, as its id only when the reader may see that case: read through
 * the reader's handle, row-level security hides one in another area and the answer is null.
 */
const visibleMergedInto = sql`(SELECT o.id FROM reports o WHERE o.id = r.merged_into)`;

const reportColumns = sql`
  r.id, r.case_number AS "caseNumber", r.type, r.urgency, r.description, r.state, r.source,
  r.responsible_level AS "responsibleLevel", ST_X(r.location) AS lng, ST_Y(r.location) AS lat,
  r.input_datum AS "inputDatum", r.accuracy_m AS "accuracyM",
  ${areaName('a_cell', 'cell_code')} AS cell, ${areaName('a_grid', 'grid_code')} AS grid,
  ${areaName('a_village', 'village_code')} AS village, ${areaName('a_township', 'township_code')} AS township,
  ${isoTime(sql`r.reported_at`)} AS "reportedAt", r.clock_stage AS "clockStage", ${isoTime(sql`r.due_at`)} AS "dueAt",
  ${isoTime(sql`r.closed_at`)} AS "closedAt", ${visibleMergedInto} AS "mergedInto"`;

const areaJoins = sql`
  LEFT JOIN areas a_cell ON a_cell.code = r.cell_code
  LEFT JOIN areas a_grid ON a_grid.code = r.grid_code
  LEFT JOIN areas a_village ON a_village.code = r.village_code
  LEFT JOIN areas a_township ON a_township.code = r.township_code`;

/** Advisory lock namespace of case numbers (any constant int4; pairs with the day as yyyymmdd). */
const CASE_NUMBER_LOCK = 0x67636331;

/**
 * SQL of reports: finding the cell of a point, writing a report with its first step and photos,
 * and reading reports back. Run it over the handle the service chooses: the owner's transaction
 * for what must see the whole county, the scoped one for what a caller may see.
 */
export function reportsRepository(db: Queryable) {
  return {
    /**
     * The cell whose polygon covers the WGS84 point (boundary included), with its parents. A
     * point on the edge shared by two cells is covered by both: the lowest cell code wins, so the
     * answer never depends on the plan or the engine.
     */
    async locateCell([lng, lat]: LngLat): Promise<CellAssignment | undefined> {
      const [row] = await db.rows<CellAssignment>(sql`
        SELECT c.code AS "cellCode", c.name AS "cellName", g.code AS "gridCode", g.name AS "gridName",
               v.code AS "villageCode", v.name AS "villageName", t.code AS "townshipCode", t.name AS "townshipName",
               c.urban
        FROM areas c
        JOIN areas g ON g.code = c.parent_code
        JOIN areas v ON v.code = g.parent_code
        JOIN areas t ON t.code = v.parent_code
        WHERE c.level = 'cell' AND ST_Covers(c.geom, ST_SetSRID(ST_MakePoint(${lng}, ${lat}), 4326))
        ORDER BY c.code
        LIMIT 1`);
      return row;
    },

    /** Serialises case numbering of one day (yyyymmdd) until the transaction ends. */
    async lockCaseNumbers(day: number): Promise<void> {
      await db.rows(sql`SELECT pg_advisory_xact_lock(${CASE_NUMBER_LOCK}::int, ${day}::int)`);
    },

    /** The highest serial already used after `prefix` (e.g. TJ20261129-), 0 when none. Run as the owner: it must see every scope. */
    async highestCaseSerial(prefix: string): Promise<number> {
      const [row] = await db.rows<{ serial: number }>(sql`
        SELECT COALESCE(max(substring(case_number FROM ${prefix.length + 1}::int)::int), 0)::int AS serial
        FROM reports
        WHERE case_number LIKE ${`${prefix}%`} AND substring(case_number FROM ${prefix.length + 1}::int) ~ '^[0-9]{1,9}$'`);
      return row?.serial ?? 0;
    },

    async findIdByClient(reporterId: string, clientId: string): Promise<string | undefined> {
      const [row] = await db.rows<Pick<Report, 'id'>>(
        sql`SELECT id FROM reports WHERE reporter_id = ${reporterId} AND client_id = ${clientId}`,
      );
      return row?.id;
    },

    /** Inserts the report in state `reported`, clock `file` running; false when this reporter already sent this client id. */
    async insertReport(report: NewReport): Promise<boolean> {
      const reportedAt = report.reportedAt.toISOString();
      const rows = await db.rows<Pick<Report, 'id'>>(sql`
        INSERT INTO reports (id, case_number, client_id, reporter_id, reporter_name, reporter_role, source, type, urgency,
          description, location, accuracy_m, input_datum, cell_code, grid_code, village_code, township_code, state,
          responsible_level, clock_stage, clock_started_at, due_at, limit_amount, limit_unit, limit_clock, control_zone, reported_at,
          updated_at)
        VALUES (${report.id}, ${report.caseNumber}, ${report.clientId}, ${report.reporterId}, ${report.reporterName},
          ${report.reporterRole}, ${report.source}, ${report.type}, ${report.urgency}, ${report.description},
          ST_SetSRID(ST_MakePoint(${report.position[0]}, ${report.position[1]}), 4326), ${report.accuracyM}, ${report.inputDatum},
          ${report.cell.cellCode}, ${report.cell.gridCode}, ${report.cell.villageCode}, ${report.cell.townshipCode}, 'reported',
          'cell', 'file', ${reportedAt}::timestamptz, ${report.dueAt.toISOString()}::timestamptz, ${report.limitAmount},
          ${report.limitUnit}, ${report.limitClock}, ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(report.controlZone)}), 4326),
          ${reportedAt}::timestamptz, ${reportedAt}::timestamptz)
        ON CONFLICT (reporter_id, client_id) DO NOTHING
        RETURNING id`);
      return rows.length === 1;
    },

    /** One report with its area names, control zone (GeoJSON text) and photo list. */
    async find(id: string): Promise<ReportRow | undefined> {
      const [row] = await db.rows<ReportRow>(sql`
        SELECT ${reportColumns}, r.client_id AS "clientId", r.reporter_id AS "reporterId",
          ST_AsGeoJSON(r.control_zone) AS "controlZone",
          COALESCE((SELECT json_agg(json_build_object('id', p.id, 'contentType', p.content_type, 'byteSize', p.byte_size)
                                    ORDER BY p.created_at, p.id)
                    FROM report_photos p WHERE p.report_id = r.id AND p.step_id IS NULL), '[]'::json) AS photos
        FROM reports r ${areaJoins}
        WHERE r.id = ${id}`);
      return row;
    },

    /** A reporter's own reports, newest first, with the latest step of each. */
    mine(reporterId: string, limit: number, offset: number): Promise<MyReportRow[]> {
      return db.rows<MyReportRow>(sql`
        SELECT ${reportColumns},
          (SELECT count(*)::int FROM report_photos p WHERE p.report_id = r.id AND p.step_id IS NULL) AS "photoCount",
          (SELECT json_build_object('action', s.action, 'toState', s.to_state, 'at', ${isoTime(sql`s.at`)},
                                    'actorName', s.actor_name, 'note', s.note)
           FROM case_steps s WHERE s.report_id = r.id ORDER BY s.at DESC, s.id DESC LIMIT 1) AS "lastStep"
        FROM reports r ${areaJoins}
        WHERE r.reporter_id = ${reporterId}
        ORDER BY r.reported_at DESC, r.id DESC
        LIMIT ${limit} OFFSET ${offset}`);
    },

    async countMine(reporterId: string): Promise<number> {
      const [row] = await db.rows<{ count: number }>(
        sql`SELECT count(*)::int AS count FROM reports WHERE reporter_id = ${reporterId}`,
      );
      return row?.count ?? 0;
    },

    async photo(
      reportId: string,
      photoId: string,
    ): Promise<Pick<typeof reportPhotos.$inferSelect, 'contentType' | 'bytes'> | undefined> {
      const [row] = await db.rows<Pick<typeof reportPhotos.$inferSelect, 'contentType' | 'bytes'>>(sql`
        SELECT content_type AS "contentType", bytes FROM report_photos WHERE id = ${photoId} AND report_id = ${reportId}`);
      return row;
    },
  };
}
