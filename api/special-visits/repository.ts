import { sql } from 'drizzle-orm';
import type { LngLat } from '../../geo/types.ts';
import type { Queryable } from '../db/client.ts';
import { isoTime } from '../db/iso-time.ts';
import type { specialPeople, specialVisitPhotos, specialVisits } from '../db/schema.ts';

type PersonRow = typeof specialPeople.$inferSelect;
type VisitColumns = typeof specialVisits.$inferSelect;

/** An entry as a visit needs it: who, where they live (the household's point, WGS84), and whether the register still holds them. */
export type VisitedPerson = Pick<PersonRow, 'id' | 'name' | 'category' | 'areaCode' | 'householdCode' | 'active'> & {
  householdLng: number | null;
  householdLat: number | null;
};

/** A visit as read back: times as ISO text, the fix as lng/lat (null without one). */
export type VisitRow = Omit<VisitColumns, 'location' | 'visitedAt' | 'receivedAt' | 'synthetic'> & {
  visitedAt: string;
  receivedAt: string;
  lng: number | null;
  lat: number | null;
  personName: string;
};

/** A visit to store: the fix already in WGS84. */
export type NewVisit = Pick<
  VisitColumns,
  'id' | 'clientId' | 'personId' | 'category' | 'areaCode' | 'visitorId' | 'visitorName' | 'mode' | 'outcome' | 'notes'
> & {
  visitedAt: Date;
  position: LngLat | null;
  accuracyM: number | null;
  patrolId: string | null;
};

/** An entry on the field page's list of people to visit. */
export type DuePersonRow = Pick<PersonRow, 'id' | 'name' | 'category' | 'riskLevel' | 'supervisionGrade' | 'areaCode'> & {
  nextDueOn: string | null;
  lastVisitAt: string | null;
  address: string | null;
  lng: number | null;
  lat: number | null;
  usualOutcome: string | null;
  usualMode: string | null;
};

/** A stored photo of a visit: its row but the bytes. */
export type VisitPhotoRow = Pick<typeof specialVisitPhotos.$inferSelect, 'id' | 'contentType' | 'byteSize'>;

const VISIT_COLUMNS = sql`v.id, v.client_id AS "clientId", v.person_id AS "personId", v.category, v.area_code AS "areaCode",
  v.visitor_id AS "visitorId", v.visitor_name AS "visitorName", ${isoTime(sql`v.visited_at`)} AS "visitedAt", v.mode,
  v.outcome, v.notes, ST_X(v.location) AS lng, ST_Y(v.location) AS lat, v.accuracy_m AS "accuracyM",
  v.distance_m AS "distanceM", v.patrol_id AS "patrolId", ${isoTime(sql`v.received_at`)} AS "receivedAt",
  p.name AS "personName"`;

