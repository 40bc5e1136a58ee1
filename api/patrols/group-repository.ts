import { getTableColumns, inArray, type SQL, sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.ts';
import { arrayLiteral } from '../db/literal.ts';
import { patrolGaps, patrols } from '../db/schema.ts';
import type { FixRow, GapRow, NewFix, PatrolRow, PatrolSpan } from './repository.ts';

// The statements of a group of batches (upload-group.ts): each runs once for every patrol of the
// group, set-based. Every read of a patrol's fixes is bounded by its own times (repository.ts,
// PatrolSpan) and, as constants, by the group's.

/** A patrol of the group with the fixes its batch stores (at most one batch a patrol in a group), each in a datum named. */
export interface GroupPatrol {
  span: PatrolSpan;
  areaCode: string;
  fixes: readonly (NewFix & { inputDatum: string })[];
}

/** What storeFixes tells of one patrol of the group. */
export interface GroupStored {
  anchor: FixRow | null;
  tailM: number;
  fixesAfter: boolean;
  stored: number;
  storedFrom: Date | null;
  storedTo: Date | null;
}

/** What settleTotals is given for one patrol of the group. */
export interface GroupSettle {
  span: PatrolSpan;
  anchor: Pick<FixRow, 'fixedAt' | 'clientFixId'> | null;
  tailBeforeM: number;
  lastFixAt: Date;
  cellsFrom: Date;
  /** The valid line from the anchor on as hex EWKB, when the group knows it whole (an appended batch): not read back then. */
  validLine?: string;
}

const VALID = sql`NOT poor_accuracy AND NOT jump`;
const iso = (date: Date) => date.toISOString();
const time = (value: Date | string | null) => (value === null ? null : new Date(value));

/**
 * The time bounds of every patrol of the group at once, as constants: PostgreSQL plans for the
 * day partitions they span only (each row's own bounds prune the rest as it runs).
 */
function outerBounds(spans: readonly PatrolSpan[]): SQL {
  const from = Math.min(...spans.map((span) => span.from.getTime()));
  const to = Math.max(...spans.map((span) => span.to.getTime()));
  return sql`fixed_at >= ${iso(new Date(from))}::timestamptz AND fixed_at <= ${iso(new Date(to))}::timestamptz`;
}

/** The rows of the patrol `p` (a row with id, lo, hi), bounded by its own times and the group's. */
const ofGroupPatrol = (p: 'p' | 'v', bounds: SQL) =>
  sql`patrol_id = ${sql.raw(p)}.id AND fixed_at >= ${sql.raw(p)}.lo AND fixed_at <= ${sql.raw(p)}.hi AND ${bounds}`;

/**
 * The valid line's length (metres, spheroid) of patrol `p` from the anchor at `anchorAt`, `anchorId`
 * on (all of it with none). The anchor's time bounds the index scan: under the OR alone it read the
 * whole track for each batch (a day's walk at a fix every 5 s is 5,000 fixes and more).
 */
const lengthAfter = (p: 'p' | 'v', bounds: SQL, anchorAt: SQL, anchorId: SQL) => sql`
  SELECT coalesce(ST_Length(ST_MakeLine(location ORDER BY fixed_at, client_fix_id)::geography), 0)::float8
  FROM patrol_positions
  WHERE ${ofGroupPatrol(p, bounds)} AND ${VALID}
    AND fixed_at >= coalesce(${anchorAt}, '-infinity'::timestamptz)
    AND (${anchorAt} IS NULL OR (fixed_at, client_fix_id) >= (${anchorAt}, ${anchorId}))`;

/**
 * The anchor of patrol `p` (a row with id, lo, hi, before): its last valid fix strictly before
 * `before`, the last of equal fix times by client id. The latest valid time first, then the last
 * client id at it: ordered by both, the index (patrol_id, fixed_at) could not stop early and the
 * whole track was sorted.
 */
const anchorOf = (bounds: SQL) => sql`
  SELECT client_fix_id, fixed_at, accuracy_m, speed_mps, poor_accuracy, jump, location FROM patrol_positions
  WHERE ${ofGroupPatrol('p', bounds)} AND ${VALID} AND fixed_at = (
    SELECT max(fixed_at) FROM patrol_positions WHERE ${ofGroupPatrol('p', bounds)} AND fixed_at < p.before AND ${VALID})
  ORDER BY client_fix_id DESC LIMIT 1`;

/** The anchor `a` as a FixRow's columns. */
const anchorColumns = sql`a.client_fix_id AS "clientFixId", a.fixed_at AS "fixedAt", a.accuracy_m AS "accuracyM",
  a.speed_mps AS "speedMps", a.poor_accuracy AS "poorAccuracy", a.jump, ST_X(a.location) AS lng, ST_Y(a.location) AS lat`;

/** Whether patrol `p` has any fix (of any flag) after its anchor `a`; with none, from `p.before` on. */
const fixesAfterOf = (bounds: SQL) => sql`CASE WHEN a.fixed_at IS NULL
  THEN EXISTS (SELECT 1 FROM patrol_positions WHERE ${ofGroupPatrol('p', bounds)} AND fixed_at >= p.before)
  ELSE EXISTS (SELECT 1 FROM patrol_positions WHERE ${ofGroupPatrol('p', bounds)} AND fixed_at > a.fixed_at) END`;

/** What `ends` finds of a patrol before its batch is stored. */
export interface GroupEnd {
  anchor: FixRow | null;
  /** Any fix after the anchor: with none, the batch only extends the track, and no fix of it can be stored already. */
  fixesAfter: boolean;
}

/** The group's statements, on the group's transaction. */
export function patrolGroupRepository(db: Queryable) {
  return {
    /** The patrols, locked until the transaction ends, in id order (two groups never wait on each other in a circle). */
    lock(ids: readonly string[]): Promise<PatrolRow[]> {
      return db.read((orm) =>
        orm
          .select()
          .from(patrols)
          .where(inArray(patrols.id, [...ids]))
          .orderBy(patrols.id)
          .for('update'),
      );
    },

    /**
     * Where each batch takes its track up, as storeFixes reads it, before anything is stored:
     * the anchor (the last valid fix before `before`, the batch's earliest) and whether any fix
     * lies after it. One statement for the group.
     */
    async ends(wanted: readonly { span: PatrolSpan; before: Date }[]): Promise<Map<string, GroupEnd>> {
      const found = new Map<string, GroupEnd>();
      if (wanted.length === 0) return found;
      const bounds = outerBounds(wanted.map(({ span }) => span));
      const heads = { id: [] as string[], lo: [] as string[], hi: [] as string[], before: [] as string[] };
      for (const { span, before } of wanted) {
        heads.id.push(span.id);
        heads.lo.push(iso(span.from));
        heads.hi.push(iso(span.to));
        heads.before.push(iso(before));
      }
      const text = (values: string[]) => sql`${arrayLiteral(values)}::text[]`;
      const times = (values: string[]) => sql`${arrayLiteral(values)}::timestamptz[]`;
      const rows = await db.rows<
        Omit<FixRow, 'fixedAt'> & { patrolId: string; fixedAt: Date | string | null; fixesAfter: boolean }
      >(sql`
        WITH p AS MATERIALIZED (
          SELECT * FROM unnest(${text(heads.id)}, ${times(heads.lo)}, ${times(heads.hi)}, ${times(heads.before)}) AS h(id, lo, hi, before))
        SELECT p.id AS "patrolId", ${anchorColumns}, ${fixesAfterOf(bounds)} AS "fixesAfter"
        FROM p LEFT JOIN LATERAL (${anchorOf(bounds)}) a ON true`);
      for (const { patrolId, fixesAfter, ...fix } of rows) {
        found.set(patrolId, {
          anchor: fix.fixedAt === null ? null : { ...fix, fixedAt: new Date(fix.fixedAt) },
          fixesAfter: fixesAfter === true,
        });
      }
      return found;
    },

    /**
     * Stores the fixes of every patrol of the group (a fix already stored, or twice in its batch,
     * is stored once) and reads, per patrol and as its track stood before them, where its batch
     * takes it up: the last valid fix strictly before the batch's earliest (the last of equal fix
     * times by client id), from which the jump filter walks on; the length of the valid line from
     * there to the end, which the batch replaces (see `settleTotals`); and whether any fix (of any
     * flag) lay after the anchor (from the batch's earliest, with none). With the count and the
     * time span of the fixes stored. One statement (its reads see the table as it was before its
     * insert) for the whole group.
     *
     * A fix is skipped when the table holds it already, not by ON CONFLICT DO NOTHING: that makes
     * every row a speculative insertion, and on the partitioned table it cost 4-6 µs of
     * PostgreSQL's CPU a fix, a third of the insert (500-fix inserts, 100 each way). Nothing else
     * can store the patrol's fixes meanwhile: the group holds its row (`lock`). The fixes travel
     * as one array a column (unnest), which PostgreSQL reads for less than a JSON document.
     */
    async storeFixes(group: readonly GroupPatrol[]): Promise<Map<string, GroupStored>> {
      const answers = new Map<string, GroupStored>();
      const withFixes = group.filter((patrol) => patrol.fixes.length > 0);
      if (withFixes.length === 0) return answers;
      const bounds = outerBounds(withFixes.map((patrol) => patrol.span));
      const heads = { id: [] as string[], area: [] as string[], lo: [] as string[], hi: [] as string[], before: [] as string[] };
      // One array a column: the patrol's place in `heads` (1-based), client id, time, lng, lat, accuracy, speed, datum.
      const rows = {
        n: [] as number[],
        i: [] as string[],
        t: [] as string[],
        x: [] as number[],
        y: [] as number[],
        a: [] as number[],
        s: [] as (number | null)[],
        d: [] as string[],
      };
      withFixes.forEach(({ span, areaCode, fixes }, index) => {
        heads.id.push(span.id);
        heads.area.push(areaCode);
        heads.lo.push(iso(span.from));
        heads.hi.push(iso(span.to));
        heads.before.push(iso(new Date(Math.min(...fixes.map((fix) => fix.fixedAt.getTime())))));
        const seen = new Set<string>();
        for (const fix of fixes) {
          const id = fix.clientFixId.toWellFormed();
          const at = iso(fix.fixedAt);
          const key = `${id}\u0000${at}`;
          if (seen.has(key)) continue;
          seen.add(key);
          rows.n.push(index + 1);
          rows.i.push(id);
          rows.t.push(at);
          rows.x.push(fix.position[0]);
          rows.y.push(fix.position[1]);
          rows.a.push(fix.accuracyM);
          rows.s.push(fix.speedMps ?? null);
          rows.d.push(fix.inputDatum);
        }
      });
      const text = (values: string[]) => sql`${arrayLiteral(values)}::text[]`;
      const times = (values: string[]) => sql`${arrayLiteral(values)}::timestamptz[]`;
      const floats = (values: (number | null)[]) => sql`${arrayLiteral(values)}::float8[]`;
      const found = await db.rows<
        Omit<FixRow, 'fixedAt'> & {
          patrolId: string;
          fixedAt: Date | string | null;
          tailM: number | null;
          fixesAfter: boolean;
          stored: number | null;
          storedFrom: Date | string | null;
          storedTo: Date | string | null;
        }
      >(sql`
        WITH p AS MATERIALIZED (
          SELECT * FROM unnest(${text(heads.id)}, ${text(heads.area)}, ${times(heads.lo)}, ${times(heads.hi)}, ${times(heads.before)})
            WITH ORDINALITY AS h(id, area, lo, hi, before, n)),
        anchor AS MATERIALIZED (SELECT p.id AS patrol_id, a.* FROM p LEFT JOIN LATERAL (${anchorOf(bounds)}) a ON true),
        stored AS (
          INSERT INTO patrol_positions (patrol_id, client_fix_id, area_code, fixed_at, location, accuracy_m, speed_mps, input_datum)
          SELECT p.id, f.i, p.area, f.t, ST_SetSRID(ST_MakePoint(f.x, f.y), 4326), f.a, f.s, f.d
          FROM unnest(${arrayLiteral(rows.n)}::int[], ${text(rows.i)}, ${times(rows.t)}, ${floats(rows.x)}, ${floats(rows.y)},
            ${floats(rows.a)}, ${floats(rows.s)}, ${text(rows.d)}) AS f(n, i, t, x, y, a, s, d)
          JOIN p ON p.n = f.n
          WHERE NOT EXISTS (
            SELECT 1 FROM patrol_positions o
            WHERE o.patrol_id = p.id AND o.client_fix_id = f.i AND o.fixed_at = f.t AND ${bounds})
          RETURNING patrol_id, fixed_at),
        counts AS (SELECT patrol_id, count(*)::int AS n, min(fixed_at) AS lo, max(fixed_at) AS hi FROM stored GROUP BY patrol_id)
        SELECT p.id AS "patrolId", ${anchorColumns},
          (${lengthAfter('p', bounds, sql`a.fixed_at`, sql`a.client_fix_id`)}) AS "tailM", ${fixesAfterOf(bounds)} AS "fixesAfter",
          c.n AS stored, c.lo AS "storedFrom", c.hi AS "storedTo"
        FROM p JOIN anchor a ON a.patrol_id = p.id LEFT JOIN counts c ON c.patrol_id = p.id`);
      for (const { patrolId, tailM, fixesAfter, stored, storedFrom, storedTo, ...fix } of found) {
        answers.set(patrolId, {
          anchor: fix.fixedAt === null ? null : { ...fix, fixedAt: new Date(fix.fixedAt) },
          tailM: Number(tailM ?? 0),
          fixesAfter: fixesAfter === true,
          stored: stored ?? 0,
          storedFrom: time(storedFrom),
          storedTo: time(storedTo),
        });
      }
      return answers;
    },

    /** Every fix of each patrol from its `from` on, in fix-time order (ties by client id): repository.fixesFrom for several. */
    async fixesFrom(wanted: readonly { span: PatrolSpan; from: Date }[]): Promise<Map<string, FixRow[]>> {
      const found = new Map<string, FixRow[]>(wanted.map(({ span }) => [span.id, []]));
      if (wanted.length === 0) return found;
      const bounds = outerBounds(wanted.map(({ span }) => span));
      const heads = JSON.stringify(
        wanted.map(({ span, from }) => ({ id: span.id, lo: iso(span.from), hi: iso(span.to), since: iso(from) })),
      );
      const rows = await db.rows<Omit<FixRow, 'fixedAt'> & { patrolId: string; fixedAt: Date | string }>(sql`
        SELECT p.id AS "patrolId", client_fix_id AS "clientFixId", fixed_at AS "fixedAt", accuracy_m AS "accuracyM",
          speed_mps AS "speedMps", poor_accuracy AS "poorAccuracy", jump, ST_X(location) AS lng, ST_Y(location) AS lat
        FROM jsonb_to_recordset(${heads}::jsonb) AS p(id text, lo timestamptz, hi timestamptz, since timestamptz)
        JOIN patrol_positions ON ${ofGroupPatrol('p', bounds)} AND fixed_at >= p.since
        ORDER BY p.id, fixed_at, client_fix_id`);
      for (const { patrolId, ...row } of rows) found.get(patrolId)!.push({ ...row, fixedAt: new Date(row.fixedAt) });
      return found;
    },

    /** New flags of fixes of several patrols, in one statement. */
    async updateFlags(
      changes: readonly { patrolId: string; clientFixId: string; fixedAt: Date; poorAccuracy: boolean; jump: boolean }[],
    ): Promise<void> {
      if (changes.length === 0) return;
      const times = changes.map((change) => change.fixedAt.getTime());
      const rows = JSON.stringify(
        changes.map((change) => ({
          p: change.patrolId,
          i: change.clientFixId,
          t: iso(change.fixedAt),
          q: change.poorAccuracy,
          j: change.jump,
        })),
      );
      await db.rows(sql`
        UPDATE patrol_positions f SET poor_accuracy = v.q, jump = v.j
        FROM jsonb_to_recordset(${rows}::jsonb) AS v(p text, i text, t timestamptz, q boolean, j boolean)
        WHERE f.patrol_id = v.p AND f.client_fix_id = v.i AND f.fixed_at = v.t
          AND f.fixed_at >= ${iso(new Date(Math.min(...times)))}::timestamptz
          AND f.fixed_at <= ${iso(new Date(Math.max(...times)))}::timestamptz`);
    },

    /**
     * Settles every patrol that stored something: its distance moves by the valid line from its
     * anchor on as it is now (read back, or `validLine` when given) less `tailBeforeM`, that line
     * before the batch (flags before the anchor are unchanged, so the rest of the track is too);
     * its newest fix time moves on to `lastFixAt` if later; its cells walked are marked to derive
     * again from `cellsFrom` on (cells-settler.ts). The group's live events (`also`) run in the
     * same statement, each a data-modifying WITH. Returns the patrols with the cells they walked
     * as last derived.
     */
    async settleTotals(settles: readonly GroupSettle[], also: readonly SQL[]): Promise<(PatrolRow & { cellsWalked: number })[]> {
      if (settles.length === 0) return [];
      const bounds = outerBounds(settles.map((settle) => settle.span));
      const values = JSON.stringify(
        settles.map(({ span, anchor, tailBeforeM, lastFixAt, cellsFrom, validLine }) => ({
          id: span.id,
          lo: iso(span.from),
          hi: iso(span.to),
          at: anchor ? iso(anchor.fixedAt) : null,
          cid: anchor?.clientFixId ?? null,
          tail: tailBeforeM,
          last: iso(lastFixAt),
          cells: iso(cellsFrom),
          line: validLine ?? null,
        })),
      );
      const events = also.map((statement, index) => orm$with(`also${index}`, statement));
      // Without a line to read back, the statement is planned without the read (its partitions too).
      const given = sql`ST_Length(ST_GeomFromEWKB(decode(v.line, 'hex'))::geography)`;
      const lineLength = settles.every((settle) => settle.validLine !== undefined)
        ? given
        : sql`CASE WHEN v.line IS NULL THEN (${lengthAfter('v', bounds, sql`v.at`, sql`v.cid`)}) ELSE ${given} END`;
      return db.read((orm) =>
        (events.length > 0 ? orm.with(...events.map((make) => make(orm))) : orm)
          .update(patrols)
          .set({
            distanceM: sql`greatest(${patrols.distanceM} - v.tail + ${lineLength}, 0)`,
            lastFixAt: sql`greatest(${patrols.lastFixAt}, v.last)`,
            cellsFrom: sql`least(${patrols.cellsFrom}, v.cells)`,
            cellsStamp: sql`${patrols.cellsStamp} + 1`,
          })
          .from(
            sql`jsonb_to_recordset(${values}::jsonb) AS v(id text, lo timestamptz, hi timestamptz, at timestamptz, cid text, tail float8, last timestamptz, cells timestamptz, line text)`,
          )
          .where(sql`${patrols.id} = v.id`)
          .returning({
            ...getTableColumns(patrols),
            cellsWalked:
              sql<number>`(SELECT count(DISTINCT cell_code) FROM patrol_cells WHERE patrol_id = ${patrols.id})`.mapWith(Number),
          }),
      );
    },

    /** The cells walked of each patrol, as last derived. */
    async cellsWalked(ids: readonly string[]): Promise<Map<string, number>> {
      if (ids.length === 0) return new Map();
      const rows = await db.rows<{ id: string; n: number }>(sql`
        SELECT patrol_id AS id, count(DISTINCT cell_code)::int AS n FROM patrol_cells
        WHERE patrol_id = ANY(${sql.param([...ids])}::text[]) GROUP BY patrol_id`);
      return new Map(rows.map((row) => [row.id, row.n]));
    },

    /** The gaps of every batch of the group. */
    async insertGaps(gaps: readonly GapRow[]): Promise<void> {
      if (gaps.length === 0) return;
      await db.read((orm) =>
        orm
          .insert(patrolGaps)
          .values([...gaps])
          .onConflictDoNothing(),
      );
    },
  };
}

/** A data-modifying WITH named `name` running `statement` (a live event's insert). */
const orm$with = (name: string, statement: SQL) => (orm: Parameters<Parameters<Queryable['read']>[0]>[0]) =>
  orm.$with(name, { id: sql<number>`id` }).as(statement);
