import { sql } from 'drizzle-orm';
import { boolean, doublePrecision, index, integer, pgTable, primaryKey, smallint, text, timestamp } from 'drizzle-orm/pg-core';
import { geometry } from '../geometry.ts';

/**
 * Every administrative unit, county to cell, in one table keyed by its statistical code.
 * Codes nest (6, 9, 12, 15, 18 digits), so `code LIKE scope || '%'` is the subtree.
 */
export const areas = pgTable(
  'areas',
  {
    code: text('code').primaryKey(),
    /** county | township | village | grid | cell */
    level: text('level').notNull(),
    /** county | street | town | xiang | village | community | grid | cell */
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    parentCode: text('parent_code'),
    urban: boolean('urban').notNull().default(false),
    population: integer('population').notNull().default(0),
    households: integer('households').notNull().default(0),
    /** Full pinyin without tones, lower case, no spaces (wangpingcun), for search. */
    pinyin: text('pinyin').notNull().default(''),
    /** Pinyin initials (wpc), for search. */
    pinyinInitials: text('pinyin_initials').notNull().default(''),
    /** True for generated boundaries; false once a county imports its real ones. */
    synthetic: boolean('synthetic').notNull().default(true),
    areaM2: doublePrecision('area_m2').notNull().default(0),
    geom: geometry('geom', { type: 'MultiPolygon', srid: 4326 }).notNull(),
    labelPoint: geometry('label_point', { type: 'Point', srid: 4326 }).notNull(),
  },
  (table) => [
    index('areas_geom_idx').using('gist', table.geom),
    // The cells alone: a patrol batch looks up the cells near each stretch walked, and through the
    // index of every level it visited the grid's, village's, township's and county's rows too.
    index('areas_cell_geom_idx').using('gist', table.geom).where(sql`${table.level} = 'cell'`),
    index('areas_parent_idx').on(table.parentCode),
    index('areas_level_idx').on(table.level),
    index('areas_code_pattern_idx').using('btree', sql`${table.code} text_pattern_ops`),
  ],
);

/**
 * Area outlines prepared for vector tiles: in Web Mercator, simplified once per zoom band, with
 * the properties a tile carries copied beside them, so a tile query only clips and encodes (no
 * join). Rebuilt from `areas` by the seed or an import.
 */
export const areaTileGeometries = pgTable(
  'area_tile_geometries',
  {
    code: text('code').notNull(),
    level: text('level').notNull(),
    /** Lowest zoom this simplification serves; see ZOOM_BANDS in api/tiles/layers.ts. */
    band: smallint('band').notNull(),
    name: text('name').notNull().default(''),
    kind: text('kind').notNull().default(''),
    population: integer('population').notNull().default(0),
    households: integer('households').notNull().default(0),
    urban: boolean('urban').notNull().default(false),
    geom: geometry('geom', { type: 'MultiPolygon', srid: 3857 }).notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.level, table.band, table.code] }),
    index('area_tile_geometries_geom_idx').using('gist', table.geom),
  ],
);

export const households = pgTable(
  'households',
  {
    code: text('code').primaryKey(),
    cellCode: text('cell_code').notNull(),
    residents: smallint('residents').notNull(),
    address: text('address').notNull(),
    synthetic: boolean('synthetic').notNull().default(true),
    geom: geometry('geom', { type: 'Point', srid: 4326 }).notNull(),
    /** The same point in Web Mercator, for tiles. */
    geom3857: geometry('geom_3857', { type: 'Point', srid: 3857 }).notNull(),
  },
  (table) => [
    index('households_geom_idx').using('gist', table.geom),
    index('households_geom_3857_idx').using('gist', table.geom3857),
    index('households_cell_idx').on(table.cellCode),
  ],
);

/**
 * Households merged for the zooms below the street-level one (HOUSEHOLD_DETAIL_ZOOM): per zoom,
 * the households of one cell that fall in the same square of HOUSEHOLD_MERGE_UNITS tile units
 * become one point at their mean position. Clusters never cross a cell, so scope cuts them as
 * it cuts households. Rebuilt with the tile geometries by the seed or an import.
 */
export const householdClusters = pgTable(
  'household_clusters',
  {
    zoom: smallint('zoom').notNull(),
    cellCode: text('cell_code').notNull(),
    /** The lowest household code in the cluster: a stable id for the point. */
    code: text('code').notNull(),
    households: integer('households').notNull(),
    residents: integer('residents').notNull(),
    geom3857: geometry('geom_3857', { type: 'Point', srid: 3857 }).notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.zoom, table.code] }),
    index('household_clusters_geom_3857_idx').using('gist', table.geom3857),
  ],
);

export const departments = pgTable('departments', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  reportTypes: text('report_types').array().notNull().default(sql`'{}'::text[]`), // its lines (条线), migrations/0009
  /** 'department' (a county department) | 'provider' (a service provider, api/db/tables/review.ts; 0018). */
  kind: text('kind').notNull().default('department'),
});

/** The people responsible for areas: township commanders, grid chiefs, grid workers, informants, cadres. */
export const people = pgTable(
  'people',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    /** township_commander | grid_chief | grid_worker | cell_informant | department_cadre */
    role: text('role').notNull(),
    areaCode: text('area_code').notNull(),
    phone: text('phone').notNull(),
    departmentCode: text('department_code'),
    synthetic: boolean('synthetic').notNull().default(true),
  },
  (table) => [index('people_area_idx').on(table.areaCode)],
);

/** Facts about the loaded data set: which generator seed, when it was seeded. */
export const datasetMeta = pgTable('dataset_meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
