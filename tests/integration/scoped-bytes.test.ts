import { type SQL, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultReadConnections } from '../../api/db/client.ts';
import { areaReader, type ReaderSettings, readerSettings, scopedDatabase } from '../../api/db/scoped.ts';
import { TILE_LAYERS } from '../../api/tiles/layers.ts';
import { mvtQuery, tilesRepository } from '../../api/tiles/repository.ts';
import { testApp } from './support/test-database.ts';
import { tileOf } from './support/tiles.ts';

let db: Awaited<ReturnType<typeof testApp>>['db'];

beforeAll(async () => {
  ({ db } = await testApp());
});

const COUNTY = readerSettings(areaReader('511921'));
const TOWNSHIP = readerSettings(areaReader('511921108'));

/** The bytea the statement yields, read the ordinary way: a row whose field node-postgres decodes from hex. */
async function throughRow(settings: ReaderSettings, query: SQL): Promise<Uint8Array | null> {
  const [row] = await db.scopedRows!<{ value: Uint8Array | null }>(settings, query);
  return row?.value ?? null;
}

// Tiles on PostgreSQL come over a binary COPY (api/db/copy-out.ts) rather than as a hex field.
// Whatever arrives must be exactly the bytes the row would have carried.
describe.skipIf(!process.env.DATABASE_URL)('bytes by binary COPY (PostgreSQL)', () => {
  const values: [string, SQL][] = [
    [
      'every byte value',
      sql`SELECT decode(string_agg(lpad(to_hex(i), 2, '0'), '' ORDER BY i), 'hex') AS value FROM generate_series(0, 255) i`,
    ],
    ['an empty bytea', sql`SELECT ''::bytea AS value`],
    ['NULL', sql`SELECT NULL::bytea AS value`],
    ['no row at all', sql`SELECT 'x'::bytea AS value WHERE false`],
    ['4 MB, many network reads', sql`SELECT decode(repeat('00ff7f80', ${1_000_000}::int), 'hex') AS value`],
    [
      'text with quotes, backslashes and Chinese as parameters',
      sql`SELECT convert_to(${"it's a \\ 'quoted' 王坪村"} || ${'\\x'}, 'UTF8') AS value`,
    ],
  ];

  it.each(values)('%s: the same bytes as through a row', async (_name, query) => {
    const copied = await db.scopedBytes!(COUNTY, query);
    const row = await throughRow(COUNTY, query);
    expect(copied === null).toBe(row === null);
    if (!copied || !row) return;
    expect(copied.length).toBe(row.length);
    // Buffer.equals, not a deep toEqual: vitest walks 4 MB byte by byte, for a minute on a busy machine.
    expect(Buffer.from(copied).equals(Buffer.from(row))).toBe(true);
  });

  it('reads the text parameters as they were given', async () => {
    const text = "it's a \\ 'quoted' 王坪村";
    const copied = await db.scopedBytes!(COUNTY, sql`SELECT convert_to(${text}, 'UTF8')`);
    expect(Buffer.from(copied!).toString('utf8')).toBe(text);
  });

  it.each([
    ['cell', 8],
    ['cell', 12],
    ['household', 13],
    ['household', 15],
  ] as const)('gives the %s tile at z%i byte for byte as ST_AsMVT makes it', async (layerName, z) => {
    const [home] = await db.rows<{ lng: number; lat: number }>(
      sql`SELECT ST_X(geom) AS lng, ST_Y(geom) AS lat FROM households WHERE cell_code LIKE '511921108209%' ORDER BY code LIMIT 1`,
    );
    const address = tileOf(home!.lng, home!.lat, z);
    const query = mvtQuery(TILE_LAYERS[layerName]!, address.z, address.x, address.y);
    const [row] = await db.scopedRows!<{ mvt: Uint8Array | null }>(COUNTY, query);
    expect(row?.mvt?.length).toBeGreaterThan(0);
    const tile = await tilesRepository(scopedDatabase(db, areaReader(COUNTY.scope))).mvt(
      TILE_LAYERS[layerName]!,
      address.z,
      address.x,
      address.y,
    );
    expect(Buffer.from(tile)).toEqual(Buffer.from(row!.mvt!));
  });

  it('reads as the scoped role, cut to the scope', async () => {
    const read = sql`SELECT convert_to(current_user || '|' || string_agg(code, ',' ORDER BY code), 'UTF8') AS value
                     FROM areas WHERE level = 'township'`;
    const copied = Buffer.from((await db.scopedBytes!(TOWNSHIP, read))!).toString('utf8');
    expect(copied).toBe(`gcc_scoped|${TOWNSHIP.scope}`);
  });

  it('keeps every answer apart when many reads run at once', async () => {
    const sizes = Array.from({ length: 24 }, (_, index) => ({ fill: index + 1, length: 1_000 + index * 37_000 }));
    const answers = await Promise.all(
      sizes.map(({ fill, length }) =>
        db.scopedBytes!(COUNTY, sql`SELECT decode(repeat(lpad(to_hex(${fill}::int), 2, '0'), ${length}::int), 'hex')`),
      ),
    );
    answers.forEach((answer, index) => {
      const { fill, length } = sizes[index]!;
      expect(answer?.length).toBe(length);
      expect(answer!.every((byte) => byte === fill)).toBe(true);
    });
  });

  it('fails on a statement that does not yield one value, and the connections go on working', async () => {
    await expect(db.scopedBytes!(COUNTY, sql`SELECT 'a'::bytea, 'b'::bytea`)).rejects.toThrow(/a row of 2 columns/);
    await expect(db.scopedBytes!(COUNTY, sql`SELECT 'a'::bytea FROM generate_series(1, 2)`)).rejects.toThrow(/more than one row/);
    await expect(db.scopedBytes!(COUNTY, sql`SELECT (1 / ${0}::int)::text::bytea`)).rejects.toThrow(/division by zero/);
    await expect(db.scopedBytes!(COUNTY, sql`SELECT convert_to(name, 'UTF8') FROM no_such_table`)).rejects.toThrow(
      /no_such_table/,
    );
    const again = await Promise.all(Array.from({ length: 12 }, () => db.scopedBytes!(COUNTY, sql`SELECT 'ok'::bytea`)));
    expect(again.map((bytes) => Buffer.from(bytes!).toString())).toEqual(Array(12).fill('ok'));
  });

  it('refuses a parameter it cannot write as a literal', async () => {
    await expect(db.scopedBytes!(COUNTY, sql`SELECT ${true}::text::bytea`)).rejects.toThrow();
  });

  it('lets no more reads into the database at once than it has read connections', async () => {
    const limit = defaultReadConnections();
    const backends = await Promise.all(
      Array.from({ length: limit + 4 }, () =>
        db.scopedRows!<{ pid: number }>(COUNTY, sql`SELECT pg_backend_pid() AS pid, pg_sleep(0.2)`),
      ),
    );
    const distinct = new Set(backends.map(([row]) => row!.pid));
    expect(distinct.size).toBeGreaterThan(1);
    expect(distinct.size).toBeLessThanOrEqual(limit);
  });
});

describe.skipIf(Boolean(process.env.DATABASE_URL))('scoped handles on the embedded database', () => {
  it('read tiles through rows: PGlite has no ST_AsMVT and no binary COPY to a client', () => {
    expect(db.scopedBytes).toBeUndefined();
    expect(scopedDatabase(db, areaReader(COUNTY.scope)).bytes).toBeUndefined();
  });
});
