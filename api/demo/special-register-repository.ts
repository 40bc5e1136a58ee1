import { sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.ts';
import type { PlannedEntry, RegisterHousehold, RegisterVisitor } from './special-register.ts';

/** The demo register's plan: made at `plannedAt` (ISO 8601), all written at `writtenAt`. */
export interface DemoRegisterProgress {
  plannedAt: string;
  writtenAt?: string;
}

/** Reads the demo register is planned from, and its bulk writes, as the owner. */
export function specialRegisterRepository(db: Queryable) {
  return {
    async progress(): Promise<DemoRegisterProgress | null> {
      const [row] = await db.rows<{ value: string }>(sql`SELECT value FROM dataset_meta WHERE key = 'demo_register'`);
      return row ? (JSON.parse(row.value) as DemoRegisterProgress) : null;
    },

    async recordProgress(progress: DemoRegisterProgress): Promise<void> {
      await db.rows(sql`
        INSERT INTO dataset_meta (key, value, updated_at) VALUES ('demo_register', ${JSON.stringify(progress)}, now())
        ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`);
    },

    /** Ids of the entries already in the registers. */
    async entryIds(): Promise<Set<string>> {
      const rows = await db.rows<{ id: string }>(sql`SELECT id FROM special_people`);
      return new Set(rows.map((row) => row.id));
    },

    /** Every household with its cell and point, in code order (so the same data gives the same register). */
    households(): Promise<RegisterHousehold[]> {
      return db.rows<RegisterHousehold>(sql`
        SELECT code, cell_code AS "cellCode", ST_X(geom) AS lng, ST_Y(geom) AS lat FROM households ORDER BY code`);
    },

    /** The grid worker of each grid (the lowest id, as the demo walkers take). */
    visitors(): Promise<RegisterVisitor[]> {
      return db.rows<RegisterVisitor>(sql`
        SELECT DISTINCT ON (area_code) area_code AS "gridCode", id, name FROM people WHERE role = 'grid_worker'
        ORDER BY area_code, id`);
    },

    /**
     * Stores planned entries with their dated states and visits (each visit's distance from its fix
     * to the household on the spheroid, computed here as a logged visit's is). Returns the visits stored.
     */
    async insertEntries(entries: readonly PlannedEntry[]): Promise<number> {
      if (entries.length === 0) return 0;
      const people = entries.map(({ states: _states, visits: _visits, tenants, ...entry }) => ({
        ...entry,
        tenants: tenants ? JSON.stringify(tenants) : null,
      }));
      await db.rows(sql`
        INSERT INTO special_people (id, category, name, id_number, gender, birth_date, phone, household_code, area_code, risk_level,
          supervision_grade, release_date, programme_start, landlord_name, landlord_phone, tenants, guardian_name, guardian_phone,
          registered_on, active, closed_on, closed_reason, synthetic)
        SELECT r.id, r.category, r.name, r."idNumber", r.gender, r."birthDate"::date, r.phone, r."householdCode", r."areaCode",
          r."riskLevel"::smallint, r."supervisionGrade", r."releaseDate"::date, r."programmeStart"::date, r."landlordName",
          r."landlordPhone", r.tenants::jsonb, r."guardianName", r."guardianPhone", r."registeredOn"::date, r.active,
          r."closedOn"::date, r."closedReason", true
        FROM json_to_recordset(${JSON.stringify(people)}::json) AS r(id text, category text, name text, "idNumber" text, gender text,
          "birthDate" text, phone text, "householdCode" text, "areaCode" text, "riskLevel" int, "supervisionGrade" text,
          "releaseDate" text, "programmeStart" text, "landlordName" text, "landlordPhone" text, tenants text, "guardianName" text,
          "guardianPhone" text, "registeredOn" text, active boolean, "closedOn" text, "closedReason" text)`);
      const states = entries.flatMap((entry) =>
        entry.states.map((state) => ({
          personId: entry.id,
          areaCode: entry.areaCode,
          effectiveFrom: state.effectiveFrom.toISOString(),
          riskLevel: state.riskLevel,
          supervisionGrade: state.supervisionGrade,
        })),
      );
      if (states.length > 0) {
        await db.rows(sql`
          INSERT INTO special_person_states (person_id, area_code, effective_from, risk_level, supervision_grade, reason, set_by_name)
          SELECT r."personId", r."areaCode", r."effectiveFrom"::timestamptz, r."riskLevel"::smallint, r."supervisionGrade",
            '评估（演示数据）', '演示数据'
          FROM json_to_recordset(${JSON.stringify(states)}::json) AS r("personId" text, "areaCode" text, "effectiveFrom" text,
            "riskLevel" int, "supervisionGrade" text)`);
      }
      const visits = entries.flatMap((entry) =>
        entry.visits.map((visit) => ({
          id: visit.id,
          personId: entry.id,
          visitorId: visit.visitorId,
          visitorName: visit.visitorName,
          visitedAt: visit.visitedAt.toISOString(),
          mode: visit.mode,
          outcome: visit.outcome,
          notes: visit.notes,
          lng: visit.fix?.position[0] ?? null,
          lat: visit.fix?.position[1] ?? null,
          accuracyM: visit.fix?.accuracyM ?? null,
        })),
      );
      if (visits.length === 0) return 0;
      const rows = await db.rows<{ id: string }>(sql`
        INSERT INTO special_visits (id, client_id, person_id, category, area_code, visitor_id, visitor_name, visited_at, mode, outcome,
          notes, location, accuracy_m, distance_m, received_at, synthetic)
        SELECT r.id, 'demo-' || r.id, r."personId", p.category, p.area_code, r."visitorId", r."visitorName", r."visitedAt"::timestamptz,
          r.mode, r.outcome, r.notes, fix.point, r."accuracyM",
          ST_Distance(fix.point::geography, h.geom::geography, true), r."visitedAt"::timestamptz, true
        FROM json_to_recordset(${JSON.stringify(visits)}::json) AS r(id text, "personId" text, "visitorId" text, "visitorName" text,
          "visitedAt" text, mode text, outcome text, notes text, lng float8, lat float8, "accuracyM" float8)
        JOIN special_people p ON p.id = r."personId"
        JOIN households h ON h.code = p.household_code
        CROSS JOIN LATERAL (SELECT CASE WHEN r.lng IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(r.lng, r.lat), 4326) END AS point) fix
        RETURNING id`);
      return rows.length;
    },
  };
}
