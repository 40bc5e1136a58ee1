import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../api/db/client.ts';
import { arrayLiteral } from '../../api/db/literal.ts';
import { seededDatabase } from './support/test-database.ts';

let db: Database;

beforeAll(async () => {
  db = await seededDatabase();
});

// The columns of a group of batches of fixes go to the database as array literals bound as text
// (group-repository.ts): each must read back as the array node-postgres or PGlite would bind.
describe('array literals bound as one text parameter', () => {
  const texts = [
    'a',
    'NULL',
    'null',
    '',
    'a,b',
    '{x}',
    'say "hi"',
    'back\\slash',
    "it's",
    ' padded ',
    '王坪村',
    '2026-12-04T21:00:00.000Z',
  ];
  const numbers = [0, -12, 0.5, 1e-7, 106.98765432101234, 1e21, null];

  it('reads text, NULL among it, as the bound array', async () => {
    const [row] = await db.rows<{ literal: (string | null)[]; bound: (string | null)[] }>(sql`
      SELECT ${arrayLiteral([...texts, null])}::text[] AS literal, ${sql.param([...texts, null])}::text[] AS bound`);
    expect(row!.literal).toEqual([...texts, null]);
    expect(row!.literal).toEqual(row!.bound);
  });

  it('reads numbers to the last digit, and NULL', async () => {
    const [row] = await db.rows<{ values: (number | null)[]; same: boolean }>(sql`
      SELECT ${arrayLiteral(numbers)}::float8[] AS values,
        ${arrayLiteral(numbers)}::float8[] IS NOT DISTINCT FROM ${sql.param(numbers)}::float8[] AS same`);
    expect(row!.values).toEqual(numbers);
    expect(row!.same).toBe(true);
  });

  it('refuses text with NUL, as PostgreSQL would', () => {
    expect(() => arrayLiteral(['a\0b'])).toThrow();
  });
});