/** Visits to entries of the registers, their photos, and the entries' due people. Reads through whichever handle is given. */
export function specialVisitsRepository(db: Queryable) {
  return {
    /** The entry with its household's point, if the handle sees it (row-level security cuts a scoped handle). */
    async person(personId: string): Promise<VisitedPerson | undefined> {
      const [row] = await db.rows<VisitedPerson>(sql`
        SELECT p.id, p.name, p.category, p.area_code AS "areaCode", p.household_code AS "householdCode", p.active,
          ST_X(h.geom) AS "householdLng", ST_Y(h.geom) AS "householdLat"
        FROM special_people p LEFT JOIN households h ON h.code = p.household_code
        WHERE p.id = ${personId}`);
      return row;
    },

    async visitByClient(visitorId: string, clientId: string): Promise<VisitRow | undefined> {
      const [row] = await db.rows<VisitRow>(sql`
        SELECT ${VISIT_COLUMNS} FROM special_visits v JOIN special_people p ON p.id = v.person_id
        WHERE v.visitor_id = ${visitorId} AND v.client_id = ${clientId}`);
      return row;
    },

    async visit(id: string): Promise<VisitRow | undefined> {
      const [row] = await db.rows<VisitRow>(sql`
        SELECT ${VISIT_COLUMNS} FROM special_visits v JOIN special_people p ON p.id = v.person_id WHERE v.id = ${id}`);
      return row;
    },

    /**
     * The patrol of `workerId` running at `at`: started by then, not ended before it, and started
     * within `maxAgeMs` before it (a patrol never ended on a phone that died is no longer running
     * the next day). The newest such, or null.
     */
    async runningPatrol(workerId: string, at: Date, maxAgeMs: number): Promise<string | null> {
      const [row] = await db.rows<{ id: string }>(sql`
        SELECT id FROM patrols
        WHERE worker_id = ${workerId} AND started_at <= ${at.toISOString()}::timestamptz
          AND started_at >= ${new Date(at.getTime() - maxAgeMs).toISOString()}::timestamptz
          AND (ended_at IS NULL OR ended_at >= ${at.toISOString()}::timestamptz)
        ORDER BY started_at DESC LIMIT 1`);
      return row?.id ?? null;
    },

    /**
     * Stores a visit with the distance from its fix to the entry's household on the spheroid (metres;
     * null without a fix). A visit already stored under the same (visitor, client id), by a retry
     * racing this one, is left as it is: false then.
     */
    async insert(visit: NewVisit, householdCode: string): Promise<boolean> {
      const point = visit.position
        ? sql`ST_SetSRID(ST_MakePoint(${visit.position[0]}::float8, ${visit.position[1]}::float8), 4326)`
        : sql`NULL::geometry`;
      const rows = await db.rows<{ id: string }>(sql`
        INSERT INTO special_visits (id, client_id, person_id, category, area_code, visitor_id, visitor_name, visited_at, mode,
          outcome, notes, location, accuracy_m, distance_m, patrol_id)
        SELECT ${visit.id}, ${visit.clientId}, ${visit.personId}, ${visit.category}, ${visit.areaCode}, ${visit.visitorId},
          ${visit.visitorName}, ${visit.visitedAt.toISOString()}::timestamptz, ${visit.mode}, ${visit.outcome}, ${visit.notes},
          fix.point, ${visit.accuracyM}::float8,
          CASE WHEN fix.point IS NULL THEN NULL
            ELSE (SELECT ST_Distance(fix.point::geography, h.geom::geography, true) FROM households h WHERE h.code = ${householdCode})
          END,
          ${visit.patrolId}
        FROM (SELECT ${point} AS point) fix
        ON CONFLICT (visitor_id, client_id) DO NOTHING
        RETURNING id`);
      return rows.length > 0;
    },

    /**
     * The active entries the handle sees, the most pressing first (overdue, then by due day, those
     * with nothing due last), with their household's address and point, and the outcome and mode
     * most common in their past visits (what the field form preselects). At most `limit`.
     */
    duePeople(limit: number): Promise<DuePersonRow[]> {
      return db.rows<DuePersonRow>(sql`
        SELECT p.id, p.name, p.category, p.risk_level AS "riskLevel", p.supervision_grade AS "supervisionGrade",
          p.area_code AS "areaCode", p.next_due_on::text AS "nextDueOn", ${isoTime(sql`p.last_visit_at`)} AS "lastVisitAt",
          h.address, ST_X(h.geom) AS lng, ST_Y(h.geom) AS lat, usual.outcome AS "usualOutcome", usual.mode AS "usualMode"
        FROM special_people p
        LEFT JOIN households h ON h.code = p.household_code
        LEFT JOIN LATERAL (
          SELECT mode() WITHIN GROUP (ORDER BY v.outcome) AS outcome, mode() WITHIN GROUP (ORDER BY v.mode) AS mode
          FROM special_visits v WHERE v.person_id = p.id
        ) usual ON true
        WHERE p.active
        ORDER BY p.next_due_on NULLS LAST, p.id
        LIMIT ${limit}`);
    },

    /** The visitor's own visits, newest first. */
    mine(visitorId: string, limit: number): Promise<VisitRow[]> {
      return db.rows<VisitRow>(sql`
        SELECT ${VISIT_COLUMNS} FROM special_visits v JOIN special_people p ON p.id = v.person_id
        WHERE v.visitor_id = ${visitorId} ORDER BY v.visited_at DESC, v.id LIMIT ${limit}`);
    },

    /** The photos of `visitIds`, in the order they were stored. */
    async photosOf(visitIds: readonly string[]): Promise<(VisitPhotoRow & { visitId: string })[]> {
      if (visitIds.length === 0) return [];
      return db.rows(sql`
        SELECT visit_id AS "visitId", id, content_type AS "contentType", byte_size AS "byteSize" FROM special_visit_photos
        WHERE visit_id = ANY(${sql.param([...visitIds])}::text[]) ORDER BY created_at, id`);
    },

    async photoBySha(visitId: string, sha256: string): Promise<VisitPhotoRow | undefined> {
      const [row] = await db.rows<VisitPhotoRow>(sql`
        SELECT id, content_type AS "contentType", byte_size AS "byteSize" FROM special_visit_photos
        WHERE visit_id = ${visitId} AND sha256 = ${sha256} ORDER BY created_at LIMIT 1`);
      return row;
    },

    async insertPhoto(
      photo: { id: string; visitId: string; areaCode: string; contentType: string; sha256: string; bytes: Uint8Array },
      position: number,
    ): Promise<void> {
      await db.rows(sql`
        INSERT INTO special_visit_photos (id, visit_id, area_code, content_type, byte_size, sha256, bytes, created_at)
        VALUES (${photo.id}, ${photo.visitId}, ${photo.areaCode}, ${photo.contentType}, ${photo.bytes.byteLength}, ${photo.sha256},
          ${Buffer.from(photo.bytes.buffer, photo.bytes.byteOffset, photo.bytes.byteLength)},
          now() + make_interval(secs => ${position}::int / 1e6))`);
    },

    /** One photo's bytes and type, with its visit's cell, if the handle sees it. */
    async photo(
      visitId: string,
      photoId: string,
    ): Promise<{ contentType: string; bytes: Uint8Array; areaCode: string; personId: string } | undefined> {
      const [row] = await db.rows<{ contentType: string; bytes: Uint8Array; areaCode: string; personId: string }>(sql`
        SELECT ph.content_type AS "contentType", ph.bytes, ph.area_code AS "areaCode", v.person_id AS "personId"
        FROM special_visit_photos ph JOIN special_visits v ON v.id = ph.visit_id
        WHERE ph.id = ${photoId} AND ph.visit_id = ${visitId}`);
      return row;
    },
  };
}
