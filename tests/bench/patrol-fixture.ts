import pg from 'pg';
import { hashPassword } from '../../api/auth/passwords.ts';
import { openPostgresDatabase } from '../../api/db/client.ts';
import { DEFAULT_COVERAGE_DISTANCE_M, patrolCellsRepository } from '../../api/patrols/cells-repository.ts';
import { partitionName } from '../../api/patrols/repository.ts';
import { startServer } from '../support/server-process.ts';

/** The database the patrol benchmarks use, on the server DATABASE_URL names; kept between runs (see below). */
const PATROL_BENCH_DATABASE = 'gcc_bench_patrols';
/** Every grid worker of the county gets a bench account `<people id>` with this password. */
export const WORKER_PASSWORD = 'bench-worker-2024';
/** Days of history before today: 18 days of 561 workers at one fix every 5 s, 7 hours a day, is about 51 million fixes. */
const HISTORY_DAYS = 18;
/** A fix every this many seconds, as the field page records. */
const FIX_SECONDS = 5;
/** Two patrols a working day, in Asia/Shanghai: 08:00-12:00 and 14:00-17:00, i.e. 00:00-04:00 and 06:00-09:00 UTC. */
const SHIFTS_UTC = [
  { startHour: 0, hours: 4 },
  { startHour: 6, hours: 3 },
] as const;
const DAY_MS = 86_400_000;

export interface PatrolFixture {
  url: string;
  /** The UTC days of history, oldest first (each a day partition). */
  days: Date[];
  positions: number;
  /** How long building it took, or 0 when an earlier run's was reused. */
  builtMs: number;
}

function patrolBenchUrl(postgresUrl: string): string {
  const url = new URL(postgresUrl);
  url.pathname = `/${PATROL_BENCH_DATABASE}`;
  return url.toString();
}

/** The UTC midnights of the `HISTORY_DAYS` days before today. */
function historyDays(today = new Date()): Date[] {
  const midnight = Math.floor(today.getTime() / DAY_MS) * DAY_MS;
  return Array.from({ length: HISTORY_DAYS }, (_, index) => new Date(midnight - (HISTORY_DAYS - index) * DAY_MS));
}

/**
 * The full county on PostgreSQL with about 50 million patrol positions: every grid worker walks
 * two patrols a working day for `HISTORY_DAYS` days, a fix every 5 s, along a loop through the
 * label points of their grid's cells (the grid's outline when it has fewer than three), at
 * 1.1 m/s with a few metres of noise; one fix in a hundred has poor accuracy and one in two
 * thousand is a jump a kilometre off, flagged as the service flags them.
 *
 * Building it takes minutes (each day is loaded into a bare table, indexed by a sort and attached
 * as that day's partition, far quicker than inserting into the indexed partition), so the
 * database is kept and reused while it holds the same days; `BENCH_FRESH=1` rebuilds it. The
 * server's first start migrates and seeds the county; a later start migrates what has landed since.
 */
