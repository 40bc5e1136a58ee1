import { sql } from 'drizzle-orm';
import { bigserial, boolean, check, date, index, integer, pgTable, smallint, text, timestamp } from 'drizzle-orm/pg-core';
import { geometry } from '../geometry.ts';

// The geohazard watch (issue 16, migrations/0012): the register of known points and the patrol rule.
/**
 * A known geohazard point (地质灾害隐患点) and the person who watches it (监测员). `area_code` is the
 * cell the point lies in: row-level security cuts the register by it. `monitor_id` is the id patrols
 * of the monitor carry in `patrols.worker_id` (an account id, or the responsible person's id
 * `informant-<cellcode>` of the demo): a patrol of the point is a valid fix of theirs near it.
 */
export const geohazardPoints = pgTable(
  'geohazard_points',
  {
    /** The register's code, e.g. `DZ-0001`. */
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    /** See GEOHAZARD_KINDS in api/vocabulary/geohazards.ts. */
    kind: text('kind').notNull(),
    /** WGS84. */
    location: geometry('location', { type: 'Point', srid: 4326 }).notNull(),
    areaCode: text('area_code').notNull(),
    monitorId: text('monitor_id').notNull(),
    monitorName: text('monitor_name').notNull(),
    threatenedHouseholds: integer('threatened_households').notNull().default(0),
    threatenedPeople: integer('threatened_people').notNull().default(0),
    /** A point taken off the watch (made safe, moved away) stays in the register, inactive. */
    active: boolean('active').notNull().default(true),
  },
  (table) => [
    index('geohazard_points_area_pattern_idx').using('btree', sql`${table.areaCode} text_pattern_ops`),
    index('geohazard_points_monitor_idx').on(table.monitorId),
    check('geohazard_points_threat_check', sql`${table.threatenedHouseholds} >= 0 AND ${table.threatenedPeople} >= 0`),
  ],
);

/**
 * The patrol rule of the county's geohazard points, versioned: each row applies from its
 * `effective_from` day (Asia/Shanghai) until the next row's. A change is a new row (or replaces the
 * row of the same day), with who set it and when; past days keep the rule they were judged by.
 */
export const geohazardRules = pgTable(
  'geohazard_rules',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    effectiveFrom: date('effective_from', { mode: 'string' }).notNull().unique(),
    /** The rainy season (汛期), months 1-12 inclusive; a start after the end wraps over the new year. */
    seasonStartMonth: smallint('season_start_month').notNull(),
    seasonEndMonth: smallint('season_end_month').notNull(),
    /** Patrols a day each point needs in the rainy season. */
    inSeasonPerDay: smallint('in_season_per_day').notNull(),
    /** Patrols a day out of season; 0 means the point is not watched daily then. */
    offSeasonPerDay: smallint('off_season_per_day').notNull(),
    setById: text('set_by_id'),
    setByName: text('set_by_name').notNull(),
    setAt: timestamp('set_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    check(
      'geohazard_rules_months_check',
      sql`${table.seasonStartMonth} BETWEEN 1 AND 12 AND ${table.seasonEndMonth} BETWEEN 1 AND 12`,
    ),
    check(
      'geohazard_rules_counts_check',
      sql`${table.inSeasonPerDay} BETWEEN 0 AND 24 AND ${table.offSeasonPerDay} BETWEEN 0 AND 24`,
    ),
  ],
);
