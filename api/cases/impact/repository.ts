import { sql } from 'drizzle-orm';
import type { Polygon } from 'geojson';
import type { Queryable } from '../../db/client.ts';
import { isoTime, type WithIsoTimes } from '../../db/iso-time.ts';
import type { accounts, areas, people, reportAlerts, reports } from '../../db/schema.ts';

type Report = typeof reports.$inferSelect;
type Area = typeof areas.$inferSelect;
type AreaName = Area['name'] | null;

/** A case as its surroundings are read around it: its row in part, its point and its zone. */
export type ImpactCaseRow = Pick<Report, 'id' | 'caseNumber' | 'type' | 'state' | 'cellCode'> & {
  lng: number;
  lat: number;
  /** GeoJSON text of the stored zone; null when none was stored (reports written by other means). */
  controlZone: string | null;
  /** True once an officer drew the zone (a control_zone step exists). */
  zoneDrawn: boolean;
};

/** A cell inside a zone, with what lives in it. */
export type ZoneCellRow = Pick<Area, 'code' | 'name' | 'households'> & {
  gridCode: NonNullable<Area['parentCode']>;
  residents: number;
};

/** A person responsible for an area inside a zone (`people`). */
export type ZonePersonRow = Pick<typeof people.$inferSelect, 'id' | 'name' | 'areaCode' | 'phone'> & {
  role: 'cell_informant' | 'grid_worker';
};

/** An alert as stored (`report_alerts`, times as ISO text), with who acknowledged it. */
export type AlertRow = WithIsoTimes<typeof reportAlerts.$inferSelect> & {
  /** Display name of the account that acknowledged, when the reader may see that account. */
  acknowledgedByName: (typeof accounts.$inferSelect)['displayName'] | null;
};

/** A case some alert was sent about, as the alerted person's list shows it. */
export type AlertedCaseRow = WithIsoTimes<
  Pick<Report, 'id' | 'caseNumber' | 'type' | 'urgency' | 'state' | 'description' | 'cellCode' | 'reportedAt'>
> & {
  lng: number;
  lat: number;
  cellName: AreaName;
  townshipName: AreaName;
  controlZone: string | null;
};

const zoneOf = (zone: Polygon) => sql`ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(zone)}), 4326)`;

const alertColumns = sql`
  a.id, a.report_id AS "reportId", a.person_id AS "personId", a.person_name AS "personName", a.person_role AS "personRole",
  a.area_code AS "areaCode", ${isoTime(sql`a.alerted_at`)} AS "alertedAt", a.alerted_by AS "alertedBy",
  ${isoTime(sql`a.acknowledged_at`)} AS "acknowledgedAt", a.acknowledged_by AS "acknowledgedBy",
  (SELECT ac.display_name FROM accounts ac WHERE ac.id = a.acknowledged_by) AS "acknowledgedByName"`;

/**
 * SQL of a case's surroundings: its control zone, the cells, households and responsible people
 * inside, and the alerts sent to them. Run over the scoped handle (or a transaction in scope):
 * row-level security keeps every list to what the caller may see.
 */