export async function ensurePatrolFixture(postgresUrl: string, log: (line: string) => void): Promise<PatrolFixture> {
  const url = patrolBenchUrl(postgresUrl);
  const days = historyDays();
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [PATROL_BENCH_DATABASE])).rowCount === 1;
  if (exists && process.env.BENCH_FRESH) await admin.query(`DROP DATABASE ${PATROL_BENCH_DATABASE} WITH (FORCE)`);
  if (!exists || process.env.BENCH_FRESH) await admin.query(`CREATE DATABASE ${PATROL_BENCH_DATABASE}`);
  await admin.end();

  // Migrates (and on the first start seeds) the county; the server is then stopped so the load runs alone.
  const server = await startServer({ DATABASE_URL: url, COUNTY_PRESET: 'full' });
  await server.stop();

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS bench_patrol_fixture (day date PRIMARY KEY, positions bigint NOT NULL)`);
    await ensureWorkerAccounts(client);
    const built = new Set(
      (await client.query<{ day: string }>(`SELECT to_char(day, 'YYYY-MM-DD') AS day FROM bench_patrol_fixture`)).rows.map(
        (row) => row.day,
      ),
    );
    const started = performance.now();
    let fresh = 0;
    // The first day built is walked in SQL; the others copy its walks (computing them again costs
    // twice as long and tells the benchmarks nothing more).
    let template = days.find((day) => built.has(day.toISOString().slice(0, 10))) ?? null;
    for (const day of days) {
      if (built.has(day.toISOString().slice(0, 10))) continue;
      const dayStarted = performance.now();
      const rows = await buildDay(client, day, template);
      template ??= day;
      fresh++;
      log(
        `  ${day.toISOString().slice(0, 10)}: ${rows.toLocaleString('en')} fixes in ${((performance.now() - dayStarted) / 1000).toFixed(0)} s`,
      );
    }
    if (fresh > 0) await client.query('ANALYZE patrols; ANALYZE patrol_positions');
    await ensureCellDays(url, client, days, log);
    const { rows } = await client.query<{ positions: string }>(
      `SELECT coalesce(sum(positions), 0)::bigint AS positions FROM bench_patrol_fixture WHERE day = ANY($1::date[])`,
      [days.map((day) => day.toISOString().slice(0, 10))],
    );
    return { url, days, positions: Number(rows[0]!.positions), builtMs: fresh > 0 ? performance.now() - started : 0 };
  } finally {
    await client.end();
  }
}

/**
 * The cells each patrol walked (patrol_cells), as the batches would have derived them: the first
 * day is derived from its positions by the service's own rebuild (about 12,000 fixes a second),
 * the others, being its walks a whole number of days on, copy its rows shifted by as many days.
 */
async function ensureCellDays(url: string, client: pg.Client, days: Date[], log: (line: string) => void): Promise<void> {
  await client.query('ALTER TABLE bench_patrol_fixture ADD COLUMN IF NOT EXISTS cells_derived boolean NOT NULL DEFAULT false');
  const pending = (
    await client.query<{ day: string }>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day FROM bench_patrol_fixture WHERE NOT cells_derived AND day = ANY($1::date[])
       ORDER BY day`,
      [days.map((day) => day.toISOString().slice(0, 10))],
    )
  ).rows.map((row) => row.day);
  if (pending.length === 0) return;
  const template = (
    await client.query<{ day: string }>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day FROM bench_patrol_fixture WHERE cells_derived ORDER BY day LIMIT 1`,
    )
  ).rows[0]?.day;
  let source = template;
  if (!source) {
    source = pending.shift()!;
    const started = performance.now();
    const db = await openPostgresDatabase(url);
    try {
      const written = await db.transaction((tx) =>
        patrolCellsRepository(tx).rebuildDays(source!, source!, DEFAULT_COVERAGE_DISTANCE_M),
      );
      log(
        `  ${source}: ${written.toLocaleString('en')} cell-days derived in ${((performance.now() - started) / 1000).toFixed(0)} s`,
      );
    } finally {
      await db.close();
    }
    await client.query('UPDATE bench_patrol_fixture SET cells_derived = true WHERE day = $1', [source]);
  }
  const sourceStamp = source.replaceAll('-', '');
  for (const day of pending) {
    const shift = Math.round((Date.parse(day) - Date.parse(source)) / DAY_MS);
    await client.query('BEGIN');
    await client.query('DELETE FROM patrol_cells WHERE day = $1::date', [day]);
    await client.query(
      `INSERT INTO patrol_cells (patrol_id, cell_code, day, area_code, first_at)
       SELECT 'bench-' || $1 || substr(patrol_id, 15), cell_code, day + $2::int, area_code, first_at + $2 * interval '1 day'
       FROM patrol_cells WHERE day = $3::date AND patrol_id LIKE $4`,
      [day.replaceAll('-', ''), shift, source, `bench-${sourceStamp}-%`],
    );
    await client.query('UPDATE bench_patrol_fixture SET cells_derived = true WHERE day = $1', [day]);
    await client.query('COMMIT');
  }
  await client.query('ANALYZE patrol_cells');
  log(`  cell-days of ${pending.length} more days copied from ${source}`);
}

/** An account per grid worker of the county (username = the staff id, e.g. worker-511921108209001), with one shared password. */
async function ensureWorkerAccounts(client: pg.Client): Promise<void> {
  const passwordHash = await hashPassword(WORKER_PASSWORD);
  await client.query(
    `INSERT INTO accounts (id, username, display_name, role, scope_code, password_hash)
     SELECT 'bench-' || p.id, p.id, p.name, 'grid_worker', p.area_code, $1
     FROM people p WHERE p.role = 'grid_worker'
     ON CONFLICT (username) DO NOTHING`,
    [passwordHash],
  );
}

/** One day of history: its patrols, and its fixes loaded bare, indexed and attached as the day's partition. */
async function buildDay(client: pg.Client, day: Date, template: Date | null): Promise<number> {
  const partition = partitionName(day);
  const next = new Date(day.getTime() + DAY_MS);
  const stamp = day.toISOString().slice(0, 10).replaceAll('-', '');
  await client.query('BEGIN');
  try {
    // A partition the server made ahead for this day is empty on a bench database; start it again.
    await client.query(`DROP TABLE IF EXISTS ${partition}`);
    await client.query(`DELETE FROM patrols WHERE id LIKE $1`, [`bench-${stamp}-%`]);
    await client.query(
      `INSERT INTO patrols (id, client_id, worker_id, worker_name, worker_role, area_code, started_at, ended_at, distance_m, last_fix_at)
       SELECT 'bench-' || $1 || '-' || s.shift || '-' || a.scope_code, 'bench-' || $1 || '-' || s.shift, a.id, a.display_name,
         a.role, a.scope_code, $2::timestamptz + make_interval(hours => s.start_hour),
         $2::timestamptz + make_interval(hours => s.start_hour + s.hours), s.hours * 3600 * 1.1,
         $2::timestamptz + make_interval(hours => s.start_hour + s.hours) - interval '${FIX_SECONDS} seconds'
       FROM accounts a
       CROSS JOIN (VALUES ${SHIFTS_UTC.map((shift, index) => `(${index}, ${shift.startHour}, ${shift.hours})`).join(', ')})
         AS s(shift, start_hour, hours)
       WHERE a.id LIKE 'bench-worker-%'`,
      [stamp, day.toISOString()],
    );
    await client.query(`CREATE TABLE ${partition} (LIKE patrol_positions INCLUDING DEFAULTS)`);
    const inserted = template
      ? await client.query(
          // The walks of an earlier day, a number of days on: the same routes, read as another day.
          `INSERT INTO ${partition} (patrol_id, client_fix_id, area_code, fixed_at, received_at, location, accuracy_m,
             speed_mps, poor_accuracy, jump)
           SELECT 'bench-' || $1 || substr(patrol_id, 15), client_fix_id, area_code, fixed_at + $2 * interval '1 day',
             received_at + $2 * interval '1 day', location, accuracy_m, speed_mps, poor_accuracy, jump
           FROM ${partitionName(template)}`,
          [stamp, Math.round((day.getTime() - template.getTime()) / DAY_MS)],
        )
      : await client.query(
          `WITH route AS (
         SELECT p.id, p.area_code, p.started_at, (extract(epoch FROM p.ended_at - p.started_at) / ${FIX_SECONDS})::int AS fixes,
           r.line, greatest(ST_Length(r.line::geography), 1) AS length_m
         FROM patrols p
         CROSS JOIN LATERAL (
           SELECT CASE WHEN count(*) >= 3
             THEN ST_AddPoint(ST_MakeLine(c.label_point ORDER BY c.code), (array_agg(c.label_point ORDER BY c.code))[1])
             ELSE (SELECT ST_ExteriorRing(ST_GeometryN(g.geom, 1)) FROM areas g WHERE g.code = p.area_code) END AS line
           FROM areas c WHERE c.level = 'cell' AND c.code ^@ p.area_code
         ) r
         WHERE p.id LIKE $1
       )
       INSERT INTO ${partition} (patrol_id, client_fix_id, area_code, fixed_at, received_at, location, accuracy_m, speed_mps,
         poor_accuracy, jump)
       SELECT r.id, i::text, r.area_code, r.started_at + i * interval '${FIX_SECONDS} seconds',
         r.started_at + i * interval '${FIX_SECONDS} seconds' + interval '20 seconds',
         ST_Translate(
           ST_LineInterpolatePoint(r.line, (i * ${FIX_SECONDS} * 1.1)::float8 / r.length_m - floor((i * ${FIX_SECONDS} * 1.1)::float8 / r.length_m)),
           (random() - 0.5) * 0.00006 + CASE WHEN i % 2000 = 1999 THEN 0.01 ELSE 0 END,
           (random() - 0.5) * 0.00006),
         CASE WHEN i % 100 = 37 THEN 80 ELSE 4 + random() * 10 END, 1.1,
         i % 100 = 37, i % 2000 = 1999
       FROM route r CROSS JOIN LATERAL generate_series(0, r.fixes - 1) i`,
          [`bench-${stamp}-%`],
        );
    await client.query(
      `ALTER TABLE ${partition} ADD CONSTRAINT ${partition}_range
         CHECK (fixed_at >= '${day.toISOString()}' AND fixed_at < '${next.toISOString()}')`,
    );
    await client.query(
      `ALTER TABLE patrol_positions ATTACH PARTITION ${partition}
         FOR VALUES FROM ('${day.toISOString()}') TO ('${next.toISOString()}')`,
    );
    await client.query(`ALTER TABLE ${partition} DROP CONSTRAINT ${partition}_range`);
    await client.query(
      `INSERT INTO bench_patrol_fixture (day, positions) VALUES ($1, $2)
       ON CONFLICT (day) DO UPDATE SET positions = excluded.positions`,
      [day.toISOString().slice(0, 10), inserted.rowCount],
    );
    await client.query('COMMIT');
    return inserted.rowCount ?? 0;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}
