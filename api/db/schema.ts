import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { geometry } from './geometry.ts';

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
    index('areas_parent_idx').on(table.parentCode),
    index('areas_level_idx').on(table.level),
    index('areas_code_pattern_idx').using('btree', sql`${table.code} text_pattern_ops`),
  ],
);

/**
 * Area outlines prepared for vector tiles: in Web Mercator, simplified once per zoom band,
 * so a tile query only clips and encodes. Rebuilt from `areas` by the seed or an import.
 */
export const areaTileGeometries = pgTable(
  'area_tile_geometries',
  {
    code: text('code').notNull(),
    level: text('level').notNull(),
    /** Lowest zoom this simplification serves; see api/tiles/zoom-bands.ts. */
    band: smallint('band').notNull(),
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

export const departments = pgTable('departments', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
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

/** A person who can sign in: one role, one area scope (a code prefix: that area and everything under it). */
export const accounts = pgTable(
  'accounts',
  {
    id: text('id').primaryKey(),
    /** Lower case; what the person types to sign in. */
    username: text('username').notNull().unique(),
    displayName: text('display_name').notNull(),
    /** See api/auth/permissions.ts for the roles and what each may do. */
    role: text('role').notNull(),
    scopeCode: text('scope_code').notNull(),
    /** argon2id, PHC string. */
    passwordHash: text('password_hash').notNull(),
    /** Demo accounts exist only in the embedded demo; the login page lists them. */
    demo: boolean('demo').notNull().default(false),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('accounts_scope_idx').using('btree', sql`${table.scopeCode} text_pattern_ops`)],
);

/** A signed-in browser. The cookie holds a random token; only its SHA-256 is stored. */
export const sessions = pgTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id),
    /** Sent back by the client in X-CSRF-Token on every state-changing request. */
    csrfToken: text('csrf_token').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (table) => [index('sessions_account_idx').on(table.accountId)],
);

/**
 * Who did what, when, from where: sign-ins (and failed ones), account changes, and every read
 * or export of personal data. Append-only for the application: a trigger refuses UPDATE,
 * DELETE and TRUNCATE (migrations/0003).
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorId: text('actor_id'),
    actorUsername: text('actor_username'),
    actorRole: text('actor_role'),
    /** e.g. auth.login, auth.login_failed, account.create, people.read, households.read, audit.export */
    action: text('action').notNull(),
    /** ok | denied | failed */
    outcome: text('outcome').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    /** The area the entry concerns; admins and commanders see the entries inside their scope. */
    scopeCode: text('scope_code').notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
    details: jsonb('details'),
  },
  (table) => [
    index('audit_log_at_idx').on(table.at),
    index('audit_log_action_at_idx').on(table.action, table.at),
    index('audit_log_scope_idx').using('btree', sql`${table.scopeCode} text_pattern_ops`),
  ],
);
