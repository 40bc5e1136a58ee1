import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  doublePrecision,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { geometry } from '../geometry.ts';
import { reports } from './cases.ts';

// The tables of patrol tracks (issue 16, migrations/0010).
/**
 * A patrol: one worker walking, from the tap on 开始巡查 to the tap on 结束 (or the page's end).
 * `area_code` is the walker's scope (their grid, or cell for an informant): row-level security
 * cuts patrols, positions and gaps by it, as it cuts reports by cell (migrations/0010).
 */
export const patrols = pgTable(
  'patrols',
  {
    id: text('id').primaryKey(),
    /** The id the phone generated when the patrol started: a retried start finds this row. */
    clientId: text('client_id').notNull(),
    workerId: text('worker_id').notNull(),
    workerName: text('worker_name').notNull(),
    workerRole: text('worker_role').notNull(),
    areaCode: text('area_code').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    /** Metres along the valid fixes (no jumps, no poor accuracy), updated with every batch. */
    distanceM: doublePrecision('distance_m').notNull().default(0),
    /** The fix time of the newest fix received (any flag): "last heard of". */
    lastFixAt: timestamp('last_fix_at', { withTimezone: true }),
    /**
     * The fix time from which the patrol's cells walked are to be derived again, after its commit
     * (patrolsService.settleCells); null when they are up to date. A batch only marks it.
     */
    cellsFrom: timestamp('cells_from', { withTimezone: true }),
    /** Counts the batches that marked `cells_from`: the settler clears the mark only when none came in while it worked. */
    cellsStamp: integer('cells_stamp').notNull().default(0),
  },
  (table) => [
    uniqueIndex('patrols_client_idx').on(table.workerId, table.clientId),
    index('patrols_cells_pending_idx').on(table.cellsFrom).where(sql`${table.cellsFrom} IS NOT NULL`),
    index('patrols_area_pattern_idx').using('btree', sql`${table.areaCode} text_pattern_ops`),
    index('patrols_started_idx').on(table.startedAt),
  ],
);

/**
 * One position fix of a patrol, as the phone measured it. On the database it is partitioned by
 * `fixed_at` (one partition a day, created ahead; migrations/0010), so retention drops whole days.
 * Flagged fixes are kept but left out of lines, distances and coverage.
 */
export const patrolPositions = pgTable(
  'patrol_positions',
  {
    patrolId: text('patrol_id').notNull(),
    /** The phone's id for the fix: a retried batch never doubles it. */
    clientFixId: text('client_fix_id').notNull(),
    areaCode: text('area_code').notNull(),
    /** When the phone measured it (GeolocationPosition.timestamp), not when it arrived. */
    fixedAt: timestamp('fixed_at', { withTimezone: true }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    /** WGS84, converted from `input_datum`. */
    location: geometry('location', { type: 'Point', srid: 4326 }).notNull(),
    /** Horizontal accuracy the phone reported, metres (95% radius as browsers give it). */
    accuracyM: doublePrecision('accuracy_m').notNull(),
    /** Speed the phone reported, m/s; null when it gave none. */
    speedMps: doublePrecision('speed_mps'),
    /** The datum the phone sent (wgs84 | gcj02 | bd09). */
    inputDatum: text('input_datum').notNull().default('wgs84'),
    /** Accuracy worse than the limit (api/patrols/service.ts): kept, not drawn or counted. */
    poorAccuracy: boolean('poor_accuracy').notNull().default(false),
    /** Reached from the previous valid fix (by fix time) faster than anyone patrols: a GPS jump. */
    jump: boolean('jump').notNull().default(false),
  },
  (table) => [
    primaryKey({ columns: [table.patrolId, table.clientFixId, table.fixedAt] }),
    index('patrol_positions_patrol_time_idx').on(table.patrolId, table.fixedAt),
    index('patrol_positions_area_time_idx').using('btree', sql`${table.areaCode} text_pattern_ops`, table.fixedAt),
  ],
);

/**
 * A stretch of a patrol without fixes, and why: the tab was closed, the screen locked, the browser
 * stopped locating. Recorded by the phone when it notices, so that a gap is not read as "no patrol".
 */
export const patrolGaps = pgTable(
  'patrol_gaps',
  {
    patrolId: text('patrol_id').notNull(),
    clientGapId: text('client_gap_id').notNull(),
    areaCode: text('area_code').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }).notNull(),
    /** See PATROL_GAP_CAUSES in api/vocabulary/patrols.ts. */
    cause: text('cause').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.patrolId, table.clientGapId] }),
    index('patrol_gaps_area_pattern_idx').using('btree', sql`${table.areaCode} text_pattern_ops`),
    check('patrol_gaps_order_check', sql`${table.endedAt} >= ${table.startedAt}`),
  ],
);

/** Which report (a hazard tagged on the way) was made during which patrol. */
export const patrolReports = pgTable(
  'patrol_reports',
  {
    patrolId: text('patrol_id').notNull(),
    reportId: text('report_id')
      .notNull()
      .references(() => reports.id),
    areaCode: text('area_code').notNull(),
  },
  (table) => [primaryKey({ columns: [table.patrolId, table.reportId] })],
);

/**
 * Which cells each patrol walked on which day (issue 16, migrations/0011): derived from the valid
 * fixes, never written by a client. A cell counts as walked on a day when the stretch between two
 * consecutive valid fixes (or a lone valid fix) passes through it or within the coverage distance
 * (PATROL_COVERAGE_DISTANCE_M); the stretch is dated by the fix that ends it, in the county's day
 * (Asia/Shanghai). Filled in the transaction of each batch (api/patrols/cells-repository.ts), and
 * rebuilt for a time range from the stored positions after a bulk insert.
 *
 * A cell-day is not a track: it says a cell was walked, not where or by which way, so retention
 * keeps these rows when the positions behind them are removed (coverage of past months stays
 * readable). There is no foreign key to `patrols` for that reason.
 */
export const patrolCells = pgTable(
  'patrol_cells',
  {
    patrolId: text('patrol_id').notNull(),
    cellCode: text('cell_code').notNull(),
    /** The county's calendar day (Asia/Shanghai) of the fixes that walked the cell. */
    day: date('day', { mode: 'string' }).notNull(),
    /** The walker's area (the patrol's `area_code`): with the cell code, what row-level security cuts by. */
    areaCode: text('area_code').notNull(),
    /** The fix time of the earliest stretch that walked the cell that day. */
    firstAt: timestamp('first_at', { withTimezone: true }).notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.patrolId, table.cellCode, table.day] }),
    // area_code in the key too: row-level security filters on it, and with it in the index a
    // coverage read under a scope stays an index-only scan instead of visiting every cell-day's row.
    index('patrol_cells_cell_day_area_idx').using('btree', sql`${table.cellCode} text_pattern_ops`, table.day, table.areaCode),
    index('patrol_cells_patrol_first_idx').on(table.patrolId, table.firstAt),
  ],
);
