import { type SQL, sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.ts';
import { isoTime as iso, type WithIsoTimes } from '../db/iso-time.ts';
import type { accounts, areas, departments, reportPhotos, reports } from '../db/schema.ts';
import type { PendingRequest } from './contracts.ts';

type Report = typeof reports.$inferSelect;
type AreaName = (typeof areas.$inferSelect)['name'] | null;

/**
 * A case as read from `reports` (timestamps as ISO text), with the names of its areas and of its
 * lead department, its point as lng/lat and when it was parked.
 */
export type CaseRow = WithIsoTimes<Omit<Report, 'clientId' | 'location' | 'controlZone' | 'pendingRequest'>> & {
  pendingRequest: PendingRequest | null;
  /** WGS84 degrees. */
  lng: number;
  lat: number;
  cellName: AreaName;
  gridName: AreaName;
  villageName: AreaName;
  townshipName: AreaName;
  /** The township is marked urban (the on-site check limit depends on it). */
  urban: (typeof areas.$inferSelect)['urban'];
  assignedDepartmentName: (typeof departments.$inferSelect)['name'] | null;
  /** When the case was parked (the clock paused then); null unless parked. */
  parkedAt: string | null;
};

export const caseColumns = sql`r.id, r.case_number AS "caseNumber", r.reporter_id AS "reporterId", r.reporter_name AS "reporterName",
  r.reporter_role AS "reporterRole", r.source, r.type, r.urgency, r.description,
  ST_X(r.location) AS lng, ST_Y(r.location) AS lat, r.accuracy_m AS "accuracyM", r.input_datum AS "inputDatum",
  r.cell_code AS "cellCode", r.grid_code AS "gridCode", r.village_code AS "villageCode", r.township_code AS "townshipCode",
  ac.name AS "cellName", ag.name AS "gridName", av.name AS "villageName", at.name AS "townshipName", COALESCE(at.urban, false) AS urban,
  r.state, r.responsible_level AS "responsibleLevel", r.assigned_township_code AS "assignedTownshipCode",
  r.assigned_department_code AS "assignedDepartmentCode", d.name AS "assignedDepartmentName",
  r.co_department_codes AS "coDepartmentCodes", r.pending_request AS "pendingRequest", r.parked, r.supervised,
  r.clock_stage AS "clockStage", ${iso(sql`r.clock_started_at`)} AS "clockStartedAt", ${iso(sql`r.due_at`)} AS "dueAt",
  r.limit_amount AS "limitAmount", r.limit_unit AS "limitUnit", r.limit_clock AS "limitClock",
  r.escalation_count::int AS "escalationCount",
  ${iso(sql`r.taken_at`)} AS "takenAt", r.taken_by AS "takenBy", (SELECT o.id FROM reports o WHERE o.id = r.merged_into) AS "mergedInto", r.satisfaction::int AS satisfaction,
  ${iso(sql`r.reported_at`)} AS "reportedAt", ${iso(sql`r.filed_at`)} AS "filedAt", ${iso(sql`r.dispatched_at`)} AS "dispatchedAt",
  ${iso(sql`r.closed_at`)} AS "closedAt", r.closed_on_time AS "closedOnTime", ${iso(sql`r.updated_at`)} AS "updatedAt", r.version,
  CASE WHEN r.parked THEN (SELECT ${iso(sql`max(s.at)`)} FROM case_steps s WHERE s.report_id = r.id AND s.action = 'approve' AND s.to_state = 'parked') END AS "parkedAt"`;

export const caseFrom = sql`reports r
  LEFT JOIN areas ac ON ac.code = r.cell_code
  LEFT JOIN areas ag ON ag.code = r.grid_code
  LEFT JOIN areas av ON av.code = r.village_code
  LEFT JOIN areas at ON at.code = r.township_code
  LEFT JOIN departments d ON d.code = r.assigned_department_code`;

/** What a case list may be cut by; every field optional. Times are reported times. */
export interface CaseFilter {
  states?: string[] | undefined;
  type?: string | undefined;
  /** An area code: cases in that area and below. */
  area?: string | undefined;
  urgency?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  /** Part of the case number or of the description. */
  text?: string | undefined;
  /** Only these ids (the light filter is applied in code, then narrows the SQL to its ids). */
  ids?: string[] | undefined;
  /** Only cases that have a light (open, with a clock) or only those without. */
  hasClock?: boolean | undefined;
}

export type CaseSort = 'reportedAt' | 'dueAt' | 'state' | 'urgency';

const STATE_ORDER = sql`array_position(ARRAY['reported','filed','dispatched','acknowledged','handled','parked','closed','evaluated','rejected','cancelled','merged']::text[], r.state)`;

function whereOf(filter: CaseFilter): SQL {
  const conditions: SQL[] = [sql`TRUE`];
  if (filter.states && filter.states.length > 0) conditions.push(sql`r.state = ANY(${sql.param(filter.states)}::text[])`);
  if (filter.type) conditions.push(sql`r.type = ${filter.type}`);
  if (filter.area) conditions.push(sql`r.cell_code LIKE ${`${filter.area}%`}`);
  if (filter.urgency) conditions.push(sql`r.urgency = ${filter.urgency}`);
  if (filter.from) conditions.push(sql`r.reported_at >= ${filter.from.toISOString()}::timestamptz`);
  if (filter.to) conditions.push(sql`r.reported_at < ${filter.to.toISOString()}::timestamptz`);
  if (filter.text) {
    const pattern = `%${filter.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(sql`(r.case_number ILIKE ${pattern} OR r.description ILIKE ${pattern})`);
  }
  if (filter.ids) conditions.push(sql`r.id = ANY(${sql.param(filter.ids)}::text[])`);
  const hasClock = sql`(r.state <> ALL(ARRAY['closed','evaluated','rejected','cancelled','merged']::text[])
    AND r.due_at IS NOT NULL AND r.clock_started_at IS NOT NULL)`;
  if (filter.hasClock === true) conditions.push(hasClock);
  if (filter.hasClock === false) conditions.push(sql`NOT ${hasClock}`);
  return sql.join(conditions, sql` AND `);
}

function orderOf(sort: CaseSort, direction: 'asc' | 'desc'): SQL {
  const dir = sql.raw(direction === 'asc' ? 'ASC' : 'DESC');
  const key = {
    reportedAt: sql`r.reported_at ${dir}`,
    dueAt: sql`r.due_at ${dir} NULLS LAST`,
    state: sql`${STATE_ORDER} ${dir}`,
    urgency: sql`(r.urgency = 'urgent') ${dir}`,
  }[sort];
  return sql`${key}, r.reported_at DESC, r.id`;
}

export type PhotoRow = WithIsoTimes<
  Pick<typeof reportPhotos.$inferSelect, 'id' | 'stepId' | 'contentType' | 'byteSize' | 'createdAt'>
>;

/** Column changes of a case; each key given is written, the rest left alone. */
export type CaseChanges = Partial<
  Pick<
    typeof reports.$inferInsert,
    | 'state'
    | 'responsibleLevel'
    | 'assignedTownshipCode'
    | 'assignedDepartmentCode'
    | 'coDepartmentCodes'
    | 'parked'
    | 'supervised'
    | 'clockStage'
    | 'clockStartedAt'
    | 'dueAt'
    | 'limitAmount'
    | 'limitUnit'
    | 'limitClock'
    | 'escalationCount'
    | 'takenAt'
    | 'takenBy'
    | 'satisfaction'
    | 'filedAt'
    | 'dispatchedAt'
    | 'closedAt'
    | 'closedOnTime'
  > & { pendingRequest: PendingRequest | null }
>;

const timestamp = (value: Date | null) => sql`${value === null ? null : value.toISOString()}::timestamptz`;
const json = (value: unknown) => sql`${value === null ? null : JSON.stringify(value)}::jsonb`;

const COLUMN_OF: { [K in keyof Required<CaseChanges>]: [string, (value: NonNullable<unknown>) => SQL] } = {
  state: ['state', (value) => sql`${value}`],
  responsibleLevel: ['responsible_level', (value) => sql`${value}`],
  assignedTownshipCode: ['assigned_township_code', (value) => sql`${value}`],
  assignedDepartmentCode: ['assigned_department_code', (value) => sql`${value}`],
  coDepartmentCodes: ['co_department_codes', json],
  pendingRequest: ['pending_request', json],
  parked: ['parked', (value) => sql`${value}`],
  supervised: ['supervised', (value) => sql`${value}`],
  clockStage: ['clock_stage', (value) => sql`${value}`],
  clockStartedAt: ['clock_started_at', (value) => timestamp(value as Date)],
  dueAt: ['due_at', (value) => timestamp(value as Date)],
  limitAmount: ['limit_amount', (value) => sql`${value}::int`],
  limitUnit: ['limit_unit', (value) => sql`${value}`],
  limitClock: ['limit_clock', (value) => sql`${value}`],
  escalationCount: ['escalation_count', (value) => sql`${value}::smallint`],
  takenAt: ['taken_at', (value) => timestamp(value as Date)],
  takenBy: ['taken_by', (value) => sql`${value}`],
  satisfaction: ['satisfaction', (value) => sql`${value}::smallint`],
  filedAt: ['filed_at', (value) => timestamp(value as Date)],
  dispatchedAt: ['dispatched_at', (value) => timestamp(value as Date)],
  closedAt: ['closed_at', (value) => timestamp(value as Date)],
  closedOnTime: ['closed_on_time', (value) => sql`${value}::boolean`],
};

function assignments(changes: CaseChanges): SQL[] {
  return Object.entries(changes)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => {
      const [column, encode] = COLUMN_OF[key as keyof CaseChanges];
      const encoded =
        value === null
          ? key === 'coDepartmentCodes' || key === 'pendingRequest'
            ? sql`NULL::jsonb`
            : sql`NULL`
          : encode(value as NonNullable<unknown>);
      return sql`${sql.raw(column)} = ${encoded}`;
    });
}

/** The light's inputs for one case, for filtering a list by light in code: only cases with a clock have one. */
export type ClockRow = Pick<CaseRow, 'id' | 'state' | 'clockStage' | 'limitUnit' | 'limitClock' | 'parkedAt'> & {
  clockStartedAt: string;
  dueAt: string;
};

/**
 * The columns of `reports r` that a `ClockRow` reads, for every query whose rows go through
 * `lightOf`: the case list's light filter and the duty screen's overdue count read the same ones.
 */
export const clockColumns = sql`r.id, r.state, r.clock_stage AS "clockStage", ${iso(sql`r.clock_started_at`)} AS "clockStartedAt",
  ${iso(sql`r.due_at`)} AS "dueAt", r.limit_unit AS "limitUnit", r.limit_clock AS "limitClock",
  CASE WHEN r.parked THEN (SELECT ${iso(sql`max(s.at)`)} FROM case_steps s WHERE s.report_id = r.id AND s.action = 'approve' AND s.to_state = 'parked') END AS "parkedAt"`;

/**
 * Cases (rows of `reports`) and their timeline. Reads and writes go through a scoped handle or
 * a transaction inside `enterScope`, so row-level security cuts both to the account's scope;
 * escalation runs as the owner.
 */
export function casesRepository(db: Queryable) {
  return {
    async find(id: string, options: { lock?: boolean } = {}): Promise<CaseRow | undefined> {
      const lock = options.lock ? sql` FOR UPDATE OF r` : sql``;
      const [row] = await db.rows<CaseRow>(sql`SELECT ${caseColumns} FROM ${caseFrom} WHERE r.id = ${id}${lock}`);
      return row;
    },

    list(filter: CaseFilter, sort: CaseSort, direction: 'asc' | 'desc', limit: number, offset: number): Promise<CaseRow[]> {
      return db.rows<CaseRow>(sql`
        SELECT ${caseColumns} FROM ${caseFrom}
        WHERE ${whereOf(filter)}
        ORDER BY ${orderOf(sort, direction)}
        LIMIT ${limit} OFFSET ${offset}`);
    },

    async count(filter: CaseFilter): Promise<number> {
      const [row] = await db.rows<{ count: number }>(sql`SELECT count(*)::int AS count FROM reports r WHERE ${whereOf(filter)}`);
      return row?.count ?? 0;
    },

    /** The clocks of every case the filter matches that has one: the light is computed from them in code. */
    clocks(filter: CaseFilter): Promise<ClockRow[]> {
      return db.rows<ClockRow>(sql`SELECT ${clockColumns} FROM reports r WHERE ${whereOf({ ...filter, hasClock: true })}`);
    },

    /** The control zone as a GeoJSON Polygon (WGS84), or null before one is drawn. */
    async controlZone(reportId: string): Promise<unknown> {
      const [row] = await db.rows<{ zone: string | null }>(sql`
        SELECT ST_AsGeoJSON(control_zone) AS zone FROM reports WHERE id = ${reportId}`);
      return row?.zone ? JSON.parse(row.zone) : null;
    },

    photos(reportId: string): Promise<PhotoRow[]> {
      return db.rows<PhotoRow>(sql`
        SELECT id, step_id::int AS "stepId", content_type AS "contentType", byte_size AS "byteSize", ${iso(sql`created_at`)} AS "createdAt"
        FROM report_photos WHERE report_id = ${reportId} ORDER BY created_at, id`);
    },

    /** Which of `ids` are photos of the case. */
    async photoIdsOf(reportId: string, ids: readonly string[]): Promise<string[]> {
      if (ids.length === 0) return [];
      const rows = await db.rows<Pick<PhotoRow, 'id'>>(sql`
        SELECT id FROM report_photos WHERE report_id = ${reportId} AND id = ANY(${sql.param([...ids])}::text[])`);
      return rows.map((row) => row.id);
    },

    /**
     * The department an account acts for, read at the time of the request rather than from the
     * session, so reassigning a cadre takes effect at once.
     */
    async departmentOf(accountId: string): Promise<string | null> {
      const [row] = await db.rows<Pick<typeof accounts.$inferSelect, 'departmentCode'>>(sql`
        SELECT department_code AS "departmentCode" FROM accounts WHERE id = ${accountId}`);
      return row?.departmentCode ?? null;
    },

    async departmentNames(codes: readonly string[]): Promise<Map<string, string>> {
      if (codes.length === 0) return new Map();
      const rows = await db.rows<Pick<typeof departments.$inferSelect, 'code' | 'name'>>(sql`
        SELECT code, name FROM departments WHERE code = ANY(${sql.param([...codes])}::text[])`);
      return new Map(rows.map((row) => [row.code, row.name]));
    },

    /** Which of `codes` are service providers no longer offered for dispatch. */
    async inactiveProviders(codes: readonly string[]): Promise<string[]> {
      if (codes.length === 0) return [];
      const rows = await db.rows<{ code: string }>(sql`
        SELECT code FROM service_providers WHERE NOT active AND code = ANY(${sql.param([...codes])}::text[])`);
      return rows.map((row) => row.code);
    },

    /**
     * Writes `changes` if the case is still at `version`, bumping it; false when someone changed
     * the case in between (or it is outside the scope).
     */
    async update(id: string, version: number, changes: CaseChanges, now: Date): Promise<boolean> {
      const sets = [...assignments(changes), sql`updated_at = ${timestamp(now)}`, sql`version = version + 1`];
      const rows = await db.rows(sql`
        UPDATE reports SET ${sql.join(sets, sql`, `)} WHERE id = ${id} AND version = ${version} RETURNING id`);
      return rows.length > 0;
    },

    /** Open, unparked cases whose clock ran out by `now` and that can still go up a level (owner only). */
    overdue(now: Date): Promise<CaseRow[]> {
      return db.rows<CaseRow>(sql`
        SELECT ${caseColumns} FROM ${caseFrom}
        WHERE r.state = ANY(ARRAY['reported','filed','dispatched','acknowledged','handled']::text[])
          AND NOT r.parked AND r.clock_stage IS NOT NULL AND r.due_at IS NOT NULL AND r.due_at <= ${timestamp(now)}
          AND r.responsible_level <> 'county'
        ORDER BY r.due_at, r.id`);
    },
  };
}
