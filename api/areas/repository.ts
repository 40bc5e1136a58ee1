import { sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.ts';
import type { areas, departments, people } from '../db/schema.ts';

type Area = typeof areas.$inferSelect;

/** An area as read: its row in `areas` but the geometries, with its label point and bounds in WGS84 degrees. */
export type AreaRow = Pick<
  Area,
  'code' | 'name' | 'level' | 'kind' | 'parentCode' | 'urban' | 'population' | 'households' | 'areaM2' | 'synthetic'
> & {
  labelLng: number;
  labelLat: number;
  west: number;
  south: number;
  east: number;
  north: number;
};

export type AreaSummaryRow = Pick<Area, 'code' | 'name' | 'level' | 'kind'>;

/** A person responsible for an area (`people`), with their department's name. */
export type PersonRow = Pick<
  typeof people.$inferSelect,
  'id' | 'name' | 'role' | 'areaCode' | 'phone' | 'departmentCode' | 'synthetic'
> & { departmentName: (typeof departments.$inferSelect)['name'] | null };

export type SearchRow = AreaRow & { parentNames: Area['name'][] };

const areaColumns = sql`
  a.code, a.name, a.level, a.kind, a.parent_code AS "parentCode", a.urban, a.population, a.households,
  a.area_m2 AS "areaM2", a.synthetic,
  ST_X(a.label_point) AS "labelLng", ST_Y(a.label_point) AS "labelLat",
  ST_XMin(a.geom) AS west, ST_YMin(a.geom) AS south, ST_XMax(a.geom) AS east, ST_YMax(a.geom) AS north`;

/**
 * Reads of the area hierarchy. Codes nest, so a subtree is `code LIKE prefix || '%'`. Run it
 * over the request's scoped handle: row-level security then leaves out what is outside the scope.
 */
export function areasRepository(db: Queryable) {
  return {
    async findByCode(code: string): Promise<AreaRow | undefined> {
      const [row] = await db.rows<AreaRow>(sql`SELECT ${areaColumns} FROM areas a WHERE a.code = ${code}`);
      return row;
    },

    /** The areas with these codes, shortest code (highest level) first. */
    findSummaries(codes: string[]): Promise<AreaSummaryRow[]> {
      return db.rows<AreaSummaryRow>(sql`
        SELECT code, name, level, kind FROM areas
        WHERE code = ANY(${sql.param(codes)}::text[]) ORDER BY length(code)`);
    },

    children(parentCode: string): Promise<AreaRow[]> {
      return db.rows<AreaRow>(sql`SELECT ${areaColumns} FROM areas a WHERE a.parent_code = ${parentCode} ORDER BY a.code`);
    },

    async childCount(parentCode: string): Promise<number> {
      const [row] = await db.rows<{ count: number }>(
        sql`SELECT count(*)::int AS count FROM areas WHERE parent_code = ${parentCode}`,
      );
      return row?.count ?? 0;
    },

    /** Everyone responsible for one of these areas, with their department, ordered from the top of the hierarchy down. */
    peopleOf(areaCodes: string[]): Promise<PersonRow[]> {
      return db.rows<PersonRow>(sql`
        SELECT p.id, p.name, p.role, p.area_code AS "areaCode", p.phone, p.department_code AS "departmentCode",
               d.name AS "departmentName", p.synthetic
        FROM people p LEFT JOIN departments d ON d.code = p.department_code
        WHERE p.area_code = ANY(${sql.param(areaCodes)}::text[])
        ORDER BY length(p.area_code), p.role, p.id`);
    },

    /** Areas under `rootCode` down to codes of `maxCodeLength` digits, in code order. */
    subtree(rootCode: string, maxCodeLength: number): Promise<AreaSummaryRow[]> {
      return db.rows<AreaSummaryRow>(sql`
        SELECT code, name, level, kind FROM areas
        WHERE code LIKE ${`${rootCode}%`} AND length(code) <= ${maxCodeLength}
        ORDER BY code`);
    },

    /**
     * Areas whose name contains the text, or whose pinyin, pinyin initials or code start with it.
     * Exact names first, then higher levels, then shorter names.
     */
    search(text: string, limit: number): Promise<SearchRow[]> {
      const contains = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const prefix = `${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      return db.rows<SearchRow>(sql`
        SELECT ${areaColumns},
          ARRAY(SELECT p.name FROM areas p
                WHERE a.code LIKE p.code || '%' AND p.code <> a.code AND p.level <> 'county'
                ORDER BY length(p.code)) AS "parentNames"
        FROM areas a
        WHERE a.name LIKE ${contains} OR a.pinyin LIKE ${prefix} OR a.pinyin_initials LIKE ${prefix} OR a.code LIKE ${prefix}
        ORDER BY (a.name = ${text}) DESC, length(a.code), length(a.name), a.code
        LIMIT ${limit}`);
    },
  };
}

export type AreasRepository = ReturnType<typeof areasRepository>;
