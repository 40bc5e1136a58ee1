import { like, type SQL, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { inlineParameters } from '../../api/db/literal.ts';
import { areas } from '../../api/db/schema.ts';
import { areaReader, enterScope, readerSettings, scopedDatabase } from '../../api/db/scoped.ts';
import { testApp } from './support/test-database.ts';

let db: Awaited<ReturnType<typeof testApp>>['db'];

beforeAll(async () => {
  ({ db } = await testApp());
});

/** The same read the slow, obvious way: its own transaction, scope set, the statement bound. */
function inTransaction<Row>(scopeCode: string, query: SQL): Promise<Row[]> {
  return db.transaction(async (tx) => {
    await enterScope(tx, areaReader(scopeCode));
    return tx.rows<Row>(query);
  });
}

// Each engine reads in scope in one round trip (Database.scopedRows); the embedded one writes the
// parameters into the statement as quoted literals. Whatever it writes must mean what a bound
// parameter means.
describe('scoped reads in one round trip', () => {
  const reads: [string, SQL][] = [
    [
      'text with quotes, backslashes and Chinese, numbers of either sign, dates and JSON',
      sql`SELECT ${"it's a \\ 'quoted' 王坪村"} AS text, ${-5}::int AS negative, ${0.1}::float8 AS fraction,
                 ${1e21}::float8 AS big, ${'2026-11-29'}::date AS day, ${'{"a":[1,2]}'}::json AS doc,
                 ${'5'} AS untyped`,
    ],
    [
      'a search the way the areas repository writes one',
      sql`SELECT code, name FROM areas WHERE name LIKE ${'%王坪%'} OR code LIKE ${'511921108%'} ORDER BY code LIMIT ${5}`,
    ],
    [
      'arrays of text and of numbers, as the review and the lists bind them',
      sql`SELECT ${sql.param(['NULL', 'a,b', '{x}', 'say "hi"', 'back\\slash', "it's", '', '王坪村'])}::text[] AS texts,
                 ${sql.param([6, 9, -12, 0.5])}::float8[] AS numbers, ${sql.param([])}::int[] AS empty,
                 (SELECT count(*)::int FROM areas WHERE code = ANY(${sql.param(['511921108', '511921'])}::text[])) AS found`,
    ],
    ['a value the literal path does not write (a boolean)', sql`SELECT ${true}::boolean AS flag, current_user AS role`],
  ];

  it.each(reads)('%s: the same rows as in a transaction', async (_name, query) => {
    expect(db.scopedRows).toBeDefined();
    const fast = await db.scopedRows!(readerSettings(areaReader('511921108')), query);
    expect(fast).toEqual(await inTransaction('511921108', query));
    expect(fast.length).toBeGreaterThan(0);
  });

  it('writes arrays into the statement, not falling back to a transaction of four calls', () => {
    const [, arrays] = reads.find(([name]) => name.startsWith('arrays')) ?? [];
    const text = inlineParameters(arrays!);
    expect(text).toContain(String.raw`E'{"NULL","a,b","{x}","say \\"hi\\"","back\\\\slash","it''s","","王坪村"}'::text[]`);
    expect(text).toContain(`'{6,9,-12,0.5}'::float8[]`);
  });

  it('reads as the scoped role, cut to the scope', async () => {
    const [row] = await scopedDatabase(db, areaReader('511921108')).rows<{ role: string; scope: string; outside: number }>(sql`
      SELECT current_user AS role, current_setting('gcc.scope') AS scope,
             (SELECT count(*)::int FROM areas WHERE code LIKE ${'511921112%'}) AS outside`);
    expect(row).toEqual({ role: 'gcc_scoped', scope: '511921108', outside: 0 });
  });

  it('cuts the query builder to the scope too, with rows typed and mapped from the schema', async () => {
    const scoped = scopedDatabase(db, areaReader('511921108'));
    const rows = await scoped.read((orm) =>
      orm.select({ code: areas.code, level: areas.level }).from(areas).where(like(areas.code, '5119211%')),
    );
    expect(rows.length).toBeGreaterThan(0);
    // Inside the scope and its ancestors (the county, the township), nothing of another township.
    expect(rows.every((row) => '511921108'.startsWith(row.code) || row.code.startsWith('511921108'))).toBe(true);
    const [who] = await scoped
      .read((orm) =>
        orm.execute<{ role: string; scope: string }>(sql`SELECT current_user AS role, current_setting('gcc.scope') AS scope`),
      )
      .then((result) => (result as unknown as { rows: { role: string; scope: string }[] }).rows);
    expect(who).toEqual({ role: 'gcc_scoped', scope: '511921108' });
    const owner = await db.read((orm) => orm.select({ code: areas.code }).from(areas).where(like(areas.code, '511921112%')));
    expect(owner.length).toBeGreaterThan(0);
  });

  it('leaves the connection as the owner afterwards, also after a failed read', async () => {
    const owner = async () => (await db.rows<{ role: string }>(sql`SELECT current_user AS role`))[0]?.role;
    const ownRole = await owner();
    expect(ownRole).not.toBe('gcc_scoped');
    await scopedDatabase(db, areaReader('511921108')).rows(sql`SELECT 1`);
    expect(await owner()).toBe(ownRole);
    await expect(scopedDatabase(db, areaReader('511921108')).rows(sql`UPDATE areas SET name = ${'x'}`)).rejects.toThrow();
    expect(await owner()).toBe(ownRole);
    const [setting] = await db.rows<{ scope: string | null }>(sql`SELECT current_setting('gcc.scope', true) AS scope`);
    expect(setting?.scope ?? '').toBe('');
  });
});

// A policy that calls gcc_scope() bare evaluates it, a setting looked up by name, for every row it
// tests: over a county-wide tile's thousands of outlines that made the scoped tile SQL 15–26%
// slower than the owner's (migration 0007). Read through a sub-select, it is one InitPlan per statement.
// The same holds for gcc_scope_pattern(), the scope as a LIKE pattern (migration 0023).
describe('scope policies', () => {
  it('read the scope once per statement, through a sub-select, in every policy', async () => {
    const policies = await db.rows<{ name: string; expression: string }>(sql`
      SELECT tablename || '.' || policyname AS name, concat_ws(' / ', qual, with_check) AS expression
      FROM pg_policies WHERE 'gcc_scoped' = ANY (roles) ORDER BY 1`);
    expect(policies.length).toBeGreaterThanOrEqual(12);
    for (const { name, expression } of policies) {
      const calls = expression.match(/gcc_scope(_pattern)?\(\)/g)?.length ?? 0;
      const subSelects = expression.match(/SELECT gcc_scope(_pattern)?\(\)/g)?.length ?? 0;
      expect({ name, calls }).toEqual({ name, calls: subSelects });
      expect({ name, calls: calls > 0 }).toEqual({ name, calls: true });
    }
  });

  // The server only ever sets an area code (readerSettings refuses anything else); the database
  // does not lean on that: a scope is a prefix, whatever characters it holds.
  it("match the case tables' codes by the scope as a prefix, LIKE's own characters taken as they are", async () => {
    const matches = (scope: string, code: string) =>
      db.transaction(async (tx) => {
        await tx.rows(sql`SELECT set_config('gcc.scope', ${scope}, true)`);
        const [row] = await tx.rows<{ matches: boolean; pattern: string }>(
          sql`SELECT ${code}::text OPERATOR(public.~~~) gcc_scope_pattern() AS matches, gcc_scope_pattern() AS pattern`,
        );
        return row;
      });
    expect(await matches('511921', '511921108001')).toEqual({ matches: true, pattern: '511921%' });
    expect(await matches('511921108', '511921109001')).toMatchObject({ matches: false });
    expect(await matches('5119_1', '511921108001')).toEqual({ matches: false, pattern: '5119\\_1%' });
    expect(await matches('5119%', '511921108001')).toEqual({ matches: false, pattern: '5119\\%%' });
    expect(await matches('51\\', '51\\9')).toEqual({ matches: true, pattern: '51\\\\%' });
  });

  it('leave no per-row setting lookup in a scoped tile plan', async () => {
    const plan = await scopedDatabase(db, areaReader('511921108')).rows<{ 'QUERY PLAN': string }>(sql`
      EXPLAIN (VERBOSE, COSTS OFF) SELECT count(*) FROM area_tile_geometries WHERE level = 'cell'`);
    const text = plan.map((row) => row['QUERY PLAN']).join('\n');
    const filters = text.split('\n').filter((line) => /Filter:/.test(line));
    expect(filters.length).toBeGreaterThan(0);
    expect(filters.join('\n')).not.toMatch(/current_setting/);
    expect(text).toMatch(/InitPlan/);
  });
});