export function impactRepository(db: Queryable) {
  return {
    async findCase(id: string): Promise<ImpactCaseRow | undefined> {
      const [row] = await db.rows<ImpactCaseRow>(sql`
        SELECT r.id, r.case_number AS "caseNumber", r.type, r.state, r.cell_code AS "cellCode",
          ST_X(r.location) AS lng, ST_Y(r.location) AS lat, ST_AsGeoJSON(r.control_zone) AS "controlZone",
          EXISTS (SELECT 1 FROM case_steps s WHERE s.report_id = r.id AND s.action = 'control_zone') AS "zoneDrawn"
        FROM reports r WHERE r.id = ${id}`);
      return row;
    },

    /** Cells the zone intersects, each with the households (and their residents) inside the zone. */
    cellsIn(zone: Polygon): Promise<ZoneCellRow[]> {
      return db.rows<ZoneCellRow>(sql`
        WITH zone AS (SELECT ${zoneOf(zone)} AS geom)
        SELECT c.code, c.name, c.parent_code AS "gridCode", inside.households, inside.residents
        FROM zone
        JOIN areas c ON c.level = 'cell' AND ST_Intersects(c.geom, zone.geom)
        CROSS JOIN LATERAL (
          SELECT count(*)::int AS households, COALESCE(sum(h.residents), 0)::int AS residents
          FROM households h WHERE h.cell_code = c.code AND ST_Covers(zone.geom, h.geom)
        ) inside
        ORDER BY c.code`);
    },

    areaNames(codes: string[]): Promise<{ code: string; name: string }[]> {
      return db.rows<Pick<Area, 'code' | 'name'>>(sql`
        SELECT code, name FROM areas WHERE code = ANY(${sql.param(codes)}::text[]) ORDER BY code`);
    },

    /** The informants of these cells and the grid workers of these grids. */
    peopleOf(cellCodes: string[], gridCodes: string[]): Promise<ZonePersonRow[]> {
      return db.rows<ZonePersonRow>(sql`
        SELECT p.id, p.name, p.role, p.area_code AS "areaCode", p.phone
        FROM people p
        WHERE (p.role = 'cell_informant' AND p.area_code = ANY(${sql.param(cellCodes)}::text[]))
           OR (p.role = 'grid_worker' AND p.area_code = ANY(${sql.param(gridCodes)}::text[]))
        ORDER BY p.area_code, p.role, p.id`);
    },

    /** Whether the zone lies inside the area `scopeCode` (false when it reaches beyond). */
    async zoneWithin(zone: Polygon, scopeCode: string): Promise<boolean> {
      const [row] = await db.rows<{ within: boolean }>(sql`
        SELECT COALESCE(bool_or(ST_Covers(a.geom, ${zoneOf(zone)})), false) AS within FROM areas a WHERE a.code = ${scopeCode}`);
      return row?.within ?? false;
    },

    /** What PostGIS thinks of a drawn zone: valid or why not, and whether it touches the county. */
    async zoneFacts(zone: Polygon): Promise<{ valid: boolean; reason: string; inCounty: boolean }> {
      const [row] = await db.rows<{ valid: boolean; reason: string; inCounty: boolean }>(sql`
        WITH zone AS (SELECT ${zoneOf(zone)} AS geom)
        SELECT ST_IsValid(zone.geom) AS valid, ST_IsValidReason(zone.geom) AS reason,
          EXISTS (SELECT 1 FROM areas a WHERE a.level = 'county' AND ST_Intersects(a.geom, zone.geom)) AS "inCounty"
        FROM zone`);
      return row!;
    },

    async updateZone(id: string, zone: Polygon): Promise<boolean> {
      const rows = await db.rows<Pick<Report, 'id'>>(sql`
        UPDATE reports SET control_zone = ${zoneOf(zone)}, version = version + 1, updated_at = now()
        WHERE id = ${id} RETURNING id`);
      return rows.length === 1;
    },

    async stepExists(reportId: string, clientId: string): Promise<boolean> {
      const rows = await db.rows(sql`SELECT id::text FROM case_steps WHERE report_id = ${reportId} AND client_id = ${clientId}`);
      return rows.length > 0;
    },

    /** One alert per person; a person already alerted about this report is skipped. Returns the new ones. */
    insertAlerts(
      reportId: string,
      people: { id: string; name: string; role: string; areaCode: string }[],
      alertedBy: string,
    ): Promise<AlertRow[]> {
      if (people.length === 0) return Promise.resolve([]);
      const values = sql.join(
        people.map(
          (person) =>
            sql`(gen_random_uuid()::text, ${reportId}, ${person.id}, ${person.name}, ${person.role}, ${person.areaCode}, ${alertedBy})`,
        ),
        sql`, `,
      );
      return db.rows<AlertRow>(sql`
        WITH inserted AS (
          INSERT INTO report_alerts (id, report_id, person_id, person_name, person_role, area_code, alerted_by)
          VALUES ${values}
          ON CONFLICT (report_id, person_id) DO NOTHING
          RETURNING *
        )
        SELECT ${alertColumns} FROM inserted a ORDER BY a.area_code, a.person_role, a.person_id`);
    },

    alertsOf(reportId: string): Promise<AlertRow[]> {
      return db.rows<AlertRow>(sql`
        SELECT ${alertColumns} FROM report_alerts a WHERE a.report_id = ${reportId}
        ORDER BY a.area_code, a.person_role, a.person_id`);
    },

    async findAlert(id: string): Promise<AlertRow | undefined> {
      const [row] = await db.rows<AlertRow>(sql`SELECT ${alertColumns} FROM report_alerts a WHERE a.id = ${id}`);
      return row;
    },

    /** Alerts addressed to one recipient: a role answering for one area. Unacknowledged first, then newest. */
    alertsFor(personRole: string, areaCode: string, limit: number): Promise<AlertRow[]> {
      return db.rows<AlertRow>(sql`
        SELECT ${alertColumns} FROM report_alerts a
        WHERE a.person_role = ${personRole} AND a.area_code = ${areaCode}
        ORDER BY (a.acknowledged_at IS NULL) DESC, a.alerted_at DESC, a.id
        LIMIT ${limit}`);
    },

    /** Sets the acknowledgment once; false when it was already set. */
    async acknowledge(id: string, accountId: string): Promise<boolean> {
      const rows = await db.rows(sql`
        UPDATE report_alerts SET acknowledged_at = now(), acknowledged_by = ${accountId}
        WHERE id = ${id} AND acknowledged_at IS NULL RETURNING id`);
      return rows.length === 1;
    },

    /**
     * What an alerted person needs to know of the cases they were alerted about. Run as the owner
     * on the report ids of the caller's own alerts only: the case may lie in a neighbouring cell
     * the caller cannot otherwise see, and the alert exists to tell them of it.
     */
    alertedCases(reportIds: string[]): Promise<AlertedCaseRow[]> {
      return db.rows<AlertedCaseRow>(sql`
        SELECT r.id, r.case_number AS "caseNumber", r.type, r.urgency, r.state, r.description,
          ST_X(r.location) AS lng, ST_Y(r.location) AS lat, r.cell_code AS "cellCode",
          c.name AS "cellName", t.name AS "townshipName", ${isoTime(sql`r.reported_at`)} AS "reportedAt",
          ST_AsGeoJSON(r.control_zone) AS "controlZone"
        FROM reports r
        LEFT JOIN areas c ON c.code = r.cell_code
        LEFT JOIN areas t ON t.code = r.township_code
        WHERE r.id = ANY(${sql.param(reportIds)}::text[])`);
    },
  };
}

export type ImpactRepository = ReturnType<typeof impactRepository>;
