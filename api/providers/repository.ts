import { sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.ts';
import { isoTime, type WithIsoTimes } from '../db/iso-time.ts';
import type { serviceProviders } from '../db/schema.ts';
import type { ProviderCategory } from '../vocabulary/providers.ts';

type ProviderColumns = WithIsoTimes<Omit<typeof serviceProviders.$inferSelect, 'location' | 'category'>> & {
  category: ProviderCategory;
};

/** A provider as read: its row, its point as [lng, lat], the name of the cell it lies in and of the areas it serves. */
export type ProviderRow = ProviderColumns & { position: [number, number]; areaName: string | null; serviceAreaNames: string[] };

/** What creating or changing a provider writes; `position` is [lng, lat], WGS84. */
export interface ProviderFields {
  name: string;
  category: ProviderCategory;
  services: string[];
  serviceAreaCodes: string[];
  position: [number, number];
  areaCode: string;
  contactName: string;
  contactPhone: string;
}

const columns = sql`p.code, p.name, p.category, to_json(p.services)::text AS services,
  to_json(p.service_area_codes)::text AS "serviceAreaCodes",
  (SELECT COALESCE(json_agg(s.name ORDER BY s.code), '[]'::json)::text FROM areas s WHERE s.code = ANY(p.service_area_codes)) AS "serviceAreaNames",
  ST_X(p.location) AS lng, ST_Y(p.location) AS lat,
  p.area_code AS "areaCode", a.name AS "areaName", p.contact_name AS "contactName", p.contact_phone AS "contactPhone", p.active,
  ${isoTime(sql`p.created_at`)} AS "createdAt", ${isoTime(sql`p.updated_at`)} AS "updatedAt"`;

type RawRow = Omit<ProviderRow, 'position' | 'services' | 'serviceAreaCodes' | 'serviceAreaNames'> & {
  serviceAreaNames: string;
  lng: number;
  lat: number;
  services: string;
  serviceAreaCodes: string;
};

function rowOf({ lng, lat, services, serviceAreaCodes, serviceAreaNames, ...rest }: RawRow): ProviderRow {
  // Arrays travel as JSON text, which both drivers read alike.
  return {
    ...rest,
    services: JSON.parse(services) as string[],
    serviceAreaCodes: JSON.parse(serviceAreaCodes) as string[],
    serviceAreaNames: JSON.parse(serviceAreaNames) as string[],
    position: [Number(lng), Number(lat)],
  };
}

/**
 * Service providers (`service_providers`) and their rows of `departments` (kind 'provider'), which
 * cases are dispatched to. Providers are public facts, like the departments: read by anyone who
 * sees the map; written as the owner after the service checked the caller.
 */
export function providersRepository(db: Queryable) {
  return {
    async list(): Promise<ProviderRow[]> {
      const rows = await db.rows<RawRow>(sql`
        SELECT ${columns} FROM service_providers p LEFT JOIN areas a ON a.code = p.area_code ORDER BY p.code`);
      return rows.map(rowOf);
    },

    async find(code: string, options: { lock?: boolean } = {}): Promise<ProviderRow | undefined> {
      const [row] = await db.rows<RawRow>(sql`
        SELECT ${columns} FROM service_providers p LEFT JOIN areas a ON a.code = p.area_code WHERE p.code = ${code}
        ${options.lock ? sql`FOR UPDATE OF p` : sql``}`);
      return row && rowOf(row);
    },

    /** The codes of `departments` taken by providers, locked so that two creations do not pick the same next one. */
    async takenCodes(): Promise<string[]> {
      await db.rows(sql`LOCK TABLE service_providers IN SHARE ROW EXCLUSIVE MODE`);
      const rows = await db.rows<{ code: string }>(sql`SELECT code FROM departments WHERE code LIKE 'P%'`);
      return rows.map((row) => row.code);
    },

    /** The cell the point lies in, or undefined outside the county. */
    async cellAt([lng, lat]: [number, number]): Promise<string | undefined> {
      const [row] = await db.rows<{ code: string }>(sql`
        SELECT code FROM areas WHERE level = 'cell' AND ST_Intersects(geom, ST_SetSRID(ST_MakePoint(${lng}, ${lat}), 4326))
        ORDER BY code LIMIT 1`);
      return row?.code;
    },

    /** Which of `codes` name an area. */
    async knownAreas(codes: readonly string[]): Promise<Set<string>> {
      if (codes.length === 0) return new Set();
      const rows = await db.rows<{ code: string }>(
        sql`SELECT code FROM areas WHERE code = ANY(${sql.param([...codes])}::text[])`,
      );
      return new Set(rows.map((row) => row.code));
    },

    async insert(code: string, fields: ProviderFields): Promise<void> {
      const [lng, lat] = fields.position;
      await db.rows(
        sql`INSERT INTO departments (code, name, report_types, kind) VALUES (${code}, ${fields.name}, '{}', 'provider')`,
      );
      await db.rows(sql`
        INSERT INTO service_providers (code, name, category, services, service_area_codes, location, area_code, contact_name, contact_phone)
        VALUES (${code}, ${fields.name}, ${fields.category}, ${sql.param(fields.services)}::text[],
          ${sql.param(fields.serviceAreaCodes)}::text[], ST_SetSRID(ST_MakePoint(${lng}, ${lat}), 4326), ${fields.areaCode},
          ${fields.contactName}, ${fields.contactPhone})`);
    },

    async update(code: string, fields: ProviderFields & { active: boolean }): Promise<void> {
      const [lng, lat] = fields.position;
      await db.rows(sql`UPDATE departments SET name = ${fields.name} WHERE code = ${code}`);
      await db.rows(sql`
        UPDATE service_providers SET name = ${fields.name}, category = ${fields.category},
          services = ${sql.param(fields.services)}::text[], service_area_codes = ${sql.param(fields.serviceAreaCodes)}::text[],
          location = ST_SetSRID(ST_MakePoint(${lng}, ${lat}), 4326), area_code = ${fields.areaCode},
          contact_name = ${fields.contactName}, contact_phone = ${fields.contactPhone}, active = ${fields.active}, updated_at = now()
        WHERE code = ${code}`);
    },
  };
}
